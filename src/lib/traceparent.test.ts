// The traceparent parser accepts exactly the version-00 headers the W3C spec allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTraceparent } from './traceparent.ts';

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const traceId = hex(32).filter((s) => /[1-9a-f]/.test(s));
const parentId = hex(16).filter((s) => /[1-9a-f]/.test(s));

describe('parseTraceparent', () => {
  it('reads the example of the spec', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01',
    });
  });

  it('accepts every well-formed version-00 header and gives its parts back', () => {
    fc.assert(fc.property(traceId, parentId, hex(2), (t, p, f) => {
      expect(parseTraceparent(`00-${t}-${p}-${f}`)).toEqual({ traceId: t, parentId: p, flags: f });
    }));
  });

  it.each([
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['another version', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['upper-case hex', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01'],
    ['extra field', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['one-digit flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
    ['spaces', ' 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['two headers joined', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['empty', ''],
  ])('ignores %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('ignores a missing header or an array of them', () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent(['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'])).toBeUndefined();
  });

  it('never accepts a string that is not of the exact form, whatever it is', () => {
    const valid = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF- '), minLength: 50, maxLength: 60 })), (s) => {
      const parsed = parseTraceparent(s);
      if (parsed) expect(s).toMatch(valid);
      else if (valid.test(s)) expect(s.slice(3, 35) === '0'.repeat(32) || s.slice(36, 52) === '0'.repeat(16)).toBe(true);
    }));
  });
});
