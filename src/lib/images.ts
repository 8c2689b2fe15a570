// Uploaded pictures (avatars, skill and course images). The type is read from the
// bytes, never from the file name or the browser's claim. Every upload is decoded,
// turned upright (phone photos carry their orientation in EXIF) and re-encoded to
// WebP at a few widths: re-encoding drops EXIF (GPS position, camera serial), and
// pages send each screen the width it needs. Keys are random and never reused, so
// the files can be cached forever.
//
// The stored key names the largest variant and its size, e.g.
// avatars/<uuid>-384x384.webp; the smaller ones are its siblings at the ladder's
// widths (<uuid>-96x96.webp, <uuid>-192x192.webp). Pages derive srcset, width and
// height from the key alone, so no column or query is needed to show an image.
import crypto from 'node:crypto';
import type { Metadata } from 'sharp';
import { FieldRuleError } from './errors.ts';
import type { Storage } from './storage.ts';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/**
 * 40 megapixels: more than any phone camera, while a 2 MB PNG can claim
 * 20000 × 20000 pixels (1.6 GB once decoded), which is the bomb this refuses.
 */
export const IMAGE_MAX_PIXELS = 40_000_000;
const IMAGE_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
export const IMAGE_CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

export type ImageFolder = 'avatars' | 'skills' | 'courses';

/**
 * Widths made for each folder. Avatars show at 28 to 112 CSS px (up to 3× density),
 * pictures from a 400 px card to a 1200 px header.
 */
export const IMAGE_WIDTHS: Record<ImageFolder, readonly number[]> = {
  avatars: [96, 192, 384],
  skills: [480, 960, 1440],
  courses: [480, 960, 1440],
};
// effort 2, not the default 4: measured on a 12 MP photo here, encoding the 1440 px
// width took 1.9 s instead of 4.8 s for a file 3 % larger.
const WEBP = { quality: 80, effort: 2 } as const;

export type ImageRejection = 'type' | 'tooLarge' | 'missing' | 'tooManyPixels';

/** Why an image cannot be stored; each upload path turns it into its own field error. */
export class ImageCheckFailure {
  constructor(readonly reason: ImageRejection) {}
}

/** A picture refused (wrong type, over the limit, none chosen): a 422, said beside its field. */
export class ImageRejectedError extends FieldRuleError {
  readonly code = 'image_rejected';
  constructor(readonly reason: ImageRejection) {
    super('image', `users.avatar.${reason}`, reason === 'tooManyPixels' ? { max: String(IMAGE_MAX_PIXELS / 1_000_000) } : {});
  }
}

interface Variant {
  width: number;
  height: number;
}

/** The widths to make: the ladder's below the largest, the largest never enlarged. */
function variantSizes(folder: ImageFolder, width: number, height: number): Variant[] {
  const ladder = IMAGE_WIDTHS[folder];
  // Avatars are cropped square; pictures keep their shape.
  const square = folder === 'avatars';
  const sourceWidth = square ? Math.min(width, height) : width;
  const top = Math.min(ladder[ladder.length - 1]!, sourceWidth);
  const widths = [...ladder.filter((w) => w < top), top];
  return widths.map((w) => ({ width: w, height: square ? w : Math.max(1, Math.round((w * height) / width)) }));
}

const decodeOptions = { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error', autoOrient: true } as const;

/**
 * Checks the bytes and makes the variants, largest last. Throws ImageCheckFailure for
 * a file that is not a PNG, JPEG or WebP, that does not decode, or that is too big.
 */
async function makeVariants(folder: ImageFolder, file: { buffer: Buffer; size: number } | undefined, maxBytes: number): Promise<{ variant: Variant; body: Buffer }[]> {
  if (!file || file.size === 0) throw new ImageCheckFailure('missing');
  if (file.size > maxBytes) throw new ImageCheckFailure('tooLarge');
  // Loaded on the first upload, not at start: sharp (libvips) and file-type cost every
  // process ~0.4 s of start-up and ~35 MB of memory that most of them never use.
  const [{ fileTypeFromBuffer }, { default: sharp }] = await Promise.all([import('file-type'), import('sharp')]);
  const detected = await fileTypeFromBuffer(file.buffer);
  if (!detected || !IMAGE_TYPES[detected.mime]) throw new ImageCheckFailure('type');
  let meta: Metadata;
  try {
    // The header only: no pixel is decoded, so no pixel limit is needed yet.
    meta = await sharp(file.buffer, { failOn: 'error' }).metadata();
  } catch {
    throw new ImageCheckFailure('type');
  }
  if (meta.width * meta.height > IMAGE_MAX_PIXELS) throw new ImageCheckFailure('tooManyPixels');
  const sizes = variantSizes(folder, meta.autoOrient.width, meta.autoOrient.height);
  const largest = sizes[sizes.length - 1]!;
  try {
    // Decoded once, upright and cropped to the largest size; the smaller ones are
    // made from those pixels (one full decode of a big photo, not one per width).
    const top = await sharp(file.buffer, decodeOptions)
      // Only avatars are cropped (to a square): there the crop follows the busiest part
      // of the picture, usually the face. Pictures keep their shape, nothing to choose.
      .resize({ width: largest.width, height: largest.height, fit: 'cover', position: folder === 'avatars' ? 'attention' : 'centre' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: top.info.width, height: top.info.height, channels: top.info.channels } };
    return await Promise.all(sizes.map(async (variant) => ({
      variant,
      body: await sharp(top.data, raw).resize({ width: variant.width, height: variant.height, fit: 'fill' }).webp(WEBP).toBuffer(),
    })));
  } catch {
    // A header that reads over pixel data that does not (a truncated or forged file).
    throw new ImageCheckFailure('type');
  }
}

const variantKey = (base: string, v: Variant) => `${base}-${v.width}x${v.height}.webp`;

/**
 * Checks, re-encodes and stores an image under `folder/`; returns the key of its largest
 * variant. A refused file throws ImageCheckFailure; nothing is stored then.
 */
export async function storeImageVariants(storage: Storage, folder: ImageFolder, file: { buffer: Buffer; size: number } | undefined, maxBytes = IMAGE_MAX_BYTES): Promise<string> {
  const variants = await makeVariants(folder, file, maxBytes);
  const base = `${folder}/${crypto.randomUUID()}`;
  const stored: string[] = [];
  try {
    for (const { variant, body } of variants) {
      const key = variantKey(base, variant);
      await storage.put(key, body);
      stored.push(key);
    }
  } catch (error) {
    await Promise.allSettled(stored.map((key) => storage.delete(key)));
    throw error;
  }
  return stored[stored.length - 1]!;
}

/** storeImageVariants for avatars and skill pictures, refusals said beside the `image` field. */
export async function storeImage(storage: Storage, folder: 'avatars' | 'skills', file: { buffer: Buffer; size: number } | undefined): Promise<string> {
  try {
    return await storeImageVariants(storage, folder, file);
  } catch (error) {
    if (error instanceof ImageCheckFailure) throw new ImageRejectedError(error.reason);
    throw error;
  }
}

const VARIANT_KEY = /^((avatars|skills|courses)\/[0-9a-f-]{36})-(\d{1,5})x(\d{1,5})\.webp$/;

/** The stored variants of an image key, smallest first; undefined for a key stored whole (before variants). */
export function imageVariants(key: string): (Variant & { key: string })[] | undefined {
  const match = VARIANT_KEY.exec(key);
  if (!match) return undefined;
  const [, base, folder, w, h] = match as unknown as [string, string, ImageFolder, string, string];
  return variantSizes(folder, Number(w), Number(h)).map((v) => ({ ...v, key: variantKey(base, v) }));
}

/** Every storage key behind one image key (its variants, or the key itself): what deleting it removes. */
export function storedImageKeys(key: string): string[] {
  return imageVariants(key)?.map((v) => v.key) ?? [key];
}

/** Deletes an image and all its variants; a failure is the caller's to log. */
export async function deleteImage(storage: Storage, key: string): Promise<void> {
  await Promise.all(storedImageKeys(key).map((k) => storage.delete(k)));
}

export interface ImageTagOptions {
  /** The `sizes` attribute: how wide the image shows, e.g. "28px" or "(max-width: 700px) 100vw, 400px". */
  sizes: string;
  alt?: string;
  class?: string;
  id?: string;
  loading?: 'lazy' | 'eager';
  /** Attributes when the shown box is fixed (avatars); otherwise the image's own size, for its ratio. */
  width?: number;
  height?: number;
  /** The folder of a bare key (old course pictures were stored as "<uuid>.png"). */
  folder?: ImageFolder;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An <img> with srcset, sizes, width and height (so nothing shifts while it loads), for
 * templates: `<%~ it.img(key, { sizes: '64px', width: 64, height: 64 }) %>`.
 */
export function imageTag(key: string, options: ImageTagOptions): string {
  const path = key.includes('/') || !options.folder ? key : `${options.folder}/${key}`;
  const variants = imageVariants(path);
  const url = (k: string) => `/media/${k}`;
  const largest = variants?.[variants.length - 1];
  const width = options.width ?? largest?.width;
  const height = options.height ?? (largest && width ? Math.round((width * largest.height) / largest.width) : undefined);
  const attrs: [string, string | number | undefined][] = [
    ['id', options.id],
    ['class', options.class],
    // The fallback for browsers without srcset: the middle width, good enough anywhere.
    ['src', url(variants ? variants[Math.min(1, variants.length - 1)]!.key : path)],
    ['srcset', variants?.map((v) => `${url(v.key)} ${v.width}w`).join(', ')],
    ['sizes', variants ? options.sizes : undefined],
    ['alt', options.alt ?? ''],
    ['width', width],
    ['height', height],
    ['loading', options.loading],
    ['decoding', options.loading === 'lazy' ? 'async' : undefined],
  ];
  return `<img ${attrs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}="${escapeAttr(String(v))}"`).join(' ')}>`;
}
