import { describe, expect, it } from 'vitest';
import { type KeyframeRequest, KeyframeRequester } from './keyframe-requester';

function setup(opts: { useFir?: boolean } = {}) {
  const sent: Array<{ ssrc: number; at: number; request: KeyframeRequest }> = [];
  let now = 0;
  const r = new KeyframeRequester({ intervalMs: 500, ...opts, send: (ssrc, request) => sent.push({ ssrc, at: now, request }) });
  return { r, sent, at: (t: number) => (now = t) };
}

describe('KeyframeRequester', () => {
  it('sends the first request at once', () => {
    const { r, sent } = setup();
    expect(r.request(1, 0)).toBe(true);
    expect(sent).toEqual([{ ssrc: 1, at: 0, request: { kind: 'pli' } }]);
  });

  it('sends one request per interval however many consumers ask', () => {
    const { r, sent, at } = setup();
    for (let t = 0; t < 1000; t += 10) {
      at(t);
      r.request(1, t);
      r.poll(t);
    }
    expect(sent.map((s) => s.at)).toEqual([0, 500]);
  });

  it('remembers a request made inside the interval and fires it when the interval passes', () => {
    const { r, sent, at } = setup();
    r.request(1, 0);
    expect(r.request(1, 100)).toBe(false);
    expect(r.isPending(1)).toBe(true);
    at(499);
    r.poll(499);
    expect(sent).toHaveLength(1);
    at(500);
    r.poll(500);
    expect(sent.map((s) => s.at)).toEqual([0, 500]);
    r.poll(2000);
    expect(sent).toHaveLength(2);
  });

  it('drops the remembered request when a keyframe arrives in the meantime', () => {
    const { r, sent } = setup();
    r.request(1, 0);
    r.request(1, 100);
    r.onKeyframe(1);
    r.poll(600);
    expect(sent).toHaveLength(1);
  });

  it('throttles each stream separately', () => {
    const { r, sent } = setup();
    r.request(1, 0);
    r.request(2, 10);
    expect(sent.map((s) => s.ssrc)).toEqual([1, 2]);
  });

  it('sends FIR with an incrementing command sequence number when configured', () => {
    const { r, sent } = setup({ useFir: true });
    r.request(7, 0);
    r.request(7, 600);
    expect(sent.map((s) => s.request)).toEqual([{ kind: 'fir', sequenceNumber: 1 }, { kind: 'fir', sequenceNumber: 2 }]);
  });
});
