// `30s`, `10m`, `2h`, `1d`, `1h30m`: the durations people type after `mute … for` and pass to `--window`.

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+[smhd])+$/;
const PART = /(\d+)([smhd])/g;

/** Milliseconds, or undefined for anything that is not a positive duration in those units. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!WHOLE.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}
