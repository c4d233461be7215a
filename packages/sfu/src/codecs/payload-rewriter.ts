/**
 * Codec hook of the per-consumer RTP rewriter: patches codec fields that must stay continuous across
 * a simulcast layer switch (e.g. VP8 PictureID), in place in the consumer's output buffer.
 */
export interface PayloadRewriter {
  /**
   * Rewrites the payload at `buf[offset..offset+length)` (already copied to the output buffer).
   * `switched` is true on the first packet from a new source stream (layer switch or first packet);
   * `newest` is true when the packet is the highest sequence number of its source so far.
   * Returns false when the payload is malformed and the packet must be dropped.
   */
  rewrite(buf: Buffer, offset: number, length: number, switched: boolean, newest: boolean): boolean;
}
