import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ERRORS, type ErrorCode } from '../errors';
import {
  CLIENT_MESSAGE_SCHEMAS, SERVER_MESSAGE_SCHEMAS, type ClientMessage, type ServerMessage,
} from './messages';
import type { ErrorMessage } from './session';

/** A frame that was read and matched its schema, or the typed error to answer it with. */
export type ParseResult<M> = { ok: true; message: M } | { ok: false; error: ErrorMessage };

interface Checker {
  check(value: unknown): boolean;
  issues(value: unknown): { path: string; message: string }[];
}

const MAX_ISSUES = 5;

/**
 * A checker compiled on first use. Compiling needs `new Function`, which a strict Content Security
 * Policy forbids in browsers: there the interpreted checker is used instead.
 */
function checker(schema: TSchema): Checker {
  try {
    const compiled = TypeCompiler.Compile(schema);
    return {
      check: (v) => compiled.Check(v),
      issues: (v) => [...take(compiled.Errors(v), MAX_ISSUES)].map((e) => ({ path: e.path, message: e.message })),
    };
  } catch {
    return {
      check: (v) => Value.Check(schema, v),
      issues: (v) => [...take(Value.Errors(schema, v), MAX_ISSUES)].map((e) => ({ path: e.path, message: e.message })),
    };
  }
}

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const x of it) {
    yield x;
    if (--n <= 0) return;
  }
}

/** One lazily compiled checker per message type: a frame is checked against its own type only. */
function checkersOf(schemas: Record<string, TSchema>): (type: string) => Checker | undefined {
  const cache = new Map<string, Checker>();
  return (type) => {
    if (!Object.prototype.hasOwnProperty.call(schemas, type)) return undefined;
    let c = cache.get(type);
    if (!c) {
      c = checker(schemas[type]);
      cache.set(type, c);
    }
    return c;
  };
}

const clientChecker = checkersOf(CLIENT_MESSAGE_SCHEMAS);
const serverChecker = checkersOf(SERVER_MESSAGE_SCHEMAS);

/** A typed signaling error message with the registry's default text unless `message` is given. */
export function signalError(code: ErrorCode, opts: { requestId?: string; message?: string; details?: unknown } = {}): ErrorMessage {
  const e: ErrorMessage = { type: 'error', code, message: opts.message ?? ERRORS[code].message };
  if (opts.requestId !== undefined) e.requestId = opts.requestId;
  if (opts.details !== undefined) e.details = opts.details;
  return e;
}

const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The frame's request id when it has a well-formed one, so even a rejected request can be matched. */
function requestIdOf(value: Record<string, unknown>): string | undefined {
  const id = value.requestId;
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
}

function parseWith<M>(raw: string | Buffer, pick: (type: string) => Checker | undefined): ParseResult<M> {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, error: signalError('BAD_JSON', { message: 'The message is not valid JSON.' }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: signalError('VALIDATION_FAILED', { message: 'A message must be a JSON object with a "type".' }) };
  }
  const obj = value as Record<string, unknown>;
  const requestId = requestIdOf(obj);
  const type = obj.type;
  if (typeof type !== 'string') {
    return { ok: false, error: signalError('VALIDATION_FAILED', { requestId, message: 'A message must have a string "type".' }) };
  }
  const c = pick(type);
  if (!c) {
    return { ok: false, error: signalError('SIGNAL_UNKNOWN_TYPE', { requestId, details: { type: type.slice(0, 64) } }) };
  }
  if (!c.check(value)) {
    return { ok: false, error: signalError('VALIDATION_FAILED', { requestId, message: `The "${type}" message is not valid.`, details: { issues: c.issues(value) } }) };
  }
  return { ok: true, message: value as M };
}

/**
 * Reads one client → server frame: JSON, an object with a known `type`, valid against that type's
 * schema. Anything else is a typed error to send back (BAD_JSON, SIGNAL_UNKNOWN_TYPE or
 * VALIDATION_FAILED with `details.issues`). Unknown extra fields are allowed and ignored.
 */
export function parseClientMessage(raw: string | Buffer): ParseResult<ClientMessage> {
  return parseWith<ClientMessage>(raw, clientChecker);
}

/** Reads one server → client frame (client library, bots), with the same rules as parseClientMessage. */
export function parseServerMessage(raw: string | Buffer): ParseResult<ServerMessage> {
  return parseWith<ServerMessage>(raw, serverChecker);
}
