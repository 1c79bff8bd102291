// Fleet jobs (bars that move, counts, cancel, executions) and webhooks (deliveries, retry).

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
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
  startSwarm,
  stopDevices,
  unique,
  windowMarker,
} from './support.mjs';

describe('jobs', () => {
  let browser;
  const prefix = `con-job-${unique()}`;
  const devices = [0, 1, 2].map((i) => `${prefix}-${i}`);
  before(async () => {
    browser = await launch();
    for (const id of devices) await register(id, { fleet: prefix });
    startSwarm(prefix, devices.length, '--work-ms', '500', '--poll-interval-s', '5');
    for (const id of devices) await awaitOnline(id);
  });
  after(async () => {
    await stopDevices();
    await browser?.close();
  });
  /** A job over the swarm's devices (a body as POST /api/v1/jobs requires it), at `perMinute`. */
  const postJob = (perMinute) =>
    expectApi(202, 'POST', '/jobs', {
      targets: { device_ids: devices },
      method_code: 'fw.check',
      payload: { device: '{{device.id}}' },
      ttl: 120,
      rollout: { max_per_minute: perMinute },
    });

  it("a job's bar moves as its executions finish, live", async () => {
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, '#/jobs', 'Jobs');
    await markWindow(page);

    // One execution at once, then one every 3 s: the bar has to move step by step.
    const job = await postJob(20);
    const bar = page.locator(`progress[data-job-progress="${job.id}"]`);
    await bar.waitFor();
    const first = Number(await bar.getAttribute('value'));
    assert.equal(await bar.getAttribute('max'), String(devices.length));
    assert.ok(first < devices.length, `the bar starts short of the end (${first})`);

    await page
      .locator(`article[data-job="${job.id}"] [data-job-status=COMPLETED]`)
      .waitFor({ timeout: 60_000 });
    assert.equal(Number(await bar.getAttribute('value')), devices.length);
    assert.match(
      await page.locator(`article[data-job="${job.id}"] [data-count=DONE]`).innerText(),
      /DONE 3/,
    );
    assert.equal(await windowMarker(page), 'not reloaded');
    await screenshot(page, 'jobs');

    await page.locator(`article[data-job="${job.id}"] h2 a`).click();
    await page.locator('[data-job-status=COMPLETED]').first().waitFor();
    const executions = page.locator('table tbody tr');
    await eventually(async () => assert.equal(await executions.count(), devices.length));
    assert.match(await page.locator('table').innerText(), new RegExp(devices[2]));
    assert.equal(
      await page.getByRole('button', { name: 'Cancel job' }).count(),
      0,
      'a finished job has no cancel',
    );
    await screenshot(page, 'job');
    assert.deepEqual(errors, []);
    await close();
  });

  it('the cancel button cancels a running job', async () => {
    const { page, errors, close } = await open(browser);
    await signIn(page);
    // One execution a minute: the job is still running when the button is pressed.
    const job = await postJob(1);
    await go(page, `#/jobs/${job.id}`, `Job ${job.id}`);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.locator('[data-job-status=CANCELLED]').first().waitFor();
    assert.equal((await expectApi(200, 'GET', `/jobs/${job.id}`)).status, 'CANCELLED');
    assert.equal(await page.getByRole('button', { name: 'Cancel job' }).count(), 0);
    assert.deepEqual(errors, []);
    await close();
  });
});

describe('webhooks', () => {
  let browser;
  let receiver;
  const received = [];
  before(async () => {
    browser = await launch();
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push({ path: request.url, id: request.headers['webhook-id'] });
        response.writeHead(204).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await browser?.close();
    receiver?.close();
  });

  it('lists a delivery with its attempts, and the retry button sends it again', async () => {
    const url = `http://127.0.0.1:${receiver.address().port}/hooks/${unique()}`;
    const endpoint = await expectApi(201, 'POST', '/webhooks', {
      url,
      event_types: ['task.finished'],
      description: 'console test',
    });
    // A task for an offline device that may only run online finishes at once (UNREACHABLE).
    const device = `con-wh-${unique()}`;
    await register(device);
    const task = await expectApi(200, 'POST', '/tasks', {
      device_id: device,
      method_code: 'echo',
      online_only: true,
    });
    assert.equal(task.status, 'UNREACHABLE');

    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, '#/webhooks', 'Webhooks');
    await page.getByRole('link', { name: url }).click();
    await page.getByRole('heading', { level: 1, name: url }).waitFor();
    const delivery = page.locator('tr[data-delivery]').first();
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await delivery.locator('[data-delivery-status=succeeded]').waitFor({ timeout: 2_000 });
    });
    const id = await delivery.getAttribute('data-delivery');
    assert.equal(await delivery.locator('[data-attempt]').count(), 1);
    assert.match(await delivery.innerText(), /task\.finished/);
    assert.ok(
      received.some((r) => r.id === id),
      'the receiver got the listed delivery',
    );

    await delivery.getByRole('button', { name: 'Retry' }).click();
    await page.getByText(`Delivery ${id.slice(0, 8)} is due again now.`).waitFor();
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      assert.equal(await page.locator(`tr[data-delivery="${id}"] [data-attempt]`).count(), 2);
    });
    assert.equal(received.filter((r) => r.id === id).length, 2, 'the retry reached the receiver');
    await screenshot(page, 'webhook');
    assert.deepEqual(errors, []);
    await close();
    assert.ok(endpoint.secret.startsWith('whsec_'));
  });

  it('creates an endpoint from the form and shows its secret once', async () => {
    const url = `http://127.0.0.1:${receiver.address().port}/form/${unique()}`;
    const { page, errors, close } = await open(browser);
    await signIn(page);
    await go(page, '#/webhooks', 'Webhooks');
    await page.getByText('New endpoint').click();
    await page.getByLabel('URL').fill(url);
    await page.getByLabel('device.presence').check();
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByText(/Its secret, shown only now: whsec_/).waitFor();
    await page.getByRole('link', { name: url }).waitFor();
    const listed = (await expectApi(200, 'GET', '/webhooks?limit=200')).items.find(
      (e) => e.url === url,
    );
    assert.deepEqual(listed.event_types.sort(), ['device.presence', 'task.finished']);
    await screenshot(page, 'webhooks');
    assert.deepEqual(errors, []);
    await close();
  });
});
