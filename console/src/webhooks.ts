// Webhook endpoints, and an endpoint's deliveries with their attempts and a retry button.

import { api, ApiError, type Page as ApiPage } from './api.js';
import { debounce, h, message, replace, table, time } from './dom.js';
import type { Page, PageContext } from './page.js';

interface Endpoint {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  secret?: string;
}

interface Delivery {
  id: string;
  event_type: string;
  event_id: string;
  status: string;
  status_code: number | null;
  created_at: string;
  next_attempt_at: string | null;
  finished_at: string | null;
  attempts: {
    attempt: number;
    at: string;
    status: string;
    status_code: number | null;
    duration_ms: number;
    error: string | null;
  }[];
}

const EVENT_TYPES = ['task.finished', 'task.progress', 'device.event', 'device.presence'];

function failure(into: HTMLElement) {
  return (error: Error): void => {
    if (!(error instanceof ApiError && error.status === 401)) replace(into, message(error.message));
  };
}

export const webhooksPage: Page = async (context: PageContext) => {
  const list = h('div');
  const created = h('div', { 'aria-live': 'polite' });
  const load = async (): Promise<void> => {
    const page = await api<ApiPage<Endpoint>>('/webhooks?limit=200');
    replace(
      list,
      page.items.length === 0
        ? message('No endpoints yet.', 'info')
        : table(
            'Webhook endpoints, newest first',
            ['Endpoint', 'Events', 'State', 'Created'],
            page.items.map((e) =>
              h(
                'tr',
                { 'data-webhook': e.id },
                h(
                  'td',
                  {},
                  h('a', { href: `#/webhooks/${e.id}` }, e.url),
                  e.description ? h('div', { class: 'muted' }, e.description) : null,
                ),
                h('td', {}, e.event_types.join(', ')),
                h('td', {}, e.enabled ? 'enabled' : `disabled: ${e.disabled_reason ?? ''}`),
                h('td', {}, time(e.created_at)),
              ),
            ),
          ),
    );
  };
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const types = EVENT_TYPES.filter(
          (t) => (form.elements.namedItem(t) as HTMLInputElement).checked,
        );
        void api<Endpoint>('/webhooks', {
          method: 'POST',
          body: {
            url: (form.elements.namedItem('url') as HTMLInputElement).value.trim(),
            event_types: types,
            description:
              (form.elements.namedItem('description') as HTMLInputElement).value.trim() || null,
          },
        })
          .then((endpoint) => {
            replace(
              created,
              message(
                `Endpoint created. Its secret, shown only now: ${endpoint.secret ?? ''}`,
                'info',
              ),
            );
            form.reset();
            return load();
          })
          .catch(failure(created));
      },
    },
    h('label', { for: 'webhook-url' }, 'URL'),
    h('input', {
      id: 'webhook-url',
      name: 'url',
      type: 'url',
      required: true,
      placeholder: 'https://apps.example.com/hooks/iot',
    }),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Events'),
      EVENT_TYPES.map((t) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: t, checked: t === 'task.finished' }),
          ` ${t}`,
        ),
      ),
    ),
    h('label', { for: 'webhook-description' }, 'Description'),
    h('input', { id: 'webhook-description', name: 'description' }),
    h('button', { type: 'submit' }, 'Create endpoint'),
    created,
  );
  replace(
    context.root,
    h('h1', { tabindex: '-1' }, 'Webhooks'),
    list,
    h('details', {}, h('summary', {}, 'New endpoint'), form),
  );
  await load();
};

export const webhookPage: Page = async (context: PageContext) => {
  const id = context.params[0] ?? '';
  const endpoint = await api<Endpoint>(`/webhooks/${id}`);
  const deliveries = h('div');
  const note = h('div', { 'aria-live': 'polite' });
  const retry = (delivery: Delivery) => (event: Event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    void api<Delivery>(`/webhooks/${id}/deliveries/${delivery.id}/retry`, { method: 'POST' })
      .then(() => {
        replace(note, message(`Delivery ${delivery.id.slice(0, 8)} is due again now.`, 'info'));
        reload();
      })
      .catch(failure(note));
  };
  const load = async (): Promise<void> => {
    const page = await api<ApiPage<Delivery>>(`/webhooks/${id}/deliveries?limit=50`);
    replace(
      deliveries,
      page.items.length === 0
        ? message('No deliveries yet.', 'info')
        : table(
            'Deliveries, newest first, with every attempt',
            ['Event', 'Status', 'Created', 'Attempts', ''],
            page.items.map((d) =>
              h(
                'tr',
                { 'data-delivery': d.id },
                h('td', {}, d.event_type, h('div', { class: 'muted mono' }, d.event_id)),
                h(
                  'td',
                  { 'data-delivery-status': d.status },
                  d.status,
                  d.status_code !== null ? ` (${d.status_code})` : '',
                ),
                h('td', {}, time(d.created_at)),
                h(
                  'td',
                  {},
                  h(
                    'ol',
                    { class: 'attempts' },
                    d.attempts.map((a) =>
                      h(
                        'li',
                        { 'data-attempt': a.attempt },
                        `${time(a.at)} ${a.status}`,
                        a.status_code !== null ? ` ${a.status_code}` : '',
                        ` in ${a.duration_ms} ms`,
                        a.error ? `: ${a.error}` : '',
                      ),
                    ),
                  ),
                  d.next_attempt_at
                    ? h('div', { class: 'muted' }, `next attempt ${time(d.next_attempt_at)}`)
                    : null,
                ),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    { type: 'button', onclick: retry(d), 'aria-label': `Retry delivery ${d.id}` },
                    'Retry',
                  ),
                ),
              ),
            ),
          ),
    );
  };
  // Deliveries have no events of their own; an event the endpoint subscribed to makes one soon.
  const reload = debounce(() => void load().catch(failure(note)), 1000);
  context.on((event) => {
    if (event.type === 'resync' || endpoint.event_types.includes(event.type)) reload();
  });
  replace(
    context.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/webhooks' }, 'Webhooks'), ' / '),
    h('h1', { tabindex: '-1' }, endpoint.url),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Events'),
      h('dd', {}, endpoint.event_types.join(', ')),
      h('dt', {}, 'State'),
      h('dd', {}, endpoint.enabled ? 'enabled' : `disabled: ${endpoint.disabled_reason ?? ''}`),
      h('dt', {}, 'Created'),
      h('dd', {}, time(endpoint.created_at)),
    ),
    h(
      'h2',
      {},
      'Deliveries ',
      h('button', { type: 'button', onclick: () => void load().catch(failure(note)) }, 'Refresh'),
    ),
    note,
    deliveries,
  );
  await load();
};
