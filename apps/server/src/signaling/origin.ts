import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade may proceed, judged by its Origin header. Browsers always send
 * Origin on WebSocket upgrades, so a page on another site cannot open a socket with a visitor's
 * link; only Podium's own origin (from publicUrl) is accepted. Non-browser clients (bots, load
 * tools) send no Origin and are let through: they authenticate with a join token like everyone.
 */
export function isAllowedOrigin(origin: string | undefined, publicUrl: string): boolean {
  if (origin === undefined) return true;
  let expected: string;
  try {
    expected = new URL(publicUrl).origin;
  } catch {
    return false;
  }
  return origin.toLowerCase() === expected.toLowerCase();
}

/**
 * The client address of an upgrade request: the socket's peer, or behind a trusted reverse proxy
 * the first address of X-Forwarded-For (as Fastify's `request.ip` does for HTTP requests).
 */
export function upgradeClientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers['x-forwarded-for'];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? '';
}
