import { redact } from '../diagnosis/redact';

// Text as it may appear on a card: secrets removed, lengths bounded, dates and sizes in one readable form.

/** A chat card carries no credential and not even an empty `sig=`: redact's markers never contain one. */
export function scrub(text: string): string {
  return redact(text);
}

/** Scrubbed, whitespace-collapsed, at most `max` code points (an ellipsis marks the cut). */
export function clip(text: string, max: number): string {
  const flat = scrub(text).replace(/\s+/g, ' ').trim();
  const points = [...flat];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : flat;
}

/**
 * A log line keeps its inner spacing (indentation and column alignment carry meaning in packer output) but loses
 * control characters and trailing blanks, and is cut to `max` code points.
 */
export function clipLine(text: string, max: number): string {
  const plain = scrub(text).replace(/\t/g, '  ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trimEnd();
  const points = [...plain];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : plain;
}

/**
 * A path or URL with zero-width break points after its separators (and inside any run of 24 characters without
 * one), so a card wraps it instead of running it off its edge. It reads the same.
 */
export function breakable(text: string): string {
  return text.replace(/([/?&=.])(?=.)/g, '$1\u200b').replace(/[^\s\u200b]{24}(?=[^\s\u200b])/g, '$&\u200b');
}

/** `2026-11-20T10:00:07Z` → `2026-11-20 10:00 UTC`; anything unparsable is shown as given (scrubbed, short). */
export function formatUtc(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return clip(value, 40);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Binary units, because that is how the tail size (1 MiB) and the caps are configured. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${shown} ${units[unit]}`;
}

/** Minutes as the service reports them (one decimal), without a trailing `.0`. */
export function formatMinutes(minutes: number): string {
  return (Math.round(minutes * 10) / 10).toString();
}

/**
 * A string someone else chose (a card verb, a typed name) as it must appear in a markdown TextBlock: the characters
 * that build links, emphasis or HTML are escaped, and a URL scheme is broken so the client does not autolink it. The
 * result reads the same; it just cannot become a bot-authored link.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*~[\]()<>]/g, (c) => `\\${c}`).replace(/:\/\//g, ':\u200b//');
}
