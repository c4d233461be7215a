/**
 * The benchmark's publisher: a werift peer sending a 720p-simulcast-like VP8 stream (three layers
 * l/m/h with their own SSRCs and mid/rid extensions, ~1.5 Mbps together, a keyframe every 2 s and on
 * PLI/FIR) plus Opus-like audio at 50 packets/s. Payloads are synthetic but carry valid VP8
 * descriptors and keyframe headers with the layer's frame size.
 */
import { MediaStreamTrack, RtpHeader, RtpPacket } from 'werift';
import { loopbackPeer, vp8Frame, waitFor } from '../../packages/sfu/src/router/testing/werift-peers';
import { serve } from './ipc';

/** Layers: packets per delta frame (alternating a/b), per keyframe, payload bytes, frame size. */
const LAYERS = [
  { rid: 'l', packets: [1, 1], key: 3, size: 500, width: 320, height: 180 },
  { rid: 'm', packets: [2, 2], key: 6, size: 650, width: 640, height: 360 },
  { rid: 'h', packets: [4, 5], key: 14, size: 1000, width: 1280, height: 720 },
] as const;
const FPS = 30;
const KEYFRAME_EVERY_FRAMES = 60;

const pc = loopbackPeer();
const audio = new MediaStreamTrack({ kind: 'audio' });
pc.addTransceiver(audio, { direction: 'sendonly' });
pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
let offer = '';
let timers: NodeJS.Timeout[] = [];
let sent = 0;

serve({
  offer: async () => {
    await pc.setLocalDescription(await pc.createOffer());
    const sdp = pc.localDescription!.sdp;
    // Announce the three rids in the video section, as a browser's simulcast offer does.
    const [head, ...sections] = sdp.split(/\r\n(?=m=)/);
    offer = [head, ...sections.map((s) => (s.startsWith('m=video') ? s.replace(/a=rtcp-mux\r\n/, `a=rtcp-mux\r\n${LAYERS.map((l) => `a=rid:${l.rid} send`).join('\r\n')}\r\na=simulcast:send ${LAYERS.map((l) => l.rid).join(';')}\r\n`) : s))].join('\r\n');
    return offer;
  },
  answer: async ({ sdp }) => {
    await pc.setRemoteDescription({ type: 'answer', sdp: sdp as string });
    await waitFor('publisher connection', () => pc.connectionState === 'connected', 20_000);
    start();
    return true;
  },
  sent: () => sent,
});

function start(): void {
  const dtls = pc.dtlsTransports[0];
  const id = (uri: string) => Number(new RegExp(`a=extmap:(\\d+) ${uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(offer)?.[1]);
  const midId = id('urn:ietf:params:rtp-hdrext:sdes:mid');
  const ridId = id('urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id');
  const videoMid = /m=video[\s\S]*?a=mid:(\S+)/.exec(offer)![1];
  const state = LAYERS.map((_, i) => ({ ssrc: 0x10000000 + i, seq: 1000 * (i + 1), pictureId: 0 }));
  let keyframeWanted = true;
  let lastKeyMs = 0;
  dtls.onRtcp.subscribe((p) => {
    if ((p as { type?: number }).type === 206) keyframeWanted = true; // PLI or FIR
  });
  let frame = 0;
  let ts = 0;
  let audioSeq = 1;
  let audioTs = 0;
  timers.push(
    setInterval(() => {
      const now = performance.now();
      const keyframe = frame % KEYFRAME_EVERY_FRAMES === 0 || (keyframeWanted && now - lastKeyMs > 300);
      if (keyframe) {
        keyframeWanted = false;
        lastKeyMs = now;
      }
      ts = (ts + 90000 / FPS) >>> 0;
      LAYERS.forEach((layer, index) => {
        const st = state[index];
        const packets = keyframe ? layer.key : layer.packets[frame & 1];
        const payloads = vp8Frame(st.pictureId++ & 0x7fff, { keyframe, packets, size: layer.size, width: layer.width, height: layer.height });
        payloads.forEach((payload, i) => {
          const header = new RtpHeader({
            payloadType: 96,
            ssrc: st.ssrc,
            sequenceNumber: st.seq++ & 0xffff,
            timestamp: ts,
            marker: i === payloads.length - 1,
            extension: true,
            extensionProfile: 0xbede,
            extensions: [
              { id: midId, payload: Buffer.from(videoMid) },
              { id: ridId, payload: Buffer.from(layer.rid) },
            ],
          });
          void dtls.sendRtp(payload, header);
          sent++;
        });
      });
      frame++;
    }, 1000 / FPS),
    setInterval(() => {
      const payload = Buffer.alloc(80 + (audioSeq % 40), audioSeq & 0xff);
      audio.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: audioSeq++ & 0xffff, timestamp: (audioTs += 960) >>> 0 }), payload));
      sent++;
    }, 20),
  );
}

process.on('SIGTERM', () => {
  for (const t of timers) clearInterval(t);
  timers = [];
  void pc.close();
  process.exit(0);
});
