// Cross-site requests are refused before the CSRF token is even read: browsers say
// where a request comes from (Sec-Fetch-Site, Origin), and no page of another site
// has any business changing state here. Clients that send neither header (curl, old
// browsers, supertest) fall through to the token check, which still applies to all.
import type { Request } from 'express';
import type { Config } from '../config.ts';

export function crossSiteDetector(config: Pick<Config, 'appUrl'>): (req: Request) => boolean {
  const appOrigin = new URL(config.appUrl).origin;
  return (req) => {
    if (req.get('sec-fetch-site') === 'cross-site') return true;
    const origin = req.get('origin');
    if (origin === undefined) return false;
    // The request's own host covers a server reached by another name than APP_URL (a LAN address in development).
    const ownOrigin = `${req.protocol}://${req.get('host') ?? ''}`;
    return origin !== appOrigin && origin !== ownOrigin; // "null" (sandboxed frames, privacy redirects) included
  };
}
