import { ArmError } from './arm-errors';

// nextLink paging: `$top` sets the page size (10 by default, as the emulator's contract says), `$skiptoken`
// carries the offset. The token is opaque to callers; base64url keeps it from looking like a number to tweak.

const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

export function pageOf<T>(items: T[], url: URL, base: string): { value: T[]; nextLink?: string } {
  const topRaw = url.searchParams.get('$top');
  let top = DEFAULT_PAGE;
  if (topRaw !== null) {
    top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) {
      throw new ArmError(400, 'InvalidParameter', `The value '${topRaw}' of $top is invalid: use a whole number from 1 to ${MAX_PAGE}.`);
    }
  }
  const token = url.searchParams.get('$skiptoken');
  let offset = 0;
  if (token !== null) {
    offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(offset) || offset < 0) throw new ArmError(400, 'InvalidSkipToken', 'The $skiptoken is invalid or expired.');
  }
  const value = items.slice(offset, offset + top);
  if (offset + top >= items.length) return { value };
  const next = new URL(url.pathname, base);
  next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
  if (topRaw !== null) next.searchParams.set('$top', String(top));
  next.searchParams.set('$skiptoken', Buffer.from(`offset:${offset + top}`).toString('base64url'));
  return { value, nextLink: next.toString() };
}
