// The contract: every operation the OpenAPI document lists is called (the list comes
// from the document, not from this file: an operation without a fixture fails), and
// each answer must have a documented success status and match the documented schema.
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
import { contractContext, type Fixture } from './contract-context.ts';
import auth from './fixtures/auth.ts';
import catalogue from './fixtures/catalogue.ts';
import mentor from './fixtures/mentor.ts';
import student from './fixtures/student.ts';

const FIXTURES: Record<string, Fixture> = { ...auth, ...catalogue, ...mentor, ...student };

const t = await createTestApp();
const doc = (await t.agent().get('/api/v1/openapi.json')).body as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: Record<string, unknown>;
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its function is the default export's own default.
(formats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
/** A response schema whose `#/components/...` references resolve against the document's components. */
function validator(schema: object) {
  return ajv.compile({ ...schema, components: doc.components });
}

describe('the OpenAPI contract', () => {
  it('has a fixture for every operation of the document, and no fixture for one it lacks', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
    expect(ids.filter((id) => !FIXTURES[id]), 'operations without a contract fixture').toEqual([]);
    expect(Object.keys(FIXTURES).filter((id) => !ids.includes(id)), 'fixtures of operations the document does not list').toEqual([]);
  });

  for (const { path, method, op } of operations) {
    it(`${method.toUpperCase()} ${path} (${op.operationId}) answers as documented`, async () => {
      const fixture = FIXTURES[op.operationId];
      if (!fixture) throw new Error(`no fixture for ${op.operationId}`);
      const res = await fixture(contractContext(t));
      const documented = op.responses[String(res.status)];
      expect(documented, `status ${res.status} is documented (body: ${res.text.slice(0, 300)})`).toBeDefined();
      expect(res.status, `a success (body: ${res.text.slice(0, 300)})`).toBeLessThan(300);
      const schema = documented!.content?.['application/json']?.schema;
      if (!schema) {
        expect(res.text, 'no body documented, none sent').toBe('');
        return;
      }
      const validate = validator(schema);
      const ok = validate(res.body);
      expect(ok ? [] : validate.errors, `the answer matches the ${op.operationId} schema`).toEqual([]);
    });
  }
});
