// Citizen Cloud's service worker (tools/bundle.mjs writes it to dist/sw.js with the build's file
// list). It lets the app open without a network, so that a request filed offline can be seen
// waiting in the outbox after a reload, and sent when the network is back.
//   - The bundle is cached at install. Hashed files (pkg-<hash>/, main-<hash>.css) never change:
//     the cache answers them. A new build is a new cache; the old one is deleted on activation.
//   - Pages (navigations), config.json and catalog.json come from the network when it answers,
//     from the last copy when it does not.
//   - The API (api/, open311/) and health checks are never cached: live data only.
const BUILD = '__BUILD__';
const FILES = __FILES__;
const CACHE = `citizen-cloud-${BUILD}`;
const scope = new URL(self.registration.scope);
const inScope = (path) => new URL(path, scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map(inScope)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('citizen-cloud-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** The network's answer, kept for next time; the last kept copy when the network fails. */
async function networkFirst(request, fallback) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(fallback ?? request, copy));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(fallback ?? request);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (/^(api|open311)\//.test(path) || path === 'healthz') return;
  if (request.mode === 'navigate') {
    // Every in-app address is the same page.
    event.respondWith(networkFirst(request, inScope('./')));
  } else if (/^pkg-[0-9a-f]{16}\/|^main-[0-9a-f]{16}\.css$/.test(path)) {
    event.respondWith(caches.match(request).then((kept) => kept ?? fetch(request)));
  } else {
    event.respondWith(networkFirst(request));
  }
});
