// Lesson videos and resource downloads. Private files never pass
// through a page: the browser gets a URL valid five minutes (SECURE_URL_TTL_SECONDS),
// made by the storage (a presigned S3 URL, or a signed /files URL on local disk).
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import { SECURE_URL_TTL_SECONDS } from '../lib/signed-urls.ts';
import { accessError, canDownloadResource } from './access.ts';

export function courseMediaHandlers(deps: Deps) {
  const access = { knex: deps.knex, subscriptions: deps.services.subscriptions };

  const downloadResource: RequestHandler = async (req, res) => {
    const decision = await canDownloadResource(access, req.user, String(req.params.id));
    if (typeof decision === 'string') throw accessError(decision);
    const { resource } = decision;
    const url = await deps.storage.url(resource.fileKey, {
      expiresInSeconds: SECURE_URL_TTL_SECONDS,
      downloadName: resource.title,
      contentType: resource.contentType,
    });
    res.set('Cache-Control', 'no-store').redirect(302, url);
  };

  return { downloadResource };
}
