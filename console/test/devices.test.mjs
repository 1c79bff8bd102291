// The devices table live from the event stream, a device's page, and tasks sent from its form.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  PHONE,
  api,
  awaitOnline,
  eventually,
  expectApi,
  go,
  launch,
  markWindow,
  open,
  register,
  screenshot,
  signIn,
  startAgent,
  startSwarm,
  stopDevices,
  unique,
  windowMarker,
} from './support.mjs';

describe('devices', () => {
  let browser;
  const agent = `con-agent-${unique()}`;
  let swarmDevice = null;
  before(async () => {
    browser = await launch();
    await register(agent, { site: 'lab', kind: 'agent' });
    startAgent(agent);
  });
  after(async () => {
    await stopDevices();
    await browser?.close();
  });

  it('a swarm device comes online and the table shows it without a reload', async () => {
    const prefix = `con-swarm-${unique()}`;
    const ids = [`${prefix}-0`, `${prefix}-1`];
    for (const id of ids) await register(id, { fleet: prefix, ring: 'canary' });
    const { page, errors, close } = await open(browser);
    await signIn(page);
    const rows = ids.map((id) => page.locator(`#devices tr[data-device="${id}"]`));
    for (const row of rows) {
      assert.equal(await row.locator('[data-presence]').getAttribute('data-presence'), 'offline');
      assert.match(await row.innerText(), new RegExp(`fleet:${prefix}`));
    }
    await markWindow(page);

    startSwarm(prefix, ids.length, '--poll-interval-s', '5', '--event-rate', '0.5');
    swarmDevice = ids[0];

    for (const row of rows) {
      await row.locator('[data-presence=online]').waitFor({ timeout: 90_000 });
      assert.notEqual((await row.locator('[data-last-seen]').innerText()).trim(), '–');
    }
    assert.equal(await windowMarker(page), 'not reloaded');
    await screenshot(page, 'devices');
    assert.deepEqual(errors, []);
    await close();
  });

  it("a device's page shows its events and latest state as the device publishes them", async () => {
    assert.ok(swarmDevice, 'the swarm of the test before runs');
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, `#/devices/${swarmDevice}`, swarmDevice);
    await markWindow(page);
    const events = page.locator('#device-events tbody tr');
    await events.first().waitFor({ timeout: 60_000 });
    const newest = await events.first().innerText();
    await eventually(
      async () =>
        assert.notEqual(await events.first().innerText(), newest, 'a newer event arrives live'),
      60_000,
    );
    await page.locator('#device-state tbody tr').first().waitFor();
    assert.equal(await windowMarker(page), 'not reloaded');
    assert.deepEqual(errors, []);
    await close();
  });

  it('sends a task from the device page and follows it to DONE live', async () => {
    await awaitOnline(agent);
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, `#/devices/${agent}`, agent);
    assert.equal(await page.locator('[data-protocol]').innerText(), 'v1');
    assert.equal(
      await page.locator('.facts [data-presence]').getAttribute('data-presence'),
      'online',
    );
    assert.match(await page.locator('.facts').innerText(), /site:lab/);
    assert.match(
      await page.getByRole('heading', { name: 'Certificates' }).locator('xpath=..').innerText(),
      /No certificate issued/,
    );
    await markWindow(page);

    await page.getByLabel('Method code').fill('sum');
    await page.getByLabel('Payload (JSON)').fill('{"values": [1, 2, 3, 4]}');
    await page.getByRole('button', { name: 'Send task' }).click();

    const outcome = page.locator('.outcome');
    await outcome.locator('[data-status=DONE]').waitFor({ timeout: 60_000 });
    assert.match(await outcome.locator('pre').innerText(), /"sum": 10/);
    const id = (await outcome.locator('a').getAttribute('href')).replace('#/tasks/', '');
    assert.equal((await expectApi(200, 'GET', `/tasks/${id}`)).status, 'DONE');
    // The device's task list follows too.
    await page.locator(`#device-tasks a[href="#/tasks/${id}"]`).waitFor();
    assert.equal(await windowMarker(page), 'not reloaded');
    await screenshot(page, 'device');
    assert.deepEqual(errors, []);
    await close();
  });

  it('a failed task shows its error, on the form and on the task page with its timeline', async () => {
    await awaitOnline(agent);
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, `#/devices/${agent}`, agent);
    await page.getByLabel('Method code').fill('fail');
    await page.getByLabel('Payload (JSON)').fill('{"reason": "disk full"}');
    await page.getByRole('button', { name: 'Send task' }).click();

    const outcome = page.locator('.outcome');
    await outcome.locator('[data-status=FAILED]').waitFor({ timeout: 60_000 });
    assert.match(await outcome.innerText(), /status code 500/);
    assert.match(await outcome.locator('pre.error').innerText(), /disk full/);

    await outcome.locator('a').click();
    await page.locator('#task-status-value [data-status=FAILED]').waitFor();
    const error = await page.locator('#task-error').innerText();
    assert.match(error, /status code 500/);
    assert.match(error, /"reason": "disk full"/);
    const timeline = await page.locator('ol.timeline').innerText();
    assert.match(timeline, /new → QUEUED created by api/);
    assert.match(timeline, /→ LOCKED/);
    assert.match(timeline, /LOCKED → FAILED/);
    await screenshot(page, 'task-failed');
    assert.deepEqual(errors, []);
    await close();
  });

  it('the tasks list is filtered and shows a task finishing without a reload', async () => {
    await awaitOnline(agent);
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, '#/tasks', 'Tasks');
    await page.getByLabel('Status').selectOption('DONE');
    await page.getByLabel('Device').fill(agent);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(() => location.hash.includes('status=DONE'));
    await page.getByRole('heading', { level: 1, name: 'Tasks' }).waitFor();
    await markWindow(page);

    const created = await expectApi(202, 'POST', '/tasks', {
      device_id: agent,
      method_code: 'sum',
      payload: { values: [20, 22] },
      ttl: 60,
    });
    const failed = await expectApi(202, 'POST', '/tasks', {
      device_id: agent,
      method_code: 'fail',
      payload: {},
      ttl: 60,
    });

    const row = page.locator(`#tasks tr[data-task="${created.id}"]`);
    await row.locator('[data-status=DONE]').waitFor({ timeout: 60_000 });
    await eventually(async () =>
      assert.equal((await api('GET', `/tasks/${failed.id}`)).body.status, 'FAILED'),
    );
    // The failed one does not match the filter, and every row shown is the agent's and DONE.
    assert.equal(await page.locator(`#tasks tr[data-task="${failed.id}"]`).count(), 0);
    const statuses = await page
      .locator('#tasks tbody [data-status]')
      .evaluateAll((cells) => cells.map((c) => c.dataset.status));
    assert.ok(statuses.length >= 1 && statuses.every((s) => s === 'DONE'), `statuses ${statuses}`);
    assert.equal(await windowMarker(page), 'not reloaded');
    await screenshot(page, 'tasks');
    assert.deepEqual(errors, []);
    await close();
  });

  it('fits a phone’s width', async () => {
    const { page, errors, close } = await open(browser, PHONE);
    await signIn(page);
    for (const [hash, heading] of [
      ['#/devices', 'Devices'],
      [`#/devices/${agent}`, agent],
      ['#/tasks', 'Tasks'],
    ]) {
      await go(page, hash, heading);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.equal(overflow, 0, `${hash} is wider than the phone`);
      assert.equal(await page.getByRole('link', { name: 'Webhooks' }).isVisible(), true);
    }
    await go(page, `#/devices/${agent}`, agent);
    await screenshot(page, 'device-phone');
    assert.deepEqual(errors, []);
    await close();
  });
});
