import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../router/router';
import type { Producer } from '../router/producer';
import { TestPublisher, TestSubscriber, waitFor } from '../router/testing/werift-peers';

const PORTS: [number, number] = [47300, 47399];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sendFrames(pub: TestPublisher, frames: number, firstKeyframe: boolean): Promise<void> {
  for (let i = 0; i < frames; i++) {
    pub.sendVideoFrame(firstKeyframe && i === 0);
    pub.sendAudio();
    await new Promise((r) => setTimeout(r, 4));
  }
}

/**
 * A network change on the client: werift's ICE restart keeps its sockets, so drop them (private in
 * werift) and let the restart gather a new host candidate on a new local UDP port.
 */
async function moveToNewSocket(sub: TestSubscriber): Promise<void> {
  const connection = sub.pc.iceTransports[0].connection as unknown as { protocols: Array<{ close(): Promise<void> }> };
  const old = connection.protocols.splice(0);
  for (const p of old) await p.close();
}

describe.each([
  { ports: 'a UDP port per transport', transport: { listenIp: '127.0.0.1', portRange: PORTS } },
  // On a shared port the new remote address reaches the transport by its new ufrag, then by the check it passed.
  { ports: 'the shared UDP port', transport: { listenIp: '127.0.0.1', udpPort: PORTS[1] } },
])('ICE restart of a WebRtcTransport with real WebRTC peers ($ports)', ({ transport: settings }) => {
  it('a subscriber restarting ICE from a new local port keeps receiving on the same DTLS/SRTP session', async () => {
    const router = new Router({ transport: settings });
    cleanups.push(() => router.close());
    const pubTransport = await router.createWebRtcTransport();
    const pub = await TestPublisher.connect(pubTransport);
    cleanups.push(() => pub.close());
    await waitFor('producers', () => pubTransport.producers.size === 2);
    const producers: Producer[] = [...pubTransport.producers.values()];

    const transport = await router.createWebRtcTransport();
    const sub = TestSubscriber.attach(transport);
    cleanups.push(() => sub.close());
    const consumers = producers.map((p) => transport.consume(p));
    await sub.ready();
    const video = consumers.find((c) => c.kind === 'video')!;
    const audio = consumers.find((c) => c.kind === 'audio')!;

    await sendFrames(pub, 20, true);
    await waitFor('media before the restart', () => sub.packets(audio.ssrc).length >= 20);
    const before = { tuple: transport.selectedTuple!, srtp: transport.srtpSessions, ice: transport.iceParameters, werift: sub.pc.dtlsTransports[0] };
    expect(before.srtp.outbound).toBeDefined();
    const dtlsStates: string[] = [];
    transport.on('dtlsstatechange', (s) => dtlsStates.push(s));

    // The client restarts its ICE side (werift gathers on a NEW local UDP socket) and asks the server
    // to restart too; the server's next offer carries its new credentials.
    sub.pc.restartIce();
    await moveToNewSocket(sub);
    const fresh = transport.restartIce();
    expect(fresh.iceUfrag).not.toBe(before.ice.iceUfrag);
    const offer = transport.createOffer();
    expect(offer).toContain(`a=ice-ufrag:${fresh.iceUfrag}`);
    expect(offer).toContain(`a=ice-pwd:${fresh.icePwd}`);
    await sub.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await sub.pc.setLocalDescription(await sub.pc.createAnswer());
    await transport.processAnswer(sub.pc.localDescription!.sdp);
    // werift runs ICE again only when its DTLS is not connected yet; an ICE restart must not touch DTLS.
    await sub.pc.iceTransports[0].start();
    expect(transport.iceParameters).toEqual(fresh);

    await waitFor('the new candidate pair', () => transport.selectedTuple !== undefined && transport.selectedTuple.port !== before.tuple.port);
    const audioBefore = sub.packets(audio.ssrc).length;
    const videoBefore = sub.packets(video.ssrc).length;
    await sendFrames(pub, 20, true);
    await waitFor('audio after the restart', () => sub.packets(audio.ssrc).length >= audioBefore + 20);
    await waitFor('video after the restart', () => sub.packets(video.ssrc).length > videoBefore);

    // No new DTLS handshake: the same SRTP contexts on our side, the same DTLS transport on the peer's.
    expect(transport.srtpSessions.inbound).toBe(before.srtp.inbound);
    expect(transport.srtpSessions.outbound).toBe(before.srtp.outbound);
    expect(transport.dtlsState).toBe('connected');
    expect(dtlsStates).toEqual([]);
    expect(sub.pc.dtlsTransports[0]).toBe(before.werift);
    expect(transport.iceState).toBe('connected');
  });
});
