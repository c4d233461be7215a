/**
 * RtcPeer over the browser's RTCPeerConnection (also usable with any implementation of the
 * standard API). Simulcast encodings become `sendEncodings`.
 */
import type { RtcPeer } from './media-session';

/** Wraps a standard RTCPeerConnection as an RtcPeer. */
export function browserPeer(config: RTCConfiguration = { bundlePolicy: 'max-bundle' }): RtcPeer {
  const pc = new RTCPeerConnection(config);
  return {
    addSendTrack(track, _kind, encodings) {
      pc.addTransceiver(track as MediaStreamTrack, {
        direction: 'sendonly',
        ...(encodings ? { sendEncodings: encodings.map((e) => ({ ...e })) } : {}),
      });
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
    close() {
      pc.close();
    },
  };
}
