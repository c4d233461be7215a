import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { PodiumError } from '@podium/protocol';
import type { AppContext } from '../context';
import { FixedWindowLimiter, clientKey, type RateDecision } from './rate-limiter';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Strict per-IP limit (sign-in, sign-up, registration): set by the API registry from the route's definition. */
    rateLimited?: boolean;
  }
}

/** Length of a rate-limit window. */
export const RATE_WINDOW_MS = 60_000;
/** Most client addresses each limiter remembers; beyond it the oldest window is forgotten. */
export const RATE_LIMIT_MAX_CLIENTS = 100_000;

/**
 * Only the browser's own origin may run code, load media or open sockets. Inline styles are
 * allowed because React sets `style` attributes; inline scripts never are.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'", 'ws:', 'wss:'],
    mediaSrc: ["'self'", 'blob:'],
    workerSrc: ["'self'", 'blob:'],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    // On plain HTTP (a laptop, a LAN) upgrading would break every same-origin request.
    ...(https ? { upgradeInsecureRequests: [] } : {}),
  };
}

/** Camera, microphone and screen sharing for Podium's own pages only; everything else off. */
export const PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), fullscreen=(self), autoplay=(self), geolocation=(), payment=(), usb=(), serial=()';

function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Security headers, content security policy and per-IP rate limits. */
export async function installSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const https = ctx.config.secureCookies;
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(https) },
    // HSTS over plain HTTP is ignored by browsers at best and locks out a later HTTP setup at worst.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Join and reset links carry tokens in their URLs: never leak them to another site.
    referrerPolicy: { policy: 'no-referrer' },
    // Old browsers ignore frame-ancestors: say the same with X-Frame-Options.
    xFrameOptions: { action: 'deny' },
    // COEP would block media and images the app embeds from blob: URLs without CORP headers.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
  installRateLimits(app, ctx);
}

/**
 * Two per-IP fixed windows: a general one for every /api request and a strict one for routes
 * marked `rateLimited` (guessing passwords, creating accounts, mass registration). The client
 * address is `request.ip`, which honours X-Forwarded-For only when `trustProxy` is configured.
 */
function installRateLimits(app: FastifyInstance, ctx: AppContext): void {
  const general = new FixedWindowLimiter({ limit: ctx.config.rateLimitPerMinute, windowMs: RATE_WINDOW_MS, maxKeys: RATE_LIMIT_MAX_CLIENTS });
  const strict = new FixedWindowLimiter({ limit: ctx.config.authRateLimitPerMinute, windowMs: RATE_WINDOW_MS, maxKeys: RATE_LIMIT_MAX_CLIENTS });
  const sweeper = setInterval(() => {
    const now = ctx.now().getTime();
    general.sweep(now);
    strict.sweep(now);
  }, RATE_WINDOW_MS);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isApiUrl(req.url)) return;
    const key = clientKey(req.ip);
    const now = ctx.now().getTime();
    const refusals: { bucket: string; decision: RateDecision }[] = [];
    const g = general.hit(key, now);
    if (!g.allowed) refusals.push({ bucket: 'general', decision: g });
    if (req.routeOptions.config?.rateLimited === true) {
      const s = strict.hit(key, now);
      if (!s.allowed) refusals.push({ bucket: 'strict', decision: s });
    }
    if (!refusals.length) return;
    const retryAfter = Math.max(...refusals.map((r) => r.decision.retryAfterSeconds));
    for (const r of refusals) {
      // Once per client and window; the route, never the address, identifies what was limited.
      if (r.decision.firstRefusal) req.log.warn({ bucket: r.bucket, route: req.routeOptions.url ?? null }, 'rate limit reached');
    }
    const err = new PodiumError('RATE_LIMITED', undefined, { retryAfterSeconds: retryAfter });
    return reply.code(err.status).header('retry-after', String(retryAfter)).send(err.toBody());
  });
}
