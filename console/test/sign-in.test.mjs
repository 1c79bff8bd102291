// Sign-in with the token service, the token in memory only, sign-out, expiry, the keyboard.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLIENT_ID,
  go,
  launch,
  open,
  screenshot,
  setting,
  signIn,
  submitSignIn,
} from './support.mjs';

// The only console error a refused token may cause: Chrome logs the 401 answer itself.
const refused401 = (errors) =>
  errors.filter(
    (e) => !/Failed to load resource: the server responded with a status of 401/.test(e),
  );

describe('sign-in', () => {
  let browser;
  before(async () => (browser = await launch()));
  after(() => browser?.close());

  it('a wrong secret shows an error, then the right secret signs in', async () => {
    const { page, errors, close } = await open(browser);
    const answers = [];
    page.on('response', (r) => r.url().endsWith('/oauth/token') && answers.push(r.status()));
    await screenshot(page, 'sign-in');

    await submitSignIn(page, 'not-the-secret');
    const alert = page.locator('#sign-in-error [role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Sign-in refused: unknown client or wrong secret/);
    assert.equal(await page.locator('#header').isHidden(), true);

    await submitSignIn(page);
    await page.waitForSelector('#header:not([hidden])');
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
    assert.deepEqual(answers, [401, 200], 'both sign-ins reached the token service');
    assert.match(await page.locator('#client').innerText(), new RegExp(`^${CLIENT_ID} @ `));
    assert.deepEqual(refused401(errors), []);
    await close();
  });

  it('keeps the token in memory only, and signing out clears it', async () => {
    const { page, errors, close } = await open(browser);
    await signIn(page);
    const storage = () =>
      page.evaluate(() => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookies: document.cookie,
      }));
    assert.deepEqual(await storage(), { local: 0, session: 0, cookies: '' });

    const afterSignOut = [];
    await page.getByRole('button', { name: 'Sign out' }).click();
    page.on('request', (r) => r.url().includes('/api/v1/') && afterSignOut.push(r.url()));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Signed out/);
    assert.equal(await page.locator('#stream').getAttribute('data-state'), 'closed');

    // Every page now asks for sign-in; nothing reaches the API, with or without a token.
    await page.evaluate(() => (location.hash = '#/tasks'));
    await page.evaluate(() => (location.hash = '#/jobs'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.deepEqual(afterSignOut, []);
    assert.deepEqual(await storage(), { local: 0, session: 0, cookies: '' });
    assert.deepEqual(errors, []);
    await close();
  });

  it('works with the keyboard alone', async () => {
    const { page, errors, close } = await open(browser);
    // The client id field has the focus when the page opens.
    await page.keyboard.type(CLIENT_ID);
    await page.keyboard.press('Tab');
    await page.keyboard.type(setting('CONSOLE_CLIENT_SECRET'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();

    // Tab from the top of the page reaches "Tasks" in the navigation; Enter opens it.
    await page.locator('#skip').focus();
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Tasks') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/tasks');
    assert.deepEqual(errors, []);
    await close();
  });

  it('an expired token leads back to sign-in', async () => {
    const { page, errors, close } = await open(browser);
    await signIn(page);
    const statuses = [];
    page.on('response', (r) => r.url().includes('/api/v1/') && statuses.push(r.status()));
    const expiresAt = Date.parse(await page.locator('#client').getAttribute('data-expires-at'));
    // Past the token's exp and the edge's leeway: the edge must refuse it now.
    const grace = Number(setting('CONSOLE_EXPIRY_GRACE_S')) * 1000;
    await sleep(Math.max(0, expiresAt + grace - Date.now()));

    await go(page, '#/jobs', 'Sign in');
    assert.match(await page.locator('main').innerText(), /Your session expired; sign in again/);
    assert.ok(statuses.includes(401), `the edge answered 401 (saw ${statuses})`);
    assert.equal(await page.locator('#header').isHidden(), true);
    assert.deepEqual(refused401(errors), []);
    await close();
  });
});
