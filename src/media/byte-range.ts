// HTTP byte ranges, so that a video player can seek in a file we serve.
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * One byte range of a file of `size` bytes (RFC 9110 §14): undefined means "serve the
 * whole file" (no header, another unit, or several ranges, which a server may ignore).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const unit = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!unit) return undefined;
  const spec = (unit[1] ?? '').trim();
  if (spec.includes(',')) return undefined;
  const match = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!match) return 'unsatisfiable';
  const [, first = '', last = ''] = match;
  if (first === '') {
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    if (last === '' || suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  if (last === '') return { start, end: size - 1 };
  const end = Number(last);
  if (end < start) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
