import { test, expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import { CITY, CITY_APP } from './helpers';

// The GeoReport city fixture (e2e/fixtures/georeport-city.mjs) must behave like the strict city it
// stands for, or the open311 journey against it proves nothing. These checks would catch a fixture
// that lies: one that resolves tokens at once, accepts what a city refuses, or allows what a
// city's CORS does not. No page: the `request` fixture only. Every test files its own requests
// (the journey shares this server, so nothing here resets it).

const API = `${CITY}/city/georeport/v2/`;
const JURISDICTION = 'yulin.example.gov';
const KEY = 'fixture-app-key-2026';

type Pairs = [string, string][];

/** A form POST to requests.json: the pairs in order (repeated names kept), as a browser sends it. */
function file(request: APIRequestContext, pairs: Pairs, headers: Record<string, string> = {}) {
  return request.post(`${API}requests.json`, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    data: new URLSearchParams(pairs).toString(),
  });
}

const get = (request: APIRequestContext, path: string, query: Record<string, string> = {}) =>
  request.get(`${API}${path}?${new URLSearchParams({ jurisdiction_id: JURISDICTION, ...query })}`);

/** The spec's error list: every entry has this status as its code; returns the descriptions. */
async function refusal(reply: APIResponse, status: number): Promise<string[]> {
  expect(reply.status(), await reply.text()).toBe(status);
  const body = await reply.json();
  expect(Array.isArray(body) && body.length > 0, JSON.stringify(body)).toBe(true);
  for (const entry of body) expect(Object.keys(entry).sort()).toEqual(['code', 'description']);
  expect(body.map((e: { code: number }) => e.code)).toEqual(body.map(() => status));
  return body.map((e: { description: string }) => e.description);
}

/** A complete, valid filing of the street-light service (svc-7f3a, every datatype). */
const streetLight = (description: string): Pairs => [
  ['jurisdiction_id', JURISDICTION],
  ['api_key', KEY],
  ['service_code', 'svc-7f3a'],
  ['attribute[pole_number]', 'WH-0231'],
  ['attribute[lamp_kind]', 'sodium'],
  ['attribute[lamps_out]', '3'],
  ['attribute[hazards][]', 'wires'],
  ['attribute[hazards][]', 'dark'],
  ['attribute[noticed_at]', '2026-12-04T21:30:00+08:00'],
  ['attribute[details]', '整条巷子都是黑的'],
  ['description', description],
  ['lat', '30.6441'],
  ['long', '104.0512'],
];

const without = (pairs: Pairs, ...names: string[]) => pairs.filter(([name]) => !names.includes(name));
const unique = (what: string) => `${what} ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

test('services: opaque codes, groups, one without a group, attributes of every datatype to sort by order', async ({ request }) => {
  const services = await (await get(request, 'services.json')).json();
  const codes = services.map((s: { service_code: string }) => s.service_code);
  expect(codes).toEqual(expect.arrayContaining(['svc-7f3a', 'svc-20b1', 'svc-9c44']));
  for (const code of codes) expect(code).toMatch(/^svc-[0-9a-f]{4}$/);
  expect(services.find((s: { service_code: string }) => s.service_code === 'svc-7f3a')).toMatchObject({
    service_name: '路灯不亮',
    group: '市政设施',
    metadata: true,
  });
  expect(services.find((s: { service_code: string }) => s.service_code === 'svc-20b1')).toMatchObject({ group: '环境卫生', metadata: false });
  expect(services.some((s: object) => !('group' in s)), 'a service without a group').toBe(true);
  expect(Math.max(...services.map((s: { description: string }) => s.description.length))).toBeGreaterThan(100);

  const definition = await (await get(request, 'services/svc-7f3a.json')).json();
  expect(definition.service_code).toBe('svc-7f3a');
  const attributes: { code: string; order: number; datatype: string; variable: boolean; required: boolean }[] = definition.attributes;
  const orders = attributes.map((a) => a.order);
  expect(orders, 'the array is not in display order').not.toEqual([...orders].sort((a, b) => a - b));
  const sorted = [...attributes].sort((a, b) => a.order - b.order);
  expect(sorted.map((a) => [a.code, a.datatype, a.variable, a.required])).toEqual([
    ['note_1', 'string', false, false],
    ['pole_number', 'string', true, true],
    ['lamp_kind', 'singlevaluelist', true, true],
    ['lamps_out', 'number', true, true],
    ['hazards', 'multivaluelist', true, false],
    ['noticed_at', 'datetime', true, false],
    ['details', 'text', true, false],
  ]);
  expect(attributes.find((a) => a.code === 'lamp_kind')).toMatchObject({ values: [{ key: 'led', name: 'LED 灯' }, { key: 'sodium', name: '钠灯' }] });

  expect(await refusal(await get(request, 'services/svc-0000.json'), 404)).toEqual([expect.stringContaining('svc-0000')]);
  expect(await refusal(await get(request, 'nothing.json'), 404)).toHaveLength(1);
  expect(await refusal(await request.delete(`${API}services.json`), 405)).toHaveLength(1);
});

test('without the jurisdiction, or without the application key, the city refuses in the list shape', async ({ request }) => {
  const noJurisdiction = [{ code: 400, description: 'jurisdiction_id is required' }];
  for (const reply of [
    await request.get(`${API}services.json`),
    await request.get(`${API}services.json?jurisdiction_id=elsewhere.example.gov`),
    await request.get(`${API}requests.json`),
    await file(request, without(streetLight(unique('无辖区')), 'jurisdiction_id')),
  ]) {
    expect(reply.status()).toBe(400);
    expect(await reply.json()).toEqual(noJurisdiction);
  }
  // In the query is as good as in the form, for a POST.
  const inQuery = await request.post(`${API}requests.json?jurisdiction_id=${JURISDICTION}`, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: new URLSearchParams(without(streetLight(unique('查询中的辖区')), 'jurisdiction_id')).toString(),
  });
  expect(inQuery.status(), await inQuery.text()).toBe(200);

  // The key is the application's, in the form body; a person's token or the key in the URL is not it.
  const noKey = without(streetLight(unique('无密钥')), 'api_key');
  for (const reply of [
    await file(request, noKey),
    await file(request, [...noKey, ['api_key', 'a-residents-session-token']]),
    await request.post(`${API}requests.json?api_key=${KEY}`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: new URLSearchParams(noKey).toString(),
    }),
  ]) {
    expect(await refusal(reply, 403)).toEqual(['api_key is missing or not valid']);
  }
  // Reading needs no key.
  expect((await get(request, 'requests.json')).status()).toBe(200);
  // A JSON body is not a GeoReport filing.
  const json = await request.post(`${API}requests.json`, { data: Object.fromEntries(streetLight(unique('JSON'))) });
  expect(await refusal(json, 400)).toEqual([expect.stringContaining('application/x-www-form-urlencoded')]);
});

test('required and typed attributes are enforced, and each refusal names its field first', async ({ request }) => {
  const valid = streetLight(unique('缺字段'));
  const cases: [Pairs, string][] = [
    [without(valid, 'attribute[pole_number]'), 'attribute[pole_number] is required'],
    [without(valid, 'attribute[lamp_kind]'), 'attribute[lamp_kind] is required'],
    [[...without(valid, 'attribute[lamps_out]'), ['attribute[lamps_out]', '三']], 'attribute[lamps_out]: a number is required'],
    [[...without(valid, 'attribute[lamp_kind]'), ['attribute[lamp_kind]', 'halogen']], 'attribute[lamp_kind]: halogen is not one of led, sodium'],
    [[...valid, ['attribute[hazards][]', 'smoke']], 'attribute[hazards]: smoke is not one of wires, dark, flicker'],
    [without(valid, 'description'), 'description is required'],
    [without(valid, 'lat', 'long'), 'lat and long, address_string or address_id is required'],
    [without(valid, 'long'), 'long is required with lat'],
    [[...valid, ['media_url', 'photo.png']], 'media_url: an absolute http(s) URL is required'],
  ];
  for (const [pairs, description] of cases) {
    expect(await refusal(await file(request, pairs), 400), description).toEqual([description]);
  }
  // A datetime is W3C, with its offset: a browser's datetime-local value alone is not one.
  for (const when of ['昨晚', '2026-12-04T21:30']) {
    const pairs: Pairs = [...without(valid, 'attribute[noticed_at]'), ['attribute[noticed_at]', when]];
    expect(await refusal(await file(request, pairs), 400)).toEqual([expect.stringMatching(/^attribute\[noticed_at\]: a W3C datetime is required/)]);
  }
  // A multivaluelist is sent as attribute[code][]; a single value is sent as attribute[code].
  const flatList: Pairs = [...without(valid, 'attribute[hazards][]'), ['attribute[hazards]', 'wires']];
  expect(await refusal(await file(request, flatList), 400)).toEqual([expect.stringMatching(/^attribute\[hazards\]: a multivaluelist is sent as/)]);
  const listedSingle: Pairs = [...without(valid, 'attribute[lamp_kind]'), ['attribute[lamp_kind][]', 'led']];
  expect(await refusal(await file(request, listedSingle), 400)).toEqual([expect.stringMatching(/^attribute\[lamp_kind\]: a singlevaluelist takes one value/)]);
  // The informational attribute takes no answer; an attribute the service lacks is not one.
  expect(await refusal(await file(request, [...valid, ['attribute[note_1]', '好的']]), 400)).toEqual([
    'attribute[note_1]: this attribute is informational and takes no answer',
  ]);
  expect(await refusal(await file(request, [...valid, ['attribute[colour]', 'red']]), 400)).toEqual([
    'attribute[colour]: svc-7f3a has no such attribute',
  ]);
  // Every problem at once, in the definition's order, then the request's own fields.
  const many: Pairs = [
    ...without(valid, 'attribute[pole_number]', 'attribute[lamps_out]', 'description'),
    ['attribute[lamps_out]', 'several'],
  ];
  expect(await refusal(await file(request, many), 400)).toEqual([
    'attribute[pole_number] is required',
    'attribute[lamps_out]: a number is required',
    'description is required',
  ]);
  // An unknown service, and attributes for a service that has none.
  expect(await refusal(await file(request, [...without(valid, 'service_code'), ['service_code', 'fire-safety']]), 400)).toEqual([
    'service_code: fire-safety is not a service of this city',
  ]);
  const manhole: Pairs = [...without(valid, 'service_code', 'attribute[hazards][]', 'attribute[noticed_at]', 'attribute[details]'), ['service_code', 'svc-9c44']];
  expect(await refusal(await file(request, manhole), 400)).toEqual([
    'attribute[pole_number]: svc-9c44 has no such attribute',
    'attribute[lamp_kind]: svc-9c44 has no such attribute',
    'attribute[lamps_out]: svc-9c44 has no such attribute',
  ]);
});

test('a filing gets a YL id at once; the city keeps a multivaluelist as a list, the contact fields, and exactly what was posted', async ({
  request,
}) => {
  const description = unique('巷子里的路灯全灭了');
  const pairs: Pairs = [
    ...streetLight(description),
    ['first_name', '秀英'],
    ['last_name', '王'],
    ['phone', '13800000001'],
    ['email', 'xiuying@example.cn'],
    ['media_url', 'https://community.example.cn/api/v1/photos/abc'],
  ];
  const reply = await file(request, pairs, { Origin: 'https://app.example.cn' });
  expect(reply.status(), await reply.text()).toBe(200);
  expect(reply.headers()['access-control-allow-origin']).toBe('https://app.example.cn');
  const [filed] = await reply.json();
  expect(filed).toEqual({ service_request_id: expect.stringMatching(/^YL-\d{6}$/), service_notice: '已转交市政维护中心' });
  const id: string = filed.service_request_id;

  const recorded = await (await request.get(`${CITY}/__fixture/requests/${id}`)).json();
  expect(recorded.attributes).toEqual({
    pole_number: 'WH-0231',
    lamp_kind: 'sodium',
    lamps_out: 3,
    hazards: ['wires', 'dark'],
    noticed_at: '2026-12-04T21:30:00+08:00',
    details: '整条巷子都是黑的',
  });
  expect(recorded.contact).toEqual({ first_name: '秀英', last_name: '王', phone: '13800000001', email: 'xiuying@example.cn' });
  expect(recorded.media_url_sent).toBe('https://community.example.cn/api/v1/photos/abc');

  // The POST as received: every pair in order, repeated names kept, with its headers.
  const posts: { path: string; status: number; headers: Record<string, string>; pairs: Pairs }[] = await (
    await request.get(`${CITY}/__fixture/posts`)
  ).json();
  const mine = posts.filter((p) => p.pairs.some(([name, value]) => name === 'description' && value === description));
  expect(mine).toHaveLength(1);
  expect(mine[0].pairs).toEqual(pairs);
  expect(mine[0].path).toBe('/city/georeport/v2/requests.json');
  expect(mine[0].status).toBe(200);
  expect(mine[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(mine[0].headers.origin).toBe('https://app.example.cn');

  // As listed: the spec's fields, W3C datetimes with the city's offset, never the contact fields.
  const [listed] = await (await get(request, `requests/${id}.json`)).json();
  expect(listed).toMatchObject({
    service_request_id: id,
    status: 'open',
    status_notes: null,
    service_name: '路灯不亮',
    service_code: 'svc-7f3a',
    description,
    agency_responsible: '武侯区市政维护中心',
    service_notice: '已转交市政维护中心',
    lat: 30.6441,
    long: 104.0512,
    media_url: `${CITY}/city/media/${id}.png`,
  });
  for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
    expect(listed[field]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
  }
  expect(Date.parse(listed.expected_datetime) - Date.parse(listed.requested_datetime)).toBe(3 * 24 * 60 * 60 * 1000);
  for (const field of ['first_name', 'last_name', 'phone', 'email']) expect(listed).not.toHaveProperty(field);
  const png = await request.get(listed.media_url);
  expect(png.headers()['content-type']).toBe('image/png');
  expect([...(await png.body()).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(await refusal(await get(request, 'requests/YL-000000.json'), 404)).toHaveLength(1);
});

test('a deferred filing answers with a token, which gives its id only after a wait', async ({ request }) => {
  const filedAt = Date.now();
  const reply = await file(request, [
    ['jurisdiction_id', JURISDICTION],
    ['api_key', KEY],
    ['service_code', 'svc-20b1'],
    ['description', unique('垃圾桶满了三天没人收')],
    ['address_string', '玉林北路 5 号'],
  ]);
  expect(reply.status(), await reply.text()).toBe(200);
  const body = await reply.json();
  expect(body).toEqual([{ token: expect.any(String) }]);
  const token: string = body[0].token;

  // Not at once: polled for a while, the token still has no id.
  let resolved: { service_request_id?: string; token: string } | undefined;
  for (;;) {
    const [answer] = await (await get(request, `tokens/${token}.json`)).json();
    expect(answer.token).toBe(token);
    if (answer.service_request_id) {
      resolved = answer;
      break;
    }
    expect(Date.now() - filedAt, 'the token resolves within 6 s').toBeLessThan(6_000);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(Date.now() - filedAt, 'the token stayed unresolved for about 3 s').toBeGreaterThan(2_500);
  const id = resolved!.service_request_id!;
  expect(id).toMatch(/^YL-\d{6}$/);
  const [listed] = await (await get(request, `requests/${id}.json`)).json();
  expect(listed).toMatchObject({ service_code: 'svc-20b1', address: '玉林北路 5 号', lat: null, long: null, agency_responsible: '武侯区环境卫生管理所' });
  expect(await refusal(await get(request, 'tokens/no-such-token.json'), 404)).toHaveLength(1);
});

test('CORS as a strict city: origins echoed, but a preflight allows no custom header or method', async ({ request }) => {
  const origin = 'https://app.example.cn';
  const preflight = await request.fetch(`${API}requests.json`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'idempotency-key,content-type' },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()['access-control-allow-origin']).toBe(origin);
  expect(preflight.headers()).not.toHaveProperty('access-control-allow-headers');
  expect(preflight.headers()).not.toHaveProperty('access-control-allow-methods');

  for (const reply of [
    await request.get(`${API}services.json?jurisdiction_id=${JURISDICTION}`, { headers: { Origin: origin } }),
    await request.get(`${API}services.json`, { headers: { Origin: origin } }),
  ]) {
    expect(reply.headers()['access-control-allow-origin']).toBe(origin);
    expect(reply.headers().vary).toBe('Origin');
  }
});

test('the control endpoint closes a request, and requests.json shows it closed with its notes', async ({ request }) => {
  const reply = await file(request, [
    ['jurisdiction_id', JURISDICTION],
    ['api_key', KEY],
    ['service_code', 'svc-9c44'],
    ['description', unique('人行道上的井盖不见了')],
    ['lat', '30.6452'],
    ['long', '104.0498'],
  ]);
  const [{ service_request_id: id }] = await reply.json();
  const [before] = await (await get(request, 'requests.json', { service_request_id: id })).json();
  expect(before.status).toBe('open');

  await new Promise((r) => setTimeout(r, 1_100)); // so that updated_datetime (to the second) moves
  const closed = await request.post(`${CITY}/__fixture/requests/${id}/status`, {
    data: { status: 'closed', status_notes: '已补装新井盖', agency_responsible: '武侯区排水管理所' },
  });
  expect(closed.status(), await closed.text()).toBe(200);

  const listed = await (await get(request, 'requests.json', { service_request_id: `YL-000000,${id}` })).json();
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ service_request_id: id, status: 'closed', status_notes: '已补装新井盖', agency_responsible: '武侯区排水管理所' });
  expect(Date.parse(listed[0].updated_datetime)).toBeGreaterThan(Date.parse(before.updated_datetime));

  // The search's comma lists see the change; a bad status or date is refused, as is a window over 90 days.
  const ids = async (query: Record<string, string>) =>
    (await (await get(request, 'requests.json', query)).json()).map((r: { service_request_id: string }) => r.service_request_id);
  expect(await ids({ status: 'closed', service_code: 'svc-7f3a,svc-9c44' })).toContain(id);
  expect(await ids({ status: 'open', service_code: 'svc-9c44' })).not.toContain(id);
  expect(await ids({ status: 'open,closed', service_code: 'svc-20b1' })).not.toContain(id);
  expect(await refusal(await get(request, 'requests.json', { status: 'done' }), 400)).toEqual(['status: done is not open or closed']);
  expect(await refusal(await get(request, 'requests.json', { start_date: 'garbage' }), 400)).toEqual([expect.stringMatching(/^start_date: /)]);
  expect(await refusal(await get(request, 'requests.json', { start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-12-01T00:00:00+08:00' }), 400)).toEqual([
    expect.stringMatching(/^end_date: /),
  ]);

  expect(await refusal(await request.post(`${CITY}/__fixture/requests/${id}/status`, { data: { status: 'done' } }), 400)).toHaveLength(1);
  expect(await refusal(await request.post(`${CITY}/__fixture/requests/YL-000000/status`, { data: { status: 'closed' } }), 404)).toHaveLength(1);
});

test('the city app server is pointed at this fixture, and its page may call it and show its images', async ({ request }) => {
  const config = await (await request.get(`${CITY_APP}/config.json`)).json();
  expect(config.backends.requests).toEqual({ kind: 'open311', endpoint: API, api_key: KEY, jurisdiction_id: JURISDICTION });
  const csp = (await request.get(`${CITY_APP}/`)).headers()['content-security-policy'];
  expect(csp).toContain(`connect-src 'self' ${CITY};`);
  expect(csp).toMatch(new RegExp(`img-src [^;]* ${CITY};`));
});
