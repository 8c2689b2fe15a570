// Who is making the request, as every feature sees it (req.user). The users feature
// loads it (src/users/current-user.ts). The shadow admin comes from the environment
// and has no users row, so it can never be edited or deleted away; its id is the nil
// UUID so that uuid-typed scoped queries simply match nothing for it.

export const ADMIN_ID = '00000000-0000-0000-0000-000000000000';

export interface CurrentUser {
  id: string;
  role: 'student' | 'mentor' | 'admin';
  username: string;
  displayName: string;
  email: string;
  locale: 'fr' | 'en';
  timezone: string;
  avatarKey: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser;
  }
}
