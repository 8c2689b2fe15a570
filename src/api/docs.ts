// The contract, readable: /api/v1/openapi.json (generated once from the registered
// operations) and Swagger UI at /swagger-ui, its assets served from swagger-ui-dist
// (no CDN) under a CSP of its own: Swagger UI sets inline styles, which the app's
// pages never may.
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { Router, type RequestHandler } from 'express';
import { buildDocument, type ApiRegistry } from '../lib/api/openapi.ts';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

const SWAGGER_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Leboncours API · Swagger UI</title>
  <link rel="icon" href="/swagger-ui/favicon-32x32.png">
  <link rel="stylesheet" href="/swagger-ui/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="/swagger-ui/swagger-ui-bundle.js" defer></script>
  <script src="/swagger-ui/swagger-ui-standalone-preset.js" defer></script>
  <script src="/js/swagger-init.js" defer></script>
</body>
</html>`;

const withSwaggerCsp: RequestHandler = (_req, res, next) => {
  res.set('Content-Security-Policy', SWAGGER_CSP);
  next();
};

export function apiDocsRoutes(registry: ApiRegistry): Router {
  const router = Router();
  let document: string | undefined;
  router.get('/api/v1/openapi.json', (_req, res) => {
    document ??= JSON.stringify(buildDocument(registry));
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(document);
  });
  router.get('/swagger-ui', withSwaggerCsp, (_req, res) => { res.type('html').send(PAGE); });
  const assets = express.static(SWAGGER_DIR, { index: false, maxAge: '1d' });
  router.use('/swagger-ui', withSwaggerCsp, (req, res, next) => (SWAGGER_FILES.has(req.path.slice(1)) ? assets(req, res, next) : next()));
  return router;
}
