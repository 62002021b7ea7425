import { test, expect, type Page, type APIRequestContext } from '@playwright/test';
import { REST, appReady, auth, command, expectNoAxeViolations, signIn, token } from './helpers';

type Stats = { total: number; by_state: { state: string; count: number }[]; mean_stars: number | null };

async function stats(request: APIRequestContext, bearer: string): Promise<Stats> {
  const reply = await request.get(`${REST}/api/v1/staff/requests/stats`, { headers: auth(bearer) });
  expect(reply.ok()).toBeTruthy();
  return reply.json();
}

const count = (s: Stats, state: string) => s.by_state.find((c) => c.state === state)!.count;

test('staff work a resident’s request through the loop, and the figures follow', async ({ page, request }) => {
  // Other spec files use the same server: figures are compared with the server's, before and after.
  const resident = await token(request, '13800000001');
  const staff = await token(request, '13800000003');
  const filed = await request.post(`${REST}/api/v1/requests`, {
    headers: auth(resident),
    data: { category: 'municipal', description: '3 栋门口路灯不亮已经一周了', address: '玉林北路 3 号', contact: '13800000001' },
  });
  expect(filed.status()).toBe(201);
  const tracking: string = (await filed.json()).tracking;
  const before = await stats(request, staff);

  await signIn(page, '13800000003');
  await page.goto(`${REST}/staff`);
  await appReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('工作台');
  await page.getByRole('link', { name: /诉求工单/ }).click();
  await expect(page).toHaveURL(`${REST}/staff/requests`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('诉求工单');

  // The filter lives in the address: it survives a reload.
  await page.getByLabel('状态').selectOption('submitted');
  await expect(page).toHaveURL(`${REST}/staff/requests?state=submitted`);
  const card = page.locator(`[data-testid="staff-request"][data-tracking="${tracking}"]`);
  await expect(card).toBeVisible();
  for (const state of await page.getByTestId('queue').getByTestId('request-state').allTextContents()) {
    expect(state.trim()).toBe('已提交');
  }
  await page.reload();
  await appReady(page);
  await expect(page.getByLabel('状态')).toHaveValue('submitted');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('request-state')).toHaveText('已提交');
  await expect(card.getByTestId('request-category')).toHaveText('市政设施');
  await expect(card.getByTestId('request-description')).toHaveText('3 栋门口路灯不亮已经一周了');
  await expect(card.getByTestId('request-address')).toHaveText('玉林北路 3 号');
  await expect(card.getByTestId('request-contact')).toHaveAttribute('href', 'tel:13800000001');
  await expectNoAxeViolations(page);

  await card.getByRole('button', { name: '受理', exact: true }).click();
  await expect(card.getByTestId('request-state')).toHaveText('已受理');

  // Dispatch offers the category's department first.
  const department = card.getByLabel('处理部门');
  await expect(department).toHaveValue('municipal');
  await expect(department.locator('option:checked')).toHaveText('市政设施管理所');
  await card.getByRole('button', { name: '派单', exact: true }).click();
  await expect(card.getByTestId('request-state')).toHaveText('已派单');
  await expect(card.getByTestId('request-department')).toHaveText('市政设施管理所');

  await card.getByRole('button', { name: '开始处理', exact: true }).click();
  await expect(card.getByTestId('request-state')).toHaveText('处理中');

  // A resolution needs a reply: said before anything is sent.
  await card.getByRole('button', { name: '办结', exact: true }).click();
  await expect(card.getByTestId('reply-error')).toHaveText('请填写内容');
  await expect(card.getByTestId('request-state')).toHaveText('处理中');
  const reply = '已更换 3 栋门口路灯灯泡，恢复照明。';
  await card.getByLabel('办结回复（居民可见）').fill(reply);
  await expect(card.getByTestId('reply-error')).toHaveCount(0);
  await card.getByRole('button', { name: '办结', exact: true }).click();
  await expect(card.getByTestId('request-state')).toHaveText('已办结');
  await expect(card.getByTestId('request-latest')).toHaveText(reply);
  // Once resolved, only verification may remain (when the workflow allows it yet).
  for (const name of await card.getByRole('button').allTextContents()) expect(name.trim()).toBe('核实结项');

  // The figures were refreshed after the step.
  const resolved = await stats(request, staff);
  expect(count(resolved, 'resolved')).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('stats-resolved')).toHaveText(String(count(resolved, 'resolved')));
  await expect(page.getByTestId('stats-total')).toHaveText(String(resolved.total));
  await expect(page.getByTestId('stats-rate')).toHaveText(/^\d+%$/);

  // The resident confirms and rates it; staff reload and see the satisfaction.
  await command(request, resident, tracking, { kind: 'confirm' });
  await command(request, resident, tracking, { kind: 'rate', stars: 5 });
  await page.reload();
  await appReady(page);
  const rated = await stats(request, staff);
  expect(count(rated, 'rated')).toBe(count(before, 'rated') + 1);
  await expect(page.getByTestId('stats-rated')).toHaveText(String(count(rated, 'rated')));
  // Every rating in these tests is 5 stars.
  expect(rated.mean_stars).toBe(5);
  await expect(page.getByTestId('stats-stars')).toHaveText('5 / 5');
  // Filtered to 已提交, the rated request has left the queue.
  await expect(card).toHaveCount(0);

  // At 320 px nothing overflows sideways.
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`${REST}/staff/requests?state=rated`);
  await appReady(page);
  await expect(card).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectNoAxeViolations(page);
});

test('residents and signed-out visitors are told the workspace is for staff, and see no queue', async ({ page }) => {
  await page.goto(`${REST}/staff/requests`);
  await appReady(page);
  await expect(page.getByTestId('staff-only')).toContainText('工作人员账号登录');
  await expect(page.getByTestId('staff-only').getByRole('link', { name: '去「我的」登录' })).toBeVisible();

  await signIn(page, '13800000002');
  await page.goto(`${REST}/staff/requests`);
  await appReady(page);
  await expect(page.getByTestId('staff-only')).toContainText('不是工作人员账号');
  await expect(page.getByTestId('queue')).toHaveCount(0);
  await expect(page.getByTestId('stats')).toHaveCount(0);
  await page.goto(`${REST}/staff`);
  await appReady(page);
  await expect(page.getByTestId('staff-only')).toBeVisible();
  await expect(page.getByTestId('staff-home')).toHaveCount(0);
  await expectNoAxeViolations(page);
});
