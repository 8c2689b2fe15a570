// `npm run hash-password -- 'the password'` prints an argon2id hash for ADMIN_PASSWORD_HASH.
import { loadConfig } from '../config.ts';
import { createPasswords } from '../lib/passwords.ts';

const plain = process.argv[2];
if (!plain || plain.length < 10) {
  console.error('usage: npm run hash-password -- "a password of 10 characters or more"');
  process.exit(1);
}
console.log(await createPasswords(loadConfig().argon2).hash(plain));
