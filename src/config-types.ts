// The shape of the settings src/config.ts parses: what the rest of the app may read.
import type { Env } from './config.ts';

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  appUrl: string;
  databaseUrl: string | undefined;
  /** Session-level connections (LISTEN, graphile-worker, migrations); DATABASE_URL unless set. */
  databaseDirectUrl: string | undefined;
  /** The read replica for anonymous catalogue reads, when there is one. */
  databaseReadUrl: string | undefined;
  readReplicaMaxLagSeconds: number;
  dataDir: string;
  embeddedPgPort: number;
  dbPoolMax: number;
  seedDemo: boolean;
  sessionSecret: string;
  csrfSecret: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  trustProxy: boolean;
  admin: { email: string; passwordHash: string } | undefined;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  login: { maxAttempts: number; windowMs: number };
  mail: { smtpUrl: string | undefined; from: string };
  uploadDir: string;
  logLevel: Env['LOG_LEVEL'];
  viewsCache: boolean;
  requestTimeoutMs: number;
  defaultTimezone: string;
  meetingBaseUrl: string;
  /** How often one booking may be moved to a new time. */
  maxReschedules: number;
  runWorker: boolean;
  signingSecret: string;
  /** Object storage; undefined means local disk under uploadDir. */
  s3: S3Config | undefined;
  payments: PaymentsConfig;
  api: ApiConfig;
  /** The anonymous page micro-cache; ttlMs 0 turns it off. */
  pageCache: { ttlMs: number; maxBytes: number };
  heapGrowingPercent: number;
  /** The page-funnel events' in-memory buffer: written every flushMs, at most maxEvents waiting (more are dropped). */
  insightCapture: { flushMs: number; maxEvents: number };
  /** Prometheus: /metrics on the app's port behind `token`, and/or on a listener of its own at `port`. */
  metrics: { token: string | undefined; port: number | undefined };
}

export interface ApiConfig {
  /** Origins that get CORS headers (credentials included); nobody else does. */
  corsOrigins: string[];
  /** PEM of the Ed25519 signing key, or undefined: derived from signingSecret. */
  jwtPrivateKey: string | undefined;
  issuer: string;
  accessTokenSeconds: number;
  refreshTokenDays: number;
  ratePerToken: number;
  ratePerIp: number;
}

export interface PaymentsConfig {
  /** Stripe's keys; undefined means the simulated provider. */
  stripe: { secretKey: string; webhookSecret: string; api: { host: string; port: number; protocol: 'http' | 'https' } | undefined } | undefined;
  /** Signs the simulated provider's webhooks, the way Stripe signs its own. */
  simulatedWebhookSecret: string;
  platformFeePercent: number;
  currency: string;
  pastDueGraceDays: number;
  packageValidityDays: number;
}

export interface S3Config {
  bucket: string;
  region: string;
  /** S3-compatible server (MinIO, R2...); undefined means AWS. */
  endpoint: string | undefined;
  /** Explicit keys; undefined means the SDK's default chain (environment, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}
