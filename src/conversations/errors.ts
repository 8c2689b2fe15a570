// What can refuse a message (mapped by lib/error-handler.ts).
import { TooManyRequestsError } from '../lib/errors.ts';

/**
 * 429 with Retry-After: too many messages from this person for now. The thread's form
 * shows it in place (hx-status:429), so the writer keeps the text they typed.
 */
export class MessageRateError extends TooManyRequestsError {
  override readonly messageKey = 'conversations.error.rate';
}
