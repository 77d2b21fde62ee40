// `npx tsx cube/server/hash-password.ts`: reads a password from stdin and prints the hash for config/users.yml.
import { readFileSync } from 'node:fs';
import { hashPassword } from './passwords.ts';

const password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
if (password.length < 8) {
  console.error('use a password of at least 8 characters');
  process.exit(1);
}
console.log(hashPassword(password));
