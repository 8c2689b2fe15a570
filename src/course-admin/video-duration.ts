// A video's length, read from its bytes: the lesson shows what the player will play,
// never a number someone typed. music-metadata reads WebM and MP4 with sound; it is an
// audio library, so an MP4 without an audio track (a silent screencast) gets no
// duration from it, and the movie header (mvhd) box, which every MP4 has, says it.

/** Seconds, rounded as players show them; undefined when the file does not say. */
export async function readVideoSeconds(buffer: Buffer, mimeType: string): Promise<number | undefined> {
  let seconds: number | undefined;
  try {
    // Loaded on the first video upload: start-up and memory need not pay for a rare admin action.
    const { parseBuffer } = await import('music-metadata');
    seconds = (await parseBuffer(buffer, { mimeType, size: buffer.length }, { duration: true, skipCovers: true })).format.duration;
  } catch {
    seconds = undefined; // a damaged file: the same answer as a file without a length
  }
  if (!isLength(seconds) && mimeType === 'video/mp4') seconds = movieHeaderSeconds(buffer);
  return isLength(seconds) ? Math.round(seconds) : undefined;
}

const isLength = (s: number | undefined): s is number => typeof s === 'number' && Number.isFinite(s) && s >= 0.5;

/** The boxes directly inside [start, end): type and payload bounds. */
function* boxes(buffer: Buffer, start: number, end: number): Generator<{ type: string; from: number; to: number }> {
  let at = start;
  while (at + 8 <= end) {
    let size = buffer.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(buffer.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) return;
    yield { type: buffer.toString('latin1', at + 4, at + 8), from: at + header, to: at + size };
    at += size;
  }
}

/** moov › mvhd: duration / timescale (version 0: 32-bit fields, version 1: 64-bit times). */
function movieHeaderSeconds(buffer: Buffer): number | undefined {
  for (const moov of boxes(buffer, 0, buffer.length)) {
    if (moov.type !== 'moov') continue;
    for (const box of boxes(buffer, moov.from, moov.to)) {
      if (box.type !== 'mvhd') continue;
      const version = buffer[box.from];
      const fields = box.from + 4;
      if (version === 1 && box.to - fields >= 28) {
        const timescale = buffer.readUInt32BE(fields + 16);
        const duration = buffer.readBigUInt64BE(fields + 20);
        return timescale && duration !== 0xffffffffffffffffn ? Number(duration) / timescale : undefined;
      }
      if (version === 0 && box.to - fields >= 16) {
        const timescale = buffer.readUInt32BE(fields + 8);
        const duration = buffer.readUInt32BE(fields + 12);
        return timescale && duration !== 0xffffffff ? duration / timescale : undefined;
      }
      return undefined;
    }
  }
  return undefined;
}
