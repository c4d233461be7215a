import { describe, expect, it } from 'vitest';
import { KeyframeRequester } from '../keyframe/keyframe-requester';
import { LayerSelector, type SimulcastLayer } from './layer-selector';

const L: SimulcastLayer[] = [
  { index: 0, ssrc: 100, rid: 'l', active: true, bitrateBps: 150_000, width: 320, height: 180 },
  { index: 1, ssrc: 101, rid: 'm', active: true, bitrateBps: 500_000, width: 640, height: 360 },
  { index: 2, ssrc: 102, rid: 'h', active: true, bitrateBps: 1_500_000, width: 1280, height: 720 },
];

function setup(bps: number, layers = L) {
  const requests: Array<{ ssrc: number; at: number }> = [];
  let now = 0;
  const requester = new KeyframeRequester({ intervalMs: 500, send: (ssrc) => requests.push({ ssrc, at: now }) });
  const s = new LayerSelector({ keyframeRequester: requester, upHoldMs: 2000, keyframeRetryMs: 1000 });
  const changes: number[] = [];
  s.on('layerchange', (i) => changes.push(i));
  s.setAvailableBitrate(bps, 0);
  s.setLayers(layers, 0);
  const at = (t: number) => {
    now = t;
    return t;
  };
  return { s, requests, changes, at };
}

describe('LayerSelector', () => {
  it('targets the best layer the bandwidth estimate can carry', () => {
    expect(setup(800_000).s.targetLayer).toBe(1);
    expect(setup(5_000_000).s.targetLayer).toBe(2);
    expect(setup(200_000).s.targetLayer).toBe(0);
  });

  it('wantedBitrate: what going up to the layer the view asks for needs (with headroom), 0 when already there', () => {
    const { s, at } = setup(200_000);
    expect(s.targetLayer).toBe(0);
    expect(s.wantedBitrate()).toBeCloseTo(1_500_000 * 1.15);
    s.setViewport(600, 340, at(0));
    expect(s.wantedBitrate()).toBeCloseTo(500_000 * 1.15);
    s.setMaxLayer(0, at(0));
    expect(s.wantedBitrate()).toBe(0);
    expect(setup(5_000_000).s.wantedBitrate()).toBe(0);
  });

  it('falls back to the lowest layer when even that does not fit', () => {
    expect(setup(50_000).s.targetLayer).toBe(0);
  });

  it('targets the smallest layer that covers the rendered size', () => {
    const { s, at } = setup(10_000_000);
    s.setViewport(300, 170, at(0));
    expect(s.targetLayer).toBe(0);
    s.setViewport(600, 300, at(10));
    expect(s.targetLayer).toBe(0); // the bandwidth has not had room for upHoldMs yet
    s.setViewport(1920, 1080, at(5000)); // nothing covers it: the largest
    expect(s.targetLayer).toBe(2);
  });

  it('goes up at once for a bigger viewport when the link has long had room', () => {
    const { s, at } = setup(10_000_000);
    s.setViewport(300, 170, at(0));
    s.tick(at(3000));
    s.setViewport(640, 360, at(3000));
    expect(s.targetLayer).toBe(1);
  });

  it('the viewport caps the layer even when bandwidth would allow more', () => {
    const { s, at } = setup(10_000_000);
    s.setViewport(600, 300, at(0));
    expect(s.targetLayer).toBe(1);
  });

  it('ignores inactive layers and has no target when none is active', () => {
    const { s } = setup(10_000_000, L.map((l) => (l.index === 2 ? { ...l, active: false } : l)));
    expect(s.targetLayer).toBe(1);
    s.setLayers(L.map((l) => ({ ...l, active: false })), 0);
    expect(s.targetLayer).toBe(-1);
  });

  it('forwards nothing until a keyframe of the target layer, which it requests', () => {
    const { s, requests } = setup(800_000);
    expect(requests).toEqual([{ ssrc: 101, at: 0 }]);
    expect(s.shouldForward(101, false)).toBe(false);
    expect(s.shouldForward(100, true)).toBe(false);
    expect(s.shouldForward(101, true)).toBe(true);
    expect(s.currentLayer).toBe(1);
    expect(s.shouldForward(101, false)).toBe(true);
    expect(s.shouldForward(102, true)).toBe(false);
  });

  it('goes down at once but keeps forwarding the current layer until the lower keyframe (no freeze)', () => {
    const { s, requests, changes, at } = setup(5_000_000);
    s.shouldForward(102, true);
    s.setAvailableBitrate(600_000, at(1000));
    expect(s.targetLayer).toBe(1);
    expect(requests.at(-1)).toEqual({ ssrc: 101, at: 1000 });
    expect(s.shouldForward(102, false)).toBe(true); // still flowing
    expect(s.shouldForward(101, false)).toBe(false); // not before its keyframe
    expect(s.shouldForward(101, true)).toBe(true);
    expect(s.shouldForward(102, false)).toBe(false);
    expect(changes).toEqual([2, 1]);
  });

  it('goes up only after the headroom has held for upHoldMs', () => {
    const { s, at } = setup(600_000);
    s.shouldForward(101, true);
    s.setAvailableBitrate(2_000_000, at(1000));
    expect(s.targetLayer).toBe(1);
    s.tick(at(2500));
    expect(s.targetLayer).toBe(1);
    s.tick(at(3000));
    expect(s.targetLayer).toBe(2);
  });

  it('does not go up without headroom, and a dip restarts the hold time (no flapping)', () => {
    const { s, at } = setup(600_000);
    s.shouldForward(101, true);
    s.setAvailableBitrate(1_600_000, at(0)); // 1.5 Mbps × 1.15 does not fit
    s.tick(at(5000));
    expect(s.targetLayer).toBe(1);
    s.setAvailableBitrate(1_800_000, at(5000));
    s.setAvailableBitrate(1_000_000, at(6000));
    s.setAvailableBitrate(1_800_000, at(6500));
    s.tick(at(7500));
    expect(s.targetLayer).toBe(1);
    s.tick(at(8500));
    expect(s.targetLayer).toBe(2);
  });

  it('stays on a layer while the estimate hovers just above its bitrate', () => {
    const { s, at } = setup(2_000_000);
    s.shouldForward(102, true);
    for (let t = 0; t < 10_000; t += 100) s.setAvailableBitrate(t % 200 === 0 ? 1_550_000 : 1_720_000, at(t));
    expect(s.targetLayer).toBe(2);
  });

  it('re-requests the keyframe while a switch is pending', () => {
    const { s, requests, at } = setup(800_000);
    for (let t = 100; t <= 2500; t += 100) s.tick(at(t));
    expect(requests.map((r) => r.at)).toEqual([0, 1000, 2000]);
    s.shouldForward(101, true);
    s.tick(at(3500));
    expect(requests).toHaveLength(3);
  });

  it('setMaxLayer() caps the target', () => {
    const { s } = setup(10_000_000);
    s.setMaxLayer(0, 0);
    expect(s.targetLayer).toBe(0);
  });
});
