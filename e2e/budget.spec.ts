import { test, expect } from '@playwright/test';
import {
  CATALOG_BUDGET,
  FIRST_LOAD_BUDGET,
  PHONE,
  catalogGzip,
  catalogReport,
  firstLoadReport,
  measureFirstLoad,
} from '../bench/first-load.mjs';

// The first-load budget (README, Performance): the code the home page fetches before the network
// goes idle, measured on the release bundle by the same function `./run bench` prints it with.

test.use({ viewport: PHONE });

test('the home page’s first load stays within 200 KB gzip, and the catalog within 40 KB', async ({ page, baseURL }) => {
  const load = await measureFirstLoad(page, `${baseURL}/`);
  const catalog = catalogGzip();
  for (const line of [...firstLoadReport(load), catalogReport(catalog)]) console.log(line);

  // The measure must see the first screen whole (it waits for the nearby section) and nothing
  // prefetched for the screens a resident may open next.
  const names = load.files.map((f) => f.file.split('/').pop());
  expect(names).toContain('citizen-cloud_bg.wasm');
  for (const chunk of ['split_services.wasm', 'split_me.wasm', 'split_requests.wasm']) expect(names).not.toContain(chunk);
  expect(load.total, 'first load, bytes gzip').toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  expect(catalog, 'catalog.json, bytes gzip').toBeLessThanOrEqual(CATALOG_BUDGET);
});
