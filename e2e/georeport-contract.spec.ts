import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { CITY, CITY_APP, REST, appReady, command, expectNoAxeViolations, signIn, token, watchForeignRequests } from './helpers';

// The `open311` backend's contract: one resident journey (file, find it in "my requests",
// follow it to closed) run against two GeoReport v2 endpoints that share nothing but the
// protocol: the reference server's own (the session token as api_key, our categories as
// services) and another city's fixture (e2e/fixtures/georeport-city.mjs: an application key,
// a jurisdiction, opaque service codes, questions of every datatype, a deferred token, ids like
// YL-123456, status_notes, agency_responsible, expected_datetime and media_url).

type Target = {
  name: string;
  /** The app, configured for this endpoint. */
  app: string;
  /** Prepares the page (the reference server's bundle is told to use open311). */
  prepare(page: Page): Promise<void>;
  /** The service to choose, and what its questions need. */
  service: string;
  answer(page: Page): Promise<void>;
  tracking: RegExp;
  /** Closes the request in the endpoint's own system, with these notes. */
  close(request: APIRequestContext, id: string, notes: string): Promise<void>;
  /** Who handles it, as the request's page should say. */
  agency: string;
};

const reference: Target = {
  name: 'the reference server',
  app: REST,
  async prepare(page) {
    await page.route('**/config.json', async (route) => {
      const config = await (await route.fetch()).json();
      await route.fulfill({ json: { ...config, backends: { ...config.backends, requests: 'open311' } } });
    });
  },
  service: '消防安全',
  async answer() {},
  tracking: /^CD-\d{8}-\d{6}$/,
  async close(request, id, notes) {
    const staff = await token(request, '13800000003');
    for (const body of [{ kind: 'accept' }, { kind: 'dispatch' }, { kind: 'start' }]) await command(request, staff, id, body);
    await command(request, staff, id, { kind: 'resolve', reply: notes });
    await command(request, await token(request, '13800000001'), id, { kind: 'confirm' });
  },
  agency: '消防救援站',
};

const city: Target = {
  name: "another city's endpoint",
  app: CITY_APP,
  async prepare() {},
  service: '路灯不亮',
  async answer(page) {
    const form = page.getByTestId('new-request');
    await form.getByLabel('灯杆编号（必填）').fill('WH-0317');
    await form.getByLabel('灯的类型（必填）').selectOption({ label: '钠灯' });
    await form.getByLabel('不亮的灯数（必填）').fill('3');
    await form.getByRole('checkbox', { name: '电线外露' }).check();
    await form.getByRole('checkbox', { name: '路段全黑' }).check();
    await form.getByLabel('补充说明').fill('晚上八点以后整段路都是黑的');
  },
  tracking: /^YL-\d{6}$/,
  async close(request, id, notes) {
    const reply = await request.post(`${CITY}/__fixture/requests/${id}/status`, { data: { status: 'closed', status_notes: notes } });
    expect(reply.ok()).toBeTruthy();
  },
  agency: '武侯区市政维护中心',
};

for (const target of [reference, city]) {
  test(`against ${target.name}: a resident files with consent, finds it in my requests and follows it to closed`, async ({ page, request }) => {
    const foreign = watchForeignRequests(page, target.app);
    await target.prepare(page);
    await signIn(page, '13800000001', target.app);
    await page.goto(`${target.app}/requests/new`);
    await appReady(page);
    const form = page.getByTestId('new-request');
    await form.getByLabel('诉求分类').selectOption({ label: target.service });
    await target.answer(page);
    const description = `${target.name}：小区东门外的问题已经持续一周 ${Date.now()}`;
    await form.getByLabel('问题描述').fill(description);
    await form.getByLabel('地址', { exact: true }).fill('玉林北路 5 号东门');
    await form.getByRole('checkbox', { name: /把我的联系方式告诉受理部门/ }).check();
    await form.getByLabel('姓（选填）').fill('李');
    await form.getByLabel('电话（选填）').fill('13800000001');
    await expectNoAxeViolations(page);
    await form.getByRole('button', { name: '提交' }).click();

    await expect(page.getByTestId('request-filed')).toBeVisible({ timeout: 15_000 });
    const id = (await page.getByTestId('tracking').textContent())!.trim();
    expect(id).toMatch(target.tracking);

    // My requests: the one just filed, by its id.
    await page.getByRole('link', { name: '返回我的诉求' }).click();
    const item = page.getByRole('link', { name: new RegExp(id) });
    await expect(item).toContainText(target.service);
    await expect(item).not.toContainText('已结案');

    await target.close(request, id, '已派人处理完毕，感谢反映。');
    await page.reload();
    await appReady(page);
    await expect(item).toContainText('已结案');
    await item.click();
    await expect(page.getByTestId('request-description')).toHaveText(description);
    await expect(page.getByTestId('request-service')).toHaveText(target.service);
    await expect(page.getByTestId('request-agency')).toHaveText(target.agency);
    await expect(page.getByTestId('timeline')).toContainText('已派人处理完毕，感谢反映。');
    await expect(page.getByTestId('actions')).toHaveCount(0);
    await expectNoAxeViolations(page);
    // Only the app's own origin and the configured endpoint were called.
    expect(foreign.filter((url) => !url.startsWith(CITY))).toEqual([]);
  });
}

/** The POSTs the fixture city received with this description, as name/value pairs. */
async function sent(request: APIRequestContext, description: string) {
  const posts: { headers: Record<string, string>; pairs: [string, string][] }[] = await (await request.get(`${CITY}/__fixture/posts`)).json();
  return posts.filter((p) => p.pairs.some(([n, v]) => n === 'description' && v === description));
}

test("at another city: the application's key and jurisdiction go with each filing, answers as attribute fields, contact only with consent, and no header that needs a preflight", async ({ page, request }) => {
  await signIn(page, '13800000002', CITY_APP);
  await page.goto(`${CITY_APP}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: city.service });
  // The services come in the city's groups; the questions in its order, the note among them.
  await expect(form.getByRole('group', { name: '市政设施' })).toHaveCount(0); // optgroups are not ARIA groups
  await expect(form.locator('optgroup')).toHaveCount(3);
  await expect(page.getByTestId('question-note')).toHaveText('夜间抢修电话 96xxx');
  const description = `不同意留联系方式的反映 ${Date.now()}`;
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 7 号');

  // Required answers are enforced before anything is sent, naming the question.
  await form.getByRole('button', { name: '提交' }).click();
  await expect(form.getByTestId('answer-error')).toHaveText('请填写此项');
  await expect(form.getByLabel('灯杆编号（必填）')).toBeFocused();
  await city.answer(page);
  await form.getByLabel('不亮的灯数（必填）').fill('三');
  await form.getByRole('button', { name: '提交' }).click();
  await expect(form.getByTestId('answer-error')).toHaveText('请填写数字');
  await expect(form.getByLabel('不亮的灯数（必填）')).toBeFocused();
  await form.getByLabel('不亮的灯数（必填）').fill('2');
  // A date and time, typed in China time, goes as RFC 3339.
  await form.getByLabel('发现时间').fill('2026-12-04T21:30');
  // Contact typed, then consent withdrawn: nothing personal goes.
  const consent = form.getByRole('checkbox', { name: /把我的联系方式告诉受理部门/ });
  await consent.check();
  await form.getByLabel('电子邮箱（选填）').fill('li@example.com');
  await consent.uncheck();
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('request-filed')).toBeVisible();

  const [post] = await sent(request, description);
  const names = post.pairs.map(([n]) => n);
  const value = (name: string) => post.pairs.filter(([n]) => n === name).map(([, v]) => v);
  expect(value('api_key')).toEqual(['fixture-app-key-2026']);
  expect(value('jurisdiction_id')).toEqual(['yulin.example.gov']);
  expect(value('service_code')).toEqual(['svc-7f3a']);
  expect(value('attribute[pole_number]')).toEqual(['WH-0317']);
  expect(value('attribute[lamps_out]')).toEqual(['2']);
  expect(value('attribute[lamp_kind]')).toEqual(['sodium']);
  expect(value('attribute[hazards][]')).toEqual(['wires', 'dark']);
  expect(value('attribute[noticed_at]')).toEqual(['2026-12-04T13:30:00Z']);
  expect(value('attribute[details]')).toEqual(['晚上八点以后整段路都是黑的']);
  expect(names).not.toContain('attribute[note_1]');
  for (const personal of ['first_name', 'last_name', 'phone', 'email']) expect(names).not.toContain(personal);
  expect(Object.keys(post.headers).map((h) => h.toLowerCase())).not.toContain('idempotency-key');
  expect(post.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
});

test('at another city: a deferred filing shows as received, then gets its number, and stays in my requests after a reload', async ({ page }) => {
  await signIn(page, '13800000002', CITY_APP);
  await page.goto(`${CITY_APP}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '垃圾清运' });
  await expect(form.getByTestId('questions')).toHaveCount(0);
  await form.getByLabel('问题描述').fill('三号楼旁的垃圾桶已经满了两天没人清运');
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 3 号');
  await form.getByRole('button', { name: '提交' }).click();
  const waiting = page.getByTestId('request-waiting');
  await expect(waiting).toBeVisible();
  await expect(waiting).toContainText('已收到，正在等待受理编号');
  await expect(page.getByTestId('request-filed')).toBeVisible({ timeout: 15_000 });
  const id = (await page.getByTestId('tracking').textContent())!.trim();
  expect(id).toMatch(/^YL-\d{6}$/);

  await page.goto(`${CITY_APP}/requests`);
  await appReady(page);
  await page.getByRole('link', { name: new RegExp(id) }).click();
  await expect(page.getByTestId('request-service')).toHaveText('垃圾清运');
  await expect(page.getByTestId('request-agency')).toHaveText('武侯区环境卫生管理所');
  await expect(page.getByTestId('request-expected')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(page.getByTestId('request-notice')).not.toBeEmpty();
  // The city's photo comes from the city's own origin, which the page may show.
  const photo = page.getByTestId('request-media');
  await expect(photo).toHaveAttribute('src', new RegExp(`^${CITY}/city/media/`));
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // Another resident on the same device does not see it, even by its address.
  await page.goto(`${CITY_APP}/me`);
  await page.getByRole('button', { name: '退出登录' }).click();
  await signIn(page, '13800000001', CITY_APP);
  await page.goto(`${CITY_APP}/requests/${id}`);
  await appReady(page);
  await expect(page.getByTestId('request-description')).toHaveCount(0);
  await page.goto(`${CITY_APP}/requests`);
  await appReady(page);
  await expect(page.getByRole('link', { name: new RegExp(id) })).toHaveCount(0);
});

test("at another city: a refused application key is worded in the resident's language, not the city's", async ({ page }) => {
  await signIn(page, '13800000002', CITY_APP);
  await page.route(`${CITY}/city/georeport/v2/requests.json`, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 403,
          headers: { 'Access-Control-Allow-Origin': CITY_APP },
          json: [{ code: 403, description: 'api_key is missing or not valid' }],
        })
      : route.continue(),
  );
  await page.goto(`${CITY_APP}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '井盖缺失' });
  await form.getByLabel('问题描述').fill('四号楼前的井盖不见了，晚上很危险');
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 4 号');
  await form.getByRole('button', { name: '提交' }).click();
  const refused = page.getByTestId('request-refused');
  await expect(refused).toContainText('受理方拒绝了本应用的提交');
  await expect(refused).not.toContainText('api_key');
  await expectNoAxeViolations(page);
});
