import { crc32 } from 'node:zlib';
import { deflateSync, unzipSync, zipSync, type Zippable } from 'fflate';
import { CodedError } from './coded-error';

// The Teams app package as a ZIP, written by fflate, and the reader the tests use to open it. Entries carry a fixed
// 1980-01-01 timestamp so the same inputs always give the same bytes: a rebuilt package can be compared with the
// last one, and nothing about the build machine leaks into it.

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export type ZipErrorCode = 'zip-bad-name' | 'zip-corrupt' | 'zip-unsupported';

export class ZipError extends CodedError<ZipErrorCode> {}

const LEVEL = 9;
/** The earliest date a ZIP entry can hold, in local time because that is how fflate turns it into DOS fields. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;

function checkName(name: string): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new ZipError('zip-bad-name', `refusing zip entry name "${name}"`);
  }
}

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const files: Zippable = {};
  for (const entry of entries) {
    checkName(entry.name);
    if (Object.prototype.hasOwnProperty.call(files, entry.name)) throw new ZipError('zip-bad-name', `duplicate zip entry "${entry.name}"`);
    if (entry.data.length > 0xfffffffe) throw new ZipError('zip-unsupported', 'entries over 4 GiB need zip64');
    // Already-compressed data (PNG) can grow under deflate; store it then.
    const level = deflateSync(entry.data, { level: LEVEL }).length < entry.data.length ? LEVEL : 0;
    files[entry.name] = [entry.data, { level, mtime: FIXED_MTIME }];
  }
  const zip = zipSync(files, { level: LEVEL, mtime: FIXED_MTIME });
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** CRC-32 of each entry as its central directory records it; fflate's reader does not check them. */
function recordedCrcs(buf: Buffer): Map<string, number> {
  let endAt = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_SIG) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw new ZipError('zip-corrupt', 'no end-of-central-directory record');
  const crcs = new Map<string, number>();
  let at = buf.readUInt32LE(endAt + 16);
  for (let n = buf.readUInt16LE(endAt + 10); n > 0; n--) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL_SIG) throw new ZipError('zip-corrupt', 'a central directory entry is missing');
    if (buf.readUInt16LE(at + 8) & 0x0001) throw new ZipError('zip-unsupported', 'the archive has encrypted entries');
    const nameLength = buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    crcs.set(name, buf.readUInt32LE(at + 16));
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return crcs;
}

/** Reads every entry, in archive order, checking each one's CRC. */
export function readZip(file: Uint8Array): ZipEntry[] {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const crcs = recordedCrcs(buf);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(buf);
  } catch (err) {
    throw new ZipError('zip-corrupt', `the archive does not unpack: ${(err as Error).message}`);
  }
  return Object.entries(files).map(([name, data]) => {
    if (crc32(data) !== crcs.get(name)) throw new ZipError('zip-corrupt', `${name}: CRC mismatch`);
    return { name, data };
  });
}
