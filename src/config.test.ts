import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { readSecretFiles, SECRET_SETTINGS } from './config-secret-files.ts';

const SECRET = 'a-production-secret-of-at-least-32-chars';
const CSRF = 'another-production-secret-32-chars-long';
const production = { NODE_ENV: 'production', SESSION_SECRET: SECRET, CSRF_SECRET: CSRF, SIGNING_SECRET: 'a-signing-secret-of-at-least-32-characters', APP_URL: 'https://leboncours.example/', PAYMENTS_SIMULATED: 'true' };

/** The ConfigError thrown for `env`, or a failure if it does not throw one. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig', () => {
  it('has working defaults in development', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.isProduction).toBe(false);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.appUrl).toBe('http://localhost:3000');
    expect(config.seedDemo).toBe(true);
    expect(config.trustProxy).toBe(false);
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.csrfSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.csrfSecret).not.toBe(config.sessionSecret);
    expect(config.sessionIdleMs).toBe(120 * 60_000);
    expect(config.sessionAbsoluteMs).toBe(168 * 3_600_000);
    expect(config.login).toEqual({ maxAttempts: 5, windowMs: 60_000 });
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('.data'));
    expect(config.uploadDir).toBe(path.resolve('.data', 'uploads'));
    expect(config.defaultTimezone).toBe('Europe/Paris');
    expect(config.viewsCache).toBe(true);
  });

  it('listens on loopback in development unless HOST is set, and on every interface in production', () => {
    const own = { SESSION_SECRET: SECRET, CSRF_SECRET: CSRF, SIGNING_SECRET: SECRET, ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD_HASH: '$argon2id$v=19$m=1024,t=1,p=1$abc$def' };
    expect(loadConfig({ HOST: '0.0.0.0', ...own }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig(production).host).toBe('0.0.0.0');
  });

  it('refuses the development secrets whenever HOST is not loopback, naming each', () => {
    const error = configError({ HOST: '0.0.0.0' });
    for (const key of ['SESSION_SECRET', 'CSRF_SECRET', 'SIGNING_SECRET']) {
      expect(error.message).toMatch(new RegExp(`${key}: must be set to a secret of your own when HOST \\(0\\.0\\.0\\.0\\) is not a loopback address`));
    }
    // The documented development admin too (its password is in the README).
    expect(error.message).toMatch(/ADMIN_PASSWORD_HASH: must be the hash of a password of your own/);
    // One left at its default is named alone.
    const one = configError({ HOST: '192.0.2.10', SESSION_SECRET: SECRET, CSRF_SECRET: CSRF, ADMIN_EMAIL: 'boss@example.test', ADMIN_PASSWORD_HASH: '$argon2id$v=19$m=1024,t=1,p=1$abc$def' });
    expect(one.message).toMatch(/SIGNING_SECRET: must be set/);
    expect(one.message).not.toMatch(/SESSION_SECRET|CSRF_SECRET|ADMIN_PASSWORD_HASH/);
    // Copying the development value by hand does not get round it, in production neither.
    const copied = configError({ ...production, SESSION_SECRET: 'dev-only-secret-change-me-0123456789abcdef' });
    expect(copied.message).toMatch(/SESSION_SECRET: must be set to a secret of your own/);
  });

  it('parses typed values and strips the trailing slash of APP_URL', () => {
    const config = loadConfig({ ...production, PORT: '8080', TRUST_PROXY: 'yes', SEED_DEMO: 'false', LOGIN_WINDOW_SECONDS: '30', HEAP_GROWING_PERCENT: '0' });
    expect(config.heapGrowingPercent).toBe(0);
    expect(loadConfig(production).heapGrowingPercent).toBe(50);
    expect(config.isProduction).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.trustProxy).toBe(true);
    expect(config.seedDemo).toBe(false);
    expect(config.login.windowMs).toBe(30_000);
    expect(config.appUrl).toBe('https://leboncours.example');
    expect(config.sessionSecret).toBe(SECRET);
    expect(config.csrfSecret).toBe(CSRF);
  });

  it('refuses to start in production without secrets and APP_URL, naming each', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/SESSION_SECRET: is required in production/);
    expect(error.message).toMatch(/CSRF_SECRET: is required in production/);
    expect(error.message).toMatch(/APP_URL: is required in production/);
    // One missing setting is named alone.
    const { CSRF_SECRET: _omit, ...withoutCsrf } = production;
    const one = configError(withoutCsrf);
    expect(one.message).toMatch(/CSRF_SECRET/);
    expect(one.message).not.toMatch(/SESSION_SECRET|APP_URL/);
  });

  it('requires the admin password hash in production when ADMIN_EMAIL is set', () => {
    const error = configError({ ...production, ADMIN_EMAIL: 'boss@leboncours.example' });
    expect(error.message).toMatch(/ADMIN_PASSWORD_HASH: is required when ADMIN_EMAIL is set/);
    const config = loadConfig({ ...production, ADMIN_EMAIL: 'Boss@Leboncours.example', ADMIN_PASSWORD_HASH: '$argon2id$v=19$m=1024,t=1,p=1$abc$def' });
    expect(config.admin).toEqual({ email: 'boss@leboncours.example', passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$abc$def' });
    expect(loadConfig(production).admin).toBeUndefined();
  });

  it('rejects a bad PORT and other malformed values', () => {
    expect(configError({ PORT: 'abc' }).message).toMatch(/PORT/);
    expect(configError({ PORT: '70000' }).message).toMatch(/PORT/);
    expect(configError({ PORT: '80.5' }).message).toMatch(/PORT/);
    expect(configError({ TRUST_PROXY: 'maybe' }).message).toMatch(/TRUST_PROXY/);
    for (const bad of ['-1', '401', 'lots']) expect(configError({ HEAP_GROWING_PERCENT: bad }).message).toMatch(/HEAP_GROWING_PERCENT/);
    expect(configError({ SESSION_SECRET: 'too-short' }).message).toMatch(/SESSION_SECRET/);
    expect(configError({ ADMIN_PASSWORD_HASH: 'plain-text' }).message).toMatch(/ADMIN_PASSWORD_HASH/);
    expect(configError({ NODE_ENV: 'staging' }).message).toMatch(/NODE_ENV/);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', NODE_ENV: '', APP_URL: '', SMTP_URL: '', TRUST_PROXY: '' });
    expect(config.port).toBe(3000);
    expect(config.env).toBe('development');
    expect(config.appUrl).toBe('http://localhost:3000');
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.trustProxy).toBe(false);
    // In production an empty secret is a missing secret, not a valid empty one.
    const error = configError({ ...production, SESSION_SECRET: '', APP_URL: '' });
    expect(error.message).toMatch(/SESSION_SECRET: is required in production/);
    expect(error.message).toMatch(/APP_URL: is required in production/);
    expect(error.message).not.toMatch(/CSRF_SECRET/);
  });
});

describe('payments configuration', () => {
  it('uses Stripe only with both keys, and refuses the simulated provider in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).payments.stripe).toBeUndefined();
    const stripe = loadConfig({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_API_URL: 'http://127.0.0.1:12111' }).payments.stripe;
    expect(stripe).toEqual({ secretKey: 'sk_test_1', webhookSecret: 'whsec_1', api: { host: '127.0.0.1', port: 12111, protocol: 'http' } });
    expect(() => loadConfig({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET: is required when the other Stripe key is set/);
    expect(() => loadConfig({ NODE_ENV: 'test', STRIPE_SECRET_KEY: 'pk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow(/must be a Stripe secret key/);
    const { PAYMENTS_SIMULATED: _simulated, ...productionWithout } = { NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-at-least-32-chars', CSRF_SECRET: 'another-production-secret-32-chars-long', SIGNING_SECRET: 'a-signing-secret-of-at-least-32-characters', APP_URL: 'https://leboncours.example/', PAYMENTS_SIMULATED: 'true' };
    expect(() => loadConfig(productionWithout)).toThrow(/STRIPE_SECRET_KEY: is required in production/);
    expect(loadConfig({ ...productionWithout, PAYMENTS_SIMULATED: 'true' }).payments.stripe).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', PLATFORM_FEE_PERCENT: '20' }).payments.platformFeePercent).toBe(20);
    expect(() => loadConfig({ NODE_ENV: 'test', PLATFORM_FEE_PERCENT: '80' })).toThrow(/PLATFORM_FEE_PERCENT/);
  });
});

describe('secrets from files (NAME_FILE)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-secrets-'));
  const secretFile = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every secret setting from its file, trailing newline trimmed, and the rest of the configuration as usual', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';
    const { SESSION_SECRET: _s, CSRF_SECRET: _c, SIGNING_SECRET: _g, ...rest } = production;
    const config = loadConfig({
      ...rest,
      SESSION_SECRET_FILE: secretFile('session', `${SECRET}\n`),
      CSRF_SECRET_FILE: secretFile('csrf', `${CSRF}\r\n`),
      SIGNING_SECRET_FILE: secretFile('signing', 'a-signing-secret-of-at-least-32-characters'),
      DATABASE_URL_FILE: secretFile('db', 'postgres://app:pw@db:5432/leboncours\n'),
      SMTP_URL_FILE: secretFile('smtp', 'smtp://mailpit:1025\n'),
      ADMIN_EMAIL: 'boss@leboncours.example',
      ADMIN_PASSWORD_HASH_FILE: secretFile('admin', '$argon2id$v=19$m=1024,t=1,p=1$abc$def\n'),
      STRIPE_SECRET_KEY_FILE: secretFile('stripe', 'sk_live_1\n'),
      STRIPE_WEBHOOK_SECRET_FILE: secretFile('webhook', 'whsec_1\n'),
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'AKIA1',
      S3_SECRET_ACCESS_KEY_FILE: secretFile('s3', 's3-secret\n'),
      JWT_PRIVATE_KEY_FILE: secretFile('jwt', `${pem}\n`),
    });
    expect(config.sessionSecret).toBe(SECRET);
    expect(config.csrfSecret).toBe(CSRF);
    expect(config.signingSecret).toBe('a-signing-secret-of-at-least-32-characters');
    expect(config.databaseUrl).toBe('postgres://app:pw@db:5432/leboncours');
    expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
    expect(config.admin?.passwordHash).toBe('$argon2id$v=19$m=1024,t=1,p=1$abc$def');
    expect(config.payments.stripe).toMatchObject({ secretKey: 'sk_live_1', webhookSecret: 'whsec_1' });
    expect(config.s3?.credentials).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 's3-secret' });
    // Inner line breaks of a PEM key stay.
    expect(config.api.jwtPrivateKey).toBe(pem);
  });

  it('validates a value read from a file like one from the environment', () => {
    const error = configError({ ...production, SESSION_SECRET: undefined, SESSION_SECRET_FILE: secretFile('short', 'too-short\n') });
    expect(error.message).toMatch(/SESSION_SECRET: /);
    expect(error.message).not.toContain('too-short');
  });

  it('refuses NAME and NAME_FILE together, naming both', () => {
    const error = configError({ ...production, SIGNING_SECRET_FILE: secretFile('both', 'x'.repeat(40)) });
    expect(error.message).toMatch(/SIGNING_SECRET, SIGNING_SECRET_FILE: set one of them, not both/);
    // An empty NAME is unset (as everywhere), so an empty compose default does not clash.
    expect(loadConfig({ ...production, SIGNING_SECRET: '', SIGNING_SECRET_FILE: secretFile('alone', 'y'.repeat(40)) }).signingSecret).toBe('y'.repeat(40));
  });

  it('names the variable and the path of a file it cannot read or that is empty, never a content', () => {
    const missing = path.join(dir, 'absent');
    const error = configError({ ...production, CSRF_SECRET: undefined, CSRF_SECRET_FILE: missing });
    expect(error.message).toContain(`CSRF_SECRET_FILE: cannot read ${missing} (ENOENT)`);
    // Not also "required in production": the file is the one problem to fix.
    expect(error.message).not.toMatch(/is required in production/);
    expect(configError({ ...production, CSRF_SECRET: undefined, CSRF_SECRET_FILE: dir }).message).toContain(`CSRF_SECRET_FILE: cannot read ${dir} (EISDIR)`);
    expect(configError({ ...production, CSRF_SECRET: undefined, CSRF_SECRET_FILE: secretFile('empty', '\n') }).message).toMatch(/CSRF_SECRET_FILE: .*empty is empty/);
  });

  it('gives every secret setting of the schema a _FILE variant, and none to plain settings', () => {
    expect([...SECRET_SETTINGS].sort()).toEqual(expect.arrayContaining(['ADMIN_PASSWORD_HASH', 'CSRF_SECRET', 'DATABASE_URL', 'JWT_PRIVATE_KEY', 'S3_SECRET_ACCESS_KEY', 'SESSION_SECRET', 'SIGNING_SECRET', 'SMTP_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']));
    const { values, problems } = readSecretFiles({ PORT_FILE: secretFile('port', '8080') });
    expect(problems).toEqual([]);
    expect(values).toEqual({ PORT_FILE: path.join(dir, 'port') });
  });
});
