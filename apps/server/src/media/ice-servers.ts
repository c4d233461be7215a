import { iceServersFor, type IceServerSettings } from '@podium/sfu';
import type { IceServer, ParticipantId } from '@podium/protocol';
import type { Config } from '../config/schema';

/**
 * The STUN/TURN servers each participant is told to use (in `joined`), from the media settings:
 * none unless the operator configured some, and TURN with a fresh time-limited credential per
 * participant. Checked once at start-up, so a malformed URL or a TURN URL without its secret
 * stops the server with a clear message instead of failing every join.
 */
export function iceServersFromConfig(config: Config): ((participantId: ParticipantId) => IceServer[]) | undefined {
  const settings: IceServerSettings = {
    stunUrls: config.mediaStunUrls,
    turnUrls: config.mediaTurnUrls,
    turnSecret: config.mediaTurnSecret,
    turnCredentialTtlSeconds: config.mediaTurnCredentialTtlSeconds,
  };
  if (!settings.stunUrls.length && !settings.turnUrls.length) return undefined;
  try {
    iceServersFor(settings, 'startup-check');
  } catch (err) {
    throw new Error(`Invalid STUN/TURN settings (mediaStunUrls, mediaTurnUrls, mediaTurnSecret): ${(err as Error).message}`);
  }
  return (participantId) => iceServersFor(settings, participantId).iceServers;
}
