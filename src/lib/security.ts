// Strict Content-Security-Policy with a per-request nonce: no inline script or
// style runs unless the server put the nonce on it, and nothing uses eval.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import { s3MediaOrigin } from './s3-storage.ts';

export function nonce(): RequestHandler {
  return (_req, res, next) => {
    res.locals.nonce = crypto.randomBytes(16).toString('base64');
    next();
  };
}

/**
 * Where a form may lead: our pages, and with Stripe its hosted pages, because a form
 * post that redirects to Checkout, the billing portal or Connect onboarding is held to
 * form-action by the browser.
 */
function formTargets(config: Pick<Config, 'payments'>): string[] {
  const stripe = config.payments.stripe;
  if (!stripe) return [];
  const hosted = ['https://checkout.stripe.com', 'https://billing.stripe.com', 'https://connect.stripe.com'];
  return stripe.api ? [...hosted, `${stripe.api.protocol}://${stripe.api.host}:${stripe.api.port}`] : hosted;
}

export function securityHeaders(config: Pick<Config, 'isProduction' | 's3' | 'payments'>): RequestHandler {
  // With S3 storage, signed video and file URLs point at the bucket's origin.
  const media = config.s3 ? [s3MediaOrigin(config.s3)] : [];
  const withNonce = (_req: unknown, res: unknown) => `'nonce-${(res as { locals: { nonce: string } }).locals.nonce}'`;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", withNonce],
        styleSrc: ["'self'", withNonce],
        styleSrcAttr: ["'none'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:', ...media],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'", ...formTargets(config)],
        ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS over plain http in development would pin localhost to https.
    strictTransportSecurity: config.isProduction,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
