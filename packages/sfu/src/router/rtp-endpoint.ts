/**
 * What producers and consumers need from the transport they live on: sending protected RTP/RTCP
 * and the transport-wide sequence numbers of the connection. WebRtcTransport implements it; a
 * relay (pipe) transport can implement it too.
 */

/** Who sent an outgoing RTP packet (for stats and the tests' loss filter). */
export interface OutgoingRtpInfo {
  /** SSRC on the wire. */
  ssrc: number;
  /** Sequence number on the wire. */
  sequenceNumber: number;
  /** True for an answer to a NACK. */
  retransmission: boolean;
  /** `buf` is the send source this endpoint registered under this id (registerSendSource), or -1. */
  source: number;
}

/** The sending side of a transport as producers and consumers see it. */
export interface RtpEndpoint {
  /** Transport id. */
  readonly id: string;
  /** SSRC we put in RTCP feedback and receiver reports on this connection. */
  readonly rtcpSsrc: number;
  /** The next transport-wide sequence number (taken by sendRtp when it is passed there). */
  peekTransportSequence(): number;
  /**
   * Protects and sends `buf[offset..offset+length)`. `transportSeq` ≥ 0 when the packet carries that
   * transport-wide sequence number (it is then consumed and fed to the bandwidth estimator).
   * `info` is only read during the call (callers reuse one object).
   */
  sendRtp(buf: Buffer, offset: number, length: number, transportSeq: number, info: OutgoingRtpInfo, nowMs: number): void;
  /** Protects and sends one (compound) RTCP packet now. */
  sendRtcp(packet: Buffer): void;
  /**
   * Optional: lets the endpoint read packets straight from `buf` after sendRtp returned (until the
   * end of the current task), without copying them: returns the id to pass as `info.source`, or -1.
   * The caller must not rewrite a sent region within the same task, and releases the id when done.
   */
  registerSendSource?(buf: Buffer): number;
  /** Releases an id of registerSendSource (queued sends from it go out first). */
  releaseSendSource?(id: number): void;
}
