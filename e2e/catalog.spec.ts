import { test, expect, type Page } from '@playwright/test';
import { appReady } from './helpers';

// The home page's catalog: asked for as the app starts, at the address the page names
// (`<meta name="catalog">`, src/state.rs `EarlyCatalog`), and otherwise from the configured backend.

/** The paths of the catalog requests the page makes. */
function catalogRequests(page: Page) {
  const paths: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/(catalog\.json|api\/v1\/catalog)$/.test(path)) paths.push(path);
  });
  return paths;
}

/** Serves index.html with its catalog meta changed by `edit`. */
async function editIndex(page: Page, edit: (html: string) => string) {
  await page.route(/\/$/, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    expect(html, 'the server names the catalog').toContain('<meta name="catalog" content="catalog.json">');
    await route.fulfill({ response, body: edit(html) });
  });
}

const popularTile = (page: Page) => page.getByTestId('popular').getByTestId('tile').first();

test('the catalog the page names is the one read, and its tiles follow the shell', async ({ page }) => {
  const asked = catalogRequests(page);
  await page.goto('/');
  await appReady(page);
  await expect(popularTile(page)).toBeVisible();
  expect(asked.length, asked.join(', ')).toBeGreaterThan(0);
  expect(asked.every((p) => p === '/catalog.json'), asked.join(', ')).toBe(true);
});

test('a catalog that cannot be fetched is said in plain words, and the retry loads it', async ({ page }) => {
  let failing = true;
  await page.route('**/catalog.json', (route) => (failing ? route.fulfill({ status: 503, body: '' }) : route.continue()));
  await page.goto('/');
  await appReady(page);
  await expect(page.getByText('服务目录加载失败。')).toBeVisible();
  await expect(page.getByTestId('tile')).toHaveCount(0);
  failing = false;
  await page.getByRole('button', { name: '重试' }).click();
  await expect(popularTile(page)).toBeVisible();
});

test('a catalog that arrives after the shell fills the home page then', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/catalog.json', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await appReady(page);
  await expect(page.getByTestId('popular')).toHaveCount(0);
  await expect(page.locator('main').getByRole('status')).toHaveText('正在加载…');
  release();
  await expect(popularTile(page)).toBeVisible();
  await expect(page.getByTestId('categories')).toBeVisible();
});

test('a page naming another address than the configured backend’s: the app reads its own backend’s', async ({ page }) => {
  await editIndex(page, (html) => html.replace('<meta name="catalog" content="catalog.json">', '<meta name="catalog" content="api/v1/catalog">'));
  const asked = catalogRequests(page);
  await page.goto('/');
  await appReady(page);
  await expect(popularTile(page)).toBeVisible();
  // The named one was asked as the page started; the configured one (local) is the one shown.
  expect(asked).toContain('/api/v1/catalog');
  expect(asked).toContain('/catalog.json');
});

test('without the meta (as under trunk serve) the app asks its backend once the configuration is read', async ({ page }) => {
  await editIndex(page, (html) => html.replace('<meta name="catalog" content="catalog.json">', ''));
  const asked = catalogRequests(page);
  await page.goto('/');
  await appReady(page);
  await expect(popularTile(page)).toBeVisible();
  expect(asked).toEqual(['/catalog.json']);
});
