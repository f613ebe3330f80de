// A small static file server for the browser tests, as a plain web host serves a built Torget site,
// with `/api/`, `/healthz` and the staff console (`/admin/`) passed on to the feedback endpoint so forms post to their own origin.
//
//   node tests/browser/static-server.mjs --site DIR --api http://127.0.0.1:PORT [--listen 127.0.0.1:0]
//
// Prints `listening on http://127.0.0.1:PORT` once it accepts connections; stops on SIGTERM/SIGINT.
// Like common hosts: `/dir/` serves `dir/index.html`, `/dir` redirects to `/dir/`, and an unknown
// path gets status 404 with the language's 404 page (`/en/404.html` under `/en/`, else `/404.html`).
// Nothing is cached (`Cache-Control: no-store`), so every page load in a test is measured whole.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** Starts the server; resolves to `{ url, close() }`. */
export function startStaticServer({ site, api, host = '127.0.0.1', port = 0 }) {
  const root = path.resolve(site);
  const apiUrl = api ? new URL(api) : null;

  function sendFile(res, file, status, method) {
    const body = fs.readFileSync(file);
    res.writeHead(status, {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  function notFound(res, pathname, method) {
    const lang = /^\/([a-z]{2,3})\//.exec(pathname);
    const candidates = [lang && path.join(root, lang[1], '404.html'), path.join(root, '404.html')];
    const page = candidates.find((f) => f && fs.existsSync(f));
    if (page) return sendFile(res, page, 404, method);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  }

  function proxy(req, res) {
    const upstream = http.request(
      {
        host: apiUrl.hostname,
        port: apiUrl.port,
        method: req.method,
        path: req.url,
        // The Host header is passed on as the browser sent it, so the endpoint sees the post as
        // coming from its own origin, as it would behind a reverse proxy on the site's host.
        headers: { ...req.headers, 'x-forwarded-proto': 'http' },
        timeout: 15000,
      },
      (up) => {
        res.writeHead(up.statusCode, up.statusMessage, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('the endpoint did not answer in 15 s')));
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`bad gateway: ${err.message}\n`);
    });
    req.pipe(upstream);
  }

  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const endpoint =
      pathname.startsWith('/api/') || pathname === '/healthz' || pathname === '/admin' || pathname.startsWith('/admin/');
    if (apiUrl && endpoint) return proxy(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res, '/', req.method);
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return notFound(res, pathname, req.method);
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        res.writeHead(301, { Location: `${pathname}/${query}` }).end();
        return;
      }
      const index = path.join(file, 'index.html');
      if (!fs.existsSync(index)) return notFound(res, pathname, req.method);
      return sendFile(res, index, 200, req.method);
    }
    return sendFile(res, file, 200, req.method);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolve({
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections();
          }),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      site: { type: 'string' },
      api: { type: 'string' },
      listen: { type: 'string', default: '127.0.0.1:0' },
    },
  });
  if (!values.site) {
    console.error('usage: static-server.mjs --site DIR [--api URL] [--listen HOST:PORT]');
    process.exit(2);
  }
  const [host, port] = values.listen.split(':');
  const server = await startStaticServer({ site: values.site, api: values.api, host, port: Number(port) });
  console.log(`listening on ${server.url}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
