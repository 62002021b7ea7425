import { test, expect, type Page } from '@playwright/test';
import { appReady, REST } from './helpers';

// The release bundle is split (tools/bundle.mjs): the home page needs only the first-load module;
// every other screen's code is a chunk fetched when it opens, or prefetched a few seconds in.

/** The names of the wasm files the page has asked for so far. */
function watchWasm(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) asked.push(name);
  });
  return asked;
}

test('the home page starts without the other screens’ code, then prefetches it so they open offline', async ({ page, context }) => {
  const asked = watchWasm(page);
  await page.goto(`${REST}/`);
  await appReady(page);
  await expect(page.getByTestId('popular').getByRole('link').first()).toBeVisible();
  expect(asked).toContain('citizen-cloud_bg.wasm');
  for (const chunk of ['split_services.wasm', 'split_requests.wasm', 'split_me.wasm', 'split_staff.wasm', 'split_search.wasm']) {
    expect(asked, `${chunk} is not part of the first load`).not.toContain(chunk);
  }

  // Prefetched a few seconds after start; the staff workspace waits until it is asked for.
  await expect.poll(() => asked, { timeout: 15_000 }).toEqual(
    expect.arrayContaining(['split_services.wasm', 'split_search.wasm', 'split_me.wasm', 'split_requests.wasm']),
  );
  await page.waitForLoadState('networkidle');
  expect(asked).not.toContain('split_staff.wasm');

  // With the network gone, the prefetched screens still open.
  await context.setOffline(true);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '办事', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('全部服务');
  await nav.getByRole('link', { name: '我的', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('我的');
  await expect(page.getByTestId('part-load-failed')).toHaveCount(0);
});

test('a screen whose code cannot be fetched says so in plain words, and opens on retry', async ({ page }) => {
  await page.route('**/split_me.wasm', (route) => route.abort('internetdisconnected'));
  await page.goto('/');
  await appReady(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的', exact: true }).click();
  const failed = page.getByTestId('part-load-failed');
  await expect(failed).toBeVisible();
  await expect(failed).toHaveAttribute('role', 'alert');
  await expect(failed).toContainText('没能加载');

  await page.unroute('**/split_me.wasm');
  await failed.getByRole('button', { name: '重试' }).click();
  await expect(failed).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('我的');
  await expect(page.getByRole('radio', { name: 'English' })).toBeVisible();
});

test('styles come with their screens: the home page loads none of the chunks’ sheets, 我的 loads the shared one and its own before it shows', async ({ page }) => {
  const sheets: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.css')) sheets.push(name);
  });
  await page.goto(`${REST}/`);
  await appReady(page);
  await expect(page.getByTestId('popular').getByRole('link').first()).toBeVisible();
  expect(sheets.filter((name) => !name.startsWith('main-'))).toEqual([]);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的', exact: true }).click();
  const language = page.getByTestId('language-choice');
  await expect(language).toBeVisible();
  expect(sheets).toEqual(expect.arrayContaining(['shared.css', 'me.css']));
  // The language choices are laid out by shared.css (flex), not left as a plain fieldset.
  expect(await language.evaluate((el) => getComputedStyle(el).display)).toBe('flex');
});

test('a screen whose code this browser cannot compile asks for an update, as the first page does', async ({ page }) => {
  // A module with a valid header and a broken section: the browser fetches it, then cannot compile it.
  const broken = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0xff]);
  await page.route('**/split_me.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: broken }));
  await page.goto('/');
  await appReady(page);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的', exact: true }).click();
  // The same page an old webview gets for the main module, in both languages, in place of the app:
  // not the network's fault, so no retry.
  const unsupported = page.getByTestId('unsupported');
  await expect(unsupported).toBeVisible();
  await expect(unsupported).toContainText('请更新您的应用或浏览器');
  await expect(unsupported).toContainText('Please update your app or browser');
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeHidden();
  await expect(page.getByRole('button', { name: '重试' })).toBeHidden();
});

test('a main module this browser cannot compile shows the "please update" page, not the loading shell', async ({ page }) => {
  // What Safari/WKWebView 15 does with this module (reference types, multi-value): compiling fails.
  await page.addInitScript(() => {
    const refuse = () => Promise.reject(new WebAssembly.CompileError('simulated: an old webview'));
    WebAssembly.instantiateStreaming = refuse;
    WebAssembly.instantiate = refuse;
  });
  await page.goto('/');
  const unsupported = page.getByTestId('unsupported');
  await expect(unsupported).toBeVisible();
  await expect(unsupported).toContainText('请更新您的应用或浏览器');
  await expect(page.locator('.boot-shell')).toBeHidden();
});

test('the search’s code arrives when the field is used; when it cannot, the results say so and the next keystroke tries again', async ({ page }) => {
  const asked = watchWasm(page);
  let refuse = true;
  await page.route('**/split_search.wasm', (route) => (refuse ? route.abort() : route.continue()));
  await page.goto('/');
  await appReady(page);
  expect(asked).not.toContain('split_search.wasm');
  const search = page.getByRole('searchbox', { name: '搜索服务' });
  await search.fill('gjj');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('status')).toHaveText(/没能加载/);
  await expect(results.getByTestId('tile')).toHaveCount(0);
  refuse = false;
  await search.fill('公积金');
  await expect(results.getByTestId('tile').first()).toBeVisible();
  await expect(results.getByRole('status')).toHaveText(/\d/);
  expect(asked).toContain('split_search.wasm');
});
