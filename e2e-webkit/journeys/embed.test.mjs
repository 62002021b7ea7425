// Embedding in WebKit (e2e/embed.spec.ts in Chromium): the app as an iOS WKWebView host sees it.
// A native iOS host registers a script message handler, which WebKit exposes to the page as
// `window.webkit.messageHandlers.citizenCloud` (with `postMessage(json)`), and drives the app with
// `window.citizenCloud.receive(json)`. WebDriver cannot register a handler, so the proxy loads a
// script before the page's own that defines one the way WebKit shows it; the app must not take
// a plain page, or a webview whose host registered other handlers, for a host (it would fetch
// the bridge's chunk for nothing). A mini-program web-view instead hands over `?host_code=`.
//
// What WebKitGTK 2.50 itself gives a page (probed with a WebKitWebView, not through WebDriver):
// with no handler registered, `window.webkit` does not exist; once the host registers any, it is
// a `WebKitNamespace` whose `messageHandlers` reads `undefined` for every name not registered, so
// only a host that registered `citizenCloud` is taken for one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NEIGHBOUR,
  REST,
  RESIDENT,
  appReady,
  byRole,
  byTestId,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  injectScript,
  location,
  click,
  withBrowser,
} from '../helpers.mjs';

/** A host code for `mobile`, as a host's own server gets one (the demo host's credentials). */
async function hostCode(mobile) {
  const reply = await fetch(`${REST}/api/v1/host/sign-in-codes`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('host_demo:demo-host-secret-2026').toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ mobile }),
  });
  assert.equal(reply.status, 201, await reply.clone().text());
  return (await reply.json()).code;
}

/** The wasm files the page has fetched so far (the chunk loader fetches each one). */
async function wasmFetched(browser) {
  return browser.execute(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((n) => n.endsWith('.wasm')),
  );
}
const bridgeLoaded = (urls) => urls.some((u) => u.endsWith('/split_embed.wasm'));

/** Loads `path` and waits past the app's 3-second prefetch of the next screens' chunks. */
async function loadAndSettle(browser, path) {
  await browser.url(`${REST}${path}`);
  await appReady(browser);
  await new Promise((r) => setTimeout(r, 4_000));
}

test('a plain page, and a webview whose host registered other handlers, load no bridge', { timeout: 90_000 }, () =>
  withBrowser(async (browser) => {
    await loadAndSettle(browser, '/services/housing-fund-balance');
    assert.equal(await browser.execute(() => 'webkit' in window), false, 'WebKitGTK without a host shows no window.webkit');
    const plain = await wasmFetched(browser);
    assert.ok(plain.length > 1, `the main module and the prefetched chunks: ${plain}`);
    assert.equal(bridgeLoaded(plain), false, `no bridge on a plain page: ${plain}`);
    // An external tile opens in a new page, as without a host.
    assert.equal(await (await byRole(browser, 'link', /进入服务/)).getAttribute('target'), '_blank');
    assert.equal(await browser.execute(() => typeof window.citizenCloud), 'undefined');

    // An in-app browser's webview (WeChat, Alipay) registers handlers of its own, not ours.
    await injectScript(REST, 'window.webkit = { messageHandlers: { hostBridge: { postMessage() {} } } };');
    await loadAndSettle(browser, '/services/housing-fund-balance');
    const other = await wasmFetched(browser);
    assert.equal(bridgeLoaded(other), false, `no bridge for another host's handlers: ${other}`);
    assert.equal(await browser.execute(() => typeof window.citizenCloud), 'undefined');
  }));

// The iOS host: its handler records what the app posts (JSON text), as WKScriptMessageHandler would.
const IOS_HOST = `(() => {
  const sent = [];
  window.sent = sent;
  window.webkit = { messageHandlers: { citizenCloud: { postMessage(json) { sent.push(json); } } } };
})();`;

/** What the app has posted to the host so far, parsed. */
async function sent(browser) {
  return (await browser.execute(() => window.sent)).map((json) => JSON.parse(json));
}
async function lastOf(browser, type) {
  return (await sent(browser)).filter((m) => m.type === type).pop();
}
/** The host calls `window.citizenCloud.receive` with a bridge message. */
async function receive(browser, message) {
  await browser.execute((json) => window.citizenCloud.receive(json), JSON.stringify({ bridge: 'citizen-cloud', version: 1, ...message }));
}

test('an iOS host hears ready, route and height, and drives the app with citizenCloud.receive', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    await injectScript(REST, IOS_HOST);
    await browser.url(`${REST}/`);
    await appReady(browser);
    const ready = await eventually(async () => {
      const found = await lastOf(browser, 'ready');
      assert.ok(found, 'ready');
      return found;
    });
    assert.equal(ready.bridge, 'citizen-cloud');
    assert.equal(ready.version, 1);
    assert.equal(ready.route, '/');
    assert.ok(bridgeLoaded(await wasmFetched(browser)), 'the bridge is loaded for a host');
    await eventually(async () => assert.ok((await lastOf(browser, 'height'))?.px > 300, 'height'));
    await expectNoAxeViolations(browser);

    // Navigate: the app follows, and says where it is with the screen's title.
    await receive(browser, { type: 'navigate', path: '/me' });
    await expectHeading(browser, '我的');
    await eventually(async () => {
      const route = await lastOf(browser, 'route');
      assert.equal(route?.path, '/me');
      assert.match(route.title, /我的/);
    });
    assert.equal((await location(browser)).pathname, '/me');
    await byTestId(browser, 'sign-in');

    // A message the core refuses (a screen on another site) changes nothing.
    await receive(browser, { type: 'navigate', path: 'https://evil.example/' });
    await new Promise((r) => setTimeout(r, 300));
    await expectHeading(browser, '我的');

    // A code the server never issued: nobody is signed in, and the host hears what went wrong.
    await receive(browser, { type: 'auth', code: 'hc_0123456789abcdefXYZ' });
    await eventually(async () => assert.match((await lastOf(browser, 'error'))?.message ?? '', /\S/));
    await byTestId(browser, 'sign-in');

    // The host's server got a code for the person; the host hands it over.
    await receive(browser, { type: 'auth', code: await hostCode(RESIDENT) });
    await expectText(await byTestId(browser, 'account-name'), '张明');
    await expectNoAxeViolations(browser);

    // Language and elder mode, as the host's own settings say.
    await receive(browser, { type: 'set', lang: 'en', large_text: true });
    await byRole(browser, 'navigation', 'Main navigation');
    await expectHeading(browser, 'Me');
    await eventually(async () => assert.match(await browser.execute(() => document.documentElement.className), /\blarge\b/));
    await expectNoAxeViolations(browser);

    // A screen that needs a person tells the host, once signed out.
    await receive(browser, { type: 'sign-out' });
    await byTestId(browser, 'sign-in');
    await receive(browser, { type: 'navigate', path: '/requests' });
    await byTestId(browser, 'requests-sign-in');
    await eventually(async () => assert.ok(await lastOf(browser, 'sign-in'), 'sign-in'));
  }));

test('a host code in the address signs in and leaves the address at once, and works once', { timeout: 90_000 }, () =>
  withBrowser(async (browser) => {
    const code = await hostCode(NEIGHBOUR);
    await browser.url(`${REST}/me?host_code=${code}`);
    await appReady(browser);
    await expectText(await byTestId(browser, 'account-name'), '王芳');
    const url = await location(browser);
    assert.equal(url.pathname, '/me');
    assert.equal(url.search, '');
    await expectNoAxeViolations(browser);
    // Replaced, not added: going back does not bring the code back either.
    await browser.back();
    assert.doesNotMatch(await browser.getUrl(), /host_code/);
    await browser.url(`${REST}/me`);
    await appReady(browser);

    // Used once: the same code again signs nobody in, and 我的 says to start again from the app.
    await click(await byRole(await byTestId(browser, 'signed-in'), 'button', '退出登录'));
    await byTestId(browser, 'sign-in');
    await browser.url(`${REST}/me?host_code=${code}`);
    await appReady(browser);
    await expectText(await byTestId(browser, 'session-notice'), '应用传来的登录已失效，请返回应用重新进入。');
    await byTestId(browser, 'sign-in');
    assert.equal((await location(browser)).search, '');
    assert.equal((await browser.$$('[data-testid="signed-in"]')).length, 0);
    await expectNoAxeViolations(browser);
  }));
