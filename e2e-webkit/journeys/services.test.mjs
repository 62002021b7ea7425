// A resident finds a service by pinyin and opens its tile (e2e/services.spec.ts in Chromium).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOCAL, appReady, byRole, byTestId, eventually, expectHeading, expectNoAxeViolations, fill, location, tab, textOf, click, withBrowser } from '../helpers.mjs';

test('home → search "gjj" → open the 公积金 tile, favourite it, find it again after a reload', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    await browser.url(`${LOCAL}/`);
    await appReady(browser);
    await expectHeading(browser, '玉林社区');
    await expectNoAxeViolations(browser);

    const search = await byRole(browser, 'searchbox', '搜索服务');
    await fill(search, 'gjj');
    const results = await byTestId(browser, 'search-results');
    await eventually(async () => assert.match(await textOf(await byRole(results, 'status')), /找到/));
    const first = await byTestId(results, 'tile');
    assert.match(await textOf(first), /公积金/);
    const title = await textOf(await first.$('.tile__title'));
    await expectNoAxeViolations(browser);
    await click(first);

    await eventually(async () => assert.match((await location(browser)).pathname, /^\/services\/[a-z0-9-]+$/));
    await expectHeading(browser, title);
    const favourite = await byRole(browser, 'button', '收藏');
    assert.equal(await favourite.getAttribute('aria-pressed'), 'false');
    await click(favourite);
    await eventually(async () => assert.equal(await favourite.getAttribute('aria-pressed'), 'true'));
    await expectNoAxeViolations(browser);

    await browser.refresh();
    await appReady(browser);
    await eventually(async () => assert.equal(await (await byRole(browser, 'button', '收藏')).getAttribute('aria-pressed'), 'true'));
    await click(await tab(browser, '首页'));
    await eventually(async () => assert.equal(await (await byRole(browser, 'searchbox', '搜索服务')).getValue(), 'gjj'));
    await click(await byRole(browser, 'button', '清除搜索'));
    const favourites = await byTestId(browser, 'favourites-list');
    await byRole(favourites, 'link', new RegExp(title));
    await expectNoAxeViolations(browser);
  }));
