// No Docker engine runs where the tests do, so `docker compose config` cannot check the
// deployment files: this reads them instead. docker-compose.yml against the app's own
// production validation (a setting config.ts starts to require and compose lacks fails
// here), deploy/haproxy.cfg through `haproxy -c`, the Dockerfile and .dockerignore.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  restart?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  secrets?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: unknown; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
// Dockerfile instructions with their continuation lines joined; `runtime` is the last stage.
const instructions = read('Dockerfile').replace(/\\\n/g, ' ').split('\n').filter((l) => /^[A-Z]+\s/.test(l));
const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
/** The runtime stage's ENV: what every container starts with, before compose's environment. */
const imageEnv = Object.fromEntries(runtime.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.slice(4).matchAll(/([A-Z0-9_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
const services = Object.entries(compose.services);
/** Services something waits on to have exited successfully: the one-shot jobs. */
const oneShots = new Set(services.flatMap(([, s]) => Object.entries(dependsOn(s)).filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name)));
/** The long-running services built from this repository: the app replicas. */
const appServices = services.filter(([name, s]) => s.build !== undefined && !oneShots.has(name));

function dependsOn(service: Service): Record<string, { condition?: string }> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps;
}

// Values for `${X:?message}` (the operator must set X): plausible for what X is.
const REQUIRED_SAMPLES: Record<string, string> = { APP_URL: 'https://leboncours.example' };
const SECRET_SAMPLES: Record<string, string> = { database_url: 'postgres://leboncours:pw@db:5432/leboncours\n' };

/** Compose's interpolation: ${X:-default}, ${X-default}, ${X:?err}, ${X?err}, ${X}, $$. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*)|:?\?[^}]*)?\}/g, (whole, name: string, fallback: string | undefined) => {
      if (fallback !== undefined) return fallback;
      if (/:?\?/.test(whole)) return REQUIRED_SAMPLES[name] ?? `sample-${name.toLowerCase()}-0123456789abcdef0123456789`;
      return ''; // unset on the operator's side
    })
    .replace(/\$\$/g, '$');
}

const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-secrets-'));
afterAll(() => fs.rmSync(secretDir, { recursive: true, force: true }));

/** The environment a service's process sees, with /run/secrets/* files stood in for by real ones. */
function processEnv(service: Service): Record<string, string> {
  const env: Record<string, string> = { ...imageEnv, ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''))])) };
  for (const [key, value] of Object.entries(env)) {
    const secret = /^\/run\/secrets\/(.+)$/.exec(value)?.[1];
    if (!key.endsWith('_FILE') || !secret) continue;
    expect(service.secrets, `${key} reads secret ${secret}, which the service must mount`).toContain(secret);
    const file = path.join(secretDir, secret);
    fs.writeFileSync(file, SECRET_SAMPLES[secret] ?? `${secret}-${'f'.repeat(48)}\n`);
    env[key] = file;
  }
  return env;
}

describe('docker-compose.yml', () => {
  it('has the services of the production-like stack, two app replicas among them', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['db', 'migrate', 'haproxy', 'mailpit']));
    expect(appServices.map(([name]) => name)).toHaveLength(2);
    expect(compose.services.db?.image).toMatch(/^postgres:18/);
    expect(oneShots).toEqual(new Set(['migrate']));
    expect(compose.services.migrate?.command).toEqual(['node', 'dist/cli.js', 'migrate']);
    expect(compose.services.migrate?.restart).toBe('no');
  });

  it('gives every long-running service a healthcheck, and waits on each dependency through a condition', () => {
    for (const [name, service] of services) {
      if (oneShots.has(name)) continue;
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeTruthy();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
    for (const [name, service] of services) {
      for (const [dep, { condition }] of Object.entries(dependsOn(service))) {
        expect(compose.services[dep], `${name} depends on unknown ${dep}`).toBeDefined();
        expect(condition, `${name} → ${dep}`).toBe(oneShots.has(dep) ? 'service_completed_successfully' : 'service_healthy');
      }
    }
    for (const [name, service] of appServices) {
      expect(Object.keys(dependsOn(service)), name).toEqual(expect.arrayContaining(['db', 'migrate']));
    }
  });

  it('gives the app replicas and the migration every setting production requires, as config.ts validates it', () => {
    for (const [name, service] of [...appServices, ['migrate', compose.services.migrate!] as const]) {
      const env = processEnv(service);
      expect(env.NODE_ENV, name).toBe('production');
      const config = loadConfig(env); // throws a ConfigError naming what is missing
      expect(config.isProduction).toBe(true);
      expect(config.databaseUrl, `${name} must use the db service, not an embedded PostgreSQL`).toBe('postgres://leboncours:pw@db:5432/leboncours');
      expect(config.trustProxy, `${name} runs behind HAProxy`).toBe(true);
      expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
      expect(config.sessionSecret).toBe(`session_secret-${'f'.repeat(48)}`);
    }
  });

  it('would fail if compose dropped a setting production requires (the check above can fail)', () => {
    const [, app] = appServices[0]!;
    const env = processEnv(app);
    const required = Object.keys(app.environment ?? {}).filter((key) => {
      const { [key]: _dropped, ...rest } = env;
      try {
        loadConfig(rest);
        return false;
      } catch {
        return true;
      }
    });
    expect(required).toEqual(expect.arrayContaining(['APP_URL', 'SESSION_SECRET_FILE', 'CSRF_SECRET_FILE', 'SIGNING_SECRET_FILE', 'PAYMENTS_SIMULATED']));
  });

  it('mounts secrets from files that deploy/make-secrets.sh writes', () => {
    const script = read('deploy/make-secrets.sh');
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
      expect(secret.file, name).toBe(`./deploy/secrets/${name}`);
      expect(script, `make-secrets.sh writes ${name}`).toContain(name);
    }
    // The generated files are never committed.
    expect(read('deploy/secrets/.gitignore').split('\n')).toContain('*');
  });
});

describe('deploy/haproxy.cfg', () => {
  const haproxy = compose.services.haproxy!;
  const mount = haproxy.volumes?.find((v) => v.includes('haproxy.cfg'));
  const cfgPath = path.join(ROOT, mount?.split(':')[0] ?? 'missing');

  it('is the file the haproxy service mounts, checks /readyz, redispatches and retries', () => {
    expect(mount).toMatch(/^\.\/deploy\/haproxy\.cfg:\/usr\/local\/etc\/haproxy\/haproxy\.cfg/);
    const cfg = fs.readFileSync(cfgPath, 'utf8');
    expect(cfg).toMatch(/http-check send meth GET uri \/readyz/);
    expect(cfg).toMatch(/^\s*option redispatch/m);
    expect(cfg).toMatch(/^\s*retry-on /m);
    // Only idempotent requests are retried past a connection failure.
    expect(cfg).toMatch(/disable-l7-retry unless METH_GET \|\| METH_HEAD \|\| METH_OPTIONS \|\| \{ req\.hdr\(idempotency-key\) -m found \}/);
    // One server line per app replica, on the port the replicas listen on.
    const servers = [...cfg.matchAll(/^\s*server (\S+) (\S+):(\d+)/gm)].map((m) => [m[2], m[3]]);
    expect(servers).toEqual(appServices.map(([name, s]) => [name, String(s.environment?.PORT)]));
    expect(Object.keys(dependsOn(haproxy)).sort()).toEqual(appServices.map(([name]) => name).sort());
  });

  it('is accepted by `haproxy -c`, with the certificate the haproxy service mounts', () => {
    const cfg = fs.readFileSync(cfgPath, 'utf8');
    const certs = [...cfg.matchAll(/ crt \/run\/secrets\/(\S+)/g)].map((m) => m[1]!);
    expect(certs).toEqual(['tls_cert']);
    for (const cert of certs) expect(haproxy.secrets, `haproxy mounts ${cert}`).toContain(cert);

    const binary = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy'].find((b) => fs.existsSync(b));
    const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((b) => fs.existsSync(b));
    if (!binary || !openssl) {
      // CI installs haproxy (.ci/run): missing there is a failure. A developer without it
      // still gets the structural checks above.
      expect(process.env.CI, 'haproxy or openssl is not installed (apt-get install haproxy openssl)').toBeFalsy();
      console.warn('haproxy or openssl not installed: `haproxy -c` not run on deploy/haproxy.cfg');
      return;
    }
    // A throw-away certificate where /run/secrets/ would hold the real one.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haproxy-check-'));
    try {
      const key = path.join(dir, 'key.pem');
      const crt = path.join(dir, 'crt.pem');
      execFileSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', crt], { stdio: 'ignore' });
      fs.writeFileSync(path.join(dir, 'tls_cert'), fs.readFileSync(crt, 'utf8') + fs.readFileSync(key, 'utf8'));
      const checked = path.join(dir, 'haproxy.cfg');
      fs.writeFileSync(checked, cfg.replaceAll('/run/secrets/', `${dir}/`));
      // The replicas' names resolve only inside compose's network; init-addr none lets the check pass without them.
      const output = execFileSync(binary, ['-c', '-f', checked], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(output).toMatch(/Configuration file is valid/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  it('runs Node 24 LTS in production mode, without optional dependencies, as a non-root user', () => {
    expect(imageEnv).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000' });
    // Every stage builds on Node 24's image, except the runtime: distroless Debian 12 with that image's node binary.
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    for (const from of froms.slice(0, -1)) expect(from).toMatch(/^FROM (node:24-bookworm-slim|toolchain)\b/);
    expect(froms.at(-1)).toMatch(/^FROM gcr\.io\/distroless\/cc-debian12:nonroot AS runtime$/);
    expect(runtime.some((l) => /^COPY --from=modules \S+ \/usr\/local\/bin\/node$/.test(l))).toBe(true);
    expect(instructions.some((l) => /npm ci --omit=dev --omit=optional/.test(l))).toBe(true);
    expect(runtime.find((l) => l.startsWith('USER '))).toBe('USER nonroot');
    expect(runtime.find((l) => l.startsWith('CMD '))).toBe('CMD ["node", "dist/server.js"]');
    expect(runtime.find((l) => l.startsWith('EXPOSE '))).toMatch(/^EXPOSE 3000/);
  });

  it('checks health on $PORT, not a fixed port', () => {
    const healthcheck = runtime.find((l) => l.startsWith('HEALTHCHECK '));
    // Exec form (the distroless runtime has no shell to expand $PORT): node reads PORT itself.
    const exec = /CMD (\[.*\])$/.exec(healthcheck ?? '')?.[1];
    expect(exec, 'exec-form HEALTHCHECK').toBeDefined();
    const [bin, flag, script] = JSON.parse(exec!) as string[];
    expect([bin, flag]).toEqual(['node', '-e']);
    expect(script).toContain('process.env.PORT');
    expect(script).not.toMatch(/:3000\b/);
    // Compose overrides the cadence only: the same check, also in exec form.
    for (const [name, s] of appServices) expect(s.healthcheck?.test, name).toEqual(['CMD', 'node', '-e', script]);
  });

  it('keeps local modules, data and build output out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.data', 'dist', '.git', 'bench/results', 'coverage', '.env', 'deploy/secrets']) expect(ignored, entry).toContain(entry);
  });
});
