// Uploaded pictures (avatars, skill images): the type is read from the bytes, never
// from the file name or the browser's claim; the key is random and never reused, so
// the file can be cached forever.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { FieldRuleError } from './errors.ts';
import type { Storage } from './storage.ts';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
export const IMAGE_CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** A picture refused (wrong type, over the limit, none chosen): a 422, said beside its field. */
export class ImageRejectedError extends FieldRuleError {
  readonly code = 'image_rejected';
  constructor(readonly reason: 'type' | 'tooLarge' | 'missing') {
    super('image', `users.avatar.${reason}`);
  }
}

/** Checks and stores an image under `folder/`; returns its storage key. */
export async function storeImage(storage: Storage, folder: 'avatars' | 'skills', file: { buffer: Buffer; size: number } | undefined): Promise<string> {
  if (!file || file.size === 0) throw new ImageRejectedError('missing');
  if (file.size > IMAGE_MAX_BYTES) throw new ImageRejectedError('tooLarge');
  const detected = await fileTypeFromBuffer(file.buffer);
  const ext = detected && IMAGE_TYPES[detected.mime];
  if (!ext) throw new ImageRejectedError('type');
  const key = `${folder}/${crypto.randomUUID()}.${ext}`;
  await storage.put(key, file.buffer);
  return key;
}
