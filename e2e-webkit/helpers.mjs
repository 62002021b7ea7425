// What every WebKit journey uses: a browser session, queries by role and accessible name, waiting,
// axe-core, the proxies' controls, and the demo accounts. WebdriverIO (standalone `remote()`)
// speaks WebDriver to WebKitWebDriver; roles and names are the engine's own (WebDriver's
// "Get Computed Role" and "Get Computed Label"), so a query finds what VoiceOver would announce.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { ports } from './ports.mjs';
import { drawCameraPhoto } from '../e2e/draw-photo.mjs';

const p = ports();
const origin = (port) => `http://127.0.0.1:${port + p.proxyOffset}`;
/** The bundle with its own config (services on `local`), through its proxy. */
export const LOCAL = origin(p.local);
/** The bundle with config/serve.json (every module on the server's API), through its proxy. */
export const REST = origin(p.rest);
/** The bundle with `routing: "hash"`, through its proxy. */
export const HASH = origin(p.hash);
/** The bundle with config/serve.json whose requests go to the fixture city, through its proxy. */
export const CITY_APP = origin(p.cityApp);
/** The fixture city (e2e/fixtures/georeport-city.mjs): its own origin, not the page's; its
 * GeoReport endpoint is `${CITY}/city/georeport/v2/`, its test controls under `${CITY}/__fixture/`. */
export const CITY = `http://127.0.0.1:${p.city}`;
/** The demo password and the axe-core rules, shared with the Playwright suite (e2e/helpers.ts). */
const shared = JSON.parse(readFileSync(new URL('../e2e/shared.json', import.meta.url), 'utf8'));
/** The demo accounts' password (see the README). */
export const DEMO_PASSWORD = shared.demo_password;
/** The demo accounts: a resident, a resident who volunteers, and staff. */
export const RESIDENT = '13800000001';
export const NEIGHBOUR = '13800000002';
export const STAFF = '13800000003';

/** The phone-sized window the Playwright suite uses; WebKitGTK's MiniBrowser keeps its own
 * minimum width (its toolbar), so the page may get a little more (see `viewport`). */
export const WINDOW = { width: 390, height: 844 };

/** Opens a WebKit session (MiniBrowser, China time) with the phone-sized window. */
export async function openBrowser() {
  const browser = await remote({
    hostname: '127.0.0.1',
    port: p.driver,
    path: '/',
    // Failures reach the journey as errors; wdio's own log would repeat the ones a query retries.
    logLevel: 'silent',
    connectionRetryCount: 0,
    capabilities: {
      browserName: 'MiniBrowser',
      // WebKitGTK 2.50's WebDriver BiDi is partial: plain WebDriver (classic) for every command.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': {
        binary: process.env.WEBKIT_MINIBROWSER,
        args: ['--automation', '--time-zone=Asia/Shanghai'],
      },
    },
  });
  await browser.setWindowSize(WINDOW.width, WINDOW.height);
  browser.setTimeout({ script: 60_000 });
  return browser;
}

/** Runs `journey` with a fresh session, closed (and the proxies reset) however it ends. */
export async function withBrowser(journey) {
  for (let attempt = 1; ; attempt++) {
    const browser = await openBrowser();
    try {
      await journey(browser);
      return;
    } catch (e) {
      // The browser process went away under the driver (seen once on a loaded CI machine, at a
      // page load): that says nothing about the app, so the journey runs once more in a new
      // session, and says so. Any other failure, or the same one twice, fails the test.
      if (attempt === 1 && /invalid session id/i.test(String(e?.message ?? e))) {
        console.log(`WebKit's session died (${e.message}); the journey runs once more in a new session`);
        continue;
      }
      throw e;
    } finally {
      await resetProxies();
      await browser.deleteSession().catch(() => {});
    }
  }
}

/** Retries `check` until it passes or `ms` run out; then fails with its last error. */
export async function eventually(check, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

// The elements that can have each role natively, besides an explicit `role`.
const NATIVE = {
  link: 'a[href], area[href]',
  button: 'button, input[type=button], input[type=submit], input[type=reset], summary',
  heading: 'h1, h2, h3, h4, h5, h6',
  navigation: 'nav',
  main: 'main',
  searchbox: 'input[type=search]',
  textbox: 'input:not([type]), input[type=text], input[type=tel], input[type=email], input[type=password], textarea',
  combobox: 'select, input[list]',
  radio: 'input[type=radio]',
  checkbox: 'input[type=checkbox]',
  img: 'img[alt]:not([alt=""])',
  status: 'output',
  list: 'ul, ol',
  listitem: 'li',
  region: 'section[aria-label], section[aria-labelledby]',
  form: 'form[aria-label], form[aria-labelledby]',
  spinbutton: 'input[type=number]',
  group: 'fieldset, details',
};

const matches = (name, wanted) => (wanted === undefined ? true : wanted instanceof RegExp ? wanted.test(name) : name === wanted);
// WebKit's computed name of a text field goes on past its label with its placeholder (and, for a
// search field, its clear button's "cancel"): "搜索服务 搜服务，如 公积金、社保、gjj cancel". The label
// is what is asked for, so a field matches on its label followed by that tail.
const fieldMatches = (name, wanted) => matches(name, wanted) || (typeof wanted === 'string' && name.startsWith(`${wanted} `));
const FIELDS = new Set(['searchbox', 'textbox', 'combobox', 'spinbutton']);
// WebKit computes ARIA 1.3's `image` for an <img> with alt text, where ARIA 1.2 (and Playwright) say `img`.
const SYNONYMS = { img: ['img', 'image'] };

/** Every displayed element under `within` (a WebdriverIO element or the browser) whose computed
 * role is `role` and whose accessible name is `name` (exact string or RegExp; any when omitted). */
export async function allByRole(within, role, name) {
  const css = [NATIVE[role], `[role=${role}]`].filter(Boolean).join(', ');
  const found = [];
  const named = FIELDS.has(role) ? fieldMatches : matches;
  for (const element of await within.$$(css)) {
    // An element the app replaced meanwhile is stale: not a match (the caller asks again).
    const ok = await (async () =>
      (SYNONYMS[role] ?? [role]).includes(await element.getComputedRole()) &&
      named((await element.getComputedLabel()).trim(), name) &&
      (await element.isDisplayed()))().catch(() => false);
    if (ok) found.push(element);
  }
  return found;
}

/** The one displayed element with this role and name, waited for (10 s). */
export async function byRole(within, role, name, ms = 10_000) {
  return eventually(async () => {
    const found = await allByRole(within, role, name);
    assert.equal(found.length, 1, `one ${role} named ${name ?? '(any)'}, found ${found.length}`);
    return found[0];
  }, ms);
}

/** The form field whose accessible name (its label) is `label`, waited for. */
export async function byLabel(within, label, ms = 10_000) {
  return eventually(async () => {
    const found = [];
    for (const element of await within.$$('input, textarea, select')) {
      const ok = await (async () => fieldMatches((await element.getComputedLabel()).trim(), label) && (await element.isDisplayed()))().catch(() => false);
      if (ok) found.push(element);
    }
    assert.equal(found.length, 1, `one field labelled ${label}, found ${found.length}`);
    return found[0];
  }, ms);
}

/** The element with `data-testid`, waited for until it is displayed. */
export async function byTestId(within, id, ms = 10_000) {
  return eventually(async () => {
    const element = await within.$(`[data-testid="${id}"]`);
    assert.ok(await element.isDisplayed(), `[data-testid="${id}"] is displayed`);
    return element;
  }, ms);
}

/** The page's one level-1 heading's text, once it is `text`. */
export async function expectHeading(browser, text, ms = 10_000) {
  await eventually(async () => {
    const shown = [];
    for (const h1 of await browser.$$('h1')) if (await h1.isDisplayed()) shown.push(await textOf(h1));
    assert.deepEqual(shown, [text], 'the displayed level-1 headings');
  }, ms);
}

/** Waits until the app has loaded its configuration and catalog (its main navigation is up). */
export async function appReady(browser) {
  await byRole(browser, 'navigation', /主导航|Main navigation/, 20_000);
}

/** The main navigation's tab named `name`. */
export async function tab(browser, name) {
  return byRole(await byRole(browser, 'navigation', '主导航'), 'link', name);
}

/** An attribute as written in the page (WebdriverIO's getAttribute resolves `href` to a full URL). */
export async function attr(browser, element, name) {
  return browser.execute((el, n) => el.getAttribute(n), element, name);
}

/** The current URL, parsed. */
export async function location(browser) {
  return new URL(await browser.getUrl());
}

/** Clicks `element` after bringing it into view as the page's own `scrollIntoView` does, which
 * stops above the app's fixed tab bar (its `scroll-padding-bottom`). WebDriver's Element Click
 * does not scroll an element that is inside the window already, even under the tab bar, so a
 * control near the end of a screen would be "intercepted"; WebdriverIO's own scrollIntoView
 * (wheel actions) leaves the page where it is in WebKitGTK. */
export async function click(element) {
  await element.execute((el) => el.scrollIntoView({ block: 'nearest' }));
  try {
    await element.click();
  } catch (e) {
    // Say what was clicked and what lies on top of it.
    const seen = await element
      .execute((el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return `${el.outerHTML.slice(0, 120)} at ${Math.round(r.top)}–${Math.round(r.bottom)} px of ${innerHeight}, under ${top?.outerHTML.slice(0, 120)}`;
      })
      .catch(() => 'an element no longer there');
    throw new Error(`clicking ${seen}: ${e.message}`);
  }
}

/** Types into a field the way a person does (after clearing it). */
export async function fill(field, text) {
  await field.clearValue();
  await field.addValue(text);
}

const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
/** The WCAG 2.1 A/AA rules, the same as e2e/helpers.ts runs. */
const AXE_TAGS = shared.axe_tags;

/** axe-core's WCAG 2.1 A/AA rules must find nothing on the screen as it is now. */
export async function expectNoAxeViolations(browser) {
  if (!(await browser.execute(() => typeof window.axe === 'object'))) {
    // Loaded through WebDriver, not a <script>, so the page's CSP is left as it is.
    await browser.execute(`${AXE}\n;window.axe = axe;`);
  }
  const violations = await browser.executeAsync((tags, done) => {
    window.axe
      .run(document, { runOnly: { type: 'tag', values: tags } })
      .then((r) => done(r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)))
      .catch((e) => done([`axe-core failed: ${e}`]));
  }, AXE_TAGS);
  assert.deepEqual(violations, [], `axe-core violations on ${await browser.getUrl()}`);
}

async function control(base, state) {
  const reply = await fetch(`${base}/__webkit/control`, { method: 'POST', body: JSON.stringify(state) });
  assert.equal(reply.status, 204);
}
/** Loads `script` before the page's own scripts on every page `base` serves, until reset. */
export const injectScript = (base, script) => control(base, { inject: script });
/** The server at `base` becomes unreachable (connections close), or reachable again. */
export const setServerReachable = (base, reachable) => control(base, { offline: !reachable });
async function resetProxies() {
  await Promise.all([LOCAL, REST, HASH, CITY_APP].map((base) => control(base, {}).catch(() => {})));
}

/** The element with `data-testid` whose text contains `text`, waited for. */
export async function byTestIdWithText(within, id, text, ms = 10_000) {
  return eventually(async () => {
    for (const element of await within.$$(`[data-testid="${id}"]`)) {
      if ((await textOf(element)).includes(text)) return element;
    }
    assert.fail(`no [data-testid="${id}"] containing ${text}`);
  }, ms);
}

/** On the in-browser (`local`) backend: acts as the demo person `name`, chosen in 我的. */
export async function actAs(browser, name) {
  await browser.url(`${LOCAL}/me`);
  await appReady(browser);
  const choice = await byRole(await byTestId(browser, 'demo-identity'), 'radio', name);
  await click(choice);
  await eventually(async () => assert.ok(await choice.isSelected(), `${name} is chosen`));
}

/** An element's rendered text (`innerText`). WebDriver's own Get Element Text gives "" in WebKitGTK
 * for a row of the time bank's statement (a grid row in a scroll box) that is on screen and
 * whose innerText is right, so the page's own is read. */
export async function textOf(element) {
  return (await element.getProperty('innerText')).trim();
}

/** An element's rendered text, once it matches `expected` (a string: equal; or a RegExp). */
export async function expectText(element, expected, ms = 10_000) {
  await eventually(async () => {
    const text = await textOf(element);
    if (expected instanceof RegExp) assert.match(text, expected);
    else assert.equal(text, expected);
  }, ms);
}

/** Signs in as a demo person through the form in 我的 (of the app at `base`), and waits for the
 * signed-in card. */
export async function signIn(browser, mobile, base = REST) {
  await browser.url(`${base}/me`);
  await appReady(browser);
  const form = await byTestId(browser, 'sign-in');
  await fill(await byLabel(form, '手机号'), mobile);
  await fill(await byLabel(form, '密码'), DEMO_PASSWORD);
  await click(await byRole(form, 'button', '登录'));
  await byTestId(browser, 'signed-in');
}

/** Signs out through the button in 我的, and waits for the sign-in form. */
export async function signOut(browser) {
  await browser.url(`${REST}/me`);
  await appReady(browser);
  await click(await byRole(await byTestId(browser, 'signed-in'), 'button', '退出登录'));
  await byTestId(browser, 'sign-in');
}

/** Signs a demo person in through the API and returns their bearer token. */
export async function token(mobile) {
  const reply = await fetch(`${REST}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mobile, password: DEMO_PASSWORD }),
  });
  assert.ok(reply.ok, `sign-in for ${mobile}: ${reply.status}`);
  return (await reply.json()).token;
}

/** Calls the API as `bearer`; returns the parsed reply after checking its status. */
export async function api(bearer, method, path, body, status = 200) {
  const reply = await fetch(`${REST}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await reply.text();
  assert.equal(reply.status, status, `${method} ${path}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A camera-sized JPEG (2400×1800) drawn by WebKit itself, saved to a file for a file input. */
export async function cameraPhoto(browser, label) {
  const base64 = await browser.execute(drawCameraPhoto, label);
  const file = join(mkdtempSync(join(tmpdir(), 'webkit-photo-')), `${label.replace(/\W+/g, '_')}.jpg`);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}
