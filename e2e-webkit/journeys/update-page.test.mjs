// The plain "please update your app" page (e2e/shell.spec.ts and e2e/chunks.spec.ts in Chromium):
// for a webview without WebAssembly, for one that cannot compile the main module (Safari and
// WKWebView 15 and older lack reference types and multi-value), and for one that cannot compile a
// screen's chunk. The proxy loads a script before the page's own that takes WebAssembly away or
// makes its compiling fail the way those engines do (a WebAssembly.CompileError).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOCAL, appReady, byTestId, click, eventually, expectNoAxeViolations, injectScript, tab, textOf, withBrowser } from '../helpers.mjs';

/** The update page is up, in both languages, and nothing of the app or its loading shell shows. */
async function expectUpdatePage(browser) {
  const page = await byTestId(browser, 'unsupported', 20_000);
  await eventually(async () => {
    const text = await textOf(page);
    assert.match(text, /请更新您的应用或浏览器/);
    assert.match(text, /Please update your app or browser/);
  });
  assert.equal(await (await browser.$('.boot-shell')).isDisplayed(), false);
  assert.equal(await (await browser.$('nav')).isDisplayed().catch(() => false), false, 'no navigation');
  await expectNoAxeViolations(browser);
}

/** Makes compiling fail with a CompileError, after `allowed` modules have compiled. */
const compileFails = (allowed) => `(() => {
  let compiled = 0;
  const refuse = (real) => function (...args) {
    if (compiled++ < ${allowed}) return real.apply(this, args);
    return Promise.reject(new WebAssembly.CompileError('reference types are not supported (simulated)'));
  };
  WebAssembly.instantiateStreaming = refuse(WebAssembly.instantiateStreaming);
  WebAssembly.instantiate = refuse(WebAssembly.instantiate);
  WebAssembly.compileStreaming = refuse(WebAssembly.compileStreaming);
  WebAssembly.compile = refuse(WebAssembly.compile);
})();`;

test('without WebAssembly the page asks, in both languages, to update the app', { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, 'delete window.WebAssembly;');
    await browser.url(`${LOCAL}/`);
    await expectUpdatePage(browser);
  }));

test('a main module this webview cannot compile gets the same page', { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, compileFails(0));
    await browser.url(`${LOCAL}/`);
    await expectUpdatePage(browser);
  }));

test('a screen whose chunk this webview cannot compile gets the same page, not a retry', { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, compileFails(1));
    await browser.url(`${LOCAL}/`);
    await appReady(browser);
    await click(await tab(browser, '我的'));
    await expectUpdatePage(browser);
  }));
