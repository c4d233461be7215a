/** Version of the protocol between browser, server, workers and nodes. */
export const PROTOCOL_VERSION = 1;

export * from './errors';
export * from './ids';
export * from './common';
export * from './api/route';
export * from './api/accounts';
export * from './api/orgs';
export * from './api/events';
export * from './api/registrations';
export * from './api/outbox';
export * from './api/files';
export * from './api/system';
export * from './api/media-status';
export * from './api/rooms';
export * from './api/notes';
export * from './api/recordings';
export * from './api/recordings-playback';
export * from './api/privacy';
export * from './api/catalog';
export * from './signaling';
