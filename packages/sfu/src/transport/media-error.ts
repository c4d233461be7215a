/**
 * Typed errors of the media plane. The SFU has no HTTP and no database, so it keeps its own small
 * code list; the signaling layer maps these codes onto the protocol's error registry.
 */

/** Why a media operation failed. */
export const MEDIA_ERRORS = {
  /** The session description could not be parsed or breaks a rule we rely on. */
  SDP_INVALID: 'The session description is not valid.',
  /** Nothing in the description is something we can send or receive. */
  CODEC_UNSUPPORTED: 'None of the offered codecs is supported.',
  /** The operation does not fit the negotiation state (e.g. an answer without an offer). */
  NEGOTIATION_STATE: 'This negotiation step is not expected now.',
  /** The object was closed. */
  CLOSED: 'This media object is closed.',
  /** No producer with this id in the router. */
  PRODUCER_NOT_FOUND: 'Producer not found.',
  /** No consumer with this id. */
  CONSUMER_NOT_FOUND: 'Consumer not found.',
  /** Every UDP port of the configured range is taken. */
  NO_PORT_AVAILABLE: 'No UDP port is free in the configured range.',
  /** A configured bound (transports, producers, consumers) would be exceeded. */
  LIMIT_REACHED: 'A media limit was reached.',
  /** The worker stopped or did not answer. */
  WORKER_UNAVAILABLE: 'The media worker is not available.',
  /** A request to a worker was malformed or unknown. */
  BAD_REQUEST: 'The media request is not valid.',
} as const;

/** A media error code. */
export type MediaErrorCode = keyof typeof MEDIA_ERRORS;

/** An error with a media error code (and an optional detail that never contains personal data). */
export class MediaError extends Error {
  /** The code. */
  readonly code: MediaErrorCode;

  /** Creates the error; `detail` refines the default message. */
  constructor(code: MediaErrorCode, detail?: string) {
    super(detail ? `${MEDIA_ERRORS[code]} ${detail}` : MEDIA_ERRORS[code]);
    this.name = 'MediaError';
    this.code = code;
  }
}
