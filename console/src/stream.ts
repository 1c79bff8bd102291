// The tenant's event stream (docs/events.md), read with fetch() because EventSource cannot send
// the Authorization header. One stream per session; pages subscribe to it.

import { authorization, expired } from './api.js';

/** One event as the stream carries it. */
export interface StreamEvent {
  id: string;
  type: string;
  timestamp: string;
  // The event's document; its shape depends on the type (docs/events.md).
  data: any;
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

type Handler = (event: StreamEvent) => void;

const handlers = new Set<Handler>();
const stateListeners = new Set<(state: StreamState) => void>();
let controller: AbortController | null = null;
let lastId: string | null = null;

/** Calls `handler` with every event; a synthetic `resync` after a reconnect that may have missed some. */
export function subscribe(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

export function onStreamState(listener: (state: StreamState) => void): void {
  stateListeners.add(listener);
}

function setState(state: StreamState): void {
  for (const listener of stateListeners) listener(state);
}

export function startStream(): void {
  stopStream();
  lastId = null;
  controller = new AbortController();
  void run(controller.signal);
}

export function stopStream(): void {
  controller?.abort();
  controller = null;
  setState('closed');
}

async function run(signal: AbortSignal): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    setState(first ? 'connecting' : 'reconnecting');
    try {
      const query = lastId ? `?cursor=${encodeURIComponent(lastId)}` : '';
      const response = await fetch(`/api/v1/events${query}`, {
        headers: { Authorization: authorization(), Accept: 'text/event-stream' },
        credentials: 'omit',
        cache: 'no-store',
        signal,
      });
      if (response.status === 401) {
        expired();
        return;
      }
      if (response.ok && response.body) {
        setState('live');
        // Resumed with a cursor, nothing was missed; without one, pages reload what they show.
        if (!first && !lastId) dispatch({ id: '', type: 'resync', timestamp: '', data: null });
        first = false;
        await read(response.body, signal);
      }
    } catch {
      // A dropped connection or an aborted one: the loop decides.
    }
    if (signal.aborted) return;
    first = false;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      parse(block);
    }
  }
}

function parse(block: string): void {
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') lastId = value;
  }
  if (data.length === 0) return;
  try {
    dispatch(JSON.parse(data.join('\n')) as StreamEvent);
  } catch {
    // Not JSON: not an event of this API.
  }
}

function dispatch(event: StreamEvent): void {
  for (const handler of handlers) {
    try {
      handler(event);
    } catch {
      // One page's handler must not stop the others.
    }
  }
}
