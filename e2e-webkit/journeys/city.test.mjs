// A resident files at another city's GeoReport v2 endpoint and follows the request to closed
// (e2e/georeport-contract.spec.ts in Chromium, "against another city's endpoint"). The app's page
// and the city (e2e/fixtures/georeport-city.mjs) are on different origins, so every call the app
// makes to the city is WebKit's cross-origin fetch: allowed by the app's CSP (`connect-src`,
// `img-src` list the city's origin) and by the city's CORS, which echoes the Origin but answers a
// preflight with nothing, so only simple requests (GET, a form POST with no custom header) pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CITY,
  CITY_APP,
  NEIGHBOUR,
  RESIDENT,
  appReady,
  byLabel,
  byRole,
  byTestId,
  click,
  eventually,
  expectHeading,
  expectNoAxeViolations,
  expectText,
  fill,
  signIn,
  textOf,
  withBrowser,
} from '../helpers.mjs';

const TRACKING = /^YL-\d{6}$/;
const NOTES = '已派人处理完毕，感谢反映。';

/** The POSTs the city received whose description is `description`. */
async function postsWith(description) {
  const reply = await fetch(`${CITY}/__fixture/posts`);
  assert.equal(reply.status, 200);
  return (await reply.json()).filter((p) => p.pairs.some(([n, v]) => n === 'description' && v === description));
}

/** Opens the new-request form of the app at the city, and chooses `service`. */
async function newRequest(browser, service) {
  await browser.url(`${CITY_APP}/requests/new`);
  await appReady(browser);
  const form = await byTestId(browser, 'new-request');
  // The city's services (read from its origin), by their names; the values are its opaque codes.
  // (A <select>'s innerText is empty in WebKit: its options are read one by one.)
  const choice = await byLabel(form, '诉求分类');
  const offered = () => browser.execute((select) => [...select.options].map((o) => o.textContent.trim()), choice);
  const why = async () => {
    const notice = await form.$('[data-testid="services-error"]');
    return (await notice.isExisting()) ? `; the form says: ${await textOf(notice)}` : '';
  };
  await eventually(async () => assert.ok((await offered()).includes(service), `${service} is offered${await why()}`), 15_000);
  await choice.selectByVisibleText(service);
  return form;
}

/** The tracking id shown once the request is filed; or what the form says instead (refused, or
 * kept on the phone because the city could not be read). */
async function filedId(browser, ms) {
  const [shown, card] = await eventually(async () => {
    for (const id of ['request-filed', 'request-refused', 'request-queued']) {
      const card = await browser.$(`[data-testid="${id}"]`);
      if ((await card.isExisting()) && (await card.isDisplayed())) return [id, card];
    }
    assert.fail('the filing has no outcome yet');
  }, ms);
  assert.equal(shown, 'request-filed', `filed, but the page says: ${await textOf(card)}`);
  const id = await textOf(await byTestId(browser, 'tracking'));
  assert.match(id, TRACKING);
  return id;
}

test("at another city: a resident answers the city's questions, files with consent, finds it in my requests and follows it to closed", { timeout: 180_000 }, () =>
  withBrowser(async (browser) => {
    await signIn(browser, RESIDENT, CITY_APP);
    const form = await newRequest(browser, '路灯不亮');

    // The city's questions, each datatype as its own field (the datetime is left empty: WebKit's
    // WebDriver cannot type into a datetime-local field, and the question is optional).
    await byTestId(form, 'questions', 15_000);
    await expectText(await byTestId(form, 'question-note'), '夜间抢修电话 96xxx');
    await fill(await byLabel(form, '灯杆编号（必填）'), 'WH-0317');
    await (await byLabel(form, '灯的类型（必填）')).selectByVisibleText('钠灯');
    await fill(await byLabel(form, '不亮的灯数（必填）'), '3');
    const hazards = await byRole(form, 'group', /^现场隐患/);
    for (const name of ['电线外露', '路段全黑']) {
      const box = await byRole(hazards, 'checkbox', name);
      await click(box);
      await eventually(async () => assert.ok(await box.isSelected(), `${name} is ticked`));
    }
    await fill(await byLabel(form, '补充说明'), '晚上八点以后整段路都是黑的');

    const description = `路灯：小区东门外的路灯已经坏了一周 ${Date.now()}`;
    await fill(await byLabel(form, '问题描述'), description);
    await fill(await byLabel(form, '地址'), '玉林北路 5 号东门');
    // Contact goes to the city only with consent.
    const consent = await byRole(form, 'checkbox', /把我的联系方式告诉受理部门/);
    await click(consent);
    await eventually(async () => assert.ok(await consent.isSelected(), 'consent is ticked'));
    await fill(await byLabel(form, '姓（选填）'), '李');
    await fill(await byLabel(form, '电话（选填）'), RESIDENT);
    await expectNoAxeViolations(browser);
    await click(await byRole(form, 'button', '提交'));

    const id = await filedId(browser, 20_000);
    await expectNoAxeViolations(browser);

    // My requests: the one just filed, read back from the city by its id, still open.
    await click(await byRole(browser, 'link', '返回我的诉求'));
    await expectHeading(browser, '我的诉求');
    const item = async () => byRole(await byTestId(browser, 'request-list'), 'link', new RegExp(id), 15_000);
    await eventually(async () => assert.match(await textOf(await item()), /路灯不亮/));
    assert.doesNotMatch(await textOf(await item()), /已结案/);
    await expectNoAxeViolations(browser);

    // The city closes it in its own system; the resident sees it after a reload.
    const closed = await fetch(`${CITY}/__fixture/requests/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'closed', status_notes: NOTES }),
    });
    assert.equal(closed.status, 200, await closed.text());
    await browser.refresh();
    await appReady(browser);
    await eventually(async () => assert.match(await textOf(await item()), /已结案/), 15_000);
    await click(await item());

    await expectText(await byTestId(browser, 'request-description', 15_000), description);
    await expectText(await byTestId(browser, 'request-service'), '路灯不亮');
    await expectText(await byTestId(browser, 'request-agency'), '武侯区市政维护中心');
    await eventually(async () => assert.ok((await textOf(await byTestId(browser, 'timeline'))).includes(NOTES), 'the status notes are in the timeline'));
    assert.equal((await browser.$$('[data-testid="actions"]')).length, 0, 'a closed request offers no actions');
    // The city's photo, from the city's origin (the CSP's img-src lists it), is loaded.
    const photo = await byTestId(browser, 'request-media');
    assert.ok((await photo.getAttribute('src')).startsWith(`${CITY}/city/media/${id}.png`), 'the photo is the city\'s');
    await eventually(async () => assert.ok((await photo.getProperty('naturalWidth')) > 0, 'the city\'s photo is loaded'), 15_000);
    await expectNoAxeViolations(browser);

    // What the city received: one form POST with the application's key and jurisdiction, the
    // answers as attribute fields (the list's values repeated), the contact the resident allowed,
    // and no header that would need a preflight (the city answers none).
    const posts = await postsWith(description);
    assert.equal(posts.length, 1, 'filed once');
    const [post] = posts;
    assert.equal(post.status, 200);
    const value = (name) => post.pairs.filter(([n]) => n === name).map(([, v]) => v);
    assert.deepEqual(value('api_key'), ['fixture-app-key-2026']);
    assert.deepEqual(value('jurisdiction_id'), ['yulin.example.gov']);
    assert.deepEqual(value('service_code'), ['svc-7f3a']);
    assert.deepEqual(value('attribute[pole_number]'), ['WH-0317']);
    assert.deepEqual(value('attribute[lamp_kind]'), ['sodium']);
    assert.deepEqual(value('attribute[lamps_out]'), ['3']);
    assert.deepEqual(value('attribute[hazards][]'), ['wires', 'dark']);
    assert.deepEqual(value('attribute[noticed_at]').filter((v) => v !== ''), [], 'the empty datetime sends no answer');
    assert.deepEqual(value('last_name'), ['李']);
    assert.deepEqual(value('phone'), [RESIDENT]);
    const headers = Object.keys(post.headers).map((h) => h.toLowerCase());
    assert.ok(!headers.includes('idempotency-key'), `no Idempotency-Key header: ${headers.join(', ')}`);
    assert.ok(!headers.includes('authorization'), 'no Authorization header');
    assert.match(post.headers['content-type'], /^application\/x-www-form-urlencoded/);
    // Sent from the app's page, across origins.
    assert.equal(post.headers.origin, CITY_APP);
  }));

test('at another city: a deferred filing shows as received, then gets its number', { timeout: 120_000 }, () =>
  withBrowser(async (browser) => {
    await signIn(browser, NEIGHBOUR, CITY_APP);
    const form = await newRequest(browser, '垃圾清运');
    await fill(await byLabel(form, '问题描述'), `三号楼旁的垃圾桶已经满了两天没人清运 ${Date.now()}`);
    await fill(await byLabel(form, '地址'), '玉林北路 3 号');
    assert.equal((await form.$$('[data-testid="questions"]')).length, 0, 'this service asks nothing');
    await click(await byRole(form, 'button', '提交'));

    // The city answers with a token: received, waiting for a number (the token resolves in 3 s).
    const waiting = await byTestId(browser, 'request-waiting', 15_000);
    await expectText(waiting, /已收到，正在等待受理编号/);
    await expectNoAxeViolations(browser);
    const id = await filedId(browser, 20_000);

    await click(await byRole(browser, 'link', '返回我的诉求'));
    await expectHeading(browser, '我的诉求');
    await click(await byRole(await byTestId(browser, 'request-list'), 'link', new RegExp(id), 15_000));
    await expectText(await byTestId(browser, 'request-service', 15_000), '垃圾清运');
    await expectText(await byTestId(browser, 'request-agency'), '武侯区环境卫生管理所');
    await expectNoAxeViolations(browser);
  }));
