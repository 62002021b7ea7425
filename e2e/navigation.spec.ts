import { test, expect, type Page } from '@playwright/test';
import { appReady } from './helpers';

/** Serves the bundle's own config.json with `routing` set, as a host community would. */
async function withRouting(page: Page, routing: 'path' | 'hash') {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = await response.json();
    await route.fulfill({ response, json: { ...config, routing } });
  });
}

test('hash routing: deep links, links and the back button stay after the #', async ({ page }) => {
  await withRouting(page, 'hash');
  await page.goto('/#/services/housing-fund-balance');
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公积金查询');
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '办事', exact: true })).toHaveAttribute('href', '#/services');
  await expect(nav.getByRole('link', { name: '办事', exact: true })).toHaveAttribute('aria-current', 'page');

  await nav.getByRole('link', { name: '我的', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  expect(new URL(page.url()).pathname).toBe('/');
  expect(new URL(page.url()).hash).toBe('#/me');

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公积金查询');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公积金查询');

  // The skip link is not a route.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  expect(new URL(page.url()).hash).toBe('#/services/housing-fund-balance');
});

test('a category chip changes the query without reloading the page', async ({ page }) => {
  await page.goto('/services');
  await appReady(page);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const chips = page.getByRole('navigation', { name: '服务分类' });
  await chips.getByRole('link').nth(1).click();
  await expect(page).toHaveURL(/\/services\?category=/);
  await expect(chips.getByRole('link').nth(1)).toHaveAttribute('aria-current', 'true');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  await page.goBack();
  await expect(page).toHaveURL(/\/services$/);
  await expect(chips.getByRole('link').first()).toHaveAttribute('aria-current', 'true');
});

test('when the webview refuses history.pushState, links still work by loading the page', async ({ page }) => {
  await page.addInitScript(() => {
    history.pushState = () => {
      throw new Error('blocked by the host webview');
    };
  });
  await page.goto('/');
  await appReady(page);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '我的', exact: true }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
});

test('links that open elsewhere are left to the browser', async ({ page, context }) => {
  await page.goto('/services/housing-fund-balance');
  await appReady(page);
  const nav = page.getByRole('navigation', { name: '主导航' });
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    nav.getByRole('link', { name: '我的', exact: true }).click({ modifiers: ['Control'] }),
  ]);
  await popup.waitForLoadState();
  expect(new URL(popup.url()).pathname).toBe('/me');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公积金查询');
});

test('in hash mode, links and the back button move by the fragment alone, never through history.pushState', async ({ page }) => {
  await withRouting(page, 'hash');
  await page.addInitScript(() => {
    history.pushState = () => {
      throw new Error('blocked by the host webview');
    };
  });
  await page.goto('/');
  await appReady(page);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '办事', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('全部服务');
  expect(new URL(page.url()).hash).toBe('#/services');
  await nav.getByRole('link', { name: '我的', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('全部服务');
  // The same page all along: no link fell back to loading it.
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
});

test('going back to a list returns to where it was scrolled, also after a reload', async ({ page }) => {
  await page.goto('/services');
  await appReady(page);
  await expect(page.getByTestId('tile').nth(40)).toBeVisible();
  const scrollY = () => page.evaluate(() => Math.round(window.scrollY));
  await page.evaluate(() => window.scrollTo(0, 1500));
  await expect.poll(scrollY).toBe(1500);

  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '我的', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
  expect(await scrollY()).toBe(0);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('全部服务');
  await expect.poll(scrollY).toBe(1500);

  // A webview that runs the page again (a reload) finds the place too.
  await page.evaluate(() => window.scrollTo(0, 900));
  await expect.poll(scrollY).toBe(900);
  await page.reload();
  await appReady(page);
  await expect.poll(scrollY).toBe(900);

  // A new visit through a link starts at the top.
  await nav.getByRole('link', { name: '首页', exact: true }).click();
  await nav.getByRole('link', { name: '办事', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('全部服务');
  expect(await scrollY()).toBe(0);
});
