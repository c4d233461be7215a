import { describe, expect, it } from 'vitest';
import { ActiveSpeakerDetector } from './active-speaker';

/** Feeds 20 ms audio packets for `ms`, levels per producer (-dBov), ticking every 100 ms. */
function run(d: ActiveSpeakerDetector, from: number, ms: number, levels: Record<string, number>): number {
  for (let t = from; t < from + ms; t += 20) {
    for (const [id, level] of Object.entries(levels)) d.onAudioLevel(id, level, level < 60, t);
    if (t % 100 === 0) d.tick(t);
  }
  return from + ms;
}

function detector() {
  const d = new ActiveSpeakerDetector({ holdMs: 1500 });
  const events: Array<string | null> = [];
  d.on('dominantspeakerchange', (id) => events.push(id));
  return { d, events };
}

describe('ActiveSpeakerDetector', () => {
  it('names the producer that speaks as dominant', () => {
    const { d, events } = detector();
    run(d, 0, 1000, { alice: 20, bob: 127 });
    expect(d.dominantSpeaker).toBe('alice');
    expect(events).toEqual(['alice']);
  });

  it('names nobody while everyone is silent', () => {
    const { d, events } = detector();
    run(d, 0, 2000, { alice: 110, bob: 127 });
    expect(d.dominantSpeaker).toBeNull();
    expect(events).toEqual([]);
  });

  it('switches to a new speaker who clearly takes over', () => {
    const { d, events } = detector();
    let t = run(d, 0, 2000, { alice: 20, bob: 127 });
    t = run(d, t, 2000, { alice: 127, bob: 25 });
    expect(d.dominantSpeaker).toBe('bob');
    expect(events).toEqual(['alice', 'bob']);
  });

  it('does not flap on a short interjection (minimum hold time + smoothing)', () => {
    const { d, events } = detector();
    let t = run(d, 0, 500, { alice: 20, bob: 127 });
    t = run(d, t, 200, { alice: 127, bob: 10 }); // bob coughs
    run(d, t, 2000, { alice: 20, bob: 127 });
    expect(events).toEqual(['alice']);
  });

  it('keeps the last speaker through a pause', () => {
    const { d } = detector();
    const t = run(d, 0, 2000, { alice: 20 });
    run(d, t, 5000, { alice: 127 });
    expect(d.dominantSpeaker).toBe('alice');
  });

  it('decays a producer that stops sending packets (DTX, mute)', () => {
    const { d } = detector();
    run(d, 0, 2000, { alice: 20 });
    for (let t = 2000; t < 6000; t += 100) d.tick(t);
    expect(d.scoreOf('alice')).toBeLessThan(1);
  });

  it('hands over at once when the dominant producer is removed', () => {
    const { d, events } = detector();
    run(d, 0, 2000, { alice: 20, bob: 40 });
    d.removeProducer('alice', 2000);
    expect(d.dominantSpeaker).toBe('bob');
    d.removeProducer('bob', 2001);
    expect(events).toEqual(['alice', 'bob', null]);
  });

  it('with useVoiceFlag ignores loud packets the sender marked as not voice', () => {
    const d = new ActiveSpeakerDetector({ useVoiceFlag: true });
    for (let t = 0; t < 2000; t += 20) {
      d.onAudioLevel('fan', 10, false, t);
      if (t % 100 === 0) d.tick(t);
    }
    expect(d.dominantSpeaker).toBeNull();
  });
});
