/**
 * @podium/sfu — the media plane: the RTP/RTCP path (transport-agnostic building blocks on plain
 * Buffers), SRTP, WebRTC transports (werift for ICE/DTLS/SDP parsing only), the Router → Transport
 * → Producer / Consumer object model, pipes between routers, and SFU worker threads.
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

// SRTP (RFC 3711 / RFC 7714)
export { AesCmKeystream } from './srtp/aes-cm';
export { deriveSessionKey, deriveSessionKeys, KdfLabel, type SessionKeys } from './srtp/key-derivation';
export { isSupportedSrtpProfile, SRTP_PROFILE_PREFERENCE, SrtpProfile, type SrtpProfileId } from './srtp/srtp-profile';
export { rtpHeaderLength, SrtpSession, type SrtpSessionOptions } from './srtp/srtp-session';

// Transports
export { MEDIA_ERRORS, MediaError, type MediaErrorCode } from './transport/media-error';
export { type CodecCapability, type MediaKind, type RtcpFeedback, H264_PROFILE_LEVEL_ID, SUPPORTED_CODECS, SUPPORTED_EXTENSIONS } from './transport/rtp-capabilities';
export { parseRemoteDescription, type RemoteDescription, type RemoteMediaSection } from './transport/sdp-parse';
export { SdpNegotiator, type AnswerOutcome, type OfferOutcome } from './transport/sdp-negotiation';
export type { LocalTransportParams, NegotiatedCodec, RecvEncoding, RecvSectionParams, SendSectionParams } from './transport/sdp-types';
export { type IceState, type IceTuple, IceLiteAgent } from './transport/ice-lite';
export { type DtlsState, DtlsSession, type SrtpKeyMaterial } from './transport/dtls-session';
export {
  type ConsumeOptions,
  type TransportStats,
  WebRtcTransport,
  type WebRtcTransportEvents,
  type WebRtcTransportOptions,
} from './transport/webrtc-transport';
export { memoryChannelPair, type PacketChannel, UdpPacketChannel } from './transport/packet-channel';
export { type StreamConnection, type TcpIceListenerOptions, TcpIceListener, type TcpIceTarget } from './transport/tcp-ice-listener';
export { frameRfc4571, MAX_FRAME_PAYLOAD, Rfc4571Reader } from './transport/rfc4571-framer';
export { type IceServerEntry, type IceServerSettings, type IceServersGrant, iceServersFor, turnCredential } from './transport/turn-credentials';
export { PipeConsumer, type PipeOffer, PipeTransport } from './transport/pipe-transport';

// Object model
export { Router, type RouterCounts, type RouterEvents, type RouterOptions } from './router/router';
export { Producer, type ProducerEvents, type ProducerSink } from './router/producer';
export { Consumer, type ConsumerEvents } from './router/consumer';
export type { OutgoingRtpInfo, RtpEndpoint } from './router/rtp-endpoint';

// Recording
export { Id as EbmlId } from './recording/ebml';
export { type Patch, WebmMuxer, type WebmCodec, type WebmMuxerOptions } from './recording/webm-muxer';
export { RecordingSink, type RecordingSinkOptions, type RecordingStats, type RecordingWriter } from './recording/recording-sink';
export { MemoryWriter, openFileWriter } from './recording/file-writer';
export { salvageWebm, type SalvagedTrack } from './recording/webm-salvage';

// Workers
export { pipeProducer, SfuWorker, type SfuWorkerEvents, type SfuWorkerOptions } from './worker/sfu-worker';
export { SfuWorkerService } from './worker/sfu-worker-service';
export type { ConsumerInfo, ProducerInfo, RouterSettings, SfuEvents, SfuRequests, TransportSettings, WorkerLoad } from './worker/protocol';
export { RpcClient, RpcServer } from './worker/rpc';
