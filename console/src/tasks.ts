// The tasks list (live, filterable) and a task's page with its timeline, payload and result.

import { api, ApiError, type Page as ApiPage } from './api.js';
import { debounce, h, json, message, replace, time } from './dom.js';
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

interface TaskEvent {
  from_status: string | null;
  to_status: string;
  cause: string;
  attempt: number;
  actor: string;
  detail: string | null;
  at: string;
}

export const tasksPage: Page = async (context: PageContext) => {
  const status = context.query.get('status') ?? '';
  const device = context.query.get('device_id') ?? '';
  const body = h('tbody');
  const rows = new Map<string, HTMLTableRowElement>();
  const note = h('div');
  const more = h('div');
  const matches = (task: Task): boolean =>
    (!status || task.status === status) && (!device || task.device_id === device);
  const row = (task: Task): HTMLTableRowElement =>
    h(
      'tr',
      { 'data-task': task.id },
      h('td', {}, taskLink(task.id)),
      h('td', {}, deviceLink(task.device_id)),
      h('td', {}, task.method_code),
      h('td', {}, statusBadge(task.status)),
      h('td', {}, time(task.created_at)),
      h('td', {}, time(task.finished_at)),
    );
  const show = (task: Task, first: boolean): void => {
    const old = rows.get(task.id);
    if (!matches(task)) {
      old?.remove();
      rows.delete(task.id);
      return;
    }
    const next = row(task);
    if (old) old.replaceWith(next);
    else if (first) body.prepend(next);
    else body.append(next);
    rows.set(task.id, next);
    replace(note);
  };
  const load = async (cursor: string | null): Promise<void> => {
    const query = new URLSearchParams({ limit: '50' });
    if (status) query.set('status', status);
    if (device) query.set('device_id', device);
    if (cursor) query.set('cursor', cursor);
    const page = await api<ApiPage<Task>>(`/tasks?${query}`);
    if (!cursor) {
      replace(body);
      rows.clear();
    }
    page.items.forEach((task) => show(task, false));
    replace(note, rows.size === 0 ? message('No tasks match.', 'info') : null);
    replace(
      more,
      page.next_cursor
        ? h('button', { type: 'button', onclick: () => void load(page.next_cursor) }, 'Load more')
        : null,
    );
  };
  const reload = debounce(() => void load(null).catch(() => undefined), 500);
  context.on((event) => {
    if (event.type === 'resync') reload();
    else if (event.type === 'task.finished') show(event.data as Task, true);
    else if (event.type === 'task.progress' && rows.has(event.data.id)) {
      void api<Task>(`/tasks/${event.data.id}`)
        .then((task) => show(task, true))
        .catch(() => undefined);
    }
  });

  const filters: HTMLFormElement = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const query = new URLSearchParams();
        const chosen = (filters.elements.namedItem('status') as HTMLSelectElement).value;
        const id = (filters.elements.namedItem('device_id') as HTMLInputElement).value.trim();
        if (chosen) query.set('status', chosen);
        if (id) query.set('device_id', id);
        location.hash = `#/tasks${query.size ? `?${query}` : ''}`;
      },
    },
    h('label', { for: 'task-status' }, 'Status'),
    h(
      'select',
      { id: 'task-status', name: 'status' },
      h('option', { value: '' }, 'any'),
      TASK_STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)),
    ),
    h('label', { for: 'task-device' }, 'Device'),
    h('input', { id: 'task-device', name: 'device_id', value: device, autocomplete: 'off' }),
    h('button', { type: 'submit' }, 'Filter'),
  );
  replace(
    context.root,
    h('h1', { tabindex: '-1' }, 'Tasks'),
    filters,
    note,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { id: 'tasks' },
        h('caption', { class: 'visually-hidden' }, 'Tasks, newest first, updated live'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Task', 'Device', 'Method', 'Status', 'Created', 'Finished'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  await load(null);
};

export const taskPage: Page = async (context: PageContext) => {
  const id = context.params[0] ?? '';
  const details = h('div');
  const timeline = h('ol', { class: 'timeline' });
  const progress: string[] = [];
  const actions = h('div');
  let task: Task | null = null;
  const draw = (events: TaskEvent[]): void => {
    if (!task) return;
    const final = FINAL_STATUSES.has(task.status);
    const failed = final && task.status !== 'DONE';
    replace(
      details,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h(
          'dd',
          { id: 'task-status-value' },
          statusBadge(task.status),
          task.status_code !== null ? ` status code ${task.status_code}` : '',
        ),
        h('dt', {}, 'Device'),
        h('dd', {}, deviceLink(task.device_id)),
        h('dt', {}, 'Method'),
        h('dd', {}, task.method_code),
        h('dt', {}, 'Priority'),
        h('dd', {}, String(task.priority)),
        h('dt', {}, 'Attempts'),
        h('dd', {}, String(task.attempts)),
        h('dt', {}, 'Created'),
        h('dd', {}, time(task.created_at)),
        h('dt', {}, 'Deadline'),
        h('dd', {}, time(task.deadline_at)),
        h('dt', {}, 'Finished'),
        h('dd', {}, time(task.finished_at)),
      ),
      task.progress && !final
        ? h('p', {}, `Progress: ${task.progress.percent ?? '?'}% ${task.progress.message ?? ''}`)
        : null,
      h('h2', {}, 'Payload'),
      h('pre', {}, json(task.payload)),
      h('h2', {}, failed ? 'Error' : 'Result'),
      failed
        ? h(
            'pre',
            { class: 'error', id: 'task-error' },
            task.status_code !== null ? `status code ${task.status_code}\n` : '',
            task.result !== null ? json(task.result) : 'no result: the task ended ' + task.status,
          )
        : h('pre', { id: 'task-result' }, final ? json(task.result) : 'not finished yet'),
    );
    replace(
      timeline,
      events.map((e) =>
        h(
          'li',
          {},
          h('time', {}, time(e.at)),
          ' ',
          h('strong', {}, `${e.from_status ?? 'new'} → ${e.to_status}`),
          ` ${e.cause.toLowerCase()} by ${e.actor}`,
          e.detail ? `: ${e.detail}` : '',
        ),
      ),
      progress.map((text) => h('li', { class: 'progress' }, text)),
    );
    replace(
      actions,
      final
        ? null
        : h(
            'button',
            {
              type: 'button',
              onclick: () =>
                void api<Task>(`/tasks/${id}`, { method: 'DELETE' })
                  .then(load)
                  .catch((error: Error) =>
                    error instanceof ApiError && error.status === 401
                      ? undefined
                      : replace(actions, message(error.message)),
                  ),
            },
            'Cancel task',
          ),
    );
  };
  const load = async (): Promise<void> => {
    const [fresh, events] = await Promise.all([
      api<Task>(`/tasks/${id}`),
      api<TaskEvent[]>(`/tasks/${id}/events`),
    ]);
    task = fresh;
    draw(events);
  };
  const reload = debounce(() => void load().catch(() => undefined), 200);
  context.on((event) => {
    if (event.type === 'resync') reload();
    if (event.data?.id !== id) return;
    if (event.type === 'task.progress') {
      progress.push(
        `${time(event.data.at)} progress ${event.data.percent ?? '?'}%${event.data.message ? `: ${event.data.message}` : ''}`,
      );
    }
    if (event.type === 'task.finished' || event.type === 'task.progress') reload();
  });
  replace(
    context.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/tasks' }, 'Tasks'), ' / '),
    h('h1', { tabindex: '-1' }, 'Task ', h('span', { class: 'mono' }, id)),
    details,
    h('h2', {}, 'Timeline'),
    timeline,
    actions,
  );
  await load();
};
