// docs/operations.md's settings table is written by hand, so it is held to src/config.ts
// here: a setting added to the schema, a secret given a _FILE variant, or a new setting
// production requires, and the table not updated, fails.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { SECRET_SETTINGS } from '../src/config-secret-files.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const configSource = fs.readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
const doc = fs.readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');

/** The keys of the zod schema in config.ts: every environment variable it reads. */
const schemaBody = configSource.slice(configSource.indexOf('const schema = z'), configSource.indexOf('.superRefine('));
const configured = [...schemaBody.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);

const settings = doc.slice(doc.indexOf('## Settings'));
const rows = new Map(
  [...settings.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|([^\n]*)$/gm)].map((m) => {
    const [defaultValue, production, file] = m[2]!.split(' | ').map((c) => c.trim());
    return [m[1]!, { defaultValue, production, file }] as const;
  }),
);

describe('docs/operations.md settings table', () => {
  it('names every setting src/config.ts reads', () => {
    expect(configured.length).toBeGreaterThan(50);
    const missing = configured.filter((name) => !rows.has(name));
    expect(missing, 'add these to the table in docs/operations.md').toEqual([]);
  });

  it('marks exactly the secret settings as accepting _FILE', () => {
    for (const [name, row] of rows) expect(row.file, name).toBe((SECRET_SETTINGS as readonly string[]).includes(name) ? 'yes' : 'no');
    for (const name of SECRET_SETTINGS) expect(rows.has(name), name).toBe(true);
  });

  it('marks as required in production exactly what config.ts refuses to start without', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (error) {
      message = (error as Error).message;
    }
    const required = [...message.matchAll(/^ {2}([A-Z][A-Z0-9_]*): is required in production/gm)].map((m) => m[1]).sort();
    expect(required.length).toBeGreaterThan(3);
    const documented = [...rows].filter(([, row]) => row.production?.startsWith('yes')).map(([name]) => name).sort();
    expect(documented).toEqual(required);
  });
});
