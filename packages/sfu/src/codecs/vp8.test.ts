import { describe, expect, it } from 'vitest';
import { vp8Payload } from '../testing/rtp-builder';
import { isVp8Keyframe, parseVp8Descriptor, Vp8Descriptor, Vp8PayloadRewriter } from './vp8';

describe('parseVp8Descriptor()', () => {
  it('reads a 15-bit PictureID, TL0PICIDX and TID', () => {
    const p = vp8Payload({ pictureId: 0x1234, tl0PicIdx: 77, temporalId: 2, start: true });
    const d = new Vp8Descriptor();
    expect(parseVp8Descriptor(p, 0, p.length, d)).toBe(true);
    expect(d.pictureId).toBe(0x1234);
    expect(d.pictureIdBits).toBe(15);
    expect(d.tl0PicIdx).toBe(77);
    expect(d.temporalId).toBe(2);
    expect(d.length).toBe(6);
  });

  it('reads a 7-bit PictureID', () => {
    const p = Buffer.from([0x90, 0x80, 0x05, 0x10]);
    const d = new Vp8Descriptor();
    expect(parseVp8Descriptor(p, 0, p.length, d)).toBe(true);
    expect(d.pictureId).toBe(5);
    expect(d.pictureIdBits).toBe(7);
  });

  it('accepts the minimal 1-byte descriptor', () => {
    const d = new Vp8Descriptor();
    expect(parseVp8Descriptor(Buffer.from([0x10, 0x10]), 0, 2, d)).toBe(true);
    expect(d.pictureId).toBe(-1);
    expect(d.keyframe).toBe(true);
  });

  it('rejects truncated descriptors', () => {
    const p = vp8Payload({ pictureId: 0x1234, tl0PicIdx: 1, temporalId: 0 });
    const d = new Vp8Descriptor();
    for (let n = 0; n < 6; n++) expect(parseVp8Descriptor(p, 0, n, d)).toBe(false);
  });
});

describe('isVp8Keyframe()', () => {
  it('is true for the first packet of a keyframe only', () => {
    const key = vp8Payload({ pictureId: 1, start: true, keyframe: true });
    const delta = vp8Payload({ pictureId: 1, start: true, keyframe: false });
    const middle = vp8Payload({ pictureId: 1, start: false, keyframe: true });
    expect(isVp8Keyframe(key, 0, key.length)).toBe(true);
    expect(isVp8Keyframe(delta, 0, delta.length)).toBe(false);
    expect(isVp8Keyframe(middle, 0, middle.length)).toBe(false);
  });
});

describe('Vp8PayloadRewriter', () => {
  function run(rw: Vp8PayloadRewriter, payload: Buffer, switched: boolean): Vp8Descriptor {
    const copy = Buffer.from(payload);
    expect(rw.rewrite(copy, 0, copy.length, switched, true)).toBe(true);
    const d = new Vp8Descriptor();
    parseVp8Descriptor(copy, 0, copy.length, d);
    return d;
  }

  it('passes PictureID and TL0PICIDX through unchanged on the first source', () => {
    const rw = new Vp8PayloadRewriter();
    const d = run(rw, vp8Payload({ pictureId: 500, tl0PicIdx: 9, temporalId: 0 }), true);
    expect(d.pictureId).toBe(500);
    expect(d.tl0PicIdx).toBe(9);
  });

  it('continues PictureID and TL0PICIDX from the last sent values on a layer switch', () => {
    const rw = new Vp8PayloadRewriter();
    run(rw, vp8Payload({ pictureId: 500, tl0PicIdx: 9, temporalId: 0 }), true);
    run(rw, vp8Payload({ pictureId: 501, tl0PicIdx: 9, temporalId: 1 }), false);
    const a = run(rw, vp8Payload({ pictureId: 20000, tl0PicIdx: 200, temporalId: 0, start: true, keyframe: true }), true);
    expect(a.pictureId).toBe(502);
    expect(a.tl0PicIdx).toBe(10);
    const b = run(rw, vp8Payload({ pictureId: 20001, tl0PicIdx: 200, temporalId: 1 }), false);
    expect(b.pictureId).toBe(503);
    expect(b.tl0PicIdx).toBe(10);
  });

  it('wraps the 15-bit PictureID', () => {
    const rw = new Vp8PayloadRewriter();
    run(rw, vp8Payload({ pictureId: 0x7fff }), true);
    expect(run(rw, vp8Payload({ pictureId: 10 }), true).pictureId).toBe(0);
  });

  it('refuses a payload whose descriptor is truncated', () => {
    const rw = new Vp8PayloadRewriter();
    expect(rw.rewrite(Buffer.from([0x80]), 0, 1, true, true)).toBe(false);
  });
});
