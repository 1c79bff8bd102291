// The console's shell: sign-in, the header, and the hash router (#/devices, #/tasks/ID, ...).

import { ApiError, currentSession, onSessionChange, signIn, signOut } from './api.js';
import { devicePage, devicesPage } from './devices.js';
import { h, message, replace } from './dom.js';
import { jobPage, jobsPage } from './jobs.js';
import { PageContext, type Page } from './page.js';
import { onStreamState, startStream, stopStream } from './stream.js';
import { taskPage, tasksPage } from './tasks.js';
import { webhookPage, webhooksPage } from './webhooks.js';

const routes: [RegExp, Page, string][] = [
  [/^devices$/, devicesPage, 'devices'],
  [/^devices\/([^/]+)$/, devicePage, 'devices'],
  [/^tasks$/, tasksPage, 'tasks'],
  [/^tasks\/([0-9a-f-]{36})$/, taskPage, 'tasks'],
  [/^jobs$/, jobsPage, 'jobs'],
  [/^jobs\/([0-9a-f-]{36})$/, jobPage, 'jobs'],
  [/^webhooks$/, webhooksPage, 'webhooks'],
  [/^webhooks\/([0-9a-f-]{36})$/, webhookPage, 'webhooks'],
];

const main = document.getElementById('main') as HTMLElement;
const header = document.getElementById('header') as HTMLElement;
let page: PageContext | null = null;

function route(): void {
  page?.close();
  page = null;
  const session = currentSession();
  if (!session) return;
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const match = routes
    .map(([pattern, render, section]) => ({ found: pattern.exec(path), render, section }))
    .find((r) => r.found);
  if (!match?.found) {
    location.replace('#/devices');
    return;
  }
  document.querySelectorAll('nav a').forEach((link) => {
    if (link.getAttribute('data-section') === match.section)
      link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  // The page draws into a detached element, shown once its data is read: no half-drawn page,
  // and its heading appearing means it is ready.
  const root = h('div');
  const context = new PageContext(root, match.found.slice(1), new URLSearchParams(query));
  page = context;
  replace(main, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  match
    .render(context)
    .then(() => {
      if (!context.alive) return;
      replace(main, root);
      (main.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: true });
    })
    .catch((error: unknown) => {
      if (!context.alive || (error instanceof ApiError && error.status === 401)) return;
      replace(
        main,
        h('h1', { tabindex: '-1' }, 'Not available'),
        message((error as Error).message),
      );
    });
}

function drawHeader(): void {
  const session = currentSession();
  header.hidden = !session;
  if (!session) return;
  const expires = new Date(session.expiresAt).toISOString();
  replace(
    document.getElementById('who') as HTMLElement,
    h(
      'span',
      {
        id: 'client',
        'data-expires-at': expires,
        title: `token valid until ${expires.replace('T', ' ').slice(0, 19)} UTC`,
      },
      `${session.clientId} @ ${session.tenant}`,
    ),
  );
}

function showSignIn(reason: string | null): void {
  page?.close();
  page = null;
  const error = h('div', { id: 'sign-in-error' });
  const form: HTMLFormElement = h(
    'form',
    { class: 'stack sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h1', { id: 'sign-in-heading', tabindex: '-1' }, 'Sign in'),
    h(
      'p',
      { class: 'muted' },
      'With the client credentials of the token service (docs/identity.md). The token is kept in this tab’s memory only.',
    ),
    reason ? message(reason, 'info') : null,
    h('label', { for: 'client-id' }, 'Client id'),
    h('input', {
      id: 'client-id',
      name: 'client_id',
      required: true,
      autocomplete: 'username',
      autocapitalize: 'none',
      spellcheck: 'false',
    }),
    h('label', { for: 'client-secret' }, 'Client secret'),
    h('input', {
      id: 'client-secret',
      name: 'client_secret',
      type: 'password',
      required: true,
      autocomplete: 'current-password',
    }),
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button') as HTMLButtonElement;
    const id = (form.elements.namedItem('client_id') as HTMLInputElement).value.trim();
    const secret = (form.elements.namedItem('client_secret') as HTMLInputElement).value;
    button.disabled = true;
    replace(error);
    signIn(id, secret)
      .catch((failure: Error) => {
        replace(error, message(failure.message));
        (form.elements.namedItem('client_secret') as HTMLInputElement).select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  replace(main, form);
  (form.elements.namedItem('client_id') as HTMLInputElement).focus();
}

onSessionChange((session, reason) => {
  drawHeader();
  if (session) {
    startStream();
    route();
  } else {
    stopStream();
    showSignIn(reason);
  }
});
onStreamState((state) => {
  const indicator = document.getElementById('stream') as HTMLElement;
  indicator.textContent = state === 'live' ? 'live' : state;
  indicator.setAttribute('data-state', state);
});
window.addEventListener('hashchange', route);
(document.getElementById('sign-out') as HTMLButtonElement).addEventListener('click', () =>
  signOut('Signed out.'),
);
(document.getElementById('skip') as HTMLAnchorElement).addEventListener('click', (event) => {
  event.preventDefault();
  (main.querySelector('h1') as HTMLElement | null)?.focus();
});
drawHeader();
showSignIn(null);
