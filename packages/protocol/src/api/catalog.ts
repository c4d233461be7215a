import type { RouteDef } from './route';
import * as accounts from './accounts';
import * as orgs from './orgs';
import * as events from './events';
import * as registrations from './registrations';
import * as outbox from './outbox';
import * as files from './files';
import * as system from './system';
import * as mediaStatus from './media-status';
import * as rooms from './rooms';
import * as notes from './notes';
import * as privacy from './privacy';
import * as recordings from './recordings';
import * as recordingsPlayback from './recordings-playback';

function routesOf(mod: Record<string, unknown>): RouteDef[] {
  return Object.values(mod).filter(
    (v): v is RouteDef => typeof v === 'object' && v !== null && 'method' in v && 'path' in v && 'access' in v,
  );
}

/** Every REST route of API v1. The server registers exactly these; the OpenAPI document and the authorization tests walk them. */
export const API_ROUTES: readonly RouteDef[] = [
  ...routesOf(system),
  ...routesOf(mediaStatus),
  ...routesOf(accounts),
  ...routesOf(orgs),
  ...routesOf(events),
  ...routesOf(registrations),
  ...routesOf(outbox),
  ...routesOf(files),
  ...routesOf(rooms),
  ...routesOf(notes),
  ...routesOf(privacy),
  ...routesOf(recordings),
  ...routesOf(recordingsPlayback),
];
