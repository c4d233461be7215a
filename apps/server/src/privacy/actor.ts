import type { Principal } from '../http/principal';

/** The audit log's actor for a caller: the user or API key id (never a name or an email). */
export function auditActor(p: Principal): string {
  if (p.kind === 'user') return p.userId;
  if (p.kind === 'apiKey') return p.apiKeyId;
  return 'anonymous';
}
