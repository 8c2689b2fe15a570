// A range the report cannot answer, beside the field of the picker that caused it.
import { FieldRuleError } from '../lib/errors.ts';

export type RangeRule = 'invalidDay' | 'invalidZone' | 'backwards' | 'tooLong';

export class InsightRangeError extends FieldRuleError {
  readonly code = 'invalid_range';
  constructor(field: 'from' | 'to' | 'timeZone', readonly rule: RangeRule, params: Record<string, string | number> = {}) {
    super(field, `insights.range.${rule}`, params);
  }
}
