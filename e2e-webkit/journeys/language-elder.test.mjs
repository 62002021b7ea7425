// English and elder mode in WebKit (e2e/shell.spec.ts in Chromium), chosen in 我的 and remembered
// across a reload, on the in-browser backend; nothing may stick out sideways at the narrowest
// window WebKitGTK's MiniBrowser allows (its toolbar keeps the window at least 447 px wide), and
// a focused control is not left under the fixed tab bar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  LOCAL,
  appReady,
  byRole,
  byTestId,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  injectScript,
  tab,
  click,
  withBrowser,
} from '../helpers.mjs';

/** The page's width beyond the window, and the right edge of its widest card, in CSS px. */
async function overflow(browser) {
  return browser.execute(() => ({
    window: window.innerWidth,
    page: document.documentElement.scrollWidth - window.innerWidth,
    widest: Math.max(0, ...[...document.querySelectorAll('.tile, .card, .point')].map((e) => e.getBoundingClientRect().right)),
  }));
}

async function expectFits(browser, where) {
  const measured = await overflow(browser);
  assert.ok(measured.page <= 0, `horizontal overflow on ${where}: ${JSON.stringify(measured)}`);
  assert.ok(measured.widest <= measured.window, `a card sticks out on ${where}: ${JSON.stringify(measured)}`);
}

/** A control below the window, given the focus (as Tab or VoiceOver does), comes into view above
 * the fixed tab bar, not under it: 我的's elder-mode switch, from the top of the screen. */
async function expectFocusClearOfTabBar(browser, ms = 10_000) {
  const control = await byTestId(browser, 'elder-mode');
  await browser.execute((el) => {
    window.scrollTo(0, 0);
    el.focus();
  }, control);
  await eventually(async () => {
    const { bottom, bar, scrolled } = await browser.execute(
      (el) => ({ bottom: el.getBoundingClientRect().bottom, bar: document.querySelector('.tab-bar').getBoundingClientRect().top, scrolled: window.scrollY }),
      control,
    );
    assert.ok(scrolled > 0 && bottom <= bar, `the focused switch ends at ${bottom} px, the tab bar starts at ${bar} px`);
  }, ms);
}

const bodyFontSize = (browser) => browser.execute(() => parseFloat(getComputedStyle(document.body).fontSize));
const large = (browser) => browser.execute(() => document.documentElement.classList.contains('large'));

test('English, then elder mode, chosen in 我的, remembered, and nothing overflows the narrowest window', { timeout: 150_000 }, () =>
  withBrowser(async (browser) => {
    // As narrow as MiniBrowser goes (asked for 320 px; it keeps its own minimum).
    await browser.setWindowSize(320, 700);
    await browser.url(`${LOCAL}/me`);
    await appReady(browser);
    const width = await browser.execute(() => window.innerWidth);
    assert.ok(width <= 460, `the narrowest window is ${width} px`);

    await expectFocusClearOfTabBar(browser);

    await click(await byRole(await byTestId(browser, 'language-choice'), 'radio', 'English'));
    await eventually(async () => assert.equal(await browser.execute(() => document.documentElement.lang), 'en'));
    await expectHeading(browser, 'Me');
    const nav = await byRole(browser, 'navigation', 'Main navigation');
    for (const name of ['Home', 'Services', 'Requests', 'Volunteer', 'Me']) await byRole(nav, 'link', name);
    await expectFits(browser, '/me in English');
    await expectNoAxeViolations(browser);

    await browser.refresh();
    await appReady(browser);
    await expectHeading(browser, 'Me');
    await click(await byRole(await byRole(browser, 'navigation', 'Main navigation'), 'link', 'Home'));
    await expectHeading(browser, 'Yulin Community');
    await fill(await byRole(browser, 'searchbox', 'Search services'), 'housing fund');
    await expectText(await byRole(await byTestId(browser, 'search-results'), 'status'), /found/);
    await expectFits(browser, 'home in English, searching');
    await expectNoAxeViolations(browser);
    // The search is kept until cleared.
    await click(await byRole(browser, 'button', 'Clear search'));

    // Elder mode: larger text and targets, a simpler home, remembered.
    await click(await byRole(await byRole(browser, 'navigation', 'Main navigation'), 'link', 'Me'));
    await expectHeading(browser, 'Me');
    const normal = await bodyFontSize(browser);
    await click(await byRole(browser, 'switch', /Large text/));
    await eventually(async () => assert.ok(await large(browser), 'html.large'));
    assert.ok((await bodyFontSize(browser)) / normal >= 1.25, 'text at least 1.25 times larger');
    await expectFits(browser, '/me in English, elder mode');
    await expectNoAxeViolations(browser);

    // Back to Chinese; elder mode stays.
    await click(await byRole(await byTestId(browser, 'language-choice'), 'radio', '中文'));
    await expectHeading(browser, '我的');
    await browser.refresh();
    await appReady(browser);
    assert.ok(await large(browser), 'elder mode is remembered');
    await expectFocusClearOfTabBar(browser);
    await click(await tab(browser, '首页'));
    await expectHeading(browser, '玉林社区');
    await byTestId(browser, 'popular');
    assert.equal((await browser.$$('[data-testid="categories"]')).length, 0, 'no categories in elder mode');
    const small = await browser.execute(() =>
      [...document.querySelectorAll('.tab-bar__link, .tile, .button')]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.height > 0 && r.height < 48)
        .map((r) => r.height),
    );
    assert.deepEqual(small, [], 'every touch target at least 48 px high');
    await expectFits(browser, 'home, elder mode');
    await expectNoAxeViolations(browser);
    await browser.url(`${LOCAL}/services`);
    await appReady(browser);
    await byTestId(browser, 'tile');
    await expectFits(browser, '/services, elder mode');
  }));

// The check above can fail: without the page's scroll padding, WebKit scrolls a focused control
// only until its bottom edge is in the window, under the tab bar.
test('the focus check goes red when the page leaves no room for the tab bar', { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, "document.documentElement.style.scrollPaddingBottom = '0px';");
    await browser.url(`${LOCAL}/me`);
    await appReady(browser);
    await assert.rejects(expectFocusClearOfTabBar(browser, 3_000), /the focused switch ends at/);
  }));
