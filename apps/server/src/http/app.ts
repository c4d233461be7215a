import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { PodiumError } from '@podium/protocol';
import type { AppContext } from '../context';
import { ApiRegistry } from './api-registry';
import { frameworkErrors, installErrorHandler } from './errors';
import { installValidation } from './validation';
import { installBodyParsing } from './body-parsing';
import { installSecurity } from './security';
import { installOpenApi } from './openapi';
import { installWebApp } from './web';
import { registerSystemRoutes, type SystemRouteParts } from './system-routes';
import { registerAccountRoutes } from '../accounts/routes';
import { registerOrgRoutes } from '../orgs/routes';
import { registerEventRoutes } from '../events/routes';
import { registerRegistrationRoutes } from '../registrations/routes';
import { registerOutboxRoutes } from '../mail/routes';
import { registerRoomDocRoutes } from '../rooms/docs/routes';
import { registerRoomRoutes } from '../rooms/routes';
import { registerFileRoutes } from '../files/routes';
import { registerPrivacyRoutes } from '../privacy/routes';
import { registerRecordingRoutes } from '../recordings/routes';
import { registerPlaybackFileRoutes } from '../recordings/playback-files-route';
import { closeMailDelivery } from '../mail/jobs';

/** Largest JSON body accepted (bytes). */
export const BODY_LIMIT = 256 * 1024;

/** Builds the HTTP application: API v1, OpenAPI, security, and the web app. */
export async function buildApp(ctx: AppContext, parts: SystemRouteParts = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: ctx.config.trustProxy,
    // Request logs would carry URLs with tokens and client IPs: we log what matters ourselves.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  });
  installErrorHandler(app);
  installValidation(app);
  installBodyParsing(app);
  // The SMTP pool lives as long as the server: close its sockets with the app.
  app.addHook('onClose', async () => closeMailDelivery(ctx));
  await app.register(cookie);
  await installSecurity(app, ctx);

  const api = new ApiRegistry(app, ctx);
  registerSystemRoutes(api, ctx, parts);
  registerAccountRoutes(api, ctx);
  registerOrgRoutes(api, ctx);
  registerEventRoutes(api, ctx);
  registerRegistrationRoutes(api, ctx);
  registerOutboxRoutes(api, ctx);
  registerRoomDocRoutes(api, ctx);
  registerRoomRoutes(api, ctx);
  registerPrivacyRoutes(api, ctx);
  const files = registerFileRoutes(api, ctx);
  registerRecordingRoutes(api, ctx);
  registerPlaybackFileRoutes(api, ctx);
  app.addHook('onClose', async () => files.close());
  const missing = api.missing();
  if (missing.length) {
    throw new Error(`API routes without a handler: ${missing.join(', ')}`);
  }

  installOpenApi(app, ctx.config.publicUrl);
  const web = await installWebApp(app, ctx.config.webDir);
  // The API's JSON 404 is decided first: the web app's index.html fallback never shadows it.
  app.setNotFoundHandler((req, reply) => {
    if (req.url === '/api' || req.url.startsWith('/api/') || req.url.startsWith('/api?')) {
      const e = new PodiumError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}.`);
      return reply.status(404).send(e.toBody());
    }
    return web.notFound(req, reply);
  });
  return app;
}
