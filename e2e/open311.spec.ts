import { test, expect, type Page } from '@playwright/test';
import { cameraPhoto } from './photos';
import { REST, appReady, auth, command, expectNoAxeViolations, signIn, token } from './helpers';

// The same bundle with requests on the `open311` backend: the app speaks GeoReport v2 to the
// server's /open311/v2/ endpoint, with the signed-in person's token as api_key.

async function useOpen311(page: Page) {
  await page.route('**/config.json', async (route) => {
    const config = await (await route.fetch()).json();
    await route.fulfill({ json: { ...config, backends: { ...config.backends, requests: 'open311' } } });
  });
}

test('on the open311 backend a resident files offline, it is filed once when online, and follows it to closed', async ({
  page,
  context,
  request,
}) => {
  await useOpen311(page);
  await signIn(page, '13800000001');
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const form = page.getByTestId('new-request');
  // GeoReport takes one photo, as an address: the reference server hosts it.
  await expect(form.getByLabel('照片（可选，最多 9 张）')).toHaveCount(0);
  await form.getByLabel('照片（可选，1 张）').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await cameraPhoto(page, '消防通道') });
  await expect(form.getByTestId('photo-preview')).toHaveCount(1);
  await expect(form.getByLabel('照片（可选，1 张）')).toBeDisabled();
  const description = '小区门口的消防通道被私家车堵住了，已经好几天。';
  await form.getByLabel('诉求分类').selectOption({ label: '消防安全' });
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林北路 5 号东门');

  const filings: string[] = [];
  const posts: { url: URL; body: URLSearchParams }[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'POST' && url.pathname.endsWith('/open311/v2/requests.json')) {
      filings.push(r.headers()['idempotency-key']);
      posts.push({ url, body: new URLSearchParams(r.postData() ?? '') });
    }
  });
  await context.setOffline(true);
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('request-queued')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('request-filed')).toBeVisible({ timeout: 20_000 });
  const tracking = (await page.getByTestId('tracking').textContent())!.trim();
  expect(tracking).toMatch(/^CD-\d{8}-\d{6}$/);
  expect(new Set(filings.filter(Boolean)).size, 'every attempt carried the same key').toBe(1);
  // The token travels in the POST's form body, never in its URL (logs and proxies keep URLs).
  expect(posts.length).toBeGreaterThan(0);
  for (const { url, body } of posts) {
    expect(url.search, 'no query string on the POST').toBe('');
    expect(body.get('api_key'), 'api_key in the form body').toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.get('service_code')).toBe('fire-safety');
  }
  // The photo goes as its absolute address on the server, on the attempt that files.
  expect(posts.at(-1)!.body.get('media_url')).toMatch(new RegExp(`^${REST}/api/v1/photos/[0-9a-f]{32}$`));

  const resident = await token(request, '13800000001');
  const mine = await (await request.get(`${REST}/api/v1/requests`, { headers: auth(resident) })).json();
  const filed = mine.filter((r: { description: string }) => r.description === description);
  expect(filed).toHaveLength(1);
  expect(filed[0].photos, 'the server attached the photo media_url names').toHaveLength(1);

  // Staff work it in their own system (here: the JSON API) to the end.
  const staff = await token(request, '13800000003');
  for (const body of [{ kind: 'accept' }, { kind: 'dispatch' }, { kind: 'start' }]) {
    await command(request, staff, tracking, body);
  }
  await command(request, staff, tracking, { kind: 'resolve', reply: '已联系车主挪车，并加装了禁停标识。' });
  await command(request, resident, tracking, { kind: 'confirm' });

  await page.goto(`${REST}/requests`);
  await appReady(page);
  const item = page.getByRole('link', { name: new RegExp(tracking) });
  await expect(item).toContainText('消防安全');
  await expect(item).toContainText('已结案');
  await item.click();
  await expect(page.getByTestId('request-description')).toHaveText(description);
  await expect(page.getByTestId('timeline')).toContainText('已联系车主挪车');
  // GeoReport has no commands: nothing to do here.
  await expect(page.getByTestId('actions')).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The staff workspace is not offered on this backend, and says why.
  await page.goto(`${REST}/me`);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await signIn(page, '13800000003');
  await page.goto(`${REST}/staff/requests`);
  await appReady(page);
  await expect(page.getByRole('alert')).toContainText('Open311');
});

test('on the open311 backend the form offers every service the endpoint lists, in its order, ours or not', async ({ page }) => {
  await useOpen311(page);
  await page.route('**/open311/v2/services.json', (route) =>
    route.fulfill({
      json: [
        { service_code: 'noise', service_name: '噪音扰民', type: 'realtime' },
        { service_code: 'fire-safety', service_name: '消防安全', type: 'realtime' },
        { service_code: 'city-x-pothole', service_name: 'Pothole', type: 'realtime' },
      ],
    }),
  );
  await signIn(page, '13800000002');
  await page.goto(`${REST}/requests/new`);
  await appReady(page);
  const options = page.getByTestId('new-request').getByLabel('诉求分类').locator('option');
  await expect(options).toHaveText(['请选择分类', '噪音扰民', '消防安全', 'Pothole']);
});
