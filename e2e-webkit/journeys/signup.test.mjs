// Sign-up by SMS code on the server (e2e/signup.spec.ts in Chromium). The server's `log` sender
// writes each code to sms.log in its data directory, where the journey reads it as a phone would.
import assert from 'node:assert/strict';
import { codesFor } from '../../e2e/sms-log.mjs';
import { test } from 'node:test';
import { ports } from '../ports.mjs';
import {
  REST,
  appReady,
  attr,
  byLabel,
  byRole,
  byTestId,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  location,
  tab,
  click,
  withBrowser,
} from '../helpers.mjs';

const SMS_LOG = new URL(`../data/${ports().rest}/sms.log`, import.meta.url).pathname;

/** The codes the log sender wrote to `mobile`, oldest first. */
const codesTo = (mobile) => codesFor(SMS_LOG, mobile);

/** Whether `element` has the focus. */
const focused = (browser, element) => browser.execute((el) => document.activeElement === el, element);

test('a new resident signs up with an SMS code, a wrong code first, and lands signed in', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    const mobile = '13900000201';
    await browser.url(`${REST}/me`);
    await appReady(browser);
    await click(await byRole(browser, 'link', '注册新账号'));
    await expectHeading(browser, '注册新账号');
    assert.equal((await location(browser)).pathname, '/me/sign-up');
    // 我的 stays the current tab.
    assert.equal(await attr(browser, await tab(browser, '我的'), 'aria-current'), 'page');
    const form = await byTestId(browser, 'sign-up');
    await expectText(await byTestId(form, 'sign-up-community'), '玉林社区');
    const number = await byLabel(form, '手机号');
    const code = await byLabel(form, '短信验证码');
    assert.equal(await number.getAttribute('type'), 'tel');
    assert.equal(await number.getAttribute('autocomplete'), 'tel');
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    assert.equal(await (await byLabel(form, '设置密码')).getAttribute('type'), 'password');
    await expectNoAxeViolations(browser);

    await fill(number, '139 0000 0201');
    await click(await byRole(form, 'button', '获取验证码'));
    // Said once, without saying whether the number has an account; the wait is in the button.
    await expectText(await byRole(form, 'status'), '如果这个号码可以注册，验证码已经发出，5 分钟内有效。');
    assert.equal(await (await byRole(form, 'button', /秒后可重新获取/)).isEnabled(), false);
    await eventually(async () => assert.ok(await focused(browser, code), 'the code field has the focus'));
    await expectNoAxeViolations(browser);
    const sent = await eventually(() => {
      const codes = codesTo(mobile);
      assert.equal(codes.length, 1, `one code to ${mobile}`);
      return codes[0];
    });

    // A wrong code is refused next to the field, which gets the focus; what was typed stays.
    const wrong = String((Number(sent) + 1) % 1_000_000).padStart(6, '0');
    await fill(code, wrong);
    await fill(await byLabel(form, '姓名或称呼'), '李新');
    await fill(await byLabel(form, '设置密码'), 'new-pass-2026');
    await click(await byRole(form, 'button', '注册并登录'));
    const error = await byTestId(form, 'code-error');
    await expectText(error, '验证码不对或已失效。请核对短信里的 6 位数字，或重新获取验证码。');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await code.getAttribute('aria-invalid'), 'true');
    await eventually(async () => assert.ok(await focused(browser, code), 'the code field has the focus'));
    assert.equal(await (await byLabel(form, '姓名或称呼')).getValue(), '李新');
    assert.equal(await (await byLabel(form, '设置密码')).getValue(), 'new-pass-2026');
    await expectNoAxeViolations(browser);

    await fill(code, sent);
    await click(await byRole(form, 'button', '注册并登录'));
    // Signed in, on 我的.
    await expectText(await byTestId(browser, 'session-notice'), '注册成功，已为您登录。');
    assert.equal((await location(browser)).pathname, '/me');
    const card = await byTestId(browser, 'signed-in');
    await expectText(await byTestId(card, 'account-name'), '李新');
    await expectText(await byTestId(card, 'account-mobile'), mobile);
    await expectText(await byTestId(card, 'account-roles'), '居民');
    await expectNoAxeViolations(browser);
    // The server knows the new account.
    const session = await fetch(`${REST}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mobile, password: 'new-pass-2026' }),
    });
    assert.equal(session.status, 201, "the new account signs in with its password");
  }));
