import { test, expect } from '@playwright/test';
import { REST_PORT } from '../playwright.config';
import { appReady, expectNoAxeViolations, watchForeignRequests } from './helpers';

for (const backend of ['local', 'rest'] as const) {
  test(`a newcomer finds 公积金 by typing gjj, favourites it, and finds it again after a reload (${backend})`, async ({ page, baseURL }) => {
    const origin = backend === 'local' ? baseURL! : `http://127.0.0.1:${REST_PORT}`;
    const foreign = watchForeignRequests(page, origin);
    const catalogRequests: string[] = [];
    page.on('request', (r) => {
      if (/catalog(\.json)?$/.test(new URL(r.url()).pathname)) catalogRequests.push(new URL(r.url()).pathname);
  });
  await page.goto(`${origin}/`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('玉林社区');

  await page.getByRole('searchbox', { name: '搜索服务' }).fill('gjj');
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('status')).toContainText('找到');
  const first = results.getByTestId('tile').first();
  await expect(first).toContainText('公积金');
  const title = (await first.locator('.tile__title').textContent())!;
  await first.click();

  await expect(page).toHaveURL(/\/services\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const favourite = page.getByRole('button', { name: '收藏' });
  await expect(favourite).toHaveAttribute('aria-pressed', 'false');
  await favourite.click();
  await expect(favourite).toHaveAttribute('aria-pressed', 'true');

  await page.reload();
  await expect(page.getByRole('button', { name: '收藏' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('link', { name: '首页' }).click();
  // Home remembers the last search; clearing it shows the resident's own tiles.
  await expect(page.getByRole('searchbox', { name: '搜索服务' })).toHaveValue('gjj');
  await page.getByRole('button', { name: '清除搜索' }).click();
  await expect(page.getByRole('searchbox', { name: '搜索服务' })).toHaveValue('');
  await expect(page.getByTestId('favourites-list').getByRole('link', { name: new RegExp(title) })).toBeVisible();
  await expect(page.getByTestId('recents').getByRole('link', { name: new RegExp(title) })).toBeVisible();
  expect(foreign, 'requests to other origins').toEqual([]);
  // Each load fetched the catalog from the configured backend, and only from there.
  const expected = backend === 'local' ? '/catalog.json' : '/api/v1/catalog';
  expect(catalogRequests.length).toBeGreaterThan(0);
  expect(catalogRequests.every((p) => p === expected), catalogRequests.join(', ')).toBe(true);
  });
}

test('pinyin search ranks 社保 for shebao and sb', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const search = page.getByRole('searchbox', { name: '搜索服务' });
  for (const query of ['shebao', 'sb']) {
    await search.fill(query);
    await expect(page.getByTestId('search-results').getByTestId('tile').first()).toContainText('社保');
  }
  await search.fill('zzzzqqq');
  await expect(page.getByTestId('search-results').getByRole('status')).toHaveText('没有找到相关服务，换个词试试');
});

test('tiles and categories draw SVG icons, never emoji', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const tile = page.getByTestId('tile').first();
  await expect(tile.locator('.tile__icon svg path')).toHaveAttribute('d', /^M/);
  await expect(tile.locator('.tile__icon')).toHaveText('');
  const categories = page.getByTestId('categories');
  const count = await categories.getByRole('link').count();
  expect(count).toBeGreaterThanOrEqual(10);
  await expect(categories.locator('.category__icon svg path')).toHaveCount(count);
  // Each category its own picture.
  const shapes = await categories.locator('.category__icon path').evaluateAll((paths) => paths.map((p) => p.getAttribute('d')));
  expect(new Set(shapes).size).toBe(count);
  // No emoji anywhere in the page's text (they render as empty boxes without an emoji font).
  const text = await page.locator('body').innerText();
  expect(text.match(/\p{Extended_Pictographic}/gu) ?? []).toEqual([]);
});

test('categories open a filtered list that survives a reload', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const category = page.getByTestId('categories').getByRole('link').first();
  const name = (await category.locator('.category__name').textContent())!;
  await category.click();
  await expect(page).toHaveURL(/\/services\?category=/);
  await expect(page.getByTestId('category-section')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('category-section')).toHaveCount(1);
  await expect(page.getByRole('link', { name, exact: true })).toHaveAttribute('aria-current', 'true');
});

test('a tile opens its service: external pages in a new tab, hotlines as tel: links', async ({ page }) => {
  await page.goto('/services');
  await appReady(page);
  await page.getByRole('searchbox', { name: '搜索服务' }).fill('12345');
  await page.getByTestId('search-results').getByTestId('tile').first().click();
  const open = page.getByTestId('open-service');
  await expect(open).toHaveAttribute('href', /^tel:\d+$/);

  await page.goto('/');
  await page.getByRole('searchbox', { name: '搜索服务' }).fill('gjj');
  await page.getByTestId('search-results').getByTestId('tile').first().click();
  await expect(page.getByTestId('open-service')).toHaveAttribute('href', /^https:\/\//);
  await expect(page.getByTestId('open-service')).toHaveAttribute('target', '_blank');
});

test('home and services pages have no axe-core violations', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  await expect(page.getByTestId('popular').getByTestId('tile').first()).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto('/services');
  await expect(page.getByTestId('category-section').first()).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByTestId('tile').first().click();
  await expect(page.getByTestId('tile-detail')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('an unknown tile id says so instead of a blank page', async ({ page }) => {
  await page.goto('/services/no-such-tile');
  await expect(page.getByRole('alert')).toContainText('没有找到这个服务');
});

test('the whole search journey works from the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到主要内容' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('searchbox', { name: '搜索服务' })).toBeFocused();
  await page.keyboard.type('gjj');
  await expect(page.getByTestId('search-results').getByTestId('tile').first()).toBeVisible();
  // Past the clear button to the first result, then open it.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '清除搜索' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('search-results').getByTestId('tile').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tile-detail')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('公积金');
});

test('coming back to the home page keeps the search and its results', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  await page.getByRole('searchbox', { name: '搜索服务' }).fill('shebao');
  await page.getByTestId('search-results').getByTestId('tile').first().click();
  await expect(page.getByTestId('tile-detail')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('searchbox', { name: '搜索服务' })).toHaveValue('shebao');
  await expect(page.getByTestId('search-results').getByTestId('tile').first()).toContainText('社保');
  // A reload of the tab (what some webviews do on back) keeps it too.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: '搜索服务' })).toHaveValue('shebao');
});
