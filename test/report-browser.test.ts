/**
 * The coverage page (`kmm-render report`) in a real headless Chromium — Debian's, driven by
 * playwright-core, no browser download: what a person sees (the summary counts, the
 * example fleet's uncovered nodes), filters hiding rows, the page without its script and
 * its tables as a screen reader finds them, and the screenshot docs/report-example.png.
 * UPDATE_GOLDEN=1 rewrites the screenshot in docs/; otherwise it goes to a temporary folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { chromiumPath } from './support/requirements.js';
import { runCli } from './support/run-cli.js';

const executablePath = chromiumPath();
const update = process.env.UPDATE_GOLDEN === '1';
let browser: Browser | undefined;
let pageFile = '';

test.before(async () => {
  if (!executablePath) return;
  pageFile = join(tempDir(), 'report.html');
  const r = runCli(['report', '--repo', join(FIXTURES, 'example-fleet', 'repo'), '--format', 'html', '--out', pageFile]);
  assert.is(r.status, 0, r.stderr);
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});

test.after(async () => {
  await browser?.close();
});

async function open(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(pageFile).href);
  assert.equal(requests, [pathToFileURL(pageFile).href], 'the page loads nothing but itself');
  return page;
}

const visibleRows = (page: Page, caption: string) =>
  page
    .getByRole('table', { name: caption })
    .locator('tbody tr:visible')
    .evaluateAll((rows) => rows.map((r) => (r as HTMLTableRowElement).innerText.replace(/\s+/g, ' ').trim()));

test('the summary shows the example fleet: 3 clusters, 9 nodes, 2 nodes left without a module, 1 pool that reboots', async () => {
  if (!browser) return;
  const page = await open();
  const count = (key: string) => page.locator(`[data-count="${key}"]`).innerText();
  assert.is(await count('clusters'), '3');
  assert.is(await count('nodes'), '9');
  assert.is(await count('uncovered'), '2');
  assert.is(await count('unmapped'), '1');
  assert.is(await count('reboot-pools'), '1');
  assert.is(await count('reboot-nodes'), '4');
  assert.ok(await page.getByText('Nodes left without a module', { exact: true }).first().isVisible());
  await page.context().close();
});

test('the uncovered nodes of the example fleet and why: west-gpu0 has no mapping for gpu-driver, east-m0 no Module selects', async () => {
  if (!browser) return;
  const page = await open();
  const west = await visibleRows(page, 'Nodes left without a module in prod-west');
  assert.equal(west, ['openshift-kmm/gpu-driver 5.14.0-162.6.1.el9_1.x86_64 no kernel mapping no kernel mapping matches 5.14.0-162.6.1.el9_1.x86_64 1 west-gpu0']);
  const east = await visibleRows(page, 'Nodes left without a module in prod-east');
  assert.equal(east, ['— 5.14.0-284.52.1.el9_2.x86_64 no Module selects it none of the 2 Module(s) in scope selects it 1 east-m0']);
  assert.ok(await page.getByText('None: every node gets a module.').isVisible(), 'edge-lab has none');
  await page.context().close();
});

test('filters hide rows: by problem, by cluster, by Module; the status line says what is shown', async () => {
  if (!browser) return;
  const page = await open();
  assert.is(await page.locator('#filter-status').innerText(), '3 clusters, 12 rows shown');
  await page.getByLabel('Problem', { exact: true }).selectOption('no-mapping');
  assert.is(await page.locator('section.cluster:visible').count(), 1);
  assert.equal(await visibleRows(page, 'Modules × kernels in prod-west'), ['openshift-kmm/gpu-driver 5.14.0-162.6.1.el9_1.x86_64 1 no mapping —']);
  assert.equal(await visibleRows(page, 'Clusters'), ['prod-west 3 2 1 0 0 0']);
  assert.not.ok(await page.getByText('east-m0').isVisible());
  assert.is(await page.locator('#filter-status').innerText(), '1 cluster, 2 rows shown');

  await page.getByLabel('Problem', { exact: true }).selectOption('');
  await page.getByLabel('Cluster', { exact: true }).selectOption('prod-east');
  assert.equal(await visibleRows(page, 'Clusters'), ['prod-east 5 4 1 1 0 0']);
  assert.ok(await page.getByRole('heading', { name: 'Cluster prod-east' }).isVisible());
  assert.not.ok(await page.getByRole('heading', { name: 'Cluster prod-west' }).isVisible());
  assert.equal(await visibleRows(page, 'MachineConfig pools that reboot when these MachineConfigs are applied or changed, in prod-east'), ['worker 99-worker-kernel-args-firmware-path 4']);

  await page.getByLabel('Cluster', { exact: true }).selectOption('');
  await page.getByLabel('Module', { exact: true }).selectOption('kmm-system/fpga-mgr');
  assert.equal(await page.locator('section.cluster:visible h2').allInnerTexts(), ['Cluster edge-lab']);
  assert.equal(await visibleRows(page, 'Modules × kernels in edge-lab'), ['kmm-system/fpga-mgr 5.14.0-427.22.1.el9_4.x86_64 1 quay.io/example/fpga-mgr:5.14.0 —']);
  await page.getByLabel('Module', { exact: true }).selectOption('');
  assert.is(await page.locator('#filter-status').innerText(), '3 clusters, 12 rows shown', 'the script counts as the page does');
  assert.is(await page.locator('section.cluster:visible').count(), 3);
  await page.context().close();
});

test('without its script the page shows every table and no filter; tables have captions and header cells', async () => {
  if (!browser) return;
  const page = await open({ javaScriptEnabled: false });
  assert.not.ok(await page.locator('#filters').isVisible(), 'the filters need the script');
  assert.is(await page.locator('section.cluster:visible').count(), 3);
  assert.is((await visibleRows(page, 'Nodes left without a module in prod-west')).length, 1);
  const tables = await page.getByRole('table').count();
  assert.is(await page.locator('table > caption').count(), tables, 'every table has a caption');
  const columns = await page.getByRole('table', { name: 'Clusters' }).getByRole('columnheader').allInnerTexts();
  assert.equal(columns, ['Cluster', 'Nodes', 'Modules × kernels served', 'Nodes left without a module', 'Pools that reboot', 'Builds', 'Signing']);
  assert.ok((await page.getByRole('rowheader', { name: 'openshift-kmm/simple-kmod' }).count()) >= 3, 'Modules are row headers');
  await page.context().close();
});

test('a screenshot of the example fleet page, for docs/report-example.png', async () => {
  if (!browser) return;
  const page = await open();
  const path = update ? join(ROOT, 'docs', 'report-example.png') : join(tempDir(), 'report-example.png');
  const png = await page.screenshot({ path, fullPage: false });
  assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
  assert.is(png.readUInt32BE(16), 1200, 'as wide as the viewport');
  assert.ok(png.length > 20_000, `${png.length} bytes: the page was drawn`);
  if (!update) assert.ok(readFileSync(join(ROOT, 'docs', 'report-example.png')).length > 20_000, 'docs/report-example.png exists (UPDATE_GOLDEN=1 npm run golden makes it)');
  await page.context().close();
});

test.run();
