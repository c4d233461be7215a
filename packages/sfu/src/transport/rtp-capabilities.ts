/**
 * What the SFU sends and receives: Opus, VP8 and H264 pinned to profile-level-id 42e01f with
 * packetization-mode 1 (the one H264 every browser decodes; accepting another profile from a
 * publisher would offer subscribers a stream they may not decode), RTX for video, and the RTCP
 * feedback and header extensions the RTP path implements.
 */
import { RtpExtensionUri } from '../rtp/header-extensions';

/** Media kinds carried over RTP. */
export type MediaKind = 'audio' | 'video';

/** One RTCP feedback mechanism (`a=rtcp-fb`). */
export interface RtcpFeedback {
  /** e.g. 'nack', 'ccm', 'transport-cc', 'goog-remb'. */
  type: string;
  /** e.g. 'pli' for 'nack pli', 'fir' for 'ccm fir'. */
  parameter?: string;
}

/** A codec the SFU supports, with the payload type it prefers in its own offers. */
export interface CodecCapability {
  /** Media kind. */
  kind: MediaKind;
  /** e.g. 'audio/opus', 'video/VP8'. */
  mimeType: string;
  /** RTP clock rate. */
  clockRate: number;
  /** Audio channels (Opus: 2). */
  channels?: number;
  /** fmtp parameters we announce. */
  parameters: Record<string, string>;
  /** Feedback we offer for it. */
  rtcpFeedback: RtcpFeedback[];
  /** Payload type in our offers when the transport has not used it for something else. */
  preferredPayloadType: number;
  /** Payload type of its RTX stream in our offers; undefined for no RTX. */
  preferredRtxPayloadType?: number;
}

const VIDEO_FEEDBACK: RtcpFeedback[] = [
  { type: 'goog-remb' },
  { type: 'transport-cc' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
];

/** The H264 profile we accept and offer: constrained baseline, level 3.1. */
export const H264_PROFILE_LEVEL_ID = '42e01f';

/** Every codec the SFU handles, in preference order per kind. */
export const SUPPORTED_CODECS: readonly CodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    parameters: { minptime: '10', useinbandfec: '1' },
    rtcpFeedback: [{ type: 'transport-cc' }],
    preferredPayloadType: 111,
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: {},
    rtcpFeedback: VIDEO_FEEDBACK,
    preferredPayloadType: 96,
    preferredRtxPayloadType: 97,
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'level-asymmetry-allowed': '1', 'packetization-mode': '1', 'profile-level-id': H264_PROFILE_LEVEL_ID },
    rtcpFeedback: VIDEO_FEEDBACK,
    preferredPayloadType: 102,
    preferredRtxPayloadType: 103,
  },
];

/** Feedback the RTP path understands; anything else offered is left out of our answers. */
export const SUPPORTED_FEEDBACK: readonly RtcpFeedback[] = VIDEO_FEEDBACK;

/** A header extension we negotiate, its kinds, its id in our offers, and whether we send it. */
export interface ExtensionCapability {
  /** URI. */
  uri: string;
  /** Kinds it applies to. */
  kinds: readonly MediaKind[];
  /** Id in our offers unless the transport's bundle already uses it. */
  preferredId: number;
  /** True when subscribers may get it (we write or forward it); false for receive-only ones. */
  send: boolean;
}

/** Header extensions we negotiate. */
export const SUPPORTED_EXTENSIONS: readonly ExtensionCapability[] = [
  { uri: RtpExtensionUri.mid, kinds: ['audio', 'video'], preferredId: 1, send: true },
  { uri: RtpExtensionUri.absSendTime, kinds: ['audio', 'video'], preferredId: 2, send: true },
  { uri: RtpExtensionUri.transportWideCc, kinds: ['audio', 'video'], preferredId: 3, send: true },
  { uri: RtpExtensionUri.audioLevel, kinds: ['audio'], preferredId: 4, send: true },
  { uri: RtpExtensionUri.rtpStreamId, kinds: ['video'], preferredId: 10, send: false },
  { uri: RtpExtensionUri.repairedRtpStreamId, kinds: ['video'], preferredId: 11, send: false },
  { uri: RtpExtensionUri.videoOrientation, kinds: ['video'], preferredId: 13, send: true },
];

/** Lower-case mime type for comparisons ('video/vp8'). */
export function normalizeMime(mime: string): string {
  return mime.toLowerCase();
}

/** The capability matching an offered codec (name, clock rate, and for H264 the pinned profile), or undefined. */
export function findCodecCapability(kind: string, mimeType: string, clockRate: number, parameters: Record<string, string>): CodecCapability | undefined {
  const mime = normalizeMime(mimeType);
  return SUPPORTED_CODECS.find((c) => {
    if (c.kind !== kind || normalizeMime(c.mimeType) !== mime || c.clockRate !== clockRate) return false;
    if (mime === 'video/h264') {
      return (parameters['profile-level-id'] ?? '').toLowerCase() === H264_PROFILE_LEVEL_ID && parameters['packetization-mode'] === '1';
    }
    return true;
  });
}

/** True when `fb` is a feedback mechanism the RTP path implements. */
export function isSupportedFeedback(fb: RtcpFeedback): boolean {
  return SUPPORTED_FEEDBACK.some((s) => s.type === fb.type && (s.parameter ?? '') === (fb.parameter ?? ''));
}

/** The capability of a header-extension URI for a kind, or undefined. */
export function findExtensionCapability(kind: string, uri: string): ExtensionCapability | undefined {
  return SUPPORTED_EXTENSIONS.find((e) => e.uri === uri && (e.kinds as readonly string[]).includes(kind));
}
