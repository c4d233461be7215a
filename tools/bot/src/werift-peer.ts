/**
 * RtcPeer over werift's RTCPeerConnection (Node): loopback-friendly (no STUN server), max-bundle,
 * with the codecs and header extensions the SFU negotiates (Opus; VP8 with NACK/PLI/FIR/REMB/TWCC
 * and RTX). Simulcast encodings are not sent by werift's sender (one stream per track).
 */
import {
  MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, useAbsSendTime, useFIR, useNACK, usePLI, useREMB,
  useSdesMid, useSdesRTPStreamId, useTransportWideCC, useTWCC,
} from 'werift';
import type { RtcPeer } from '@podium/client';

/** Options of a werift peer. */
export interface WeriftPeerOptions {
  /** Extra host addresses to gather (default loopback only, for tests on one machine). */
  hostAddresses?: string[];
}

/** A werift peer connection configured for Podium's SFU. */
export function weriftConnection(opts: WeriftPeerOptions = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    bundlePolicy: 'max-bundle',
    iceUseIpv6: false,
    iceAdditionalHostAddresses: opts.hostAddresses ?? ['127.0.0.1'],
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111, rtcpFeedback: [useTWCC()] })],
      video: [
        new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96, rtcpFeedback: [useNACK(), usePLI(), useFIR(), useREMB(), useTWCC()] }),
        new RTCRtpCodecParameters({ mimeType: 'video/rtx', clockRate: 90000, payloadType: 97, parameters: 'apt=96' }),
      ],
    },
    headerExtensions: {
      audio: [useSdesMid(), useTransportWideCC()],
      video: [useSdesMid(), useTransportWideCC(), useAbsSendTime(), useSdesRTPStreamId()],
    },
  });
}

/** Wraps a werift peer connection as the client library's RtcPeer. */
export function weriftPeer(opts: WeriftPeerOptions = {}): RtcPeer & { pc: RTCPeerConnection } {
  const pc = weriftConnection(opts);
  let restarting = false;
  // werift runs ICE again after a renegotiation only while DTLS is down; an ICE restart keeps DTLS
  // up, so the restarted ICE transports are started here.
  const resumeIce = (): void => {
    if (!restarting) return;
    restarting = false;
    for (const t of pc.iceTransports) void t.start().catch(() => undefined);
  };
  return {
    pc,
    addSendTrack(track) {
      pc.addTransceiver(track as MediaStreamTrack, { direction: 'sendonly' });
    },
    async createOffer() {
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription!.sdp;
    },
    async applyAnswer(sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
      resumeIce();
    },
    async answer(offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      resumeIce();
      return pc.localDescription!.sdp;
    },
    restartIce() {
      restarting = true;
      pc.restartIce();
    },
    onTrack(listener) {
      pc.onTrack.subscribe((track) => {
        const t = pc.getTransceivers().find((x) => x.receiver.track === track || x.receiver.tracks?.includes(track));
        listener(t?.mid ?? '', track);
      });
    },
    get connectionState() {
      return pc.connectionState;
    },
    async close() {
      await pc.close();
    },
  };
}
