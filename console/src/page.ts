// What every page gets from the router, and what several pages share.

import { h } from './dom.js';
import { subscribe, type StreamEvent } from './stream.js';

/** A page's view of the router: where to draw, its path parameters, and its stream subscriptions. */
export class PageContext {
  private readonly subscriptions: (() => void)[] = [];
  private closed = false;

  constructor(
    readonly root: HTMLElement,
    readonly params: string[],
    readonly query: URLSearchParams,
  ) {}

  /** Subscribes to the stream until the page is left. */
  on(handler: (event: StreamEvent) => void): void {
    this.subscriptions.push(subscribe((event) => this.closed || handler(event)));
  }

  get alive(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
    this.subscriptions.forEach((unsubscribe) => unsubscribe());
  }
}

export type Page = (context: PageContext) => Promise<void>;

export interface Task {
  id: string;
  device_id: string;
  method_code: string;
  priority: number;
  status: string;
  attempts: number;
  payload: unknown;
  external_id: string | null;
  created_at: string;
  deadline_at: string;
  updated_at: string;
  locked_at: string | null;
  finished_at: string | null;
  progress: { percent: number | null; message: string | null; at: string } | null;
  status_code: number | null;
  result: unknown;
}

export const TASK_STATUSES = [
  'QUEUED',
  'PENDING',
  'LOCKED',
  'DONE',
  'FAILED',
  'EXPIRED',
  'TIMED_OUT',
  'CANCELLED',
  'UNREACHABLE',
];
export const FINAL_STATUSES = new Set(TASK_STATUSES.slice(3));

/** A task status as a badge; the status text itself is what tests and screen readers read. */
export function statusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: `status status-${status.toLowerCase()}`, 'data-status': status },
    status,
  );
}

export function taskLink(id: string): HTMLElement {
  return h('a', { href: `#/tasks/${id}`, class: 'mono', title: id }, id.slice(0, 8));
}

export function deviceLink(id: string): HTMLElement {
  return h('a', { href: `#/devices/${encodeURIComponent(id)}` }, id);
}
