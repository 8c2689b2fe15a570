// Secrets from files: Docker and Kubernetes mount secrets as files (/run/secrets/...),
// because environment variables leak into `docker inspect`, crash reports and child
// processes. Every secret setting NAME can therefore be given as NAME_FILE, a path
// whose content becomes NAME before the settings are parsed. Only secrets get this:
// a plain setting in a file would be one more place to look for it.
import fs from 'node:fs';

export const SECRET_SETTINGS = [
  'DATABASE_URL',
  'DATABASE_DIRECT_URL',
  'DATABASE_READ_URL',
  'SESSION_SECRET',
  'CSRF_SECRET',
  'SIGNING_SECRET',
  'ADMIN_PASSWORD_HASH',
  'SMTP_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'JWT_PRIVATE_KEY',
  // The bearer token of GET /metrics: a secret like the others, read from a file the same way.
  'METRICS_TOKEN',
] as const;

export type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (file) => fs.readFileSync(file, 'utf8');

/**
 * The settings with every NAME_FILE replaced by NAME (the file's content, trailing line
 * breaks removed: `echo secret > file` adds one), and the problems found, each naming the
 * variable and the path, never the content. `source` must already have empty values removed.
 */
export function readSecretFiles(
  source: Record<string, string>,
  readFile: ReadFile = readUtf8,
): { values: Record<string, string>; problems: string[] } {
  const values = { ...source };
  const problems: string[] = [];
  for (const name of SECRET_SETTINGS) {
    const fileVar = `${name}_FILE`;
    const file = source[fileVar];
    if (file === undefined) continue;
    delete values[fileVar];
    if (source[name] !== undefined) {
      problems.push(`${name}, ${fileVar}: set one of them, not both (${fileVar} reads the value from ${file})`);
      continue;
    }
    let content: string;
    try {
      content = readFile(file).replace(/(\r?\n)+$/, '');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${fileVar}: cannot read ${file} (${reason})`);
      continue;
    }
    // An empty mounted secret is a deployment mistake; taking it for "unset" would hide it.
    if (content === '') problems.push(`${fileVar}: ${file} is empty`);
    else values[name] = content;
  }
  return { values, problems };
}
