import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, PodiumError, type ValidationIssue } from '@podium/protocol';

function validationIssues(err: FastifyError): ValidationIssue[] {
  const context = (err as { validationContext?: string }).validationContext ?? 'body';
  return (err.validation ?? []).slice(0, 20).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = `/${context}${v.instancePath}${missing ? `/${missing}` : ''}`;
    return { path, message: v.message ?? 'is invalid' };
  });
}

/** Turns every error into `{ code, message, details? }` with the registry's status; never leaks internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof PodiumError) return reply.status(err.status).send(err.toBody());
    if (err.validation) {
      const e = new PodiumError('VALIDATION_FAILED', undefined, { issues: validationIssues(err) });
      return reply.status(e.status).send(e.toBody());
    }
    const byFastifyCode: Record<string, PodiumError> = {
      FST_ERR_CTP_INVALID_JSON_BODY: new PodiumError('BAD_JSON'),
      FST_ERR_CTP_EMPTY_JSON_BODY: new PodiumError('BAD_JSON', 'The request body is empty.'),
      FST_ERR_CTP_BODY_TOO_LARGE: new PodiumError('PAYLOAD_TOO_LARGE'),
      FST_ERR_CTP_INVALID_MEDIA_TYPE: new PodiumError('UNSUPPORTED_MEDIA_TYPE'),
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: new PodiumError('VALIDATION_FAILED', 'The Content-Length header is wrong.'),
      FST_ERR_BAD_URL: new PodiumError('VALIDATION_FAILED', 'The URL is malformed.'),
      FST_ERR_ASYNC_CONSTRAINT: new PodiumError('VALIDATION_FAILED'),
    };
    const mapped = err.code ? byFastifyCode[err.code] : undefined;
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
