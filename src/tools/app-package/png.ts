import { deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from './crc32';

// Just enough PNG for the app icons: write 8-bit RGBA, and read back the 8-bit truecolour/greyscale files a test
// or a packaging check needs to inspect. Interlaced and palette images are refused rather than half-read.

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, rows top to bottom, straight (not premultiplied) alpha. */
  pixels: Uint8Array;
}

export interface DecodedPng extends RgbaImage {
  /** IHDR colour type as stored in the file: 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  hasAlphaChannel: boolean;
}

export type PngErrorCode = 'png-not-png' | 'png-corrupt' | 'png-unsupported';

export class PngError extends Error {
  constructor(readonly code: PngErrorCode, message: string) {
    super(message);
    this.name = 'PngError';
  }
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(head.subarray(4), data), 0);
  return Buffer.concat([head, data, tail]);
}

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new PngError('png-corrupt', `expected ${width * height * 4} pixel bytes, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  // compression, filter method and interlace stay 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter type 1 (Sub): icons are mostly flat runs, which Sub turns into zeros that deflate well.
    const out = y * (stride + 1);
    raw[out] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? pixels[y * stride + x - 4] : 0;
      raw[out + 1 + x] = (pixels[y * stride + x] - left) & 0xff;
    }
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

export function decodePng(file: Uint8Array): DecodedPng {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new PngError('png-not-png', 'not a PNG file (bad signature)');
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (offset + 12 <= buf.length && !ended) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > buf.length) throw new PngError('png-corrupt', `chunk ${type} runs past the end of the file`);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (crc32(buf.subarray(offset + 4, offset + 8), data) !== buf.readUInt32BE(offset + 8 + length)) {
      throw new PngError('png-corrupt', `chunk ${type} fails its CRC`);
    }
    if (type === 'IHDR') {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data[8],
        colorType: data[9],
        interlace: data[12],
      };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    }
    offset = end;
  }
  if (!header) throw new PngError('png-corrupt', 'no IHDR chunk');
  if (!ended) throw new PngError('png-corrupt', 'no IEND chunk');
  const channels = CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || channels === undefined || header.interlace !== 0) {
    throw new PngError(
      'png-unsupported',
      `only 8-bit, non-interlaced grey/RGB/RGBA images are read (bit depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace})`,
    );
  }
  const { width, height } = header;
  const stride = width * channels;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new PngError('png-corrupt', `image data does not inflate: ${(err as Error).message}`);
  }
  if (raw.length !== (stride + 1) * height) {
    throw new PngError('png-corrupt', `image data is ${raw.length} bytes, expected ${(stride + 1) * height}`);
  }
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: predictor = paeth(a, b, c); break;
        default: throw new PngError('png-corrupt', `row ${y} uses unknown filter type ${filter}`);
      }
      rows[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const [r, g, b, alpha] =
      channels === 4 ? [rows[s], rows[s + 1], rows[s + 2], rows[s + 3]]
      : channels === 3 ? [rows[s], rows[s + 1], rows[s + 2], 255]
      : channels === 2 ? [rows[s], rows[s], rows[s], rows[s + 1]]
      : [rows[s], rows[s], rows[s], 255];
    pixels.set([r, g, b, alpha], i * 4);
  }
  return { width, height, pixels, colorType: header.colorType, hasAlphaChannel: channels === 2 || channels === 4 };
}
