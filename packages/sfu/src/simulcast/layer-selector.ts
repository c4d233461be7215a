/**
 * Per-consumer simulcast spatial-layer choice. The target layer is the best one that both fits the
 * consumer's bandwidth estimate and is no bigger than needed for the size it renders at; going up
 * needs headroom held for a while (hysteresis), going down is immediate. A switch only takes effect
 * on a keyframe of the target layer (requested through the KeyframeRequester); until then the
 * current layer keeps flowing, so the viewer never sees a freeze. The RtpRewriter keeps sequence
 * numbers, timestamps and PictureIDs continuous across the switch (it sees a new source SSRC).
 */
import type { KeyframeRequester } from '../keyframe/keyframe-requester';
import { TypedEmitter } from '../util/typed-emitter';

/** One simulcast layer of the producer, as the consumer's selector sees it. */
export interface SimulcastLayer {
  /** Spatial index: 0 lowest … 2 highest. */
  index: number;
  /** SSRC of the layer's RTP stream. */
  ssrc: number;
  /** RID (e.g. 'l', 'm', 'h'), informational. */
  rid?: string;
  /** False while the publisher does not send it (paused or dropped by its own congestion control). */
  active: boolean;
  /** Measured bitrate, bps (0 when not measured yet: assumed to fit). */
  bitrateBps: number;
  /** Frame width, px (0 when unknown: assumed to cover any viewport). */
  width: number;
  /** Frame height, px (0 when unknown). */
  height: number;
}

/** Options of a LayerSelector. */
export interface LayerSelectorOptions {
  /** Shared per-producer keyframe throttle. */
  keyframeRequester: KeyframeRequester;
  /** Going up needs estimate ≥ target bitrate × this. Default 1.15. */
  upHeadroom?: number;
  /** …continuously for this long. Default 2000 ms. */
  upHoldMs?: number;
  /** A switch still waiting for its keyframe re-requests one this often. Default 1000 ms. */
  keyframeRetryMs?: number;
}

/** Events of a LayerSelector. */
export type LayerSelectorEvents = {
  /** The forwarded layer changed (on the keyframe of the new one). */
  layerchange: [index: number];
};

/** Per-consumer simulcast layer selection (see file comment). */
export class LayerSelector extends TypedEmitter<LayerSelectorEvents> {
  private readonly requester: KeyframeRequester;
  private readonly upHeadroom: number;
  private readonly upHoldMs: number;
  private readonly keyframeRetryMs: number;
  private layers: SimulcastLayer[] = [];
  private available = Number.POSITIVE_INFINITY;
  private viewportWidth = 0;
  private viewportHeight = 0;
  private maxLayer = Number.POSITIVE_INFINITY;
  private current = -1;
  private target = -1;
  /** Per layer index: since when the estimate has covered its bitrate with headroom (NaN: it does not). */
  private readonly affordableSince = new Map<number, number>();
  private lastRequestMs = Number.NEGATIVE_INFINITY;

  /** Starts with no layers: nothing is forwarded until setLayers() and a keyframe. */
  constructor(options: LayerSelectorOptions) {
    super();
    this.requester = options.keyframeRequester;
    this.upHeadroom = options.upHeadroom ?? 1.15;
    this.upHoldMs = options.upHoldMs ?? 2000;
    this.keyframeRetryMs = options.keyframeRetryMs ?? 1000;
  }

  /** Layer being forwarded, or -1 before the first keyframe. */
  get currentLayer(): number {
    return this.current;
  }

  /** Layer the selector wants to forward, or -1 when no layer is active. */
  get targetLayer(): number {
    return this.target;
  }

  /**
   * What this consumer would need to go up: the bitrate (with the going-up headroom) of the layer
   * its viewport and preference ask for, when that is above the target layer; 0 when the target
   * already is that layer, the layer's rate is not measured yet, or nothing is active.
   */
  wantedBitrate(): number {
    if (this.target < 0) return 0;
    // (Runs on every transport tick: no arrays.) The smallest active layer covering the viewport,
    // else the largest active one.
    const viewport = this.viewportWidth > 0 && this.viewportHeight > 0;
    let covering: SimulcastLayer | undefined;
    let top: SimulcastLayer | undefined;
    for (const l of this.layers) {
      if (!l.active || l.index > this.maxLayer) continue;
      top = l;
      if (viewport && !covering && covers(l, this.viewportWidth, this.viewportHeight)) covering = l;
    }
    const want = covering ?? top;
    if (!want || want.index <= this.target || want.bitrateBps <= 0) return 0;
    return want.bitrateBps * this.upHeadroom;
  }

  /** Producer layers and their state (call when they change or their bitrates are re-measured). */
  setLayers(layers: readonly SimulcastLayer[], nowMs: number): void {
    this.layers = [...layers].sort((a, b) => a.index - b.index);
    this.update(nowMs);
  }

  /** The consumer's bandwidth estimate, bps. */
  setAvailableBitrate(bps: number, nowMs: number): void {
    this.available = bps;
    this.update(nowMs);
  }

  /** The size the consumer renders at; 0×0 means no preference (largest). */
  setViewport(width: number, height: number, nowMs: number): void {
    this.viewportWidth = Math.max(0, width);
    this.viewportHeight = Math.max(0, height);
    this.update(nowMs);
  }

  /** Upper bound on the spatial index (signalled preference); Infinity for none. */
  setMaxLayer(index: number, nowMs: number): void {
    this.maxLayer = index;
    this.update(nowMs);
  }

  /**
   * Whether to forward a packet of stream `ssrc`. A keyframe of the target layer completes a
   * pending switch; packets of other layers are dropped.
   */
  shouldForward(ssrc: number, isKeyframe: boolean): boolean {
    const layer = this.indexOf(ssrc);
    if (layer < 0) return false;
    if (layer === this.current) return true;
    if (layer === this.target && isKeyframe) {
      this.current = layer;
      this.requester.onKeyframe(ssrc);
      this.emit('layerchange', layer);
      return true;
    }
    return false;
  }

  /** Timer tick: re-evaluates (hold times) and re-requests a keyframe for a switch still pending. */
  tick(nowMs: number): void {
    this.update(nowMs);
  }

  private indexOf(ssrc: number): number {
    for (const l of this.layers) if (l.ssrc === ssrc) return l.index;
    return -1;
  }

  private update(nowMs: number): void {
    for (const l of this.layers) {
      const ok = l.bitrateBps * this.upHeadroom <= this.available;
      const since = this.affordableSince.get(l.index);
      if (!ok) this.affordableSince.set(l.index, Number.NaN);
      else if (since === undefined || Number.isNaN(since)) this.affordableSince.set(l.index, nowMs);
    }
    const desired = this.desiredLayer();
    let next = desired;
    if (desired > this.target && this.target >= 0) {
      // Up only to a layer the estimate has covered (with headroom) for upHoldMs; a bigger viewport
      // on a link that has long had room therefore goes up at once.
      next = this.target;
      for (let i = desired; i > this.target; i--) {
        const since = this.affordableSince.get(i);
        const held = since !== undefined && !Number.isNaN(since) && nowMs - since >= this.upHoldMs;
        if (held && this.layers.some((l) => l.index === i && l.active)) {
          next = i;
          break;
        }
      }
    }
    if (next !== this.target) {
      this.target = next;
      this.lastRequestMs = Number.NEGATIVE_INFINITY;
    }
    if (this.target >= 0 && this.target !== this.current && nowMs - this.lastRequestMs >= this.keyframeRetryMs) {
      const layer = this.layers.find((l) => l.index === this.target);
      if (layer) this.requester.request(layer.ssrc, nowMs);
      this.lastRequestMs = nowMs;
    }
  }

  /** Best layer for bandwidth and viewport right now, ignoring hysteresis; -1 when none is active. */
  private desiredLayer(): number {
    const active = this.layers.filter((l) => l.active && l.index <= this.maxLayer);
    if (active.length === 0) {
      const anyActive = this.layers.filter((l) => l.active);
      return anyActive.length > 0 ? anyActive[0].index : -1;
    }
    // The smallest layer that covers the viewport; the largest when none does or no viewport is set.
    let cap = active[active.length - 1].index;
    if (this.viewportWidth > 0 && this.viewportHeight > 0) {
      const covering = active.find((l) => covers(l, this.viewportWidth, this.viewportHeight));
      if (covering) cap = covering.index;
    }
    const reference = this.target >= 0 ? this.target : Number.POSITIVE_INFINITY;
    for (let i = active.length - 1; i >= 0; i--) {
      const l = active[i];
      if (l.index > cap) continue;
      const need = l.index > reference ? l.bitrateBps * this.upHeadroom : l.bitrateBps;
      if (need <= this.available) return l.index;
    }
    return active[0].index; // always send something: the lowest layer
  }
}

function covers(layer: SimulcastLayer, width: number, height: number): boolean {
  if (layer.width === 0 || layer.height === 0) return true;
  return layer.width >= width && layer.height >= height;
}
