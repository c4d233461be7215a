/**
 * The SFU keeps its own small error list (it has no HTTP); signaling speaks the error registry.
 * This maps one onto the other so a client always gets a registry code.
 */
import { MediaError } from '@podium/sfu';
import { PodiumError } from '@podium/protocol';

/** The registry error for a failure of the media plane (PodiumErrors pass through). */
export function toPodiumError(err: unknown): PodiumError {
  if (err instanceof PodiumError) return err;
  if (err instanceof MediaError) {
    switch (err.code) {
      case 'SDP_INVALID':
      case 'CODEC_UNSUPPORTED':
      case 'NEGOTIATION_STATE':
      case 'BAD_REQUEST':
        return new PodiumError('VALIDATION_FAILED', err.message, { media: err.code });
      case 'CLOSED':
      case 'PRODUCER_NOT_FOUND':
      case 'CONSUMER_NOT_FOUND':
        return new PodiumError('NOT_FOUND', err.message, { media: err.code });
      case 'NO_PORT_AVAILABLE':
      case 'LIMIT_REACHED':
        return new PodiumError('SERVER_BUSY', err.message, { media: err.code });
      case 'WORKER_UNAVAILABLE':
        return new PodiumError('MEDIA_UNAVAILABLE', err.message);
    }
  }
  return new PodiumError('INTERNAL');
}
