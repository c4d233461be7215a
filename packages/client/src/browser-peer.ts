/**
 * RtcPeer over the browser's RTCPeerConnection (also usable with any implementation of the
 * standard API). Simulcast encodings become `sendEncodings`; sending transceivers can be replaced
 * and stopped; getStats is the connection's own.
 */
import type { RtcPeer, RtcSendHandle } from './media-session';

/** The browser peer connection behind an RtcPeer made by browserPeer (for statistics and tests). */
export type BrowserRtcPeer = RtcPeer & { pc: RTCPeerConnection };

/** Wraps a standard RTCPeerConnection as an RtcPeer. No STUN server unless configured (Podium's server is ICE-lite). */
export function browserPeer(config: RTCConfiguration = { bundlePolicy: 'max-bundle', iceServers: [] }): BrowserRtcPeer {
  const pc = new RTCPeerConnection(config);
  return {
    pc,
    addSendTrack(track, _kind, encodings): RtcSendHandle {
      const transceiver = pc.addTransceiver(track as MediaStreamTrack, {
        direction: 'sendonly',
        ...(encodings ? { sendEncodings: encodings.map((e) => ({ ...e })) } : {}),
      });
      return {
        async replaceTrack(next) {
          await transceiver.sender.replaceTrack((next as MediaStreamTrack | null) ?? null);
        },
        stop() {
          try {
            transceiver.stop();
          } catch {
            // Already stopped, or the connection is closed.
          }
        },
      };
    },
    async createOffer() {
      await pc.setLocalDescription(await pc.createOffer());
      return pc.localDescription!.sdp;
    },
    async applyAnswer(sdp) {
      await pc.setRemoteDescription({ type: 'answer', sdp });
    },
    async answer(offer) {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription!.sdp;
    },
    restartIce() {
      pc.restartIce();
    },
    onTrack(listener) {
      pc.addEventListener('track', (ev) => listener(ev.transceiver.mid ?? '', ev.track));
    },
    get connectionState() {
      return pc.connectionState;
    },
    getStats() {
      return pc.getStats() as unknown as Promise<Map<string, Record<string, unknown>>>;
    },
    close() {
      pc.close();
    },
  };
}
