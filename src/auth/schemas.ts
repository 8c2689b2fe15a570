import { z } from 'zod';

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const password = z.string().min(10, { error: 'auth.passwordTooShort' }).max(128);

export const registerSchema = z.object({
  role: z.enum(['student', 'mentor']),
  displayName: z.string().trim().min(2).max(80),
  email,
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{3,30}$/, { error: 'auth.usernameFormat' }),
  password,
  next: z.string().optional(),
});

export const loginSchema = z.object({
  identifier: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(128),
  next: z.string().optional(),
});

export const forgotSchema = z.object({ email });

export const resetSchema = z
  .object({ password, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], error: 'auth.passwordsDiffer' });

export type RegisterInput = z.infer<typeof registerSchema>;
