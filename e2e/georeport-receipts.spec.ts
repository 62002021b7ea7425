import { test, expect, type Page } from '@playwright/test';
import { CITY_APP, DEMO_PASSWORD, appReady, auth, signIn } from './helpers';

// "My requests" at a city's GeoReport endpoint: the city knows nobody here, so the app keeps the
// ids each person filed. With accounts (CITY_APP: the other modules on `rest`), in the account on
// the reference server, so they follow a resident to another sign-in and another device; with no
// accounts (every other module `local`), on the device, for the demo identity acting.

/** Files a request at the city as whoever acts now, and returns its id once the city gave one. */
async function fileAtTheCity(page: Page, service: string, description: string): Promise<string> {
  await page.goto(`${CITY_APP}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: service });
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 9 号');
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('request-filed')).toBeVisible({ timeout: 15_000 });
  const id = (await page.getByTestId('tracking').textContent())!.trim();
  expect(id).toMatch(/^YL-\d{6}$/);
  return id;
}

/** My requests (我的诉求) lists the request `id`, or does not. */
async function expectListed(page: Page, id: string, listed: boolean) {
  await page.goto(`${CITY_APP}/requests`);
  await appReady(page);
  const item = page.getByRole('link', { name: new RegExp(id) });
  if (listed) {
    await expect(item).toBeVisible();
  } else {
    // The list has loaded (the empty state or some other item) before saying it is not there.
    await expect(page.getByTestId('requests-empty').or(page.getByTestId('request-list'))).toBeVisible();
    await expect(item).toHaveCount(0);
  }
}

async function signOut(page: Page) {
  await page.goto(`${CITY_APP}/me`);
  await appReady(page);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
}

test('at a city, a signed-in resident’s requests are kept in the account: another sign-in and another device find them, another resident does not', async ({ page, browser, request }) => {
  await signIn(page, '13800000001', CITY_APP);
  // A deferred filing: its token is kept first, then resolved to its id in the account.
  const id = await fileAtTheCity(page, '垃圾清运', `东门垃圾桶满了两天没人清运 ${Date.now()}`);
  await expectListed(page, id, true);

  // The account holds it (not the device): the reference server lists it for this person.
  const session = await request.post(`${CITY_APP}/api/v1/session`, { data: { mobile: '13800000001', password: DEMO_PASSWORD } });
  const bearer = (await session.json()).token;
  const kept = await (await request.get(`${CITY_APP}/api/v1/me/city-requests`, { headers: auth(bearer) })).json();
  expect(kept.items.map((i: { id: string | null }) => i.id)).toContain(id);

  // Signed out and in again: a new sign-in, the same requests.
  await signOut(page);
  await page.evaluate(() => localStorage.removeItem('citizen-cloud.city-receipts.v1'));
  await signIn(page, '13800000001', CITY_APP);
  await expectListed(page, id, true);
  await page.getByRole('link', { name: new RegExp(id) }).click();
  await expect(page.getByTestId('request-service')).toHaveText('垃圾清运');

  // Another device (a fresh browser context, nothing stored): the same resident finds it,
  // another resident does not, even by its address.
  const other = await browser.newContext();
  const device = await other.newPage();
  await signIn(device, '13800000001', CITY_APP);
  await expectListed(device, id, true);
  await signOut(device);
  await signIn(device, '13800000002', CITY_APP);
  await expectListed(device, id, false);
  await device.goto(`${CITY_APP}/requests/${id}`);
  await appReady(device);
  await expect(device.getByTestId('request-description')).toHaveCount(0);
  await other.close();
});

test('at a city with no accounts, the demo identity’s requests are kept on the device, and another demo identity does not see them', async ({ page }) => {
  // Every other module in the browser: no module needs the reference server, so no accounts.
  await page.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    const backends = Object.fromEntries(Object.entries(config.backends).map(([module, kind]) => [module, module === 'requests' ? kind : 'local']));
    await route.fulfill({ json: { ...config, backends } });
  });
  await page.goto(`${CITY_APP}/me`);
  await appReady(page);
  await expect(page.getByTestId('sign-in')).toHaveCount(0);
  const demo = page.getByTestId('demo-identity');
  await expect(demo.getByRole('radio', { name: '居民 A · 张明' })).toBeChecked();

  const id = await fileAtTheCity(page, '井盖缺失', `玉林北路井盖松动踩上去会响 ${Date.now()}`);
  await page.reload();
  await appReady(page);
  await expectListed(page, id, true);

  await page.goto(`${CITY_APP}/me`);
  await appReady(page);
  await demo.getByRole('radio', { name: '居民 B · 王芳' }).check();
  await expectListed(page, id, false);
  await page.goto(`${CITY_APP}/me`);
  await appReady(page);
  await demo.getByRole('radio', { name: '居民 A · 张明' }).check();
  await expectListed(page, id, true);
});

test('at a city, a receipt the account could not take is kept on the device, then moved to the account', async ({ page, request }) => {
  await signIn(page, '13800000002', CITY_APP);
  // The account refuses to keep anything for now (the server is briefly unavailable).
  await page.route('**/api/v1/me/city-requests', (route) =>
    route.request().method() === 'POST' ? route.fulfill({ status: 503, json: { error: { code: 'internal', message: 'down' } } }) : route.continue(),
  );
  const id = await fileAtTheCity(page, '井盖缺失', `井盖缺了一角，晚上看不见 ${Date.now()}`);
  const onDevice = () => page.evaluate(() => localStorage.getItem('citizen-cloud.city-receipts.v1') ?? '');
  expect(await onDevice()).toContain(id);

  // Back again: reading my requests moves it to the account, and the device forgets it.
  await page.unroute('**/api/v1/me/city-requests');
  await expectListed(page, id, true);
  expect(await onDevice()).not.toContain(id);
  const session = await request.post(`${CITY_APP}/api/v1/session`, { data: { mobile: '13800000002', password: DEMO_PASSWORD } });
  const kept = await (await request.get(`${CITY_APP}/api/v1/me/city-requests`, { headers: auth((await session.json()).token) })).json();
  expect(kept.items.map((i: { id: string | null }) => i.id)).toContain(id);
});
