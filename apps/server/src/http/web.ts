import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** How the web app answers requests that matched no route (the API's JSON 404 is decided before). */
export interface WebApp {
  /** Whether a built web app was found. */
  readonly built: boolean;
  /** Answers a non-API request that matched no route or file. */
  notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/** Hashed build output: its names change with its content, so browsers may keep it forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) must be revalidated so a new release is picked up at once. */
const REVALIDATE = 'no-cache';

/** The page shown at `/` when the web app has not been built. */
export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Podium</title></head>
<body>
<h1>Podium is running</h1>
<p>The web app has not been built yet. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload this page.</p>
<p>The API works already: see <a href="/api/docs">the API reference</a>.</p>
</body></html>
`;

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function isPageNavigation(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0];
  // A missing hashed asset must stay a 404: index.html in its place breaks the module loader.
  if (isApiPath(path) || path.startsWith('/assets/')) return false;
  const accept = req.headers.accept ?? '';
  if (accept.includes('text/html')) return true;
  // curl and simple clients send */* or nothing: give them the page for app routes, not for file names.
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return (accept === '' || accept.trim() === '*/*') && !lastSegment.includes('.');
}

function plainNotFound(reply: FastifyReply): FastifyReply {
  return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
}

/**
 * Serves the built web app from `webDir`: its files (immutable caching for /assets), and
 * index.html for any other page navigation so the client-side router can take over.
 * Without a build, `/` explains how to build it.
 */
export async function installWebApp(app: FastifyInstance, webDir: string): Promise<WebApp> {
  const root = resolve(webDir);
  const built = existsSync(join(root, 'index.html'));
  if (!built) {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', REVALIDATE).send(NOT_BUILT_PAGE));
    return { built, notFound: (_req, reply) => plainNotFound(reply) };
  }
  await app.register(fastifyStatic, {
    root,
    cacheControl: false,
    // Never let a file of the build answer under /api: that space belongs to the API.
    allowedPath: (pathName) => !isApiPath(pathName),
    setHeaders: (reply, path) => {
      const immutable = path.startsWith(join(root, 'assets') + '/');
      reply.header('cache-control', immutable ? IMMUTABLE : REVALIDATE);
    },
  });
  return {
    built,
    notFound(req, reply) {
      if (!isPageNavigation(req)) return plainNotFound(reply);
      return reply.status(200).sendFile('index.html');
    },
  };
}
