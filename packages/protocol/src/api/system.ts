import { Type, type Static } from '@sinclair/typebox';
import { defineRoute } from './route';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  protocolVersion: Type.Integer(),
  store: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
  mail: Type.Union([Type.Literal('smtp'), Type.Literal('outbox')]),
});
export type Health = Static<typeof Health>;

export const health = defineRoute({
  id: 'system.health', method: 'GET', path: '/api/v1/health', tag: 'System', access: 'public',
  summary: 'Liveness and configuration summary', response: Health,
});
