// The profile photo in the public API. The upload is multipart, which the operation
// helper does not parse (it reads JSON): this route is registered and documented by
// hand, with the same guard, the same upload limits and the same users service as
// the profile page.
import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import type { Translate } from '../i18n/index.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { Problem, z } from '../lib/api/openapi.ts';
import type { CurrentUser } from '../lib/current-user.ts';
import { ForbiddenError, PayloadTooLargeError, UnauthorizedError, ValidationError } from '../lib/errors.ts';
import { singleUpload } from '../lib/uploads.ts';
import { Me, meView } from './api-views.ts';
import type { User } from './model.ts';
import { AVATAR_MAX_BYTES, AvatarRejectedError } from './service.ts';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });

export function meAvatarApi(deps: Deps, api: ApiBuilder, own: (user: CurrentUser | undefined) => Promise<User>): void {
  const { users } = deps.services;
  const appUrl = deps.config.appUrl;
  // The parser only: the API's access layer has already checked CSRF for a cookie
  // session (from the X-CSRF-Token header) and needs none for a bearer token.
  const [parseAvatar] = singleUpload('avatar', AVATAR_MAX_BYTES) as [RequestHandler];
  // Before the body is read: nobody uploads 2 MB without an account.
  const profileOwner: RequestHandler = (req, _res, next) => {
    if (!req.user) return next(new UnauthorizedError());
    if (req.user.role === 'admin') return next(new ForbiddenError());
    next();
  };

  api.router.put('/me/avatar', profileOwner, parseAvatar, async (req, res) => {
    const record = await own(req.user);
    const t = res.locals.t as Translate;
    if (req.uploadError === 'tooLarge') throw new PayloadTooLargeError('users.avatar.tooLarge');
    try {
      await users.replaceAvatar(record.id, req.file);
    } catch (error) {
      // The service names its field `image`; this operation's field is `avatar`.
      if (error instanceof AvatarRejectedError) throw new ValidationError({ avatar: t(error.messageKey, error.params) });
      throw error;
    }
    res.set('Cache-Control', 'no-store').json(meView(await own(req.user), appUrl));
  });
  api.registry.registerPath({
    method: 'put', path: '/me/avatar', operationId: 'uploadAvatar', tags: ['Auth'],
    summary: 'Replace the profile photo',
    description: `A PNG, JPEG or WebP of at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB in the multipart field \`avatar\` (the type is read from the bytes).`,
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    request: { body: { required: true, content: { 'multipart/form-data': { schema: z.object({ avatar: z.string().openapi({ format: 'binary' }) }) } } } },
    responses: {
      200: { description: 'The profile with its new photo', content: { 'application/json': { schema: Me } } },
      401: problem('Not signed in, or the token expired'), 403: problem('Not allowed for this account'),
      413: problem('The file is over the limit'), 422: problem('Not an image we take (errors[] names `avatar`)'), 429: problem('Too many requests'),
    },
  });

  api.operation({
    method: 'delete', path: '/me/avatar', operationId: 'deleteAvatar', tags: ['Auth'], access: ['student', 'mentor'],
    summary: 'Remove the profile photo',
    responses: { 200: { description: 'The profile without a photo', schema: Me } },
    async handler({ user }) {
      const record = await own(user);
      await users.removeAvatar(record.id);
      return { body: meView(await own(user), appUrl) };
    },
  });
}
