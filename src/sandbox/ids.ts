import { createHash, randomUUID } from 'node:crypto';

// Seeded objects get ids derived from their names, so the demo world looks the same on every start and a
// screenshot of yesterday's run still matches today's. Objects created while running get random ids.

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** A version-4-shaped GUID derived from `seed`. */
export function stableGuid(seed: string): string {
  const b = Buffer.from(digest(seed).subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function newGuid(): string {
  return randomUUID();
}

const ACCOUNT_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A 24-character lowercase storage account name, like the random ones AIB creates in a staging group. */
export function stableAccountName(seed: string): string {
  const bytes = Buffer.concat([digest(`account:${seed}`), digest(`account2:${seed}`)]);
  let name = ACCOUNT_ALPHABET[bytes[0] % 26]; // must start with a letter
  for (let i = 1; i < 24; i++) name += ACCOUNT_ALPHABET[bytes[i] % ACCOUNT_ALPHABET.length];
  return name;
}
