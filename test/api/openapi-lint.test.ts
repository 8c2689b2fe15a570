// The generated contract passes Redocly's recommended rules (run as CI runs it:
// the CLI on the document the server serves).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';

const run = promisify(execFile);
const t = await createTestApp();

describe('the OpenAPI document', () => {
  it('lints clean with @redocly/cli (recommended rules, no warnings)', async () => {
    const doc = await t.agent().get('/api/v1/openapi.json');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbc-openapi-'));
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, doc.text);
    const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
    const result = await run(process.execPath, [cli, 'lint', file, '--config', path.resolve('redocly.yaml'), '--format', 'stylish'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } })
      .then((r) => ({ code: 0, out: r.stdout + r.stderr }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
    fs.rmSync(dir, { recursive: true, force: true });
    // Problems are "line:col  warning|error  rule  message" lines (the CLI also prints a Node 20 notice).
    expect(result.out.split('\n').filter((l) => /^\s*\d+:\d+\s+(warning|error)\s/.test(l)), result.out).toEqual([]);
    expect(result.code, result.out).toBe(0);
  }, 60_000);
});
