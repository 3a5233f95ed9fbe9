import { PNG } from 'pngjs';
import { CodedError } from './coded-error';

// PNG for the app icons, through pngjs: write 8-bit RGBA, and read any PNG back as 8-bit RGBA for the packaging
// checks. pngjs checks every chunk's CRC while reading; its errors are turned into typed ones here.

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, rows top to bottom, straight (not premultiplied) alpha. */
  pixels: Uint8Array;
}

export interface DecodedPng extends RgbaImage {
  /** IHDR colour type as stored in the file: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  hasAlphaChannel: boolean;
}

export type PngErrorCode = 'png-not-png' | 'png-corrupt' | 'png-unsupported';

export class PngError extends CodedError<PngErrorCode> {}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new PngError('png-corrupt', `expected ${width * height * 4} pixel bytes, got ${pixels.length}`);
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  // Fixed settings, so the same pixels always give the same bytes.
  return PNG.sync.write(png, { colorType: 6, bitDepth: 8, inputHasAlpha: true, deflateLevel: 9 });
}

function typedPngError(err: unknown): PngError {
  const message = err instanceof Error ? err.message : String(err);
  if (/signature/i.test(message)) return new PngError('png-not-png', 'not a PNG file (bad signature)');
  if (/crc/i.test(message)) return new PngError('png-corrupt', `a chunk fails its CRC check (${message})`);
  if (/unsupported|not supported/i.test(message)) return new PngError('png-unsupported', message);
  return new PngError('png-corrupt', message);
}

export function decodePng(file: Uint8Array): DecodedPng {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  // pngjs reports a short non-PNG as a stream error; a person checking an icon should read "not a PNG".
  if (buf.length < SIGNATURE.length || !buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new PngError('png-not-png', 'not a PNG file (bad signature)');
  }
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(buf);
  } catch (err) {
    // pngjs's synchronous reader hides a CRC failure behind "unrecognised content at end of stream" (the parser stops
    // and the reader finds bytes left over); reading again without the check tells the two apart.
    try {
      PNG.sync.read(buf, { checkCRC: false });
    } catch (second) {
      throw typedPngError(second);
    }
    throw new PngError('png-corrupt', 'a chunk fails its CRC check');
  }
  return {
    width: png.width,
    height: png.height,
    pixels: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
    colorType: png.colorType,
    hasAlphaChannel: png.alpha,
  };
}
