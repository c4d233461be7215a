import { fileInvalid } from './invalid';

/** Longest side of an image Podium accepts (pixels). */
export const MAX_IMAGE_SIDE = 10_000;
/** Most pixels of an image (a 40-megapixel photo decodes to 160 MB in every viewer's browser). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Most frames of an animated image. */
export const MAX_IMAGE_FRAMES = 2_000;

/** What an image check learned. */
export interface ImageInfo {
  width: number;
  height: number;
}

/** Throws FILE_INVALID unless the dimensions are positive and within the limits. */
export function checkDimensions(format: string, width: number, height: number): ImageInfo {
  if (!(width > 0 && height > 0)) throw fileInvalid('broken', `The ${format} image has no size.`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw fileInvalid('image-too-large', `The ${format} image is ${width}×${height} pixels; at most ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels are accepted.`);
  }
  return { width, height };
}
