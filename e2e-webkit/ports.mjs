// The WebKit suite's ports, read by the runner and the journeys alike. E2E_WEBKIT_PORT_BASE moves
// them all (default 18180, clear of Playwright's E2E_PORT_BASE 18080 and its next seven).
export function ports() {
  const base = Number(process.env.E2E_WEBKIT_PORT_BASE ?? 18180);
  return {
    /** The bundle's own config: services on `local` (catalog.json). */
    local: base,
    /** config/serve.json: every module on the server's API (`rest`). */
    rest: base + 1,
    /** The bundle's own config with `routing: "hash"`. */
    hash: base + 2,
    /** config/serve.json with requests on `open311` at the fixture city (e2e/fixtures/city-app-config.mjs). */
    cityApp: base + 3,
    /** The fixture city (e2e/fixtures/georeport-city.mjs), on its own origin: no proxy in front. */
    city: base + 4,
    /** Each server's proxy (proxy.mjs) listens this far above it; the journeys use the proxies. */
    proxyOffset: 10,
    driver: base + 20,
  };
}
