// Routing in WebKit (e2e/navigation.spec.ts). `routing: "hash"`: deep links, links and the back
// button stay after the #, and never go through history.pushState, also in a webview whose
// pushState throws (as some hosts' do). Path mode in such a webview: a link loads the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HASH, LOCAL, appReady, attr, expectHeading, expectNoAxeViolations, injectScript, location, tab, click, withBrowser } from '../helpers.mjs';

async function journey(browser) {
  await browser.url(`${HASH}/#/services/housing-fund-balance`);
  await appReady(browser);
  await expectHeading(browser, '公积金查询');
  await browser.execute(() => (window.marker = 42));
  const services = await tab(browser, '办事');
  assert.equal(await attr(browser, services, 'href'), '#/services');
  assert.equal(await services.getAttribute('aria-current'), 'page');
  await expectNoAxeViolations(browser);

  await click(await tab(browser, '我的'));
  await expectHeading(browser, '我的');
  const url = await location(browser);
  assert.equal(url.pathname, '/');
  assert.equal(url.hash, '#/me');
  await expectNoAxeViolations(browser);

  await browser.back();
  await expectHeading(browser, '公积金查询');
  // The same page all along: no link fell back to loading it.
  assert.equal(await browser.execute(() => window.marker), 42);
  await browser.refresh();
  await appReady(browser);
  await expectHeading(browser, '公积金查询');
  assert.equal((await location(browser)).hash, '#/services/housing-fund-balance');
}

test('hash routing: a deep link, a link and the back button stay after the #', { timeout: 90_000 }, () => withBrowser(journey));

test('hash routing still works in a webview whose history.pushState throws', { timeout: 90_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(HASH, 'history.pushState = function () { throw new Error("blocked by the host webview"); };');
    await journey(browser);
  }));

// The suite can fail: with the webview's `hashchange` events lost (a broken engine or host), the
// back button no longer brings the previous screen, and the journey above must go red.
test('the journey goes red when the webview never reports hashchange', { timeout: 90_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(
      HASH,
      `const add = EventTarget.prototype.addEventListener;
       EventTarget.prototype.addEventListener = function (type, ...rest) {
         if (type === 'hashchange') return;
         return add.call(this, type, ...rest);
       };`,
    );
    await assert.rejects(journey(browser), /公积金查询|我的/);
  }));

test('path routing: when the webview refuses history.pushState, a link still opens its screen by loading it', { timeout: 90_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, 'history.pushState = function () { throw new Error("blocked by the host webview"); };');
    await browser.url(`${LOCAL}/`);
    await appReady(browser);
    await browser.execute(() => (window.marker = 42));
    await click(await tab(browser, '我的'));
    await expectHeading(browser, '我的');
    assert.equal((await location(browser)).pathname, '/me');
    // Loaded, not pushed: the page is a new one.
    assert.equal(await browser.execute(() => window.marker), null);
    await expectNoAxeViolations(browser);
  }));
