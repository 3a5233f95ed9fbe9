import { createHash } from 'node:crypto';

// The generator's only source of variety: a seeded PRNG, so the same seed always gives the same bytes (a scenario's
// log is identical on every sandbox start; a benchmark log is identical on every run).

export type Rng = () => number;

// mulberry32: tiny, fast and good enough for picking templates; the point is determinism, not quality.
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
export const hex = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng() * 16)];
  return s;
};
export const alnum = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rng() * 36)];
  return s;
};
export const guid = (rng: Rng): string =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
export const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** mulberry32 seeded from a string (its SHA-256), for scenario logs keyed by template name and run id. */
export function seededRandom(seed: string): Rng {
  return mulberry32(createHash('sha256').update(seed).digest().readUInt32LE(0));
}
