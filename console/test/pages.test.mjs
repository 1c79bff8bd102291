// Every page of the console, at a laptop's and a phone's width, without one console error.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LAPTOP,
  PHONE,
  expectApi,
  go,
  launch,
  open,
  register,
  signIn,
  unique,
} from './support.mjs';

describe('every page', () => {
  let browser;
  const pages = [];
  before(async () => {
    browser = await launch();
    const device = `con-pages-${unique()}`;
    await register(device, { purpose: 'pages' });
    const task = await expectApi(200, 'POST', '/tasks', {
      device_id: device,
      method_code: 'echo',
      online_only: true,
    });
    const job = await expectApi(202, 'POST', '/jobs', {
      targets: { device_ids: [device] },
      method_code: 'echo',
      payload: {},
      ttl: 60,
    });
    const hook = await expectApi(201, 'POST', '/webhooks', {
      url: 'http://127.0.0.1:9/pages',
      event_types: ['device.event'],
    });
    pages.push(
      ['#/devices', 'Devices'],
      [`#/devices/${device}`, device],
      ['#/tasks', 'Tasks'],
      [`#/tasks/${task.id}`, `Task ${task.id}`],
      ['#/jobs', 'Jobs'],
      [`#/jobs/${job.id}`, `Job ${job.id}`],
      ['#/webhooks', 'Webhooks'],
      [`#/webhooks/${hook.id}`, hook.url],
    );
  });
  after(() => browser?.close());

  for (const [name, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ]) {
    it(`shows every page at a ${name}'s width without a console error`, async () => {
      const { page, errors, close } = await open(browser, viewport);
      await signIn(page);
      for (const [hash, heading] of pages) {
        await go(page, hash, heading);
        await page.waitForFunction(
          () => !document.querySelector('main')?.textContent?.includes('Loading…'),
        );
        assert.equal(
          await page.locator('main .message.error').count(),
          0,
          `${hash} shows no error`,
        );
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.equal(overflow, 0, `${hash} fits the ${name}'s width`);
      }
      assert.deepEqual(errors, []);
      await close();
    });
  }
});
