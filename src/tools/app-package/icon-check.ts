import { decodePng, PngError } from './png';

// What Teams requires of the two icons: a 192×192 colour PNG, and a 32×32 outline PNG that is white on a
// transparent background. Checked on the bytes that go into the zip, not on the drawing code.

export interface IconSpec {
  file: string;
  size: number;
  /** Outline icons: every visible pixel white, the rest fully transparent. */
  whiteOnTransparent: boolean;
}

export const ICONS: readonly IconSpec[] = [
  { file: 'color.png', size: 192, whiteOnTransparent: false },
  { file: 'outline.png', size: 32, whiteOnTransparent: true },
];

export function iconProblems(spec: IconSpec, png: Uint8Array): string[] {
  let image;
  try {
    image = decodePng(png);
  } catch (err) {
    if (err instanceof PngError) return [`${spec.file}: ${err.message}`];
    throw err;
  }
  const problems: string[] = [];
  if (image.width !== spec.size || image.height !== spec.size) {
    problems.push(`${spec.file} is ${image.width}x${image.height}, Teams needs ${spec.size}x${spec.size}`);
  }
  if (spec.whiteOnTransparent) {
    if (!image.hasAlphaChannel) problems.push(`${spec.file} has no alpha channel, so its background cannot be transparent`);
    let visible = 0;
    let coloured = 0;
    for (let i = 0; i < image.pixels.length; i += 4) {
      const [r, g, b, a] = image.pixels.subarray(i, i + 4);
      if (a === 0) continue;
      visible++;
      if (r !== 255 || g !== 255 || b !== 255) coloured++;
    }
    if (coloured > 0) problems.push(`${spec.file} has ${coloured} visible pixels that are not white`);
    if (visible === 0) problems.push(`${spec.file} is fully transparent: no glyph`);
    const corners = [0, spec.size - 1, spec.size * (spec.size - 1), spec.size * spec.size - 1];
    if (image.width === spec.size && corners.some((p) => image.pixels[p * 4 + 3] !== 0)) {
      problems.push(`${spec.file} has an opaque corner: the background must be transparent`);
    }
  } else {
    const distinct = new Set<number>();
    for (let i = 0; i < image.pixels.length && distinct.size < 2; i += 4) {
      distinct.add(Buffer.from(image.pixels.subarray(i, i + 4)).readUInt32BE(0));
    }
    if (distinct.size < 2) problems.push(`${spec.file} is a single flat colour: no glyph`);
  }
  return problems;
}
