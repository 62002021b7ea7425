import { test, expect, type Route } from '@playwright/test';
import { BASE_PATH_PORT } from '../playwright.config';
import { appReady, expectNoAxeViolations } from './helpers';

test('switching to English in 我的 changes every label and is remembered', async ({ page }) => {
  await page.goto('/me');
  await appReady(page);
  await page.getByRole('radio', { name: 'English' }).check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Me');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const tab of ['Home', 'Services', 'Requests', 'Volunteer', 'Me']) {
    await expect(nav.getByRole('link', { name: tab, exact: true })).toBeVisible();
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Me');
  await nav.getByRole('link', { name: 'Home', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Yulin Community');
  await page.getByRole('searchbox', { name: 'Search services' }).fill('housing fund');
  await expect(page.getByTestId('search-results').getByRole('status')).toContainText('found');
  await expectNoAxeViolations(page);
});

test('?lang=en and ?large=1 in the URL override the configuration', async ({ page }) => {
  await page.goto('/?lang=en&large=1');
  await appReady(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('html')).toHaveClass(/large/);
});

test('elder mode enlarges text and targets, simplifies home, and is remembered', async ({ page }) => {
  await page.goto('/me');
  await appReady(page);
  const normal = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await page.getByRole('switch', { name: /长辈版/ }).check();
  await expect(page.locator('html')).toHaveClass(/large/);
  const large = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(large / normal).toBeGreaterThanOrEqual(1.25);

  await page.reload();
  await expect(page.locator('html')).toHaveClass(/large/);
  await page.getByRole('link', { name: '首页' }).click();
  await expect(page.getByTestId('popular')).toBeVisible();
  await expect(page.getByTestId('categories')).toHaveCount(0);
  for (const target of await page.locator('.tab-bar__link, .tile, .button').all()) {
    const box = (await target.boundingBox())!;
    expect(box.height, 'touch target height').toBeGreaterThanOrEqual(48);
  }
  await expectNoAxeViolations(page);
});

test('every touch target is at least 44 px and nothing overflows a 320 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/', '/services', '/me', '/?lang=en', '/services?lang=en']) {
    await page.goto(path);
    await appReady(page);
    await expect(page.getByTestId('tile').first().or(page.getByTestId('language-choice'))).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `horizontal overflow on ${path}`).toBeLessThanOrEqual(0);
    // No card may stick out past the right edge either (overflow can hide inside a scroller).
    const widest = await page.locator('.tile, .card, .point').evaluateAll((els) =>
      Math.max(0, ...els.map((e) => e.getBoundingClientRect().right)),
    );
    expect(widest, `a card sticks out on ${path}`).toBeLessThanOrEqual(320);
    for (const target of await page.locator('.tab-bar__link, .tile, .button, .chip--link, .search__input').all()) {
      const box = await target.boundingBox();
      if (box) expect(box.height, `touch target on ${path}`).toBeGreaterThanOrEqual(44);
    }
  }
});

test('a deep link under the base path works, and survives a reload', async ({ page }) => {
  const base = `http://127.0.0.1:${BASE_PATH_PORT}/community`;
  await page.goto(`${base}/`);
  await appReady(page);
  await page.getByRole('searchbox', { name: '搜索服务' }).fill('gjj');
  await page.getByTestId('search-results').getByTestId('tile').first().click();
  await expect(page).toHaveURL(new RegExp(`^${base}/services/[a-z0-9-]+$`));
  const title = await page.getByRole('heading', { level: 1 }).textContent();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title!);
  await expect(page.getByRole('link', { name: '办事' })).toHaveAttribute('href', '/community/services');
  await page.getByRole('link', { name: '我的' }).click();
  await expect(page).toHaveURL(`${base}/me`);
  // The bare prefix and the site root lead into the app.
  await page.goto(`http://127.0.0.1:${BASE_PATH_PORT}/`);
  await expect(page).toHaveURL(`${base}/`);
  await appReady(page);
});

test('switched-off modules say so honestly and leave the tab bar', async ({ page }) => {
  // Every module is built: where the community offers volunteering, its screen opens.
  await page.goto('/volunteer');
  await appReady(page);
  await expect(page.getByTestId('volunteer-summary')).toBeVisible();
  await expect(page.getByTestId('module-pending')).toHaveCount(0);

  await page.goto('/?modules=services');
  await appReady(page);
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link')).toHaveText(['首页', '办事', '我的']);
  await page.goto('/volunteer?modules=services');
  await expect(page.getByTestId('module-pending')).toContainText('本社区未开通');
});

test('an unknown address shows a not-found page with a way home', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('页面不存在');
  await page.getByRole('link', { name: '回到首页' }).click();
  await appReady(page);
});

test.describe('a broken config.json shows an error page naming the problem', () => {
  test('a bad value names the key and the value', async ({ page }) => {
    await page.route('**/config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: '{"lang": "fr", "modules": ["services"]}' }),
    );
    await page.goto('/');
    const error = page.getByTestId('config-error');
    await expect(error).toContainText('无法启动：配置有误');
    await expect(error).toContainText('lang');
    await expect(error).toContainText('"fr"');
    await expect(error).toContainText('"zh-CN" 或 "en"');
    await expectNoAxeViolations(page);
  });

  test('invalid JSON says where', async ({ page }) => {
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{\n "lang": "en",\n}' }));
    await page.goto('/?lang=en');
    await expect(page.getByTestId('config-error')).toContainText('config.json is not valid JSON');
    await expect(page.getByTestId('config-error')).toContainText('line 3');
  });

  test('a misspelt key is named', async ({ page }) => {
    await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"langauge": "en"}' }));
    await page.goto('/');
    await expect(page.getByTestId('config-error')).toContainText('langauge');
  });

  test('a missing config.json is reported, not a blank screen', async ({ page }) => {
    await page.route('**/config.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto('/');
    await expect(page.getByTestId('config-error')).toContainText('404');
  });

  test('a bad URL override is named too', async ({ page }) => {
    await page.goto('/?large=maybe');
    await expect(page.getByTestId('config-error')).toContainText('?large');
    await expect(page.getByTestId('config-error')).toContainText('"maybe"');
  });
});

test('the shell is painted before the module arrives, and the app takes its place without a jump', async ({ page }) => {
  // Hold the main module back: what shows meanwhile comes from index.html and the stylesheet.
  const held: Route[] = [];
  await page.route('**/*_bg.wasm', (route) => {
    held.push(route);
  });
  await page.goto('/');
  const boot = page.locator('#boot');
  // A neutral title (the community's name comes with config.json), the search field's outline,
  // the loading line for screen readers, and the tab bar's strip.
  await expect(boot.locator('.page-header h1')).toHaveText('市民云 · Citizen Cloud');
  await expect(boot.locator('.search__field')).toBeVisible();
  await expect(page.getByRole('status')).toContainText('正在加载');
  await expect(boot.locator('.tab-bar')).toBeVisible();
  await expect(page.getByTestId('unsupported')).toBeHidden();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  const before = {
    title: (await boot.locator('.page-header h1').boundingBox())!,
    search: (await boot.locator('.search__field').boundingBox())!,
    tabs: (await boot.locator('.tab-bar').boundingBox())!,
  };

  for (const route of held) await route.continue();
  await appReady(page);
  // Replaced, not added to: one heading, one search field, one main, one navigation, one status.
  await expect(boot.locator('.boot-shell')).toHaveCount(0);
  await expect(page.getByTestId('unsupported')).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('玉林社区');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.locator('.search__field')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('navigation')).toHaveCount(1);
  await expect(page.getByTestId('tile').first()).toBeVisible();
  // Everything painted early sits where the app draws it.
  const after = {
    title: (await page.getByRole('heading', { level: 1 }).boundingBox())!,
    search: (await page.locator('.search__field').boundingBox())!,
    tabs: (await page.getByRole('navigation').boundingBox())!,
  };
  for (const part of ['title', 'search', 'tabs'] as const) {
    expect(after[part].y, `${part} top`).toBeCloseTo(before[part].y, 0);
    expect(after[part].height, `${part} height`).toBeCloseTo(before[part].height, 0);
  }
  expect(after.search.width).toBeCloseTo(before.search.width, 0);
  await expectNoAxeViolations(page);
});

test('a browser without WebAssembly gets a plain "please update" page', async ({ page }) => {
  await page.addInitScript(() => {
    // @ts-expect-error simulate an old webview
    delete window.WebAssembly;
  });
  await page.goto('/');
  await expect(page.getByTestId('unsupported')).toBeVisible();
  await expect(page.getByTestId('unsupported')).toContainText('请更新您的应用或浏览器');
});

test.describe('URL overrides last for the tab', () => {
  test('?lang=en survives an in-app navigation and a reload, and ends with the tab', async ({ page, context }) => {
    await page.goto('/?lang=en');
    await appReady(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Services', exact: true }).click();
    await expect(page).toHaveURL(/\/services$/);
    await page.reload();
    await appReady(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(nav.getByRole('link', { name: 'Me', exact: true })).toBeVisible();
    await nav.getByRole('link', { name: 'Me', exact: true }).click();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Me');
    // The override belongs to that tab: another tab opens as the community set it.
    const other = await context.newPage();
    await other.goto('/');
    await appReady(other);
    await expect(other.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  test('?large=1 survives an in-app navigation and a reload', async ({ page }) => {
    await page.goto('/?large=1');
    await appReady(page);
    await expect(page.locator('html')).toHaveClass(/large/);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的' }).click();
    await expect(page).toHaveURL(/\/me$/);
    await page.reload();
    await appReady(page);
    await expect(page.locator('html')).toHaveClass(/large/);
    await expect(page.getByRole('switch', { name: /长辈版/ })).toBeChecked();
  });

  test("the resident's own choice after an override wins: a reload never switches the language", async ({ page }) => {
    // The host passes ?lang=en on every load; the resident switches to Chinese in 我的.
    await page.goto('/me?lang=en');
    await appReady(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Me');
    await page.getByRole('radio', { name: '中文' }).check();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await page.reload();
    await appReady(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
    await page.reload();
    await appReady(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    // Elder mode switched off by the resident stays off although the host says ?large=1.
    await page.goto('/me?lang=zh-CN&large=1');
    await page.getByRole('switch', { name: /长辈版/ }).uncheck();
    await page.goto('/me?lang=zh-CN&large=1');
    await appReady(page);
    await expect(page.locator('html')).not.toHaveClass(/large/);
    // A value the host has not given before is obeyed.
    await page.goto('/me?lang=en&large=1');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Me');
  });
});

test('a kept search fits a 320 px screen: Chinese, English, elder mode', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const cases = [
    { query: '', search: '搜索服务', clear: '清除搜索' },
    { query: '?lang=en', search: 'Search services', clear: 'Clear search' },
    // Each case names its language: the tab keeps the previous case's overrides.
    { query: '?lang=zh-CN&large=1', search: '搜索服务', clear: '清除搜索' },
    { query: '?lang=en&large=1', search: 'Search services', clear: 'Clear search' },
  ];
  for (const { query, search, clear } of cases) {
    await page.goto(`/${query}`);
    await appReady(page);
    await page.getByRole('searchbox', { name: search }).fill('gjj');
    // Kept for the tab: a reload shows the same search.
    await page.reload();
    await appReady(page);
    await expect(page.getByRole('searchbox', { name: search })).toHaveValue('gjj');
    const button = page.getByRole('button', { name: clear });
    await expect(button).toBeVisible();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `page width with a kept search, ${query || 'zh'}`).toBeLessThanOrEqual(320);
    for (const target of [button, page.getByRole('searchbox', { name: search })]) {
      const box = (await target.boundingBox())!;
      expect(box.x + box.width, `inside the screen, ${query || 'zh'}`).toBeLessThanOrEqual(320);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
    await button.click();
    await expect(page.getByRole('searchbox', { name: search })).toHaveValue('');
  }
});

test('phones may add the app to the home screen: Chromium reads its manifest and finds nothing missing', async ({ page, context }) => {
  await page.goto('/');
  await appReady(page);
  const cdp = await context.newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
  const parsed = JSON.parse(manifest.data ?? '{}');
  expect(parsed.name).toBe('玉林社区');
  // Every check runs (a missing icon shows up as no-acceptable-icon); Playwright's contexts are
  // private windows, where Chromium never offers to install, so that one error is expected.
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((e) => e.errorId)).toEqual(['in-incognito']);
});
