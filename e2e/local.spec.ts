import { test, expect, type Page } from '@playwright/test';
import { appReady, expectNoAxeViolations } from './helpers';
import { cameraPhoto } from './photos';

// The default config.json keeps requests in the browser (`local`): no server, no accounts. The
// demo identity picked in 我的 acts; the core's rules are the same as on the server.

const TRACKING = /^CD-\d{8}-\d{6}$/;

async function actAs(page: Page, name: string) {
  await page.goto('/me');
  await appReady(page);
  const demo = page.getByTestId('demo-identity');
  await demo.getByRole('radio', { name }).check();
  await expect(demo.getByRole('radio', { name })).toBeChecked();
}

async function fileRequest(
  page: Page,
  description: string,
  photos: Buffer[],
  beforeSubmit: () => Promise<void> = async () => {},
): Promise<string> {
  await page.goto('/requests/new');
  await appReady(page);
  const form = page.getByTestId('new-request');
  await form.getByLabel('诉求分类').selectOption({ label: '人居环境' });
  await form.getByLabel('问题描述').fill(description);
  await form.getByLabel('地址', { exact: true }).fill('玉林西路 8 号垃圾站');
  if (photos.length > 0) {
    await form.getByLabel('照片（可选，最多 9 张）').setInputFiles(
      photos.map((buffer, i) => ({ name: `IMG_${i}.jpg`, mimeType: 'image/jpeg', buffer })),
    );
    await expect(form.getByTestId('photo-preview')).toHaveCount(photos.length);
  }
  await beforeSubmit();
  await form.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { name: '诉求已提交' })).toBeFocused();
  const tracking = (await page.getByTestId('tracking').textContent())!.trim();
  expect(tracking).toMatch(TRACKING);
  return tracking;
}

/** Staff give one command from the queue card. */
async function staffStep(page: Page, tracking: string, button: string, state: string) {
  const card = page.locator(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
  await card.getByRole('button', { name: button, exact: true }).click();
  await expect(card.getByTestId('request-state')).toHaveText(state);
}

test('on the in-browser backend, demo residents and staff run the whole loop, and privacy holds', async ({ page, context }) => {
  await page.goto('/me');
  await appReady(page);
  const demo = page.getByTestId('demo-identity');
  await expect(demo).toContainText('演示');
  await expect(demo.getByRole('radio', { name: '居民 A · 张明' })).toBeChecked();
  await expectNoAxeViolations(page);

  // Resident A files with two photos, offline (nothing leaves the phone): the tracking number at once.
  const description = '垃圾站旁边的垃圾三天没有清运，气味很大，还有老鼠。';
  const photos = [await cameraPhoto(page, '垃圾 1'), await cameraPhoto(page, '垃圾 2')];
  const tracking = await fileRequest(page, description, photos, () => context.setOffline(true));
  await context.setOffline(false);
  await page.getByRole('link', { name: '查看诉求' }).click();
  await expect(page.getByTestId('request-description')).toHaveText(description);
  await expect(page.getByTestId('request-photos').getByRole('img')).toHaveCount(2);

  // Resident B cannot open it: not found, and nothing of it on the page.
  await actAs(page, '居民 B · 王芳');
  await page.goto(`/requests/${tracking}`);
  await appReady(page);
  await expect(page.getByTestId('request-not-found')).toContainText('没有找到这个诉求');
  await expect(page.getByTestId('request')).toHaveCount(0);
  await expect(page.getByText(description)).toHaveCount(0);
  await page.goto('/requests');
  await expect(page.getByTestId('requests-empty')).toBeVisible();

  // Staff accept, dispatch, start and resolve it.
  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/requests');
  await appReady(page);
  const card = page.locator(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
  await expect(card.getByTestId('request-state')).toHaveText('已提交');
  await expectNoAxeViolations(page);
  await staffStep(page, tracking, '受理', '已受理');
  await staffStep(page, tracking, '派单', '已派单');
  await expect(card.getByTestId('request-department')).toHaveText('城管执法中队');
  await staffStep(page, tracking, '开始处理', '处理中');
  await card.getByLabel('办结回复（居民可见）').fill('已安排环卫车清运，并投放了灭鼠药。');
  await staffStep(page, tracking, '办结', '已办结');
  await expect(page.getByTestId('stats-resolved')).toHaveText('1');

  // Resident A confirms and rates it 5; the staff's figures show it.
  await actAs(page, '居民 A · 张明');
  await page.goto(`/requests/${tracking}`);
  await appReady(page);
  await expect(page.getByTestId('timeline')).toContainText('已安排环卫车清运');
  await page.getByRole('button', { name: '确认解决' }).click();
  await expect(page.getByTestId('request').getByTestId('request-state')).toHaveText('已结案');
  await page.getByRole('radio', { name: '5 星' }).check();
  await page.getByTestId('rate').getByRole('button', { name: '评价' }).click();
  await expect(page.getByTestId('request').getByTestId('request-state')).toHaveText('已评价');

  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/requests');
  await appReady(page);
  await expect(page.getByTestId('stats-rated')).toHaveText('1');
  await expect(page.getByTestId('stats-stars')).toHaveText('5 / 5');

  // Everything survives a reload: it is kept in this browser.
  await page.reload();
  await appReady(page);
  await expect(card.getByTestId('request-state')).toHaveText('已评价');
});

test('on the in-browser backend a resolved request can be reopened within 7 days', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const tracking = await fileRequest(page, '小区东门的路灯又坏了，晚上进出看不清。', []);
  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/requests');
  await appReady(page);
  await staffStep(page, tracking, '受理', '已受理');
  await staffStep(page, tracking, '派单', '已派单');
  await staffStep(page, tracking, '开始处理', '处理中');
  const card = page.locator(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
  await card.getByLabel('办结回复（居民可见）').fill('已更换路灯。');
  await staffStep(page, tracking, '办结', '已办结');

  await actAs(page, '居民 A · 张明');
  await page.goto(`/requests/${tracking}`);
  await appReady(page);
  const reopen = page.getByTestId('reopen');
  // A reason is needed, and said before anything is sent.
  await reopen.getByRole('button', { name: '重新打开' }).click();
  await expect(page.getByTestId('reopen-error')).toBeVisible();
  await reopen.getByLabel('重新打开的原因').fill('换了以后第二天又不亮了。');
  await reopen.getByRole('button', { name: '重新打开' }).click();
  const state = page.getByTestId('request').getByTestId('request-state');
  await expect(state).not.toHaveText('已办结');
  await expect(page.getByTestId('timeline')).toContainText('换了以后第二天又不亮了。');
  await expect(page.getByTestId('reopen')).toHaveCount(0);
});

test('what a resident typed is shown as text, never run, to the resident and to staff', async ({ page }) => {
  await page.goto('/');
  await appReady(page);
  const description = '<img src=x onerror="window.__pwned=1">路灯坏了很久了<script>window.__pwned=2</script>';
  const tracking = await fileRequest(page, description, []);
  await page.goto(`/requests/${tracking}`);
  await appReady(page);
  await expect(page.getByTestId('request-description')).toHaveText(description);
  await expect(page.getByTestId('request-description').locator('img, script')).toHaveCount(0);

  await actAs(page, '社区工作人员 · 刘建国');
  await page.goto('/staff/requests');
  await appReady(page);
  const card = page.locator(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
  await expect(card.getByTestId('request-description')).toHaveText(description);
  await expect(card.locator('img, script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
