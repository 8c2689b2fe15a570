import { ValidationError } from '../lib/errors.ts';

/**
 * The login limit, told to a person: the login form again with the wait beside it
 * (a 429), rather than a bare error page. JSON callers get the TooManyRequestsError
 * itself, with its code.
 */
export class LoginLimitError extends ValidationError {
  override readonly status = 429;
}
