// Signs students in through the real forms, as a browser would: GET /login for the
// double-submit cookie and the token, POST /login, then one page as the signed-in user
// for the token bound to the new session (src/lib/csrf.ts).
export interface SignedIn {
  username: string;
  /** Value of the Cookie header: session + CSRF cookie. */
  cookie: string;
  /** The form token (`_csrf`) that goes with that cookie. */
  token: string;
}

const TOKEN = /id="csrf-token" data-token="([^"]+)"/;

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function tokenFrom(res: Response, what: string): Promise<string> {
  const token = TOKEN.exec(await res.text())?.[1];
  if (!token) throw new Error(`no CSRF token on ${what} (status ${res.status})`);
  return token;
}

export async function signIn(baseUrl: string, username: string, password: string): Promise<SignedIn> {
  const jar = new Jar();
  const headers = () => ({ cookie: jar.header, 'accept-language': 'fr' });
  let res = await fetch(`${baseUrl}/login`, { headers: headers() });
  jar.take(res);
  const loginToken = await tokenFrom(res, 'GET /login');
  res = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: loginToken, identifier: username, password }).toString(),
  });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  jar.take(res);
  res = await fetch(`${baseUrl}/`, { headers: headers() });
  jar.take(res);
  const token = await tokenFrom(res, 'GET / signed in');
  return { username, cookie: jar.header, token };
}

/**
 * Two at a time: the login limiter (5 attempts a minute per IP, src/auth/rate-limits.ts)
 * counts a request when it starts and forgets it only when it succeeds, so more than 5
 * sign-ins in flight from 127.0.0.1 would get 429s.
 */
export async function signInAll(baseUrl: string, usernames: string[], password: string, concurrency = 2): Promise<SignedIn[]> {
  const out: SignedIn[] = new Array(usernames.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, usernames.length) }, async () => {
      while (next < usernames.length) {
        const i = next++;
        out[i] = await signIn(baseUrl, usernames[i]!, password);
      }
    }),
  );
  return out;
}
