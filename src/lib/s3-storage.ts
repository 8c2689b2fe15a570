// Storage in an S3-compatible bucket (AWS S3, MinIO, R2...). Private files are read
// by browsers straight from the bucket through presigned GetObject URLs; the bucket
// itself stays private (no public ACL, no public policy).
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as Presigner from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config.ts';
import { systemClock, type Clock } from './clock.ts';
import { safeDownloadName } from './signed-urls.ts';
import { contentTypeForKey, isSafeKey, type Storage } from './storage.ts';

// Required when S3 storage is built, not when this module is imported: the SDK costs
// ~0.4 s of start-up and ~30 MB to every process, and most run on local disk.
const require = createRequire(import.meta.url);
const sdk = () => require('@aws-sdk/client-s3') as typeof S3Sdk;
const presigner = () => require('@aws-sdk/s3-request-presigner') as typeof Presigner;

/** S3 refuses presigned URLs that live longer than a week. */
export const S3_MAX_EXPIRY_SECONDS = 7 * 24 * 3600;

export interface S3Storage extends Storage {
  readonly kind: 's3';
  readonly bucket: string;
  readonly client: S3Client;
}

export function isS3Storage(storage: Storage): storage is S3Storage {
  return (storage as Partial<S3Storage>).kind === 's3';
}

export function createS3Client(config: S3Config): S3Client {
  return new (sdk().S3Client)({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    // A copy: the SDK writes bookkeeping into the credentials object it is given.
    ...(config.credentials ? { credentials: { ...config.credentials } } : {}),
    forcePathStyle: config.forcePathStyle,
    // Checksums only where S3 requires them: S3-compatible servers often reject the
    // newer CRC headers, and a presigned URL should carry nothing a browser cannot send.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Where browsers fetch presigned URLs from, for the Content-Security-Policy
 * (media-src, img-src): the endpoint's origin, or the bucket's AWS host.
 */
export function s3MediaOrigin(config: S3Config): string {
  if (config.endpoint) {
    const url = new URL(config.endpoint);
    return config.forcePathStyle ? url.origin : `${url.protocol}//${config.bucket}.${url.host}`;
  }
  return config.forcePathStyle ? `https://s3.${config.region}.amazonaws.com` : `https://${config.bucket}.s3.${config.region}.amazonaws.com`;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export function createS3Storage(config: S3Config, options: { clock?: Clock; client?: S3Client } = {}): S3Storage {
  const clock = options.clock ?? systemClock;
  const client = options.client ?? createS3Client(config);
  const { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } = sdk();
  const { getSignedUrl } = presigner();
  const Bucket = config.bucket;
  const checked = (key: string) => {
    if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${key}`);
    return key;
  };
  return {
    kind: 's3',
    bucket: Bucket,
    client,
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket, Key: checked(key), Body: body, ContentType: contentTypeForKey(key), ContentLength: body.length }));
    },
    async get(key) {
      if (!isSafeKey(key)) return undefined;
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!out.Body) return undefined;
        return { stream: out.Body as Readable, size: out.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      // S3 answers 204 for a key that does not exist: deleting twice is fine, as on disk.
      await client.send(new DeleteObjectCommand({ Bucket, Key: checked(key) }));
    },
    async url(key, { expiresInSeconds, downloadName, contentType }) {
      const expiresIn = Math.ceil(expiresInSeconds);
      if (expiresIn < 1 || expiresIn > S3_MAX_EXPIRY_SECONDS) throw new Error(`presigned URL expiry out of range: ${expiresInSeconds}s`);
      const command = new GetObjectCommand({
        Bucket,
        Key: checked(key),
        ...(downloadName !== undefined ? { ResponseContentDisposition: `attachment; filename="${safeDownloadName(downloadName, key)}"` } : {}),
        ...(contentType ? { ResponseContentType: contentType } : {}),
      });
      return getSignedUrl(client, command, { expiresIn, signingDate: clock.now() });
    },
  };
}
