import Ajv, { type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';

// Fastify's own defaults: unknown properties dropped, defaults filled in, first error only (allErrors
// is a denial-of-service risk on large inputs).
const COMMON: Options = { useDefaults: true, removeAdditional: true, addUsedSchema: false, allErrors: false };

/**
 * Validators of the route schemas. Query strings and path parameters arrive as text, so they are
 * coerced to the schema's types (`?limit=20` is the number 20). JSON bodies carry their own types
 * and are not coerced: `{"title": 123}` or `{"consentAccepted": "true"}` is a VALIDATION_FAILED,
 * never quietly turned into a string or a boolean and stored.
 */
export function installValidation(app: FastifyInstance): void {
  const coercing = new Ajv({ ...COMMON, coerceTypes: 'array' });
  const strict = new Ajv({ ...COMMON, coerceTypes: false });
  addFormats(coercing);
  addFormats(strict);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    // Ajv refuses to compile two schemas with one $id: reuse the first.
    const id = (schema as FastifySchema & { $id?: string }).$id;
    const known = id ? ajv.getSchema(id) : undefined;
    const validate = known ?? ajv.compile(schema as object);
    return httpPart === 'body' ? validate : finiteNumbersOnly(validate);
  });
}

/**
 * Ajv coerces `"Infinity"` and `"1e400"` to Infinity and then skips `minimum`/`maximum` for it, so a
 * query like `?limit=1e400` would pass. Coerced parts are flat objects: refuse any non-finite number.
 */
function finiteNumbersOnly(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown, ctx?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, ctx)) {
      wrapped.errors = validate.errors;
      return false;
    }
    const bad = data && typeof data === 'object'
      ? Object.entries(data).find(([, v]) => typeof v === 'number' && !Number.isFinite(v))
      : undefined;
    wrapped.errors = bad
      ? [{ instancePath: `/${bad[0]}`, schemaPath: '#', keyword: 'type', params: {}, message: 'must be a finite number' }]
      : null;
    return !bad;
  }) as ValidateFunction;
  // Fastify passes the request as parent data to validators that have a schema environment.
  return Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}
