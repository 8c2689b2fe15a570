// Text people write for others to read and answer (a course review, a lesson question):
// one rule for how short it may be, so "ok" or "help?" is neither a review nor a question.
export const WRITTEN_TEXT_MIN = 10;
