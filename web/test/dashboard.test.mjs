// The dashboard in real Chromium (Debian's, driven by playwright-core; never a downloaded
// browser) against a real `aisle serve` on 127.0.0.1: the bundled UCI Online Retail sample in a
// fresh SQLite store with categories given by keywords of the product names, an item_knn model
// fitted on it, the server on a free port. Checks what a person sees against the JSON API.
//   node web/test/dashboard.test.mjs AISLE_BINARY [OUT_DIR]
// OUT_DIR (default: a new temporary folder) keeps the store, the server's log and a screenshot
// of each page. Exit 0: passed; 1: failed; 77: Chromium is not installed (skipped).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const kTimeoutMs = 240_000; // the whole test, server start included
const kUser = '17850';
// Small enough to fit on the sample in seconds (the session demo's sasrec column).
const kSasrec = 'sasrec:epochs=2,hidden=32,max_length=20,windows=last,loss=sampled,negatives=64';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const aisle = process.argv[2];
const out = process.argv[3] ?? mkdtempSync(path.join(tmpdir(), 'aisle-dashboard-'));
if (!aisle) {
  console.error('usage: node web/test/dashboard.test.mjs AISLE_BINARY [OUT_DIR]');
  process.exit(1);
}
const browserPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!browserPath) {
  console.error('dashboard test: chromium is not installed (scripts/deps.sh installs it); skipped');
  process.exit(77);
}

let server = null;
let serverLog = []; // what the running server has written to stderr
let browser = null;
const cleanUp = () => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
};
process.on('exit', cleanUp);
const deadline = setTimeout(() => {
  console.error(`dashboard test: still running after ${kTimeoutMs / 1000} s; stopped`);
  cleanUp();
  process.exit(1);
}, kTimeoutMs);

function check(condition, message) {
  if (!condition) throw new Error(message);
}
function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}:\n  seen:     ${a}\n  expected: ${e}`);
}
function run(args) {
  const r = spawnSync(aisle, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`aisle ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
}
// One CSV line of the sample, quotes allowed.
function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), ++i;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}
const kCategories = [
  ['Bags', /\bBAGS?\b/],
  ['Christmas', /CHRISTMAS/],
  ['Lights & candles', /LIGHT|CANDLE|LANTERN/],
  ['Kitchen', /\b(MUGS?|CUPS?|PLATES?|BOWLS?|TEA|CAKE)\b/],
  ['Paper', /\b(CARDS?|WRAP|PAPER|NOTEBOOK)\b/],
];

// A store with categories and a model fitted on it.
function buildShop() {
  mkdirSync(out, { recursive: true });
  const store = `sqlite:${path.join(out, 'shop.db')}`;
  for (const f of ['shop.db', 'shop.db-wal', 'shop.db-shm']) rmSync(path.join(out, f), { force: true });
  const sample = path.join(root, 'data/sample/online-retail.csv.zst');
  run(['ingest', 'online-retail', sample, '--store', store]);
  const text = spawnSync('zstd', ['-dc', sample], { encoding: 'latin1', maxBuffer: 256 << 20 });
  check(text.status === 0, `zstd -dc ${sample} failed`);
  const category = new Map();
  for (const line of text.stdout.split('\n').slice(1)) {
    const [, code, description] = csvFields(line);
    if (!code || !description) continue;
    const match = kCategories.find(([, re]) => re.test(description.toUpperCase()));
    if (match) category.set(code.toUpperCase(), match[0]);
  }
  const catalog = path.join(out, 'categories.csv');
  writeFileSync(catalog, 'item_id,category\n' + [...category].map(([id, c]) => `${id},${c}`).join('\n') + '\n');
  run(['ingest', 'csv', catalog, '--store', store]);
  const model = path.join(out, 'shop.aislemodel');
  run(['train', '--store', store, '--model', 'item_knn', '--out', model, '--threads', '1']);
  // An offline evaluation report for the Models page, and companion models for the session demo
  // (sasrec only where the torch plugin was built: elsewhere its column says it failed).
  const reports = path.join(out, 'reports');
  rmSync(reports, { recursive: true, force: true });
  run(['evaluate', '--store', store, '--models', 'popularity,item_knn', '--out', path.join(reports, 'sample'), '--threads', '1']);
  const config = path.join(out, 'aisle.toml');
  writeFileSync(config, [
    '[serve]',
    `companions = { session_knn = "session_knn", popularity = "popularity:by=users", sasrec = "${kSasrec}" }`,
    `reports = ${JSON.stringify(reports)}`,
    '',
  ].join('\n'));
  return { store, model, config, reports };
}

// `aisle serve` on a free loopback port (its log in OUT_DIR/logName); the base URL and the log.
async function startServer(shop, env, logName) {
  const log = [];
  serverLog = log;
  server = spawn(aisle, ['serve', '--config', shop.config, '--store', shop.store, '--model', shop.model, '--listen', '127.0.0.1:0', '--threads', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise((resolve, reject) => {
    server.stderr.setEncoding('utf8');
    server.stderr.on('data', (chunk) => {
      log.push(chunk);
      const m = /listening on .* \(port (\d+)\)/.exec(log.join(''));
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`aisle serve exited (${code}):\n${log.join('')}`)));
  });
  process.on('exit', () => writeFileSync(path.join(out, logName), log.join('')));
  return { base: `http://127.0.0.1:${port}`, log };
}

// Stops the server with SIGTERM: it must exit 0, and a sanitizer build must have reported nothing.
async function stopServer(log) {
  const exited = new Promise((resolve) => server.on('close', (code, signal) => resolve(code ?? signal)));
  server.kill('SIGTERM');
  const code = await exited;
  const said = log.join('');
  check(code === 0, `aisle serve exited with ${code} after SIGTERM:\n${said}`);
  check(!/Sanitizer|runtime error:/.test(said), `aisle serve's log has a sanitizer report:\n${said}`);
}

// What the browser reports as wrong on `page`: console errors, page errors, failed requests,
// answers of 400 and more (but a 401 for a history, where `unauthorizedHistory`).
function watch(page, unauthorizedHistory = false) {
  const problems = [];
  const allowed = (url, status) => url.includes('/api/users/') && (status === 404 || (unauthorizedHistory && status === 401));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const status = Number(/status of (\d+)/.exec(m.text())?.[1]);
    if (!allowed(m.location().url ?? '', status)) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => r.status() >= 400 && !allowed(r.url(), r.status()) && problems.push(`${r.status()}: ${r.url()}`));
  return problems;
}

// Waits for the view of the URL now shown on `page` (a navigation replaces the whole view).
async function settledOn(page) {
  const hash = await page.evaluate(() => location.hash);
  await page.locator(`main > .view[data-hash=${JSON.stringify(hash)}]:not([aria-busy])`).waitFor();
}

async function main() {
  mkdirSync(out, { recursive: true });
  const shop = buildShop();
  const { base, log } = await startServer(shop, {}, 'serve.log');
  const api = async (p) => {
    const r = await fetch(base + p);
    check(r.ok, `GET ${p}: ${r.status}`);
    return r.json();
  };
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  // Generous: under the sanitizer builds, with ctest running other tests beside it on two cores,
  // defining an experiment (its arms fitted from the store) took over 20 s once.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const problems = watch(page);
  const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  const settled = () => settledOn(page);
  const names = (selector) => page.locator(`${selector} tbody tr a.name`).allTextContents();

  // Overview: the numbers of /api/stats, the most bought product a link to its page.
  const stats = await api('/api/stats');
  await page.goto(base + '/');
  await settled();
  equal(await page.locator('#stat-users .card-value').textContent(), stats.users.toLocaleString('en'), 'overview: customers');
  equal(await page.locator('#stat-events .card-value').textContent(), stats.events.toLocaleString('en'), 'overview: events');
  equal(await page.locator('#stat-category .card-value').textContent(), stats.categories[0].label, 'overview: top category');
  check((await page.locator('canvas').count()) === 2, 'overview: two charts');
  await shot('overview');
  await page.locator('#stat-most-bought a').click();
  await page.waitForURL(/#\/item\//);
  await settled();
  equal(await page.locator('#item-name').textContent(), stats.most_bought.name, 'overview: the most bought link opens its page');

  // The keyboard alone: Tab reaches the navigation, Enter follows a link, and the focus moves to
  // the new page.
  // (A new document: the query string makes it one, so the focus starts at its top.)
  await page.goto(base + '/?keyboard#/');
  await settled();
  let focused = '';
  for (let tabs = 0; tabs < 12 && focused !== 'Analytics'; ++tabs) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  }
  equal(focused, 'Analytics', 'keyboard: Tab reaches the Analytics link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/analytics$/);
  await settled();
  equal(await page.evaluate(() => document.activeElement?.id), 'main', 'keyboard: the focus is on the new page');

  // Analytics: three charts; the donut's table lists the top 10 products and their shares.
  check((await page.locator('main canvas').count()) === 3, 'analytics: three charts');
  equal(await page.locator('#top-products tbody tr a.name').allTextContents(), stats.top_items.map((t) => t.name ?? t.item_id), 'analytics: top products');
  const total = stats.top_items.reduce((sum, t) => sum + t.events, 0);
  equal(await page.locator('#top-products td.share').allTextContents(),
    stats.top_items.map((t) => `${((100 * t.events) / total).toFixed(1)}%`), 'analytics: shares');
  await shot('analytics');

  // Recommendations: a user typed in; the top 10 and the history equal the API's answers.
  await page.locator('nav a[data-page="recommendations"]').click();
  await page.locator('#user').fill(kUser);
  await page.locator('#user').press('Enter');
  await page.waitForURL(new RegExp(`user=${kUser}`));
  await settled();
  const top = await api(`/api/recommendations?user_id=${kUser}&k=10`);
  equal(top.items.length, 10, 'API: ten recommendations');
  equal(await names('#top'), top.items.map((i) => i.name ?? i.item_id), 'recommendations: the names of the top 10');
  const history = await api(`/api/users/${kUser}/history`);
  equal(await page.locator('#history tbody tr').count(), history.training.length, 'recommendations: history rows');
  await shot('recommendations');

  // The CSV download holds those rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n').map(csvFields);
  equal(csv[0], ['rank', 'item_id', 'name', 'category', 'price', 'score'], 'CSV header');
  equal(csv.slice(1).map((r) => [r[1], r[2], r[4] === '' ? null : Number(r[4])]),
    top.items.map((i) => [i.item_id, i.name, i.price]), 'CSV rows');

  // The category filter: the list the server ranks under that category.
  const lights = stats.categories.find((c) => c.label === 'Lights & candles');
  check(lights, 'stats: the Lights & candles category');
  await page.locator('#category').selectOption(lights.id);
  await page.waitForURL(/category=/);
  await settled();
  const filtered = await api(`/api/recommendations?user_id=${kUser}&k=10&category=${encodeURIComponent(lights.id)}`);
  check(filtered.items.length > 0, 'API: recommendations under the category');
  equal(await names('#top'), filtered.items.map((i) => i.name ?? i.item_id), 'filtered: names');
  const shownCategories = await page.locator('#top tbody tr td.category').allTextContents();
  check(shownCategories.every((c) => c === lights.label), `filtered: every row in ${lights.label}: ${shownCategories}`);
  check(JSON.stringify(filtered.items) !== JSON.stringify(top.items), 'filtered: the list changed');

  // An item link opens the item page with its similar items, which link on.
  const first = filtered.items[0];
  await page.locator('#top tbody tr a.name').first().click();
  await page.waitForURL(new RegExp(`#/item/${encodeURIComponent(first.item_id)}$`));
  await settled();
  equal(await page.locator('#item-name').textContent(), first.name, 'item page: name');
  const similar = await api(`/api/items/${encodeURIComponent(first.item_id)}/similar?k=10`);
  check(similar.items.length > 0, 'API: similar items');
  equal(await names('#similar'), similar.items.map((i) => i.name ?? i.item_id), 'item page: similar items');
  const boughtWith = await api(`/api/items/${encodeURIComponent(first.item_id)}/bought-with?k=10`);
  check(boughtWith.items.length > 0, 'API: items bought with it');
  equal(await names('#bought-with'), boughtWith.items.map((i) => i.name ?? i.item_id), 'item page: bought with it');
  equal(await page.locator('#bought-with td.together').allTextContents(), boughtWith.items.map((i) => i.together.toLocaleString('en')), 'item page: customers per item bought with it');
  await shot('item');
  await page.locator('#similar tbody tr a.name').first().click();
  await page.waitForURL(new RegExp(`#/item/${encodeURIComponent(similar.items[0].item_id)}$`));
  await settled();
  equal(await page.locator('#item-name').textContent(), similar.items[0].name, 'item page: a similar item opens its page');

  // Session demo: products found by name and clicked; the session's list follows each click.
  const post = async (p, body) => {
    const r = await fetch(base + p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    check(r.ok, `POST ${p}: ${r.status}`);
    return r.json();
  };
  // The companion models are trained in the background: the page shows them once ready.
  let models = await api('/api/models');
  for (let i = 0; i < 1200 && models.companions.some((c) => c.status === 'loading'); ++i) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    models = await api('/api/models');
  }
  const readyCompanions = models.companions.filter((c) => c.status === 'ready').map((c) => c.name);
  check(readyCompanions.includes('session_knn') && readyCompanions.includes('popularity'), `companions ready: ${JSON.stringify(models.companions)}`);
  const torchBuilt = models.registry.find((m) => m.name === 'sasrec').available;
  check(torchBuilt === readyCompanions.includes('sasrec'), `sasrec companion: ${JSON.stringify(models.companions)}`);
  await page.locator('nav a[data-page="session"]').click();
  await page.waitForURL(/#\/session$/);
  await settled();
  equal(await page.locator('section.model-column[data-model]').evaluateAll((s) => s.map((e) => e.dataset.model)),
    ['serving', ...models.companions.map((c) => c.name)], 'session: a column per model');
  const found = await api('/api/items?q=heart&k=12');
  check(found.items.length >= 2, 'API: two items named heart');
  await page.locator('#search').fill('heart');
  await page.locator('#search-results button.add').first().waitFor();
  equal(await page.locator('#search-results button.add').allTextContents(), found.items.map((i) => `+ ${i.name}`), 'session: search results');
  let previous = null;
  const companionLists = Object.fromEntries(readyCompanions.map((name) => [name, []]));
  for (let n = 1; n <= 2; ++n) {
    await page.locator('#search-results button.add').nth(n - 1).click();
    const items = found.items.slice(0, n).map((i) => i.item_id);
    await page.locator(`#session-recs[data-items=${JSON.stringify(items.join(','))}]`).waitFor();
    const answer = await post('/api/session/recommend', { items, k: 10 });
    check(answer.items.length === 10, `API: ten items for a session of ${n}`);
    const shown = await names('#session-recs');
    equal(shown, answer.items.map((i) => i.name ?? i.item_id), `session of ${n}: recommendations`);
    check(previous === null || JSON.stringify(previous) !== JSON.stringify(shown), 'session: the second click changed the list');
    previous = shown;
    for (const name of readyCompanions) {
      await page.locator(`section[data-model=${JSON.stringify(name)}][data-items=${JSON.stringify(items.join(','))}]`).waitFor();
      const byName = await post('/api/session/recommend', { items, k: 10, model: name });
      equal(byName.model.name, name, `API: the session answered by ${name}`);
      equal(await names(`section[data-model=${JSON.stringify(name)}]`), byName.items.map((i) => i.name ?? i.item_id), `session of ${n}: ${name}'s column`);
      companionLists[name].push(JSON.stringify(byName.items.map((i) => i.item_id)));
    }
    equal(await page.locator('#session-items li').count(), n, `session of ${n}: items listed`);
  }
  check(companionLists.session_knn[0] !== companionLists.session_knn[1], 'session: session_knn\'s column changed with the second click');
  const columnsDiffer = new Set(readyCompanions.map((name) => companionLists[name][1]));
  check(columnsDiffer.size > 1, 'session: the companion models answer differently');
  check(page.url().endsWith(`#/session?items=${found.items.slice(0, 2).map((i) => encodeURIComponent(i.item_id)).join(',')}`), `session: the URL keeps it: ${page.url()}`);
  await shot('session');

  // Monitoring: the requests per route as /metrics counts them (read before and after the page).
  const metricsCount = async () => {
    const text = await (await fetch(base + '/metrics')).text();
    return [...text.matchAll(/^aisle_http_requests_total\{route="\/api\/recommendations",status="\d+"\} (\d+)$/gm)]
      .reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const before = await metricsCount();
  await page.locator('nav a[data-page="monitoring"]').click();
  await page.waitForURL(/#\/monitoring$/);
  await settled();
  const shown = Number((await page.locator('#routes tr[data-route="/api/recommendations"] td.requests').textContent()).replace(/,/g, ''));
  const after = await metricsCount();
  check(before >= 3 && before <= shown && shown <= after, `monitoring: ${shown} requests shown, /metrics said ${before} then ${after}`);
  equal(await page.locator('#mon-model .card-value').textContent(), '1', 'monitoring: model version');
  await shot('monitoring');

  // Model: what /api/model says; a retrain from the page puts version 2 in service.
  await page.locator('nav a[data-page="model"]').click();
  await page.waitForURL(/#\/model$/);
  await settled();
  const model = await api('/api/model');
  equal(await page.locator('#model-spec').textContent(), model.spec.replace(/; /g, ';\n  '), 'model: spec');
  equal(await page.locator('#serving-parameters tbody tr').count(), Object.keys(models.serving.parameters).length, 'models: the serving model\'s parameters');
  equal(await page.locator('#companions-table tbody tr').count(), models.companions.length, 'models: the companions');
  equal(await page.locator('#registry details[data-model]').count(), models.registry.length, 'models: the registry');
  const reports = await api('/api/reports');
  equal(reports.reports.map((r) => r.name), ['sample'], 'API: the evaluation report');
  const evaluated = reports.reports[0].report;
  const shownMetrics = await page.locator('[data-report="sample"] table').first().locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('.metric')].map((m) => m.textContent)));
  equal(shownMetrics, evaluated.models.map((m) => Object.values(m.metrics).map((v) =>
    `${v.value === null ? '—' : v.value.toFixed(4)}${v.ci95 ? ` [${v.ci95[0].toFixed(4)}, ${v.ci95[1].toFixed(4)}]` : ''}`)), 'models: the report\'s metrics with their intervals');
  check((await page.locator('[data-report="sample"] table').count()) === 2, 'models: the report\'s comparison with the baseline');
  await shot('model');
  await page.locator('#retrain').click();
  await page.locator('#retrain-result p:not(.muted)').waitFor({ timeout: 60_000 });
  const retrained = await page.locator('#retrain-result').textContent();
  check(retrained.startsWith('In service: version 2'), `model: retrain: ${retrained}`);
  equal((await api('/api/model')).version, 2, 'API: version after the retrain');
  await page.waitForFunction(() => document.querySelector('#model-facts dd:nth-of-type(2)')?.textContent === '2');

  // A phone's width: nothing scrolls the page sideways (wide tables scroll in their own box).
  await page.setViewportSize({ width: 390, height: 844 });
  const phonePages = {
    overview: '#/',
    analytics: '#/analytics',
    recommendations: `#/recommendations?user=${kUser}`,
    item: `#/item/${encodeURIComponent(first.item_id)}`,
    session: `#/session?items=${found.items.slice(0, 2).map((i) => encodeURIComponent(i.item_id)).join(',')}`,
    model: '#/model',
    monitoring: '#/monitoring',
  };
  for (const [name, route] of Object.entries(phonePages)) {
    await page.goto(base + '/' + route);
    await settled();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `390 px: ${route} is ${width} px wide`);
    await shot(`${name}-390px`);
  }

  check(problems.length === 0, `the browser reported:\n  ${problems.join('\n  ')}`);
  await stopServer(log);

  // With an API token (the same store and model file): a customer's history needs it, the page
  // says so; given on the Model page, it is sent with the history and the retrain.
  const token = 'dashboard-test-token';
  const secured = await startServer(shop, { AISLE_API_TOKEN: token }, 'serve-token.log');
  const tab = await context.newPage(); // a new tab: nothing in its session storage
  const tabProblems = watch(tab, true);
  const securedHistory = await (await fetch(`${secured.base}/api/users/${kUser}/history`, { headers: { Authorization: `Bearer ${token}` } })).json();
  await tab.goto(`${secured.base}/#/recommendations?user=${kUser}`);
  await settledOn(tab);
  check((await tab.locator('#history').textContent()).includes('wants its API token'), 'token: the history asks for the token');
  equal(await tab.locator('#top tbody tr').count(), 10, 'token: recommendations need no token');
  await tab.goto(`${secured.base}/#/model`);
  await settledOn(tab);
  await tab.locator('#token').fill(token);
  await tab.locator('#retrain').click();
  await tab.locator('#retrain-result p:not(.muted)').waitFor({ timeout: 60_000 });
  const answer = await tab.locator('#retrain-result').textContent();
  check(answer.startsWith('In service: version 2'), `token: retrain: ${answer}`);
  // The Models page refreshes itself 1.5 s after an accepted retrain: by then another page is
  // shown, and what is typed there stays (a redraw once wiped a half-filled form).
  await tab.goto(`${secured.base}/#/experiments`);
  await settledOn(tab);
  await tab.locator('#define-name').fill('typed');
  await tab.waitForTimeout(2_500);
  equal(await tab.locator('#define-name').inputValue(), 'typed', 'a retrain\'s refresh leaves the page shown since alone');
  await tab.goto(`${secured.base}/#/recommendations?user=${kUser}`);
  await settledOn(tab);
  equal(await tab.locator('#history tbody tr').count(), securedHistory.training.length, 'token: the history with the token');

  // Experiments: an A/B experiment defined and started through the admin routes, 20 visitors (half
  // of them click the first item shown); the page's arms are the report's, Stop on the page stops it.
  const adminPost = async (p, body) => {
    const r = await fetch(secured.base + p, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    check(r.ok, `POST ${p}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  const securedGet = async (p) => (await fetch(secured.base + p)).json();
  // Defined with the page's form (the token given on the Models page).
  await tab.goto(`${secured.base}/#/experiments`);
  await settledOn(tab);
  await tab.locator('#define-name').fill('home');
  await tab.locator('#define-arm-a').fill('default');
  await tab.locator('#define-arm-b').fill('popularity');
  await tab.locator('#define-model-b').fill('popularity:by=users');
  await tab.locator('#define-submit').click();
  await tab.locator('[data-experiment="home"], #define-result .error').first().waitFor();
  check(await tab.locator('#define-result .error').count() === 0, `experiments: define: ${await tab.locator('#define-result').textContent()}`);
  const defined = (await securedGet('/api/experiments')).experiments;
  equal(defined.map((e) => [e.name, e.mode, e.arms.map((a) => [a.name, a.model])]),
    [['home', 'ab', [['default', 'serving'], ['popularity', 'popularity:by=users']]]], 'experiments: defined from the page');
  await adminPost('/api/admin/experiments/home/start', {});
  for (let i = 0; i < 300 && (await securedGet('/api/experiments')).experiments[0].state !== 'running'; ++i) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  equal((await securedGet('/api/experiments')).experiments[0].state, 'running', 'experiments: running');
  for (const [i, u] of stats.active_users.entries()) {
    const shown = await securedGet(`/api/recommendations?user_id=${encodeURIComponent(u.user_id)}&k=10`);
    if (i % 2 === 0) await adminPost('/api/feedback', { user_id: u.user_id, item_id: shown.items[0].item_id, event: 'click' });
  }
  const report = await securedGet('/api/experiments/home');
  await tab.goto(`${secured.base}/#/`); // away and back: the page shows the report as it is now
  await settledOn(tab);
  await tab.goto(`${secured.base}/#/experiments`);
  await settledOn(tab);
  const arms = tab.locator('[data-experiment="home"] tr[data-arm]');
  equal(await arms.evaluateAll((rows) => rows.map((r) => r.dataset.arm)), report.arms.map((a) => a.name), 'experiments: arms');
  equal(await tab.locator('[data-experiment="home"] td.visitors').allTextContents(), report.arms.map((a) => String(a.visitors)), 'experiments: visitors');
  equal(report.arms.reduce((sum, a) => sum + a.visitors, 0), stats.active_users.length, 'API: every visitor in an arm');
  check((await tab.locator('[data-experiment="home"] .srm').textContent()).startsWith('Sample ratio'), 'experiments: the sample-ratio line');
  await tab.locator('[data-experiment="home"] button[data-action="stop"]').click();
  await tab.locator('[data-experiment="home"] .state-stopped').waitFor();
  equal((await securedGet('/api/experiments')).experiments[0].state, 'stopped', 'experiments: stopped from the page');
  // An interleaved experiment's report is a table of preferences.
  await tab.locator('#define-name').fill('mix');
  await tab.locator('#define-mode').selectOption('interleave');
  await tab.locator('#define-model-b').fill('popularity:by=users');
  await tab.locator('#define-submit').click();
  await tab.locator('[data-experiment="mix"] table.interleaving').waitFor();
  equal(await tab.locator('[data-experiment="mix"] tr[data-arm]').evaluateAll((rows) => rows.map((r) => r.dataset.arm)),
    ['control', 'treatment', 'tie'], 'experiments: the interleaving table');
  await tab.screenshot({ path: path.join(out, 'experiments.png'), fullPage: true });

  check(tabProblems.length === 0, `the browser reported (with a token):\n  ${tabProblems.join('\n  ')}`);
  await stopServer(secured.log);
  console.log(`dashboard test: passed (${browser.version()}); screenshots in ${out}`);
}

try {
  await main();
} catch (e) {
  console.error(`dashboard test: FAILED: ${e.message}`);
  console.error(`the server's log, its last lines:\n${serverLog.join('').split('\n').slice(-20).join('\n')}`);
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  cleanUp();
  clearTimeout(deadline);
}
