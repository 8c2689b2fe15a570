// Time-limited file URLs. With local storage the app serves the files itself at
// /files/<key>?exp=<unix seconds>&sig=<hex>[&dl=<name>]: the signature is an
// HMAC-SHA256 (SIGNING_SECRET) over the key, the expiry and the download name, so
// none of them can be changed without the secret. With S3 the bucket checks its own
// presigned URLs (src/lib/s3-storage.ts).
import crypto from 'node:crypto';

/** Lesson videos and resources: long enough to start playing or downloading, short enough not to be shared. */
export const SECURE_URL_TTL_SECONDS = 5 * 60;
/** Public videos (course intro): a page stays open a while. */
export const PUBLIC_VIDEO_TTL_SECONDS = 60 * 60;

export const FILES_PREFIX = '/files/';

function mac(secret: string, key: string, exp: number, dl: string | undefined): Buffer {
  // Newline-separated: keys, numbers and download names never contain one.
  return crypto.createHmac('sha256', secret).update(`files-v1\n${key}\n${exp}\n${dl ?? ''}`).digest();
}

/** `/files/<key>?exp=..&sig=..[&dl=..]`. `dl` must already be safe (safeDownloadName). */
export function signFilePath(secret: string, file: { key: string; exp: number; dl?: string | undefined }): string {
  const { key, exp, dl } = file;
  const sig = mac(secret, key, exp, dl).toString('hex');
  return `${FILES_PREFIX}${key}?exp=${exp}&sig=${sig}${dl ? `&dl=${encodeURIComponent(dl)}` : ''}`;
}

export type FileSignatureCheck =
  | { ok: true; exp: number; dl: string | undefined; remainingSeconds: number }
  | { ok: false; reason: 'invalid' | 'expired' };

const EXP = /^\d{1,12}$/;
const SIG = /^[0-9a-f]{64}$/;
const DOWNLOAD_NAME = /^[A-Za-z0-9_][A-Za-z0-9._ -]{0,119}$/;

/** Checks the query of a /files URL against its key; `now` comes from the injected clock. */
export function verifyFileSignature(
  secret: string,
  key: string,
  query: { exp?: unknown; sig?: unknown; dl?: unknown },
  now: Date,
): FileSignatureCheck {
  const { exp, sig, dl } = query;
  if (typeof exp !== 'string' || !EXP.test(exp) || typeof sig !== 'string' || !SIG.test(sig)) return { ok: false, reason: 'invalid' };
  if (dl !== undefined && (typeof dl !== 'string' || !DOWNLOAD_NAME.test(dl))) return { ok: false, reason: 'invalid' };
  const expected = mac(secret, key, Number(exp), dl);
  if (!crypto.timingSafeEqual(Buffer.from(sig, 'hex'), expected)) return { ok: false, reason: 'invalid' };
  const remainingSeconds = Number(exp) - Math.floor(now.getTime() / 1000);
  if (remainingSeconds < 0) return { ok: false, reason: 'expired' };
  return { ok: true, exp: Number(exp), dl, remainingSeconds };
}

const LIGATURES: Record<string, string> = { œ: 'oe', Œ: 'OE', æ: 'ae', Æ: 'AE', ß: 'ss' };

/**
 * An ASCII file name for Content-Disposition, from a title people typed:
 * "Diapos : réseaux / séance 1" + key "resources/x.pdf" → "Diapos - reseaux - seance 1.pdf".
 */
export function safeDownloadName(name: string, key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const base = name
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._ -]+/g, ' - ')
    .replace(/\s+/g, ' ')
    .replace(/(\s*-\s*){2,}/g, ' - ')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 100)
    .replace(/[\s.-]+$/, '');
  const safe = base || 'download';
  return safe.toLowerCase().endsWith(`.${ext}`) ? safe : `${safe}.${ext}`;
}
