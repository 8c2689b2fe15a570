// luxon asks an IANA zone for its UTC offset on every DateTime it builds or moves there,
// and each answer is an Intl formatToParts call: the one `endOf('week')` of the mentor
// dashboard cost 2.5 % of the page, the booking page's seven-day list ~6 %. An offset
// is a pure function of the instant, and these pages ask for the same instants (a local
// midnight, the end of this week) on every request, so the answers are kept.
import { IANAZone, type Zone } from 'luxon';

/** Answers kept over all zones; all are dropped at once when full (no bookkeeping per hit). */
export const MAX_KEPT_OFFSETS = 20_000;
/** Intl takes a zone's name in any case ("europe/paris" from a cookie): past this many, none is kept. */
const MAX_ZONES = 1_000;

let kept = 0;
const zones = new Map<string, MemoZone>();

class MemoZone extends IANAZone {
  readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    let minutes = this.offsets.get(ts);
    if (minutes === undefined) {
      minutes = super.offset(ts);
      if (kept >= MAX_KEPT_OFFSETS) forgetOffsets();
      this.offsets.set(ts, minutes);
      kept++;
    }
    return minutes;
  }
}

function forgetOffsets(): void {
  for (const zone of zones.values()) zone.offsets.clear();
  kept = 0;
}

/**
 * The zone to give luxon (`{ zone: memoZone(name) }`) where a page builds DateTimes on
 * every request. A name luxon does not know comes back as luxon's own invalid zone, kept
 * nowhere, so DateTimes in it are invalid exactly as with the plain string; so does any
 * name past the first thousand, unmemoised.
 */
export function memoZone(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    if (zones.size >= MAX_ZONES || !IANAZone.isValidZone(name)) return IANAZone.create(name);
    zone = new MemoZone(name);
    zones.set(name, zone);
  }
  return zone;
}
