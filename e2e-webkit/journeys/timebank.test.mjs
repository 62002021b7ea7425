// 时间银行 on the server (config/serve.json): a resident signs in and logs 90 minutes given to a
// neighbour, paid by the community pool; the neighbour cannot confirm it; staff sign in and approve
// it in the staff screen; the provider's balance and statement follow, once
// (e2e/timebank.spec.ts and e2e/staff-volunteer.spec.ts in Chromium).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  NEIGHBOUR,
  REST,
  RESIDENT,
  STAFF,
  api,
  appReady,
  byLabel,
  byRole,
  byTestId,
  byTestIdWithText,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  signIn,
  signOut,
  token,
  textOf,
  click,
  withBrowser,
} from '../helpers.mjs';

const NOTE = 'WebKit：陪同去社区医院复查';

test('log a pool-paid service, the recipient cannot confirm it, staff approve it, the balance follows once', { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    const provider = await token(NEIGHBOUR);
    const before = (await api(provider, 'GET', '/timebank/me')).balance;

    await signIn(browser, NEIGHBOUR);
    await browser.url(`${REST}/timebank`);
    await appReady(browser);
    await expectHeading(browser, '时间银行');
    const form = await byTestId(browser, 'log-service');
    await fill(await byLabel(form, '服务对象'), RESIDENT);
    await (await byLabel(form, '服务类型')).selectByVisibleText('陪诊陪护');
    // The start is a datetime-local field, filled in by the app: WebKit gives it back as typed.
    assert.match(await (await form.$('input[type=datetime-local]')).getValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await fill(await byLabel(form, '时长（分钟，15–480）'), '90');
    await fill(await byLabel(form, '备注（选填）'), NOTE);
    const payers = await byRole(form, 'group', '由谁支付这段时间');
    const pool = await byRole(payers, 'radio', '社区公益池');
    assert.ok(await pool.isSelected(), 'the pool pays by default');
    await expectNoAxeViolations(browser);
    await click(await byRole(form, 'button', '登记'));
    await expectText(await byTestId(browser, 'timebank-notice'), /已登记/);
    // The newest record the provider gave is the last.
    const given = await eventually(async () => {
      const all = await browser.$$('[data-testid="given"]');
      assert.ok(all.length > 0, 'a record given');
      assert.match(await textOf(all.at(-1)), /陪诊陪护/);
      return all.at(-1);
    });
    await expectText(await byTestId(given, 'record-waiting'), '等待社区工作人员审核');
    // The recipient's name stays masked for the provider.
    assert.match(await textOf(given), /张\*/);
    assert.doesNotMatch(await textOf(given), /张明/);
    await expectNoAxeViolations(browser);

    // The recipient cannot confirm what the pool pays.
    const recipient = await token(RESIDENT);
    const record = (await api(recipient, 'GET', '/timebank/me')).pending_received.find((r) => r.note === NOTE);
    assert.ok(record, 'the recipient sees the record');
    const refused = await api(recipient, 'POST', `/timebank/records/${record.id}/confirm`, undefined, 403);
    assert.equal(refused.error.code, 'staff_approves');

    // Staff approve it in their screen.
    await signOut(browser);
    await signIn(browser, STAFF);
    await browser.url(`${REST}/staff/timebank`);
    await appReady(browser);
    const pending = await byTestIdWithText(browser, 'pool-record', NOTE, 20_000);
    await expectText(await byTestId(pending, 'record-waiting'), '等待社区工作人员审核');
    await expectNoAxeViolations(browser);
    await click(await byRole(pending, 'button', '批准入账'));
    await expectText(await byTestId(browser, 'pool-notice'), '已批准，时间已入账。');
    await expectNoAxeViolations(browser);

    // The provider has 90 minutes more, once, and the statement shows it.
    assert.equal((await api(provider, 'GET', '/timebank/me')).balance - before, 90);
    await signOut(browser);
    await signIn(browser, NEIGHBOUR);
    await browser.url(`${REST}/timebank`);
    await appReady(browser);
    await expectText(await byTestId(browser, 'statement-delta'), '+1 小时 30 分');
    await expectNoAxeViolations(browser);
  }));
