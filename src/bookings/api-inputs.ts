// The request pieces the student's booking operations share (zod schemas, so the same
// rules validate the request and show in the OpenAPI document).
import { z } from '../lib/api/openapi.ts';
import { DURATIONS } from '../skills/model.ts';
import type { Duration } from '../slots/engine.ts';

// PostgreSQL text cannot hold NUL: refused here as invalid input rather than by the database.
const noNul = (s: string) => !s.includes('\u0000');

/** Free text of at most `max` characters, trimmed, without NUL. */
export const text = (max: number, min = 0) => z.string().trim().min(min).max(max).refine(noNul, { error: 'validation.format' });

export const startsAt = z.iso.datetime({ offset: true }).openapi({ description: 'ISO 8601; the slot\'s start', example: '2026-12-07T09:00:00Z' });

export const durationMinutes = z.union(DURATIONS.map((d) => z.literal(d))).openapi({ description: 'One of the skill\'s durations' });

export const slotInput = { skillId: z.uuid(), startsAt, durationMinutes };

export const toDuration = (d: number) => d as Duration;
