/**
 * @podium/sfu — the media plane's RTP/RTCP path: transport-agnostic building blocks that work on
 * plain Buffers of decrypted RTP/RTCP. Transports (werift ICE/DTLS/SRTP underneath), routers,
 * producers and consumers are built on these.
 */

// RTP
export {
  looksLikeRtcp,
  MAX_EXTENSIONS,
  MAX_RTP_PACKET_SIZE,
  ONE_BYTE_PROFILE,
  parseRtp,
  readU32,
  RtpPacket,
  rtpMarker,
  rtpPayloadType,
  rtpSequenceNumber,
  rtpSsrc,
  rtpTimestamp,
  TWO_BYTE_PROFILE,
  writeU32,
} from './rtp/rtp-packet';
export {
  absSendTime,
  AUDIO_LEVEL_VOICE_FLAG,
  type AudioLevel,
  buildExtensionTranslation,
  ExtensionMap,
  type ExtensionMapping,
  type KnownExtensionUri,
  parseAudioLevel,
  readAudioLevelByte,
  readStringExtension,
  readTransportSequence,
  RtpExtensionUri,
} from './rtp/header-extensions';
export { type RewrittenPacket, RtpRewriter, type RtpRewriterOptions } from './rtp/rewriter';
export { SeqUnwrapper, seqAdd, seqDiff, seqIsNewer } from './util/seq';
export { type EventMap, TypedEmitter } from './util/typed-emitter';

// Codecs
export type { PayloadRewriter } from './codecs/payload-rewriter';
export { isVp8Keyframe, parseVp8Descriptor, Vp8Descriptor, Vp8PayloadRewriter } from './codecs/vp8';
export { isH264Keyframe, NAL_FU_A, NAL_IDR, NAL_SPS, NAL_STAP_A } from './codecs/h264';
export { isOpusDtx, OPUS_CLOCK_RATE, opusAudioLevel } from './codecs/opus';

// RTCP
export * from './rtcp/rtcp-packets';
export { parseRtcp } from './rtcp/parse-rtcp';
export {
  MAX_REPORT_BLOCKS,
  nackItems,
  serializeCompound,
  serializeFir,
  serializeNack,
  serializePli,
  serializeReceiverReport,
  serializeRemb,
  serializeRtcp,
  serializeSenderReport,
} from './rtcp/serialize-rtcp';
export {
  parseTransportCc,
  serializeTransportCc,
  TWCC_DELTA_TICK_US,
  TWCC_MAX_STATUS_COUNT,
  TWCC_REFERENCE_TICK_US,
  twccArrivalTimesUs,
} from './rtcp/transport-cc';

// Congestion control
export { TwccRecorder, type TwccRecorderOptions } from './twcc/twcc-recorder';
export { SendSideBwe, type SendSideBweOptions } from './bwe/send-side-bwe';
export { type SentPacket, SendHistory } from './bwe/send-history';
export { type BandwidthUsage, TrendlineEstimator } from './bwe/trendline';
export { AckedBitrate } from './bwe/acked-bitrate';

// Loss recovery, keyframes, simulcast, audio
export { NackGenerator, type NackGeneratorOptions } from './nack/nack-generator';
export { type PacketView, RetransmissionBuffer, type RetransmissionBufferOptions, type RtxOptions } from './nack/retransmission-buffer';
export { type KeyframeRequest, KeyframeRequester, type KeyframeRequesterOptions } from './keyframe/keyframe-requester';
export { LayerSelector, type LayerSelectorEvents, type LayerSelectorOptions, type SimulcastLayer } from './simulcast/layer-selector';
export { type ActiveSpeakerEvents, ActiveSpeakerDetector, type ActiveSpeakerOptions } from './audio/active-speaker';
