import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module fixture script, without type declarations
import { buildHistoryRepo } from '../../fixtures/git/build-history.mjs';
import { jsonReport, runCli } from '../support/cli.js';
import { stripeSecretKey } from '../support/fake-keys.js';
import { haveTool, useFixtureImages } from '../support/images.js';

// The HTML report as an auditor opens it: Debian's Chromium (installed by .ci/run), headless.
const CHROMIUM = '/usr/bin/chromium';
const browserThere = haveTool(CHROMIUM);
const images = useFixtureImages();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'secretscan-html-'));
let browser: Browser;

beforeAll(async () => {
  if (!browserThere) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Report {
  file: string;
  secrets: string[];
  findings: number;
}

/** Runs a scan twice (JSON with secrets, to know them; HTML redacted) and returns the HTML file. */
function report(name: string, args: string[]): Report {
  const json = jsonReport(runCli([...args, '--no-config', '-f', 'json', '--show-secrets']));
  const file = path.join(scratch, `${name}.html`);
  const run = runCli([...args, '--no-config', '-f', 'html', '-o', file]);
  expect(run.status, run.stderr).toBe(1);
  return { file, secrets: json.findings.map((f) => f.secret!), findings: json.findings.length };
}

/** Opens a report, with every console message and request recorded; takes a screenshot. */
async function open(r: Report, name: string) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (req) => requests.push(req.url()));
  const url = pathToFileURL(r.file).href;
  await page.goto(url);
  await page.screenshot({ path: path.join(scratch, `${name}.png`), fullPage: true });
  return { page, errors, requests: requests.filter((u) => u !== url) };
}

describe.skipIf(!browserThere)('--format html in a browser', () => {
  let history: Report;
  let image: Report;
  let demo: Report;
  beforeAll(() => {
    demo = report('demo', ['dir', path.resolve('fixtures/demo')]);
    const keys = Object.fromEntries(['deleted', 'renamed', 'side', 'tagged', 'merged', 'message', 'binary', 'large', 'latin1', 'atHead'].map((n) => [n, stripeSecretKey()]));
    const repo = buildHistoryRepo(path.join(scratch, 'repo'), keys);
    history = report('history', ['git', repo.dir, '--max-file-size', '1MB']);
    image = report('image', ['image', images().dockerArchive]);
  });

  it('holds no raw secret unless asked, and says so when asked', () => {
    for (const r of [demo, history, image]) {
      const html = readFileSync(r.file, 'utf8');
      expect(r.secrets.length).toBeGreaterThan(0);
      for (const s of r.secrets) expect(html).not.toContain(s);
      expect(html).toContain('Secrets are redacted');
    }
    const shown = path.join(scratch, 'shown.html');
    runCli(['dir', path.resolve('fixtures/demo'), '--no-config', '-f', 'html', '-o', shown, '--show-secrets']);
    const html = readFileSync(shown, 'utf8');
    expect(demo.secrets.some((s) => html.includes(s))).toBe(true);
    expect(html).toContain('This report shows raw secrets');
  });

  it('is rendered by merge from JSON reports, as the scan would render it', async () => {
    const parts = [1, 2].map((k) => {
      const file = path.join(scratch, `shard${k}.json`);
      runCli(['dir', path.resolve('fixtures/demo'), '--no-config', '-f', 'json', '-o', file, '--shard', `${k}/2`]);
      return file;
    });
    const merged = path.join(scratch, 'merged.html');
    const run = runCli(['merge', ...parts, '--no-config', '-f', 'html', '-o', merged]);
    expect(run.status, run.stderr).toBe(1);
    const { page, errors } = await open({ ...demo, file: merged }, 'merged');
    expect(errors).toEqual([]);
    expect(await page.locator('#findings > tbody').count()).toBe(demo.findings);
    expect(await page.locator('header').textContent()).toContain('merged from 2 reports');
    await page.close();
  });

  it('renders each report with no console error and no request beyond the file itself', async () => {
    for (const [name, r] of [['demo', demo], ['history', history], ['image', image]] as const) {
      const { page, errors, requests } = await open(r, name);
      expect(errors, name).toEqual([]);
      expect(requests, name).toEqual([]);
      expect(await page.locator('#findings > tbody').count()).toBe(r.findings);
      expect(await page.locator('#shown').textContent()).toBe(`${r.findings} of ${r.findings} shown`);
      for (const c of await page.locator('#findings > tbody tr.head td:nth-child(7)').allTextContents()) expect(c).toMatch(/^(high|medium|low)$/);
      await page.close();
    }
  });

  it('names the source of each place: file, commit, image layer, image config', async () => {
    const { page } = await open(history, 'history-sources');
    expect(await page.locator('caption', { hasText: 'By source' }).locator('..').textContent()).toContain('commit');
    await page.close();
    const img = await open(image, 'image-sources');
    const sources = await img.page.locator('caption', { hasText: 'By source' }).locator('..').textContent();
    expect(sources).toContain('image layer');
    expect(sources).toContain('image config');
    await img.page.close();
  });

  it('filters by severity, provider and text, and sorts by a column', async () => {
    const { page } = await open(demo, 'demo-filter');
    const visible = () => page.locator('#findings > tbody:not(.hidden)');
    await page.selectOption('#sev', '4'); // critical and above
    const critical = await visible().count();
    expect(critical).toBeGreaterThan(0);
    expect(critical).toBeLessThan(demo.findings);
    for (const sev of await visible().locator('tr.head td:nth-child(2)').allTextContents()) expect(sev).toBe('critical');
    await page.selectOption('#sev', '0');
    await page.selectOption('#prov', 'Stripe');
    expect(await visible().count()).toBe(1);
    await page.selectOption('#prov', '');
    await page.fill('#q', 'config/aws.ini');
    expect(await visible().count()).toBe(2);
    await page.fill('#q', '');
    await page.click('th[data-col="4"]');
    const paths = await page.locator('#findings > tbody tr.head td:nth-child(5)').allTextContents();
    expect(paths).toEqual([...paths].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    await page.click('th[data-col="4"]');
    const reversed = await page.locator('#findings > tbody tr.head td:nth-child(5)').allTextContents();
    expect(reversed).toEqual([...paths].reverse());
    await page.close();
  });

  it('opens every detail for printing and keeps the revocation steps and links', async () => {
    const { page } = await open(demo, 'demo-print');
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.locator('details:not([open])').count()).toBe(0);
    const pdf = await page.pdf();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.locator('a[href^="https://dashboard.stripe.com"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows hostile names as text: no markup or script from a file name runs', async () => {
    const dir = path.join(scratch, 'hostile');
    const name = '<img src=x onerror=alert(1)>.env';
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), `STRIPE_KEY=${stripeSecretKey()}\n`);
    const r = report('hostile', ['dir', dir]);
    const { page, errors, requests } = await open(r, 'hostile');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#findings').textContent()).toContain(name);
    await page.close();
  });
});
