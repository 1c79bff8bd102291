// A tiny element builder: the console's whole "framework" (docs/console.md says why).

export type Child = Node | string | number | null | undefined | false | Child[];
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/** An element with attributes (on* become listeners; true is an empty attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/** A time as UTC "YYYY-MM-DD HH:MM:SS", or a dash. */
export function time(value: string | null | undefined): string {
  if (!value) return '–';
  return value.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC');
}

/** JSON as indented text for a <pre>. */
export function json(value: unknown): string {
  return value === null || value === undefined ? '–' : JSON.stringify(value, null, 2);
}

/** A table in a horizontally scrolling box (narrow screens), with a caption for screen readers. */
export function table(caption: string, headers: string[], rows: Node[]): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((text) => h('th', { scope: 'col' }, text)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** A message box: role=alert for errors, role=status otherwise. */
export function message(text: string, kind: 'error' | 'info' = 'error'): HTMLElement {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Calls `fn` at most once per `ms`, after the last call (coalesces bursts of events). */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
