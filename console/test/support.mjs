// What the browser tests share: the settings ConsoleBrowserIT passes, a headless chromium driven
// by playwright-core, sign-in, the API through the edge (for fixtures), and real devices.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

/** A setting of the run; these tests run only through system-tests' ConsoleBrowserIT. */
export function setting(name) {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the browser tests through system-tests' ConsoleBrowserIT`,
    );
  return value;
}

export const CONSOLE_URL = setting('CONSOLE_URL');
export const EDGE_URL = new URL('/', CONSOLE_URL).toString().replace(/\/$/, '');
export const CLIENT_ID = setting('CONSOLE_CLIENT_ID');
export const CLIENT_SECRET = setting('CONSOLE_CLIENT_SECRET');
const LOG_DIR = setting('CONSOLE_LOG_DIR');
mkdirSync(LOG_DIR, { recursive: true });

export const LAPTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** A short unique suffix for the ids one test makes. */
export const unique = () => randomUUID().slice(0, 8);

/** Launches the browser once per test file; `t.after` closes it. */
export async function launch() {
  return chromium.launch({
    executablePath: setting('CONSOLE_CHROMIUM'),
    headless: true,
    // Root in a CI container has no user namespace for chromium's sandbox.
    args: ['--no-sandbox'],
  });
}

/**
 * A fresh page (its own context: no shared memory, storage or cookies) that records every console
 * error and uncaught exception in `errors`.
 */
export async function open(browser, viewport = LAPTOP) {
  // The edge's certificate is the test's own self-signed one; TLS is not what these tests check.
  const context = await browser.newContext({ viewport, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors = [];
  // Chromium aborts its requests when the host's interfaces change (containers starting on a
  // shared machine) and logs that itself; the console retries, and it is not the console's error.
  const hostNetwork = (m) => m.text().includes('net::ERR_NETWORK_CHANGED');
  page.on(
    'console',
    (m) => m.type() === 'error' && !hostNetwork(m) && errors.push(`console: ${m.text()}`),
  );
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.setDefaultTimeout(30_000);
  await page.goto(CONSOLE_URL);
  return { page, errors, close: () => context.close() };
}

/** Fills the sign-in form and submits it; does not wait for the outcome. */
export async function submitSignIn(page, secret = CLIENT_SECRET, id = CLIENT_ID) {
  await page.fill('#client-id', id);
  await page.fill('#client-secret', secret);
  await page.click('form.sign-in button[type=submit]');
}

/** Signs in and waits until the devices page shows with the event stream live. */
export async function signIn(page) {
  await submitSignIn(page);
  await page.waitForSelector('#header:not([hidden])');
  await page.waitForSelector('#stream[data-state=live]');
}

/** Goes to `hash` (e.g. `#/tasks`) and waits for the page's heading. */
export async function go(page, hash, heading) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Saves a screenshot for docs/console.md when the run asks for them. */
export async function screenshot(page, name) {
  const dir = process.env.CONSOLE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Sets a marker in the page's window: still there later means the page was never reloaded. */
export async function markWindow(page) {
  await page.evaluate(() => (window.__consoleTestMarker = 'not reloaded'));
}
export async function windowMarker(page) {
  return page.evaluate(() => window.__consoleTestMarker ?? null);
}

// --- the API through the edge, for the fixtures a test needs ------------------------------------

let token = null;
let tokenUntil = 0;

async function bearer() {
  if (!token || Date.now() > tokenUntil) {
    const response = await fetch(`${EDGE_URL}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }),
    });
    if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`);
    const answer = await response.json();
    token = answer.access_token;
    tokenUntil = Date.now() + (answer.expires_in * 1000) / 2;
  }
  return `Bearer ${token}`;
}

/** Calls the API; returns {status, body}. */
export async function api(method, path, body) {
  const response = await fetch(`${EDGE_URL}/api/v1${path}`, {
    method,
    headers: {
      Authorization: await bearer(),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Calls the API and fails unless it answers `expected`. */
export async function expectApi(expected, method, path, body) {
  const answer = await api(method, path, body);
  if (answer.status !== expected) {
    throw new Error(
      `${method} ${path}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body;
}

export async function register(id, tags = {}) {
  return expectApi(201, 'POST', '/devices', { id, display_name: 'console test', tags });
}

/** Retries `check` (which throws until it holds) until it passes or `ms` run out. */
export async function eventually(check, ms = 60_000, every = 500) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(every);
    }
  }
}

export async function awaitOnline(id) {
  await eventually(async () => {
    const device = await expectApi(200, 'GET', `/devices/${id}`);
    if (!device.online) throw new Error(`${id} is not online`);
  }, 90_000);
}

// --- real devices: the device agent's CLI and the swarm's, as processes ---------------------------

const children = new Set();

function run(name, command) {
  const log = createWriteStream(join(LOG_DIR, `${name}.log`));
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** The Java device agent (demo handlers: sum, fail, echo, sleep, progress) as device `id`. */
export function startAgent(id) {
  return run(`agent-${id}`, [...JSON.parse(setting('CONSOLE_AGENT_COMMAND')), '--device-id', id]);
}

/** `count` simulated devices `prefix-0` .. in one JVM (the swarm's CLI). */
export function startSwarm(prefix, count, ...options) {
  return run(`swarm-${prefix}`, [
    ...JSON.parse(setting('CONSOLE_SWARM_COMMAND')),
    '--prefix',
    prefix,
    '--devices',
    String(count),
    ...options,
  ]);
}

/** Stops every device this file started. */
export async function stopDevices() {
  const exits = [...children].map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  );
  await Promise.race([Promise.all(exits), sleep(15_000)]);
  for (const child of children) child.kill('SIGKILL');
}
