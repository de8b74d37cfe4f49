'use strict';
// The web console in a real browser: Debian's headless Chromium driven by playwright-core (never a browser
// playwright downloads). Run by ConsoleIT against the integration-test Wisp, in a namespace of its own:
//   WISP_URL, WISP_AUTH (uuid:key), WISP_ADMIN_TOKEN, WISP_SCREENSHOTS (a folder), WISP_CHROMIUM (the executable).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.WISP_URL.replace(/\/$/, '');
const AUTH = process.env.WISP_AUTH;
const ADMIN_TOKEN = process.env.WISP_ADMIN_TOKEN;
const SHOTS = process.env.WISP_SCREENSHOTS;
const CHROMIUM = process.env.WISP_CHROMIUM || '/usr/bin/chromium';
const WAIT = { timeout: Number(process.env.WISP_CONSOLE_WAIT_MS || 30_000) };

let context;
let page;
let profile;
const problems = []; // script errors and CSP refusals seen by the page

async function shot(name) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

/** Calls the API directly (set-up only: what the test checks goes through the page). */
async function apiCall(method, entityPath, body) {
  const res = await fetch(`${BASE}/api/v1/namespaces/_/${entityPath}`, {
    method, body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: 'Basic ' + Buffer.from(AUTH).toString('base64') },
  });
  assert.equal(res.status, 200, await res.text());
}

const apiPut = (entityPath, body) => apiCall('PUT', `${entityPath}?overwrite=true`, body);

test.before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wisp-console-chromium-'));
  // a persistent context is how playwright takes a --user-data-dir: a fresh one, removed afterwards
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(WAIT.timeout);
  page.on('pageerror', e => problems.push('script error: ' + e.message));
  page.on('console', m => {
    // a refused sign-in is logged by the browser as a failed load, which is expected; so is a request cut by
    // ERR_NETWORK_CHANGED: Docker adds a network interface to the host for each new container, and Chromium
    // aborts what is in flight when interfaces change (the console retries a GET that fails that way)
    if (m.type() === 'error' && !/status of 401|net::ERR_NETWORK_CHANGED/.test(m.text())) {
      problems.push('console error: ' + m.text());
    }
  });
});

test.after(async () => {
  if (context) {
    await context.close();
  }
  fs.rmSync(profile, { recursive: true, force: true });
});

test('the console is served with a strict content security policy', async () => {
  const res = await page.goto(`${BASE}/console/`);
  assert.equal(res.status(), 200);
  const csp = res.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.equal(res.headers()['cache-control'], 'no-cache');
  assert.match(res.headers()['content-type'], /^text\/html/);
});

test('a wrong key is refused with the API\'s message and its code', async () => {
  await page.fill('#auth', AUTH.split(':')[0] + ':not-the-key');
  await page.click('#sign-in');
  const error = page.locator('#error');
  await error.waitFor({ state: 'visible' });
  const text = await error.innerText();
  assert.match(text, /401/);
  assert.match(text, /code [0-9a-f]{8,}/, text);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wisp.auth')), null);
  await shot('01-bad-key');
});

test('signing in keeps the credentials in session storage, never in the URL', async () => {
  await page.fill('#auth', AUTH);
  await page.click('#sign-in');
  await page.locator('[data-testid=new-action]').waitFor();
  assert.equal(await page.locator('#error').isVisible(), false);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wisp.auth')), AUTH);
  assert.ok(!page.url().includes(AUTH.split(':')[1]), page.url());
  await shot('02-actions-empty');
});

test('creating an action from the editor', async () => {
  await page.click('[data-testid=new-action]');
  await page.fill('#action-name', 'hello');
  const kinds = await page.locator('#action-kind option').allInnerTexts();
  assert.ok(kinds.some(k => k.startsWith('nodejs')), kinds.join());
  assert.ok(kinds.some(k => k.startsWith('python')), kinds.join());
  assert.match(await page.inputValue('#action-code'), /function main/);
  await shot('03-new-action');
  await page.click('#save');
  await page.waitForURL(/#\/actions\/hello$/);
  await page.locator('#invoke').waitFor();
  assert.match(await page.locator('h1').innerText(), /hello/);
});

test('invoking shows the result, the logs and the timing', async () => {
  await page.fill('#invoke-params', '{"name": "Browser"}');
  await page.click('#invoke');
  const result = page.locator('[data-testid=invoke-result]');
  await result.locator('[data-testid=logs]').waitFor();
  const text = await result.innerText();
  assert.match(text, /Hello, Browser!/);
  assert.match(text, /greeting Browser/);
  assert.match(text, /success/);
  for (const part of ['wait', 'init', 'run']) {
    // the first invoke is a cold start, so each of the three is a figure
    assert.match(await result.locator(`[data-timing=${part}]`).innerText(), /^\d+(\.\d)? m?s$/, part);
  }
  for (const name of ['Ada', 'Grace']) {
    await page.fill('#invoke-params', JSON.stringify({ name }));
    await page.click('#invoke');
    await page.locator('[data-testid=invoke-result]', { hasText: `Hello, ${name}!` }).waitFor();
  }
  await page.locator('[data-testid=latency-chart]', { hasText: '3 activations' }).waitFor();
  assert.equal(await page.locator('[data-testid=latency-chart] rect.bar-run').count(), 3);
  await shot('04-invoked');
});

test('a Python action from the same editor', async () => {
  await page.click('#nav a[data-section=actions]');
  await page.click('[data-testid=new-action]');
  await page.fill('#action-name', 'pyhello');
  const python = (await page.locator('#action-kind option').allInnerTexts()).find(k => k.startsWith('python'));
  await page.selectOption('#action-kind', python);
  assert.match(await page.inputValue('#action-code'), /def main\(args\):/, 'the template follows the kind');
  await page.click('#save');
  await page.waitForURL(/#\/actions\/pyhello$/);
  await page.fill('#invoke-params', '{"name": "py"}');
  await page.click('#invoke');
  await page.locator('[data-testid=invoke-result]', { hasText: 'Hello, py!' }).waitFor();
  assert.match(await page.locator('[data-testid=invoke-result] [data-testid=logs]').innerText(), /greeting py/);
  await page.goBack();
  await page.goBack();
  await page.goBack();
  await page.waitForURL(/#\/actions\/hello$/);
  await page.locator('#invoke').waitFor();
});

test('bad parameters are explained before anything is sent', async () => {
  await page.fill('#invoke-params', '{"name": ');
  await page.click('#invoke');
  await page.locator('#error', { hasText: 'not JSON' }).waitFor();
});

test('editing the code makes a new version that runs', async () => {
  const code = await page.inputValue('#action-code');
  await page.fill('#action-code', code.replace('Hello,', 'Hi,'));
  await page.click('#save');
  await page.locator('.saved', { hasText: 'version 0.0.2' }).waitFor();
  await page.fill('#invoke-params', '{"name": "again"}');
  await page.click('#invoke');
  await page.locator('[data-testid=invoke-result]', { hasText: 'Hi, again!' }).waitFor();
});

test('the activation view lists, filters and shows the logs', async () => {
  await page.click('#nav a[data-section=activations]');
  const rows = page.locator('[data-testid=activations] tbody tr');
  await rows.nth(3).waitFor();
  await page.fill('#filter-name', 'hello');
  await page.selectOption('#filter-status', 'success');
  // the list refreshes a moment after typing stops: wait for the filtered one (pyhello's activation gone)
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-testid=activations] tbody tr td:nth-child(2)')];
    return cells.length >= 4 && cells.every(c => c.textContent === 'hello');
  });
  const names = await page.locator('[data-testid=activations] tbody tr td:nth-child(2)').allInnerTexts();
  assert.equal(names.length, 4, names.join());
  // live refresh: an invoke from elsewhere shows up by itself
  await apiCall('POST', 'actions/hello?blocking=true', { name: 'elsewhere' });
  await rows.nth(names.length).waitFor();
  await shot('05-activations');
  await page.selectOption('#filter-status', 'developer error');
  await page.locator('[data-testid=activations]').waitFor({ state: 'detached' });
  await page.locator('text=No activations match.').waitFor();
  await page.selectOption('#filter-status', 'success');
  // the oldest is the first invoke from the page: its name was Browser
  await rows.last().locator('a').click();
  await page.waitForURL(/#\/activations\/[0-9a-f]{32}$/);
  const logs = page.locator('[data-testid=logs]');
  await logs.waitFor();
  assert.match(await logs.innerText(), /stdout: greeting Browser/);
  assert.match(await page.locator('[data-testid=activation]').innerText(), /success/);
  await shot('06-activation');
});

test('triggers, rules and packages are listed and open', async () => {
  await apiPut('triggers/tick', {});
  await apiPut('rules/tick-hello', { trigger: '/_/tick', action: '/_/hello' });
  await apiPut('packages/tools', { parameters: [{ key: 'greeting', value: 'hi' }] });
  await page.click('#nav a[data-section=rules]');
  await page.locator('[data-testid=rules] a', { hasText: 'tick-hello' }).click();
  await page.locator('dl.facts', { hasText: 'tick' }).waitFor();
  await page.click('#nav a[data-section=triggers]');
  await page.locator('[data-testid=triggers] a', { hasText: 'tick' }).waitFor();
  await page.click('#nav a[data-section=packages]');
  await page.locator('[data-testid=packages] a', { hasText: 'tools' }).click();
  await page.locator('dl.facts', { hasText: 'greeting' }).waitFor();
  await page.click('#nav a[data-section=actions]');
  await page.locator('[data-testid=actions]').getByRole('link', { name: 'hello', exact: true }).waitFor();
  await shot('08-actions');
});

test('the fleet page shows invokers and controllers with the admin token', async () => {
  await page.click('#nav a[data-section=fleet]');
  await page.fill('#admin-token', 'not-the-token');
  await page.click('#admin-sign-in');
  await page.locator('#error', { hasText: '401' }).waitFor();
  assert.match(await page.locator('#error').innerText(), /code [0-9a-f]{8,}/);
  await page.fill('#admin-token', ADMIN_TOKEN);
  await page.click('#admin-sign-in');
  const invokers = page.locator('[data-testid=invokers] tbody tr');
  await invokers.first().waitFor();
  const row = await invokers.first().innerText();
  assert.match(row, /healthy/);
  assert.match(row, /\d+ \/ \d+ MB/);
  assert.ok(await page.locator('[data-testid=controllers] tbody tr').count() >= 1);
  // it refreshes by itself
  const before = await page.locator('.heading [role=status]').innerText();
  await page.waitForFunction(b => document.querySelector('.heading [role=status]').textContent !== b, before,
    { timeout: 10_000 });
  await shot('07-fleet');
});

test('signing out forgets the credentials', async () => {
  await page.click('#sign-out');
  await page.locator('#auth').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal(await page.locator('#nav').isVisible(), false);
});

test('the page had no script errors and broke no content security rule', () => {
  assert.deepEqual(problems, []);
});
