#!/usr/bin/env node
// A demo host app for Citizen Cloud's bridge: a phone-frame page that embeds the app in an iframe
// from another origin, lists the bridge's messages as they arrive, and sends each host → app
// message. "Sign in as …" asks this server for a host code: it calls the app server's
// POST /api/v1/host/sign-in-codes with the host's credentials, which never reach the browser.
//
//   node examples/host/serve.mjs --app http://127.0.0.1:8080/ [--port 8090]
//        [--client-id host_demo --secret demo-host-secret-2026]
//
// The credentials default to the demo host that `citizen-server --demo` registers (demo-only,
// like the demo passwords); CITIZEN_HOST_CLIENT_ID / CITIZEN_HOST_SECRET override them. The app's
// config.json must list this page's origin in `allowed_origins` (examples/host/config.json does,
// for the default port). The page at /intruder is also served on the next port, another origin:
// a frame whose messages the app must ignore. Demo only: /sign-in-code vouches for any number,
// so both listen on the loopback only.
// No dependencies: Node's own http server and fetch (Node 18+).

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const app = new URL(option('app', 'http://127.0.0.1:8080/'));
const port = Number(option('port', '8090'));
const clientId = option('client-id', process.env.CITIZEN_HOST_CLIENT_ID ?? 'host_demo');
const secret = option('secret', process.env.CITIZEN_HOST_SECRET ?? 'demo-host-secret-2026');
const signInCodes = new URL('api/v1/host/sign-in-codes', app);

/** The intruder's origin: the next port, so another origin, which allowed_origins does not list. */
const intruderOrigin = `http://127.0.0.1:${port + 1}`;

function page(file, replacements) {
  let text = readFileSync(join(here, file), 'utf8');
  for (const [key, value] of Object.entries(replacements)) text = text.replaceAll(key, value);
  return text;
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readJson(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) throw new Error('too long');
  }
  return JSON.parse(body);
}

/** The host's own server vouches for the person (here: anyone who asks) and gets a code. */
async function signInCode(mobile) {
  const response = await fetch(signInCodes, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ mobile }),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://host.invalid');
  try {
    if (req.method === 'GET' && url.pathname === '/') {
      const appUrl = new URL(url.searchParams.get('path') ?? '', app).href;
      return send(res, 200, 'text/html; charset=utf-8', page('index.html', {
        '__APP_URL__': appUrl,
        '__APP_ORIGIN__': app.origin,
        '__INTRUDER_URL__': `${intruderOrigin}/intruder`,
      }));
    }
    if (req.method === 'GET' && url.pathname === '/intruder') {
      return send(res, 200, 'text/html; charset=utf-8', page('intruder.html', { '__APP_ORIGIN__': app.origin }));
    }
    if (req.method === 'POST' && url.pathname === '/sign-in-code') {
      const { mobile } = await readJson(req);
      const { status, body } = await signInCode(String(mobile ?? ''));
      return send(res, status, 'application/json', JSON.stringify(body));
    }
    send(res, 404, 'text/plain', 'not found');
  } catch (e) {
    send(res, 502, 'application/json', JSON.stringify({ error: String(e) }));
  }
}

createServer(handle).listen(port + 1, '127.0.0.1');
createServer(handle).listen(port, '127.0.0.1', () => {
  console.log(`Demo host: http://127.0.0.1:${port}/ embedding ${app.href}`);
  console.log(`(the app's allowed_origins must list http://127.0.0.1:${port})`);
});
