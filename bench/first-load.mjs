// The first load, one definition for the budget test (e2e/budget.spec.ts) and `./run bench`:
// every code file (wasm, js, css) the home page fetches until the network is idle, on a phone
// screen, each counted once at the size Chromium received it (the encoded body: the server sends
// the gzip copy tools/bundle.mjs wrote beside each file, and a file that arrives uncompressed fails
// the measure). Each line also shows the file's zlib gzip -9 size, for comparison with figures
// from before the copies were written by zopfli. That is the main module and its glue,
// the stylesheet, the split loader, and every chunk the first screen loads (none today: the home
// page's nearby section is part of the main module, see src/pages/lazy.rs). Not counted: config.json, catalog data (its own line and
// budget), photos, and the chunks the app prefetches a few seconds after start for the screens a
// resident may open next (src/pages/lazy.rs, `prefetch_later`): those timers are held back here,
// so the page goes idle on exactly what its first screen needs.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const FIRST_LOAD_BUDGET = 200 * 1024;
export const CATALOG_BUDGET = 40 * 1024;
/** The screen the figure is measured on (the Playwright phone project's). */
export const PHONE = { width: 390, height: 844 };

/** Timers at least this long are the prefetch (3 s) and the service worker's registration (3 s). */
const LATER_MS = 2000;
/** The network counts as idle after this long without a request in flight (Playwright's `networkidle`). */
const IDLE_MS = 500;
const CODE = /\.(wasm|js|css)$/;

/** A file's zlib gzip -9 size (what the figures measured before zopfli wrote the served copies). */
export const gzipSize = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
/** What the server sends for `path` to a browser that takes gzip: the copy beside it in dist/. */
export const servedSize = (path) => statSync(`${path}.gz`).size;
export const kb = (bytes) => (bytes / 1024).toFixed(1);

/** Holds back the page's timers of `LATER_MS` or more: what they would fetch is not the first screen. */
function holdLaterTimers(laterMs) {
  const setTimeout = window.setTimeout.bind(window);
  window.setTimeout = (handler, ms, ...args) => (Number(ms) >= laterMs ? 0 : setTimeout(handler, ms, ...args));
}

/**
 * Opens `url` in `page` (a fresh context, phone-sized) and resolves, once its network has been idle
 * for 500 ms after `ready` (a selector the first screen shows) is in the page, with the first load:
 * `{ files: [{ file, raw, gzip, zlib }], total }`, `file` being the path under `dist/`, first
 * fetched first, `gzip` the body bytes Chromium received for it, `zlib` its gzip -9 size.
 */
export async function measureFirstLoad(page, url, { ready = '[data-testid="nearby"]', dist = 'dist' } = {}) {
  await page.addInitScript(holdLaterTimers, LATER_MS);
  const base = new URL(url);
  const inFlight = new Set();
  const fetched = [];
  const received = new Map();
  const pending = [];
  let lastActivity = Date.now();
  const fileOf = (request) => {
    const u = new URL(request.url());
    if (u.origin !== base.origin || !CODE.test(u.pathname)) return null;
    return decodeURIComponent(u.pathname).slice(base.pathname.replace(/[^/]*$/, '').length);
  };
  page.on('request', (request) => {
    inFlight.add(request);
    lastActivity = Date.now();
    const file = fileOf(request);
    if (file && !fetched.includes(file)) fetched.push(file);
  });
  const done = (request) => {
    inFlight.delete(request);
    lastActivity = Date.now();
  };
  page.on('requestfinished', (request) => {
    done(request);
    const file = fileOf(request);
    if (!file || received.has(file)) return;
    received.set(file, null);
    pending.push((async () => {
      const response = await request.response();
      const encoding = response ? await response.headerValue('content-encoding') : null;
      const { responseBodySize } = await request.sizes();
      if (encoding !== 'gzip') throw new Error(`${file} arrived without gzip (content-encoding: ${encoding})`);
      received.set(file, responseBodySize);
    })());
  });
  page.on('requestfailed', done);

  await page.goto(url);
  await page.waitForSelector(ready);
  while (inFlight.size > 0 || Date.now() - lastActivity < IDLE_MS) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(pending);
  const files = fetched.map((file) => {
    const path = join(dist, file);
    const gzip = received.get(file);
    if (gzip == null) throw new Error(`${file} was requested but never arrived`);
    return { file, raw: statSync(path).size, gzip, zlib: gzipSize(path) };
  });
  return { files, total: files.reduce((sum, f) => sum + f.gzip, 0) };
}

/** The catalog data's size as the server sends it (gzip). */
export const catalogGzip = (dist = 'dist') => servedSize(join(dist, 'catalog.json'));

/** The first load as lines to print: one per file, then the total against the budget. */
export function firstLoadReport({ files, total }) {
  const row = (f) => `  ${f.file.padEnd(48)} ${kb(f.raw).padStart(8)} KB raw ${kb(f.gzip).padStart(8)} KB gzip (zlib -9: ${kb(f.zlib)})`;
  const verdict = total <= FIRST_LOAD_BUDGET ? 'OK' : 'OVER BUDGET';
  const zlib = files.reduce((sum, f) => sum + f.zlib, 0);
  return [
    'First load (code the home page fetches until the network is idle, gzip as received):',
    ...files.map(row),
    `  first load total: ${kb(total)} KB gzip (budget ${kb(FIRST_LOAD_BUDGET)} KB, headroom ${kb(FIRST_LOAD_BUDGET - total)} KB) ${verdict}; zlib -9 would be ${kb(zlib)} KB`,
  ];
}

/** The catalog data's line. */
export function catalogReport(gzip) {
  return `  catalog.json (data): ${kb(gzip)} KB gzip (budget ${kb(CATALOG_BUDGET)} KB) ${gzip <= CATALOG_BUDGET ? 'OK' : 'OVER BUDGET'}`;
}
