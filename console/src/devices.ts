// The devices table (presence live from the stream) and a device's page with the task form.

import { api, ApiError, type Page as ApiPage } from './api.js';
import { debounce, h, json, message, replace, table, time } from './dom.js';
import {
  FINAL_STATUSES,
  statusBadge,
  taskLink,
  type Page,
  type PageContext,
  type Task,
} from './page.js';

interface Device {
  id: string;
  display_name: string | null;
  tags: Record<string, string>;
  created_at: string;
  online: boolean;
  connected_at: string | null;
  last_seen_at: string | null;
  protocol_version: number;
  protocol_declared_at: string | null;
}

interface DeviceEvent {
  id: number;
  event_type_code: number;
  dev_event_id: number;
  dev_timestamp: string;
  received_at: string;
  payload: unknown;
}

interface Certificate {
  serial: string;
  status: string;
  not_before: string;
  not_after: string;
  key_from_server: boolean;
  issued_at: string;
  revoked_at: string | null;
}

function presence(device: Device): HTMLElement {
  return h(
    'span',
    {
      class: `presence ${device.online ? 'online' : 'offline'}`,
      'data-presence': device.online ? 'online' : 'offline',
    },
    device.online ? 'online' : 'offline',
  );
}

function tags(device: Device): HTMLElement {
  const entries = Object.entries(device.tags ?? {});
  return h(
    'span',
    { class: 'tags' },
    entries.length === 0
      ? '–'
      : entries.map(([key, value]) => h('span', { class: 'tag' }, `${key}:${value}`)),
  );
}

export const devicesPage: Page = async (context: PageContext) => {
  const tag = context.query.get('tag') ?? '';
  const rows = new Map<string, HTMLTableRowElement>();
  const devices = new Map<string, Device>();
  const body = h('tbody');
  const status = h('div');
  const more = h('div');

  const row = (device: Device): HTMLTableRowElement =>
    h(
      'tr',
      { 'data-device': device.id },
      h(
        'th',
        { scope: 'row' },
        h('a', { href: `#/devices/${encodeURIComponent(device.id)}` }, device.id),
      ),
      h('td', {}, presence(device)),
      h('td', { 'data-last-seen': '' }, time(device.last_seen_at)),
      h('td', {}, `v${device.protocol_version}`),
      h('td', {}, tags(device)),
    );
  const show = (device: Device, first: boolean): void => {
    devices.set(device.id, device);
    const next = row(device);
    const old = rows.get(device.id);
    if (old) old.replaceWith(next);
    else if (first) body.prepend(next);
    else body.append(next);
    rows.set(device.id, next);
  };
  const load = async (cursor: string | null): Promise<void> => {
    const query = new URLSearchParams({ limit: '50' });
    if (tag) query.set('tag', tag);
    if (cursor) query.set('cursor', cursor);
    const page = await api<ApiPage<Device>>(`/devices?${query}`);
    if (!cursor) {
      replace(body);
      rows.clear();
    }
    page.items.forEach((device) => show(device, false));
    replace(status, rows.size === 0 ? message('No devices yet.', 'info') : null);
    replace(
      more,
      page.next_cursor
        ? h(
            'button',
            { type: 'button', onclick: () => void load(page.next_cursor).catch(fail) },
            'Load more',
          )
        : null,
    );
  };
  const fail = (error: unknown): void => replace(status, message(String((error as Error).message)));

  context.on((event) => {
    if (event.type === 'resync') {
      void load(null).catch(fail);
    } else if (event.type === 'device.presence') {
      const known = devices.get(event.data.device_id);
      if (known) {
        show({ ...known, ...event.data, id: known.id }, true);
      } else {
        // Registered after the table was read: fetch it (the tag filter decides if it belongs).
        void api<Device>(`/devices/${encodeURIComponent(event.data.device_id)}`)
          .then((device) => {
            const [key = '', value] = tag.split(':');
            if (!tag || device.tags[key] === value) show(device, true);
            replace(status);
          })
          .catch(() => undefined);
      }
    }
  });

  const filter = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const value = (filter.elements.namedItem('tag') as HTMLInputElement).value.trim();
        location.hash = value ? `#/devices?tag=${encodeURIComponent(value)}` : '#/devices';
      },
    },
    h('label', { for: 'device-tag' }, 'Tag'),
    h('input', { id: 'device-tag', name: 'tag', value: tag, placeholder: 'key:value' }),
    h('button', { type: 'submit' }, 'Filter'),
  );
  replace(
    context.root,
    h('h1', { tabindex: '-1' }, 'Devices'),
    filter,
    status,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { id: 'devices' },
        h('caption', { class: 'visually-hidden' }, 'Devices with presence and tags, updated live'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Device', 'Presence', 'Last seen', 'Protocol', 'Tags'].map((text) =>
              h('th', { scope: 'col' }, text),
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

export const devicePage: Page = async (context: PageContext) => {
  const id = decodeURIComponent(context.params[0] ?? '');
  const path = `/devices/${encodeURIComponent(id)}`;
  let device = await api<Device>(path);
  const summary = h('dl', { class: 'facts' });
  const drawSummary = (): void =>
    replace(
      summary,
      h('dt', {}, 'Presence'),
      h('dd', {}, presence(device)),
      h('dt', {}, 'Last seen'),
      h('dd', {}, time(device.last_seen_at)),
      h('dt', {}, 'Connected at'),
      h('dd', {}, time(device.connected_at)),
      h('dt', {}, 'Protocol version'),
      h(
        'dd',
        { 'data-protocol': String(device.protocol_version) },
        `v${device.protocol_version}`,
        device.protocol_declared_at ? ` (declared ${time(device.protocol_declared_at)})` : '',
      ),
      h('dt', {}, 'Tags'),
      h('dd', {}, tags(device)),
      h('dt', {}, 'Name'),
      h('dd', {}, device.display_name ?? '–'),
      h('dt', {}, 'Registered'),
      h('dd', {}, time(device.created_at)),
    );
  drawSummary();

  const tasks = h('div');
  const state = h('div');
  const events = h('div');
  const certificates = h('div');
  const section = async (into: HTMLElement, draw: () => Promise<Node>): Promise<void> => {
    try {
      replace(into, await draw());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      replace(into, message((error as Error).message));
    }
  };
  const loadTasks = (): Promise<void> =>
    section(tasks, async () => {
      const page = await api<ApiPage<Task>>(`/tasks?device_id=${encodeURIComponent(id)}&limit=20`);
      return page.items.length === 0
        ? message('No tasks yet.', 'info')
        : table(
            'Tasks of this device, newest first',
            ['Task', 'Method', 'Status', 'Created', 'Finished'],
            page.items.map((task) =>
              h(
                'tr',
                {},
                h('td', {}, taskLink(task.id)),
                h('td', {}, task.method_code),
                h('td', {}, statusBadge(task.status)),
                h('td', {}, time(task.created_at)),
                h('td', {}, time(task.finished_at)),
              ),
            ),
          );
    });
  const loadState = (): Promise<void> =>
    section(state, async () => {
      const latest = (await api<{ latest: DeviceEvent[] }>(`${path}/state`)).latest;
      return latest.length === 0
        ? message('No state reported yet.', 'info')
        : table(
            'Latest event of each type',
            ['Type', 'Device time', 'Payload'],
            latest.map((event) =>
              h(
                'tr',
                {},
                h('td', {}, String(event.event_type_code)),
                h('td', {}, time(event.dev_timestamp)),
                h('td', {}, h('code', {}, JSON.stringify(event.payload))),
              ),
            ),
          );
    });
  const loadEvents = (): Promise<void> =>
    section(events, async () => {
      const page = await api<ApiPage<DeviceEvent>>(`${path}/events?limit=20`);
      return page.items.length === 0
        ? message('No events yet.', 'info')
        : table(
            'Events the device published, newest first',
            ['Type', 'Event id', 'Device time', 'Received', 'Payload'],
            page.items.map((event) =>
              h(
                'tr',
                {},
                h('td', {}, String(event.event_type_code)),
                h('td', {}, String(event.dev_event_id)),
                h('td', {}, time(event.dev_timestamp)),
                h('td', {}, time(event.received_at)),
                h('td', {}, h('code', {}, JSON.stringify(event.payload))),
              ),
            ),
          );
    });
  const loadCertificates = (): Promise<void> =>
    section(certificates, async () => {
      const list = await api<Certificate[]>(`/identities/${encodeURIComponent(id)}/certificates`);
      return list.length === 0
        ? message(
            'No certificate issued (the device logs in with a password, or has not enrolled).',
            'info',
          )
        : table(
            'Certificates, newest first',
            ['Serial', 'Status', 'Valid from', 'Valid until', 'Key'],
            list.map((c) =>
              h(
                'tr',
                {},
                h('td', { class: 'mono' }, c.serial),
                h('td', {}, c.status),
                h('td', {}, time(c.not_before)),
                h('td', {}, time(c.not_after)),
                h('td', {}, c.key_from_server ? 'made by the server' : 'made by the device'),
              ),
            ),
          );
    });
  const reloadTasks = debounce(() => void loadTasks(), 300);
  const reloadEvents = debounce(() => void Promise.all([loadEvents(), loadState()]), 300);

  context.on((event) => {
    if (event.type === 'resync') {
      void api<Device>(path).then((fresh) => {
        device = fresh;
        drawSummary();
      });
      reloadTasks();
      reloadEvents();
    } else if (event.data?.device_id !== id) {
      return;
    } else if (event.type === 'device.presence') {
      device = { ...device, ...event.data, id };
      drawSummary();
    } else if (event.type === 'task.finished' || event.type === 'task.progress') {
      reloadTasks();
    } else if (event.type === 'device.event') {
      reloadEvents();
    }
  });

  replace(
    context.root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/devices' }, 'Devices'), ' / '),
    h('h1', { tabindex: '-1' }, id),
    summary,
    h(
      'section',
      { 'aria-labelledby': 'send-heading' },
      h('h2', { id: 'send-heading' }, 'Send a task'),
      taskForm(context, id),
    ),
    h('section', { id: 'device-tasks' }, h('h2', {}, 'Tasks'), tasks),
    h('section', { id: 'device-state' }, h('h2', {}, 'Latest state'), state),
    h('section', { id: 'device-events' }, h('h2', {}, 'Events'), events),
    h('section', {}, h('h2', {}, 'Certificates'), certificates),
  );
  await Promise.all([loadTasks(), loadState(), loadEvents(), loadCertificates()]);
};

/** The form that sends a task to the device and follows it to its end, live. */
function taskForm(context: PageContext, deviceId: string): HTMLElement {
  const outcome = h('div', { class: 'outcome', 'aria-live': 'polite' });
  let following: string | null = null;
  let shown: Task | null = null;
  const draw = (task: Task): void => {
    if (task.id !== following) return;
    // A read that left before the finish was told must not undo it.
    if (
      shown?.id === task.id &&
      FINAL_STATUSES.has(shown.status) &&
      !FINAL_STATUSES.has(task.status)
    )
      return;
    shown = task;
    const failed = FINAL_STATUSES.has(task.status) && task.status !== 'DONE';
    replace(
      outcome,
      h(
        'p',
        {},
        'Task ',
        taskLink(task.id),
        ': ',
        statusBadge(task.status),
        task.status_code !== null ? ` (status code ${task.status_code})` : '',
      ),
      task.progress && !FINAL_STATUSES.has(task.status)
        ? h('p', {}, `Progress: ${task.progress.percent ?? '?'}% ${task.progress.message ?? ''}`)
        : null,
      task.result !== null && task.result !== undefined
        ? [
            h('h3', {}, failed ? 'Error' : 'Result'),
            h('pre', { class: failed ? 'error' : '' }, json(task.result)),
          ]
        : null,
    );
  };
  context.on((event) => {
    if (event.type === 'task.finished' && event.data.id === following) draw(event.data as Task);
    if (event.type === 'task.progress' && event.data.id === following) {
      void api<Task>(`/tasks/${following}`)
        .then(draw)
        .catch(() => undefined);
    }
  });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'stack',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void send();
      },
    },
    h('label', { for: 'method-code' }, 'Method code'),
    h('input', {
      id: 'method-code',
      name: 'method_code',
      required: true,
      value: 'sum',
      autocomplete: 'off',
    }),
    h('label', { for: 'payload' }, 'Payload (JSON)'),
    h('textarea', { id: 'payload', name: 'payload', rows: 3 }, '{"values": [1, 2, 3]}'),
    h('label', { for: 'ttl' }, 'Time to live (seconds)'),
    h('input', { id: 'ttl', name: 'ttl', type: 'number', min: 1, max: 604800, value: 60 }),
    h('button', { type: 'submit' }, 'Send task'),
    outcome,
  );
  const field = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
  const send = async (): Promise<void> => {
    let payload: unknown;
    try {
      payload = field('payload').trim() === '' ? {} : JSON.parse(field('payload'));
    } catch {
      replace(outcome, message('The payload is not valid JSON.'));
      return;
    }
    const button = form.querySelector('button') as HTMLButtonElement;
    button.disabled = true;
    try {
      const created = await api<{ id: string }>('/tasks', {
        method: 'POST',
        body: {
          device_id: deviceId,
          method_code: field('method_code').trim(),
          payload,
          ttl: Number(field('ttl')),
        },
      });
      following = created.id;
      // Read once after subscribing: a task that finished before this line is seen here, a later
      // finish arrives as its task.finished event.
      draw(await api<Task>(`/tasks/${created.id}`));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401))
        replace(outcome, message((error as Error).message));
    } finally {
      button.disabled = false;
    }
  };
  return form;
}
