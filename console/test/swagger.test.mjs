// Swagger UI through the edge, as a newcomer explores the API: the document names the edge as its
// server, Authorize gets a token with the client's id and secret (OAuth2 client credentials), and
// "Try it out" creates a task and reads it back, every request going to the edge.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  EDGE_URL,
  LAPTOP,
  expectApi,
  launch,
  unique,
} from './support.mjs';

describe('Swagger UI through the edge', () => {
  let browser;
  before(async () => (browser = await launch()));
  after(() => browser?.close());

  it('authorizes with client credentials, creates a task and reads it back', async () => {
    const device = `swagger-${unique()}`;
    await expectApi(201, 'POST', '/devices', { id: device, display_name: 'swagger' });

    // The edge's certificate is the test's own self-signed one; TLS is not what this checks.
    const context = await browser.newContext({ viewport: LAPTOP, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const errors = [];
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${EDGE_URL}/swagger-ui.html`);
    const servers = page.locator('#servers');
    await servers.waitFor();
    assert.equal(await servers.inputValue(), EDGE_URL, 'the server Try it out calls');

    // Authorize: the client-credentials scheme exchanges the id and secret at /oauth/token.
    await page.click('.auth-wrapper button.authorize');
    const form = page.locator('.auth-container', {
      has: page.locator('input[data-name=clientId]'),
    });
    await form.locator('input[data-name=clientId]').fill(CLIENT_ID);
    await form.locator('input[data-name=clientSecret]').fill(CLIENT_SECRET);
    const token = page.waitForResponse((r) => r.url() === `${EDGE_URL}/oauth/token`);
    await form.locator('button.authorize').click();
    assert.equal((await token).status(), 200, 'the token request through the edge');
    // Authorized, the form shows the credentials masked and a Logout ("Remove authorization").
    await page.locator('button[aria-label="Remove authorization"]').first().waitFor();
    await page.locator('.auth-btn-wrapper button.btn-done').first().click();

    // POST /api/v1/tasks with Try it out.
    const create = operation(page, 'post', '/api/v1/tasks');
    await create.locator('.opblock-summary-control').click();
    await create.locator('.try-out__btn').click();
    await create
      .locator('.body-param__text')
      .fill(
        JSON.stringify({ device_id: device, method_code: 'echo', payload: { from: 'swagger' } }),
      );
    const created = page.waitForResponse(
      (r) => r.url() === `${EDGE_URL}/api/v1/tasks` && r.request().method() === 'POST',
    );
    await create.locator('.btn.execute').click();
    const createdAnswer = await created;
    assert.equal(createdAnswer.status(), 202, await createdAnswer.text());
    const task = await createdAnswer.json();
    assert.equal(task.device_id, device);
    await create
      .locator('.live-responses-table .response-col_status', { hasText: '202' })
      .waitFor();

    // GET /api/v1/tasks/{id} with the id just made.
    const read = operation(page, 'get', '/api/v1/tasks/{id}');
    await read.locator('.opblock-summary-control').click();
    await read.locator('.try-out__btn').click();
    await read.locator('tr[data-param-name=id] input').fill(task.id);
    const fetched = page.waitForResponse((r) => r.url() === `${EDGE_URL}/api/v1/tasks/${task.id}`);
    await read.locator('.btn.execute').click();
    const fetchedAnswer = await fetched;
    assert.equal(fetchedAnswer.status(), 200, await fetchedAnswer.text());
    const readBack = await fetchedAnswer.json();
    assert.equal(readBack.id, task.id);
    assert.deepEqual(readBack.payload, { from: 'swagger' });
    await read.locator('.live-responses-table .response-col_status', { hasText: '200' }).waitFor();

    const elsewhere = requests.filter((url) => !url.startsWith(`${EDGE_URL}/`));
    assert.deepEqual(elsewhere, [], 'requests that did not go to the edge');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/** The operation block of `method path` in Swagger UI. */
function operation(page, method, path) {
  return page.locator(`.opblock-${method}`, {
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
}
