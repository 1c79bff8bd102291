// Fleet jobs: progress bars and counts per status (live from job.progress / job.finished),
// the cancel button, and a job's executions.

import { api, ApiError, type Page as ApiPage } from './api.js';
import { debounce, h, json, message, replace, table, time } from './dom.js';
import {
  deviceLink,
  FINAL_STATUSES,
  statusBadge,
  TASK_STATUSES,
  taskLink,
  type Page,
  type PageContext,
  type Task,
} from './page.js';

interface Job {
  id: string;
  status: string;
  status_reason: string | null;
  method_code: string;
  payload: unknown;
  targets: unknown;
  rollout: unknown;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  target_count: number;
  executions_created: number;
  not_started: number;
  counts: Record<string, number>;
  cancel_confirmed?: number;
}

const JOB_FINAL = new Set(['COMPLETED', 'CANCELLED', 'ABORTED']);

function finished(job: Job): number {
  return Object.entries(job.counts ?? {}).reduce(
    (sum, [status, count]) => sum + (FINAL_STATUSES.has(status) ? count : 0),
    0,
  );
}

/** The bar: finished executions of the targets, as a native <progress> (read by screen readers). */
function bar(job: Job): HTMLElement {
  const done = Math.min(finished(job), job.target_count);
  return h(
    'div',
    { class: 'bar' },
    h('progress', {
      max: Math.max(job.target_count, 1),
      value: done,
      'aria-label': `job ${job.id} progress`,
      'data-job-progress': job.id,
    }),
    h('span', {}, `${done} of ${job.target_count} finished, ${job.executions_created} started`),
  );
}

function counts(job: Job, all: boolean): HTMLElement {
  return h(
    'ul',
    { class: 'counts' },
    TASK_STATUSES.filter((s) => all || (job.counts?.[s] ?? 0) > 0).map((s) =>
      h('li', { 'data-count': s }, statusBadge(s), ` ${job.counts?.[s] ?? 0}`),
    ),
  );
}

function cancelButton(
  job: Job,
  after: (job: Job) => void,
  into: () => HTMLElement,
): HTMLElement | null {
  if (JOB_FINAL.has(job.status)) return null;
  return h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: (event: Event) => {
        (event.currentTarget as HTMLButtonElement).disabled = true;
        void api<Job>(`/jobs/${job.id}/cancel`, { method: 'POST' })
          .then(after)
          .catch((error: Error) => {
            if (!(error instanceof ApiError && error.status === 401))
              replace(into(), message(error.message));
          });
      },
    },
    'Cancel job',
  );
}

export const jobsPage: Page = async (context: PageContext) => {
  const list = h('div', { class: 'cards' });
  const note = h('div');
  const cards = new Map<string, HTMLElement>();
  const jobs = new Map<string, Job>();
  const card = (job: Job): HTMLElement => {
    const element: HTMLElement = h(
      'article',
      { class: 'card', 'data-job': job.id },
      h(
        'h2',
        {},
        h('a', { href: `#/jobs/${job.id}` }, job.method_code),
        ' ',
        h('span', { class: 'job-status', 'data-job-status': job.status }, job.status),
      ),
      h('p', { class: 'muted mono' }, job.id, ' · created ', time(job.created_at)),
      bar(job),
      counts(job, false),
      job.status_reason ? h('p', {}, job.status_reason) : null,
      cancelButton(
        job,
        (fresh) => show(fresh),
        () => element,
      ),
    );
    return element;
  };
  const show = (job: Job): void => {
    jobs.set(job.id, job);
    const next = card(job);
    const old = cards.get(job.id);
    if (old) old.replaceWith(next);
    else list.prepend(next);
    cards.set(job.id, next);
    replace(note);
  };
  const load = async (): Promise<void> => {
    const page = await api<ApiPage<Job>>('/jobs?limit=50');
    replace(list);
    cards.clear();
    page.items.reverse().forEach(show);
    replace(note, page.items.length === 0 ? message('No jobs yet.', 'info') : null);
  };
  const reload = debounce(() => void load().catch(() => undefined), 500);
  context.on((event) => {
    if (event.type === 'resync') reload();
    if (event.type !== 'job.progress' && event.type !== 'job.finished') return;
    const known = jobs.get(event.data.job_id);
    if (known) show({ ...known, ...event.data, id: known.id });
    else reload();
  });
  replace(context.root, h('h1', { tabindex: '-1' }, 'Jobs'), note, list);
  await load();
};

export const jobPage: Page = async (context: PageContext) => {
  const id = context.params[0] ?? '';
  let job = await api<Job>(`/jobs/${id}`);
  const head = h('div');
  const executions = h('div');
  const drawHead = (): void =>
    replace(
      head,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h(
          'dd',
          {},
          h('span', { class: 'job-status', 'data-job-status': job.status }, job.status),
          job.status_reason ? ` (${job.status_reason})` : '',
        ),
        h('dt', {}, 'Method'),
        h('dd', {}, job.method_code),
        h('dt', {}, 'Created'),
        h('dd', {}, time(job.created_at)),
        h('dt', {}, 'Started'),
        h('dd', {}, time(job.started_at)),
        h('dt', {}, 'Finished'),
        h('dd', {}, time(job.finished_at)),
        h('dt', {}, 'Targets'),
        h('dd', {}, h('code', {}, JSON.stringify(job.targets))),
        h('dt', {}, 'Rollout'),
        h('dd', {}, h('code', {}, JSON.stringify(job.rollout))),
      ),
      bar(job),
      h('h2', {}, 'Executions per status'),
      counts(job, true),
      cancelButton(
        job,
        (fresh) => {
          job = fresh;
          drawHead();
          void loadExecutions();
        },
        () => head,
      ),
      h('h2', {}, 'Payload'),
      h('pre', {}, json(job.payload)),
    );
  const loadExecutions = async (): Promise<void> => {
    const page = await api<ApiPage<Task>>(`/jobs/${id}/executions?limit=100`);
    replace(
      executions,
      page.items.length === 0
        ? message('No executions yet.', 'info')
        : table(
            'Executions of this job',
            ['Task', 'Device', 'Status', 'Created', 'Finished'],
            page.items.map((t) =>
              h(
                'tr',
                {},
                h('td', {}, taskLink(t.id)),
                h('td', {}, deviceLink(t.device_id)),
                h('td', {}, statusBadge(t.status)),
                h('td', {}, time(t.created_at)),
                h('td', {}, time(t.finished_at)),
              ),
            ),
          ),
    );
  };
  const reloadExecutions = debounce(() => void loadExecutions().catch(() => undefined), 500);
  context.on((event) => {
    if (event.type === 'resync') {
      void api<Job>(`/jobs/${id}`)
        .then((fresh) => {
          job = fresh;
          drawHead();
        })
        .catch(() => undefined);
      reloadExecutions();
    }
    if (
      (event.type === 'job.progress' || event.type === 'job.finished') &&
      event.data.job_id === id
    ) {
      job = { ...job, ...event.data, id };
      drawHead();
      reloadExecutions();
    }
  });
  drawHead();
  replace(
    context.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/jobs' }, 'Jobs'), ' / '),
    h('h1', { tabindex: '-1' }, 'Job ', h('span', { class: 'mono' }, id)),
    head,
    h('h2', {}, 'Executions'),
    executions,
  );
  await loadExecutions();
};
