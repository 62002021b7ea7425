// A webview without WebAssembly gets the plain "please update your app" page (e2e/shell.spec.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOCAL, byTestId, eventually, expectNoAxeViolations, injectScript, textOf, withBrowser } from '../helpers.mjs';

test('without WebAssembly the page asks, in both languages, to update the app', { timeout: 60_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(LOCAL, 'delete window.WebAssembly;');
    await browser.url(`${LOCAL}/`);
    const page = await byTestId(browser, 'unsupported');
    await eventually(async () => {
      const text = await textOf(page);
      assert.match(text, /请更新您的应用或浏览器/);
      assert.match(text, /Please update your app or browser/);
    });
    // Nothing of the app's loading shell is left showing.
    assert.equal(await (await browser.$('.boot-shell')).isDisplayed(), false);
    await expectNoAxeViolations(browser);
  }));
