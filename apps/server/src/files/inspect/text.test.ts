import { describe, expect, it } from 'vitest';
import { isText } from './text';

/** The bytes split into pieces at every given offset. */
function* split(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const check = (bytes: Buffer, size: number) => isText((async function* () { yield* split(bytes, size); })());

describe('isText()', () => {
  const text = Buffer.from('Zürich, Kraków, Łódź — 東京 😀 ok\r\n\tnext line\f', 'utf8');

  it('accepts UTF-8 text however its characters are split between chunks', async () => {
    for (let size = 1; size <= text.length; size++) expect(await check(text, size), `pieces of ${size}`).toBe(true);
  });

  it('refuses invalid UTF-8, a character cut off at the end, overlong forms, surrogates and control bytes', async () => {
    for (const bad of [
      Buffer.from([0x61, 0xc3, 0x28]), Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('a\u0000b'), Buffer.from('a\u001bb'), Buffer.from([0x61, 0x7f]), Buffer.from([0xff, 0xfe, 0x61, 0x00]),
    ]) {
      for (const size of [1, 2, 64]) expect(await check(bad, size), `${bad.toString('hex')} in pieces of ${size}`).toBe(false);
    }
  });
});
