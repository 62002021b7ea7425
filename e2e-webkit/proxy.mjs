// A pass-through proxy in front of each test server, for what WebKit's WebDriver cannot do itself
// (it has no network emulation and no "run this script before the page's own"):
//   - `offline`: every request is answered by closing the connection, which is what a page sees
//     when the network is gone (fetch rejects with a TypeError); navigator.onLine stays true;
//   - `inject`: a script loaded at the top of every HTML page, before the page's own scripts, as
//     `<script src="/__webkit/inject.js">` (same origin, so the server's Content-Security-Policy,
//     which allows this origin's scripts, lets it run without weakening the policy).
// The tests set both through POST /__webkit/control; anything else passes through unchanged.
import http from 'node:http';

const CONTROL = '/__webkit/control';
const INJECTED = '/__webkit/inject.js';

/** Starts a proxy on `port` for the server on `target`; resolves to its `http.Server`. */
export function startProxy(port, target) {
  const state = { offline: false, inject: null };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === CONTROL && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const next = JSON.parse(body || '{}');
        state.offline = Boolean(next.offline);
        state.inject = next.inject ?? null;
        res.writeHead(204).end();
      });
      return;
    }
    if (state.offline) {
      req.socket.destroy();
      return;
    }
    if (path === INJECTED && state.inject !== null) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(state.inject);
      return;
    }
    const headers = { ...req.headers };
    // A page that gets a script must arrive uncompressed, so that the tag can be added.
    const html = state.inject !== null && (req.headers.accept ?? '').includes('text/html');
    if (html) for (const h of ['accept-encoding', 'if-none-match', 'if-modified-since']) delete headers[h];
    const upstream = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers }, (reply) => {
      const type = reply.headers['content-type'] ?? '';
      if (!html || !type.startsWith('text/html')) {
        res.writeHead(reply.statusCode, reply.headers);
        reply.pipe(res);
        return;
      }
      const chunks = [];
      reply.on('data', (c) => chunks.push(c));
      reply.on('end', () => {
        const page = Buffer.concat(chunks).toString('utf8').replace('<head>', `<head><script src="${INJECTED}"></script>`);
        const out = { ...reply.headers, 'cache-control': 'no-store' };
        delete out['content-length'];
        delete out.etag;
        res.writeHead(reply.statusCode, out).end(page);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
