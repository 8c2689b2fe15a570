// The only reader of process.env: every setting is parsed and validated once here,
// so a typo in the environment fails at start-up with a message, not at first use.
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './config-types.ts';
import { readSecretFiles } from './config-secret-files.ts';

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';
// The documented development admin (password "leboncours-admin", see .env.example),
// so a fresh `npm start` shows the admin pages too. Never used in production.
const DEV_ADMIN = {
  email: 'admin@leboncours.local',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$Z4hxU7w/Ct69/KCVmuZffg$bO2k+QWARXnGLfzSU6mUkWPGESbjxS8cXx98zcx6oec',
};

const DEV_SECRETS = {
  SESSION_SECRET: DEV_SECRET,
  CSRF_SECRET: `${DEV_SECRET}-csrf`,
  SIGNING_SECRET: `${DEV_SECRET}-signing`,
} as const;

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
}

// Containers and servers (production) listen on every interface; a developer's machine only on loopback.
const hostOf = (env: { HOST?: string | undefined; NODE_ENV: string }) => env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    // Loopback unless set: a development server must not be reachable from the network by accident.
    HOST: z.string().min(1).optional(),
    APP_URL: z.url().optional(),
    DATABASE_URL: z.string().optional(),
    // Behind PgBouncer in transaction mode DATABASE_URL cannot hold LISTEN or prepared statements:
    // the job worker, the page-cache listener and migrations connect here instead (default DATABASE_URL).
    DATABASE_DIRECT_URL: z.string().optional(),
    // A streaming replica for the anonymous catalogue reads; unset, everything reads the primary.
    DATABASE_READ_URL: z.string().optional(),
    // A replica further behind than this serves nothing: reads fall back to the primary.
    READ_REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    SEED_DEMO: bool.optional(),
    SESSION_SECRET: z.string().min(32).optional(),
    CSRF_SECRET: z.string().min(32).optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(168),
    TRUST_PROXY: bool.default(false),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD_HASH: z.string().startsWith('$argon2').optional(),
    ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
    ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
    ARGON2_PARALLELISM: z.coerce.number().int().min(1).default(1),
    LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
    LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default('Leboncours <no-reply@leboncours.local>'),
    UPLOAD_DIR: z.string().optional(),
    // Templates compiled once and kept; `npm run dev` turns it off to see edits at once.
    VIEWS_CACHE: bool.default(true),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
    DEFAULT_TIMEZONE: z.string().default('Europe/Paris'),
    MEETING_BASE_URL: z.url().default('https://meet.jit.si'),
    RUN_WORKER: bool.default(true),
    // Signs the app's own file URLs (/files/..., local storage): HMAC-SHA256 key.
    SIGNING_SECRET: z.string().min(32).optional(),
    // S3-compatible object storage for uploads; local disk (UPLOAD_DIR) when S3_BUCKET is unset.
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid bucket name').optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: z.url().optional(),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    // Stripe when both keys are set; otherwise the simulated provider (same flow, no account).
    STRIPE_SECRET_KEY: z.string().startsWith('sk_', 'must be a Stripe secret key (sk_...)').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'must be a Stripe webhook signing secret (whsec_...)').optional(),
    // Points the Stripe SDK at another server (a local fake Stripe in tests): http://127.0.0.1:12111
    STRIPE_API_URL: z.url().optional(),
    // The simulated provider lets anyone "pay" with a test card: in production only when asked for.
    PAYMENTS_SIMULATED: bool.optional(),
    PLATFORM_FEE_PERCENT: z.coerce.number().int().min(0).max(50).default(15),
    CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'is an ISO 4217 code such as EUR').default('EUR'),
    // A subscription whose renewal failed keeps its courses for this long.
    PAST_DUE_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
    // Unused package credits expire this long after the purchase.
    PACKAGE_VALIDITY_DAYS: z.coerce.number().int().min(1).max(1095).default(180),
    MAX_RESCHEDULES: z.coerce.number().int().min(0).max(20).default(3),
    // Browser apps allowed to call the API from another origin (CORS): a comma list of origins.
    FRONTEND_URL: z.string().optional().refine((v) => !v || v.split(',').every((o) => isOrigin(o.trim())), 'must be a comma list of origins such as https://app.example.com'),
    // Signs the API's access tokens (Ed25519, PKCS#8 PEM). Unset: derived from SIGNING_SECRET,
    // so instances that share that secret share the key.
    JWT_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key (-----BEGIN PRIVATE KEY-----)' }).optional(),
    ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
    REFRESH_TOKEN_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    // Requests per minute on /api/v1: per access token, and per address.
    API_RATE_PER_TOKEN: z.coerce.number().int().min(1).default(300),
    API_RATE_PER_IP: z.coerce.number().int().min(1).default(600),
    // Anonymous pages served from memory for this long (0: off); invalidated through LISTEN/NOTIFY.
    PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(3),
    PAGE_CACHE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(32),
    // How far V8 lets the heap grow past what survived the last full GC (0: V8's own choice).
    HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(50),
    // Insight events wait in memory this long before one INSERT writes them all; at most this many wait.
    INSIGHTS_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    INSIGHTS_BUFFER_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    // GET /metrics on the app's port with this bearer token; without it that path is a 404.
    METRICS_TOKEN: z.string().min(16).optional(),
    // A listener of its own (on HOST) serving /metrics without a token; 0 picks a free port.
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      const missing = env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other S3 key is set' });
    }
    // The development secrets are public (they are in this file): whatever they sign
    // (sessions, CSRF tokens, file URLs) would be forgeable on a server others can reach.
    const host = hostOf(env);
    if (!isLoopbackHost(host)) {
      for (const [key, devValue] of Object.entries(DEV_SECRETS) as [keyof typeof DEV_SECRETS, string][]) {
        // Unset in production is already refused below, with its own message.
        if (env[key] === devValue || (!env[key] && env.NODE_ENV !== 'production')) {
          ctx.addIssue({ code: 'custom', path: [key], message: `must be set to a secret of your own when HOST (${host}) is not a loopback address: the development default would sign sessions and URLs anyone can forge` });
        }
      }
      // The development admin's password is printed in the README.
      const devAdmin = env.ADMIN_PASSWORD_HASH === DEV_ADMIN.passwordHash || (env.NODE_ENV === 'development' && !(env.ADMIN_EMAIL && env.ADMIN_PASSWORD_HASH));
      if (devAdmin) {
        ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD_HASH'], message: `must be the hash of a password of your own (with ADMIN_EMAIL) when HOST (${host}) is not a loopback address: the development admin's password is public` });
      }
    }
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
      const missing = env.STRIPE_SECRET_KEY ? 'STRIPE_WEBHOOK_SECRET' : 'STRIPE_SECRET_KEY';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other Stripe key is set' });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const key of ['SESSION_SECRET', 'CSRF_SECRET', 'APP_URL', 'SIGNING_SECRET'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
    if (!env.STRIPE_SECRET_KEY && !env.PAYMENTS_SIMULATED) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_SECRET_KEY'], message: 'is required in production (with STRIPE_WEBHOOK_SECRET), or set PAYMENTS_SIMULATED=true to run the simulated provider, where anyone can pay with a test card' });
    }
    if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD_HASH) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD_HASH'], message: 'is required when ADMIN_EMAIL is set' });
    }
  });

export type Env = z.infer<typeof schema>;
export type { ApiConfig, Config, PaymentsConfig, S3Config } from './config-types.ts';

function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function apiAddress(url: string) {
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' as const : 'https' as const;
  return { host: u.hostname, port: Number(u.port || (protocol === 'http' ? 80 : 443)), protocol };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings in .env files mean "unset", not "the empty value".
  const cleaned = Object.fromEntries(Object.entries(source).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  // NAME_FILE (a mounted Docker/Kubernetes secret) becomes NAME before anything is validated.
  const secrets = readSecretFiles(cleaned);
  if (secrets.problems.length) throw new ConfigError(`Invalid configuration:\n${secrets.problems.map((p) => `  ${p}`).join('\n')}`);
  const parsed = schema.safeParse(secrets.values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    host: hostOf(env),
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL,
    databaseDirectUrl: env.DATABASE_URL ? (env.DATABASE_DIRECT_URL ?? env.DATABASE_URL) : undefined,
    databaseReadUrl: env.DATABASE_URL ? env.DATABASE_READ_URL : undefined,
    readReplicaMaxLagSeconds: env.READ_REPLICA_MAX_LAG_SECONDS,
    dataDir,
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    dbPoolMax: env.DB_POOL_MAX,
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV === 'development',
    sessionSecret: env.SESSION_SECRET ?? DEV_SECRETS.SESSION_SECRET,
    csrfSecret: env.CSRF_SECRET ?? DEV_SECRETS.CSRF_SECRET,
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    trustProxy: env.TRUST_PROXY,
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD_HASH
        ? { email: env.ADMIN_EMAIL.toLowerCase(), passwordHash: env.ADMIN_PASSWORD_HASH }
        : env.NODE_ENV === 'development' ? DEV_ADMIN : undefined,
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
    login: { maxAttempts: env.LOGIN_MAX_ATTEMPTS, windowMs: env.LOGIN_WINDOW_SECONDS * 1000 },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    uploadDir: path.resolve(env.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    logLevel: env.LOG_LEVEL,
    viewsCache: env.VIEWS_CACHE,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    defaultTimezone: env.DEFAULT_TIMEZONE,
    meetingBaseUrl: env.MEETING_BASE_URL,
    maxReschedules: env.MAX_RESCHEDULES,
    runWorker: env.RUN_WORKER,
    signingSecret: env.SIGNING_SECRET ?? DEV_SECRETS.SIGNING_SECRET,
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          endpoint: env.S3_ENDPOINT?.replace(/\/$/, ''),
          credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    payments: {
      stripe: env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, api: env.STRIPE_API_URL ? apiAddress(env.STRIPE_API_URL) : undefined }
        : undefined,
      simulatedWebhookSecret: `whsec_simulated_${env.SIGNING_SECRET ?? DEV_SECRETS.SIGNING_SECRET}`,
      platformFeePercent: env.PLATFORM_FEE_PERCENT,
      currency: env.CURRENCY,
      pastDueGraceDays: env.PAST_DUE_GRACE_DAYS,
      packageValidityDays: env.PACKAGE_VALIDITY_DAYS,
    },
    api: {
      corsOrigins: (env.FRONTEND_URL ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter(Boolean),
      jwtPrivateKey: env.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n'),
      issuer: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
      accessTokenSeconds: env.ACCESS_TOKEN_MINUTES * 60,
      refreshTokenDays: env.REFRESH_TOKEN_DAYS,
      ratePerToken: env.API_RATE_PER_TOKEN,
      ratePerIp: env.API_RATE_PER_IP,
    },
    pageCache: { ttlMs: env.PAGE_CACHE_SECONDS * 1000, maxBytes: env.PAGE_CACHE_MAX_MB * 1024 * 1024 },
    heapGrowingPercent: env.HEAP_GROWING_PERCENT,
    insightCapture: { flushMs: env.INSIGHTS_FLUSH_MS, maxEvents: env.INSIGHTS_BUFFER_MAX },
    metrics: { token: env.METRICS_TOKEN, port: env.METRICS_PORT },
  };
}
