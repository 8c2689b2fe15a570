import argon2 from 'argon2';
import type { Config } from '../config.ts';

export interface Passwords {
  hash(plain: string): Promise<string>;
  verify(hash: string, plain: string): Promise<boolean>;
}

// argon2id with the cost from config: OWASP's minimum (19 MiB, t=2) by default,
// cheap parameters in tests. verify() reads the parameters from the hash itself.
export function createPasswords(options: Config['argon2']): Passwords {
  return {
    hash: (plain) => argon2.hash(plain, { type: argon2.argon2id, ...options }),
    verify: async (hash, plain) => {
      try {
        return await argon2.verify(hash, plain);
      } catch {
        return false; // a malformed stored hash never logs anyone in
      }
    },
  };
}
