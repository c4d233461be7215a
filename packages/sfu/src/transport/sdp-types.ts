/**
 * The negotiated shape of a transport's m-sections: what each producer section receives and each
 * consumer section sends, as the SDP negotiation settled it. Plain data, shared by the negotiation,
 * the SDP writer and the RTP objects.
 */
import type { ExtensionMapping } from '../rtp/header-extensions';
import type { MediaKind, RtcpFeedback } from './rtp-capabilities';

/** A codec as negotiated on one m-section. */
export interface NegotiatedCodec {
  /** Payload type used on the wire in this section. */
  payloadType: number;
  /** e.g. 'video/VP8'. */
  mimeType: string;
  /** Clock rate. */
  clockRate: number;
  /** Audio channels. */
  channels?: number;
  /** fmtp parameters. */
  parameters: Record<string, string>;
  /** Negotiated RTCP feedback. */
  feedback: RtcpFeedback[];
  /** RTX payload type (apt = payloadType), when RTX is negotiated. */
  rtxPayloadType?: number;
}

/** One incoming stream of a producer: a simulcast layer (by rid) or the single stream (by SSRC or mid). */
export interface RecvEncoding {
  /** Rid of the layer (simulcast). */
  rid?: string;
  /** SSRC when signalled (a=ssrc); learned from packets otherwise. */
  ssrc?: number;
  /** RTX SSRC when signalled (a=ssrc-group:FID). */
  rtxSsrc?: number;
}

/** An m-section the remote sends on and we receive (becomes a Producer). */
export interface RecvSectionParams {
  /** Media id. */
  mid: string;
  /** Kind. */
  kind: MediaKind;
  /** Negotiated codec (remote payload types). */
  codec: NegotiatedCodec;
  /** Header extensions with the REMOTE's ids (what arrives on the wire). */
  extensions: ExtensionMapping[];
  /** Streams, lowest simulcast layer first. */
  encodings: RecvEncoding[];
  /** RTCP CNAME of the sender, when signalled. */
  cname?: string;
  /** a=msid of the sender ("stream track"), when signalled. */
  msid?: string;
  /** True when the remote asked for reduced-size RTCP. */
  rtcpRsize: boolean;
}

/** An m-section we send on (a Consumer). */
export interface SendSectionParams {
  /** Media id. */
  mid: string;
  /** Kind. */
  kind: MediaKind;
  /** Codec (payload types of this transport's bundle). */
  codec: NegotiatedCodec;
  /** Header extensions with this transport's ids. */
  extensions: ExtensionMapping[];
  /** Our SSRC for the stream. */
  ssrc: number;
  /** Our RTX SSRC (video with RTX). */
  rtxSsrc?: number;
  /** RTCP CNAME (the producer's, so the subscriber syncs its audio and video). */
  cname: string;
  /** MediaStream id the track belongs to on the subscriber side. */
  streamId: string;
  /** Track id on the subscriber side. */
  trackId: string;
}

/** Our ICE-lite and DTLS parameters as announced in every description. */
export interface LocalTransportParams {
  /** ICE username fragment. */
  iceUfrag: string;
  /** ICE password. */
  icePwd: string;
  /** Certificate fingerprint. */
  fingerprint: { algorithm: string; value: string };
  /** Host candidate (announced IP and the transport's UDP port). */
  candidate: { ip: string; port: number };
  /** Passive ICE-TCP host candidate (announced IP and the thread's shared TCP port), when enabled. */
  tcpCandidate?: { ip: string; port: number };
}
