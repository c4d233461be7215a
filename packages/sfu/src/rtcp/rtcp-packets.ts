/**
 * RTCP packet model (RFC 3550, RFC 4585, RFC 5104, REMB, transport-wide CC). RTCP is low-rate
 * compared with RTP, so plain objects are fine here; the parsers still never throw.
 */

/** RTCP packet types (second header byte). */
export const RtcpPacketType = {
  SR: 200,
  RR: 201,
  SDES: 202,
  BYE: 203,
  APP: 204,
  RTPFB: 205,
  PSFB: 206,
} as const;

/** Feedback message types (FMT) of RTPFB (transport layer) and PSFB (payload specific) packets. */
export const RtcpFeedbackFormat = {
  /** RTPFB generic NACK (RFC 4585). */
  NACK: 1,
  /** RTPFB transport-wide congestion control feedback. */
  TRANSPORT_CC: 15,
  /** PSFB picture loss indication (RFC 4585). */
  PLI: 1,
  /** PSFB full intra request (RFC 5104). */
  FIR: 4,
  /** PSFB application layer feedback, used by REMB. */
  AFB: 15,
} as const;

/** One reception report block of an SR or RR. */
export interface ReportBlock {
  /** SSRC of the source reported on. */
  ssrc: number;
  /** Fraction lost since the last report, in 1/256 units (0..255). */
  fractionLost: number;
  /** Cumulative packets lost (signed 24 bits: duplicates can make it negative). */
  packetsLost: number;
  /** Extended highest sequence number received. */
  highestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (LSR). */
  lastSenderReport: number;
  /** Delay since that SR, in 1/65536 s (DLSR). */
  delaySinceLastSenderReport: number;
}

/** Sender report (RFC 3550 §6.4.1). */
export interface SenderReport {
  /** Discriminator. */
  type: 'sr';
  /** Sender SSRC. */
  ssrc: number;
  /** NTP timestamp, integer seconds. */
  ntpSeconds: number;
  /** NTP timestamp, fraction (1/2^32 s). */
  ntpFraction: number;
  /** RTP timestamp matching the NTP time. */
  rtpTimestamp: number;
  /** Packets sent. */
  packetCount: number;
  /** Payload octets sent. */
  octetCount: number;
  /** Reception reports (at most 31). */
  reports: ReportBlock[];
}

/** Receiver report (RFC 3550 §6.4.2). */
export interface ReceiverReport {
  /** Discriminator. */
  type: 'rr';
  /** Reporter SSRC. */
  ssrc: number;
  /** Reception reports (at most 31). */
  reports: ReportBlock[];
}

/** Goodbye (RFC 3550 §6.6). */
export interface Bye {
  /** Discriminator. */
  type: 'bye';
  /** Sources leaving. */
  ssrcs: number[];
  /** Optional reason text. */
  reason?: string;
}

/** Generic NACK (RFC 4585 §6.2.1). */
export interface GenericNack {
  /** Discriminator. */
  type: 'nack';
  /** SSRC of the feedback sender. */
  senderSsrc: number;
  /** SSRC of the stream with losses. */
  mediaSsrc: number;
  /** Lost sequence numbers. */
  sequenceNumbers: number[];
}

/** Picture loss indication (RFC 4585 §6.3.1). */
export interface PictureLossIndication {
  /** Discriminator. */
  type: 'pli';
  /** SSRC of the feedback sender. */
  senderSsrc: number;
  /** SSRC of the stream that needs a keyframe. */
  mediaSsrc: number;
}

/** One FIR request. */
export interface FirEntry {
  /** SSRC of the stream that needs a keyframe. */
  ssrc: number;
  /** Command sequence number (8 bits), incremented per new request. */
  sequenceNumber: number;
}

/** Full intra request (RFC 5104 §4.3.1). */
export interface FullIntraRequest {
  /** Discriminator. */
  type: 'fir';
  /** SSRC of the feedback sender. */
  senderSsrc: number;
  /** Requests. */
  entries: FirEntry[];
}

/** Receiver estimated max bitrate (draft-alvestrand-rmcat-remb). */
export interface Remb {
  /** Discriminator. */
  type: 'remb';
  /** SSRC of the feedback sender. */
  senderSsrc: number;
  /** Estimated bitrate in bits per second. */
  bitrate: number;
  /** Streams the estimate applies to. */
  ssrcs: number[];
}

/**
 * Transport-wide congestion-control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01).
 * `deltas[i]` reports sequence `baseSequence + i`: its receive delta in 250 µs ticks (relative to the
 * previous received packet, or to the reference time for the first), or null when not received.
 */
export interface TransportCcFeedback {
  /** Discriminator. */
  type: 'transport-cc';
  /** SSRC of the feedback sender. */
  senderSsrc: number;
  /** SSRC of a media stream (informational). */
  mediaSsrc: number;
  /** Transport-wide sequence number of the first reported packet. */
  baseSequence: number;
  /** Raw 24-bit reference time in 64 ms units (wraps; compare across feedbacks modulo 2^24). */
  referenceTime: number;
  /** 8-bit count of feedback packets sent, to detect lost feedback. */
  feedbackPacketCount: number;
  /** Per-packet receive deltas in 250 µs ticks, or null when not received. */
  deltas: Array<number | null>;
}

/** Any RTCP packet we parse or build. */
export type RtcpPacket =
  | SenderReport
  | ReceiverReport
  | Bye
  | GenericNack
  | PictureLossIndication
  | FullIntraRequest
  | Remb
  | TransportCcFeedback;
