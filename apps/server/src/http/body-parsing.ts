import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PodiumError } from '@podium/protocol';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads its body as a raw byte stream (uploads): set by the API registry from the route's definition. */
    rawBody?: boolean;
  }
}

/**
 * The content type raw-body routes give every request before parsing (`markRawBody`), so their
 * bodies reach one pass-through parser whatever the client declared. Declared by a client on any
 * other route, it is refused like any other non-JSON type.
 */
const RAW_BODY_TYPE = 'application/x-podium-raw-body';

/** `onRequest` hook of raw-body routes: whatever the client declared, the body goes to the pass-through parser. */
export async function markRawBody(req: FastifyRequest): Promise<void> {
  req.raw.headers['content-type'] = RAW_BODY_TYPE;
}

/** The unread body stream of a raw-body route (undefined when the request has no body). */
export function rawBodyOf(req: FastifyRequest): Readable | undefined {
  return req.body as Readable | undefined;
}

// Cheap test on the raw text: only bodies with a NUL or surrogate escape need the exact check.
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
// A surrogate half without its partner: not a character, so not text PostgreSQL can store.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isBadText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** JSON pointer of the first key or string that is not storable text, or null. Iterative: bodies may nest deeply. */
function firstBadText(root: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (isBadText(value)) return path;
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (isBadText(k)) return p;
        stack.push({ value: v, path: p });
      }
    }
  }
  return null;
}

/**
 * JSON is the only request body the API reads: Fastify's text/plain parser is removed, so a text
 * body gets UNSUPPORTED_MEDIA_TYPE on every route (including routes that take no body) instead of
 * reaching a handler. Strings may not hold NUL characters or lone surrogate halves, which
 * PostgreSQL text and jsonb cannot store: refused here, once, rather than failing deep inside a
 * query as a 500 (or being stored as U+FFFD).
 */
export function installBodyParsing(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['text/plain', 'application/json']);
  // Uploads: the stream is handed on unread, after the route's access check, to be streamed to storage.
  app.addContentTypeParser(RAW_BODY_TYPE, (req, payload, done) => {
    if (req.routeOptions.config?.rawBody === true) done(null, payload);
    else done(new PodiumError('UNSUPPORTED_MEDIA_TYPE'), undefined);
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (!SUSPECT_ESCAPE.test(text)) return parseJson(req, text, done);
    parseJson(req, text, (err, value) => {
      if (err) return done(err, undefined);
      const at = firstBadText(value);
      if (at === null) return done(null, value);
      done(new PodiumError('VALIDATION_FAILED', 'Text must be valid Unicode without NUL characters.', {
        issues: [{ path: `/body${at}`, message: 'must be valid Unicode text without NUL characters' }],
      }), undefined);
    });
  });
}
