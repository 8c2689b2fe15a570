// Course files in storage: thumbnails and headers, videos, resources. The type comes
// from the bytes (never the name or the browser's claim), the key is random.
import crypto from 'node:crypto';
import { FieldRuleError } from '../lib/errors.ts';
import { IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, ImageCheckFailure, storeImageVariants } from '../lib/images.ts';
import type { Storage } from '../lib/storage.ts';
import { LESSON_DURATION_MAX_SECONDS, type ResourceInput } from './schemas.ts';
import { readVideoSeconds } from './video-duration.ts';

// Loaded on the first upload: start-up and memory need not pay for a rare admin action.
const fileTypeFromBuffer = async (buffer: Buffer) => (await import('file-type')).fileTypeFromBuffer(buffer);

const MB = 1024 * 1024;

/** Upload limits. Mutable on purpose: a test may lower them before building its app. */
export const COURSE_UPLOAD_LIMITS = {
  imageBytes: IMAGE_MAX_BYTES,
  videoBytes: 200 * MB,
  resourceBytes: 50 * MB,
};

export type UploadKind = 'image' | 'video' | 'resource';
/** `duration`: a video whose length cannot be read from its bytes (or is over a day). */
export type UploadReason = 'missing' | 'tooLarge' | 'type' | 'duration' | 'tooManyPixels';

/** "50 MB", "2 MB", "64 KB": limits as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

export function uploadLimits(): Record<UploadKind, string> {
  return {
    image: formatBytes(COURSE_UPLOAD_LIMITS.imageBytes),
    video: formatBytes(COURSE_UPLOAD_LIMITS.videoBytes),
    resource: formatBytes(COURSE_UPLOAD_LIMITS.resourceBytes),
  };
}

/** A refused file (missing, too large, wrong type), said beside its field; a resource's type message names its kind. */
export class UploadRejectedError extends FieldRuleError {
  readonly code = 'upload_rejected';
  constructor(what: UploadKind, readonly reason: UploadReason, kind?: ResourceInput['kind']) {
    super(what, reason === 'type' && what === 'resource' ? `courses.admin.upload.resource.type.${kind ?? 'other'}` : `courses.admin.upload.${what}.${reason}`,
      reason === 'tooLarge' ? { max: uploadLimits()[what] } : reason === 'tooManyPixels' ? { max: String(IMAGE_MAX_PIXELS / 1_000_000) } : {});
  }
}

export interface UploadedFile {
  buffer: Buffer;
  size: number;
  originalname?: string;
}

const VIDEO_TYPES: Record<string, { ext: string; mime: string }> = {
  'video/mp4': { ext: 'mp4', mime: 'video/mp4' },
  'video/x-m4v': { ext: 'mp4', mime: 'video/mp4' },
  'video/webm': { ext: 'webm', mime: 'video/webm' },
};

const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const ODP = 'application/vnd.oasis.opendocument.presentation';

/** What a resource of each kind may be, by the type read from its bytes. */
function resourceType(kind: ResourceInput['kind'], detected: { ext: string; mime: string } | undefined, originalName: string | undefined): { ext: string; mime: string } | undefined {
  const mime = detected?.mime;
  switch (kind) {
    case 'pdf':
      return mime === 'application/pdf' ? { ext: 'pdf', mime } : undefined;
    case 'source':
      return mime === 'application/zip' ? { ext: 'zip', mime } : undefined;
    case 'slides': {
      if (mime === 'application/pdf') return { ext: 'pdf', mime };
      if (mime === PPTX) return { ext: 'pptx', mime };
      if (mime === ODP) return { ext: 'odp', mime };
      // pptx and odp are zip files; file-type cannot always tell which. The bytes say
      // "zip", the name's extension (never the name itself) picks between the two.
      if (mime === 'application/zip') {
        const ext = /\.(pptx|odp)$/i.exec(originalName ?? '')?.[1]?.toLowerCase();
        if (ext === 'pptx') return { ext, mime: PPTX };
        if (ext === 'odp') return { ext, mime: ODP };
      }
      return undefined;
    }
    case 'other':
      if (detected && /^[a-z0-9]{2,5}$/.test(detected.ext)) return detected;
      return { ext: 'bin', mime: 'application/octet-stream' };
  }
}

function checkPresentAndSize(what: UploadKind, file: UploadedFile | undefined, maxBytes: number, kind?: ResourceInput['kind']): asserts file is UploadedFile {
  if (!file || file.size === 0) throw new UploadRejectedError(what, 'missing', kind);
  if (file.size > maxBytes) throw new UploadRejectedError(what, 'tooLarge', kind);
}

/** src/lib/images.ts's checks and variants, under `courses/`, refusals said in the course editor's words. */
export async function storeCourseImage(storage: Storage, file: UploadedFile | undefined): Promise<string> {
  try {
    return await storeImageVariants(storage, 'courses', file, COURSE_UPLOAD_LIMITS.imageBytes);
  } catch (error) {
    if (error instanceof ImageCheckFailure) throw new UploadRejectedError('image', error.reason);
    throw error;
  }
}

/**
 * An mp4 or webm video (read from the bytes), stored under `videos/`, with its length
 * in seconds. A video whose length cannot be read is refused before it is stored: the
 * player would not know it either.
 */
export async function storeVideo(storage: Storage, file: UploadedFile | undefined): Promise<{ key: string; seconds: number }> {
  checkPresentAndSize('video', file, COURSE_UPLOAD_LIMITS.videoBytes);
  const detected = await fileTypeFromBuffer(file.buffer);
  const type = detected && VIDEO_TYPES[detected.mime];
  if (!type) throw new UploadRejectedError('video', 'type');
  const seconds = await readVideoSeconds(file.buffer, type.mime);
  if (seconds === undefined || seconds > LESSON_DURATION_MAX_SECONDS) throw new UploadRejectedError('video', 'duration');
  const key = `videos/${crypto.randomUUID()}.${type.ext}`;
  await storage.put(key, file.buffer);
  return { key, seconds };
}

export async function storeResource(storage: Storage, kind: ResourceInput['kind'], file: UploadedFile | undefined): Promise<{ key: string; contentType: string; size: number }> {
  checkPresentAndSize('resource', file, COURSE_UPLOAD_LIMITS.resourceBytes, kind);
  const type = resourceType(kind, await fileTypeFromBuffer(file.buffer), file.originalname);
  if (!type) throw new UploadRejectedError('resource', 'type', kind);
  const key = `resources/${crypto.randomUUID()}.${type.ext}`;
  await storage.put(key, file.buffer);
  return { key, contentType: type.mime, size: file.size };
}
