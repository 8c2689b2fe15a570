// The two sums a package involves, kept pure so the skill page, the checkout and the
// admin's refund all compute the same cents.

/** A pack of `sessions` at `discountPercent` off the single-session price, rounded to the cent. */
export function packagePrice(sessionCents: number, sessions: number, discountPercent: number): number {
  return Math.round((sessionCents * sessions * (100 - discountPercent)) / 100);
}

/** What the unused credits of a purchase are worth, rounded down: never more than was paid for them. */
export function unusedCreditsRefund(amount: number, creditsUsed: number, creditsTotal: number): number {
  if (creditsTotal <= 0) return 0;
  const unused = Math.max(0, creditsTotal - creditsUsed);
  return Math.floor((amount * unused) / creditsTotal);
}
