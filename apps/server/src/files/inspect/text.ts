import { hasControlBytes } from '../sniff';

/** Streams the whole file through a strict UTF-8 decoder; false at the first byte that is not text. */
export async function isText(source: AsyncIterable<Uint8Array>): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source) {
      if (hasControlBytes(chunk)) return false;
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (err) {
    if (err instanceof TypeError) return false;
    throw err;
  }
}
