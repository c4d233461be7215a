import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, PodiumError, type ValidationIssue } from '@podium/protocol';

function validationIssues(err: FastifyError): ValidationIssue[] {
  const context = (err as { validationContext?: string }).validationContext ?? 'body';
  return (err.validation ?? []).slice(0, 20).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `/${context}${v.instancePath}${missing ? `/${missing}` : ''}`;
    return { path, message: v.message ?? 'is invalid' };
  });
}

const BY_FASTIFY_CODE: Record<string, () => PodiumError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new PodiumError('BAD_JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new PodiumError('BAD_JSON', 'The request body is empty.'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PodiumError('PAYLOAD_TOO_LARGE'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new PodiumError('UNSUPPORTED_MEDIA_TYPE'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new PodiumError('VALIDATION_FAILED', 'The Content-Length header is wrong.'),
  FST_ERR_BAD_URL: () => new PodiumError('VALIDATION_FAILED', 'The URL is malformed.'),
  FST_ERR_MAX_PARAM_LENGTH: () => new PodiumError('VALIDATION_FAILED', 'A path parameter is too long.'),
  FST_ERR_ASYNC_CONSTRAINT: () => new PodiumError('VALIDATION_FAILED'),
};

/** The registry error for a Fastify error code, if it has one. */
function mappedFastifyError(err: FastifyError): PodiumError | undefined {
  return err.code ? BY_FASTIFY_CODE[err.code]?.() : undefined;
}

/** Turns every error into `{ code, message, details? }` with the registry's status; never leaks internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof PodiumError) return reply.status(err.status).send(err.toBody());
    if (err.validation) {
      const e = new PodiumError('VALIDATION_FAILED', undefined, { issues: validationIssues(err) });
      return reply.status(e.status).send(e.toBody());
    }
    const mapped = mappedFastifyError(err);
    if (mapped) return reply.status(mapped.status).send(mapped.toBody());
    if (err instanceof SyntaxError) return reply.status(400).send(new PodiumError('BAD_JSON').toBody());
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      const code = err.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : err.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED';
      return reply.status(ERRORS[code].status).send(new PodiumError(code).toBody());
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new PodiumError('INTERNAL').toBody());
  });
}

/**
 * Fastify's `frameworkErrors` option: errors the router raises before any route runs (malformed
 * URL encoding, a path parameter over the length limit), which never reach the error handler.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const e = mappedFastifyError(err) ?? new PodiumError('VALIDATION_FAILED');
  void reply.status(e.status).send(e.toBody());
}
