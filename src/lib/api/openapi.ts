// The public API's contract: every operation registers its zod schemas here, the same
// schemas that validate its requests, and the OpenAPI 3.1 document is generated from
// them (so the document cannot drift from what the server accepts).
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
export type ApiRegistry = OpenAPIRegistry;

/** RFC 9457 problem details, the one error shape of the API. */
export const Problem = z.object({
  type: z.string().openapi({ description: 'A URI naming the kind of problem', example: 'https://leboncours.example/problems/validation_failed' }),
  title: z.string().openapi({ description: 'A short, human-readable summary of the kind of problem' }),
  status: z.number().int(),
  detail: z.string().openapi({ description: 'What went wrong this time, in the request language' }),
  instance: z.string().openapi({ description: 'The request id (also in the X-Request-Id header)' }),
  code: z.string().openapi({ description: 'A stable machine code (`slot_taken`, `validation_failed`, …)' }),
  errors: z.array(z.object({
    name: z.string().openapi({ description: 'The field (a body, query or path parameter)' }),
    reason: z.string(),
  })).optional().openapi({ description: 'One entry per invalid field' }),
  affected: z.array(z.uuid()).optional().openapi({ description: '`bookings_affected` only: the live bookings the change would take out of open time; send them back in a `decision` to apply it' }),
}).openapi('Problem', { description: 'RFC 9457 problem details' });

export function createApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', Problem);
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
    description: 'An access token from POST /api/v1/auth/login or /auth/refresh (15 minutes).',
  });
  registry.registerComponent('securitySchemes', 'cookieAuth', {
    type: 'apiKey', in: 'cookie', name: 'lbc.sid',
    description: 'The web session of a signed-in browser; unsafe requests then also need the X-CSRF-Token header.',
  });
  return registry;
}

export function buildDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Leboncours API',
      version: '1.0.0',
      description: 'Micro-tutoring marketplace: the catalogue, mentors\' availability and slots, bookings, courses. '
        + 'Errors are RFC 9457 problem details. Creating requests accept an `Idempotency-Key` header.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the API is wherever the document was fetched from (Swagger UI, a staging host).
    servers: [{ url: '/api/v1', description: 'This server' }],
    tags: [
      { name: 'Auth', description: 'Accounts, tokens and the profile' },
      { name: 'Catalogue', description: 'Public reads: skills, mentors, slots, courses, reviews' },
      { name: 'Mentor', description: 'A mentor\'s skills, availability and bookings' },
      { name: 'Student', description: 'Holds, bookings and enrolments of a student' },
      { name: 'Aliases', description: 'Older paths of the source specifications, kept as aliases' },
    ],
  });
}
