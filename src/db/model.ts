import { Model } from 'objection';

export class BaseModel extends Model {
  // `first()` adds LIMIT 1 instead of fetching every row and keeping one.
  static override useLimitInFirst = true;
}
