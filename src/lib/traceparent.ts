// W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header),
// read strictly: a header we cannot trust is ignored, never half-used. Only version 00 is
// accepted, in its exact 55-character form and lower-case hex as the spec requires; a
// future version's extra fields would be guesswork here.
export interface TraceParent {
  traceId: string;
  parentId: string;
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_PARENT = '0'.repeat(16);

/** The parsed header, or undefined for anything that is not a valid version-00 traceparent. */
export function parseTraceparent(header: string | string[] | undefined): TraceParent | undefined {
  // Two traceparent headers are ambiguous (Node joins repeated unknown headers with ", ",
  // which the pattern refuses too).
  if (typeof header !== 'string' || header.length !== 55) return undefined;
  const match = TRACEPARENT.exec(header);
  if (!match) return undefined;
  const [, traceId, parentId, flags] = match as unknown as [string, string, string, string];
  if (traceId === ZERO_TRACE || parentId === ZERO_PARENT) return undefined;
  return { traceId, parentId, flags };
}
