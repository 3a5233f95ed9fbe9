import type { RgbaImage } from './png';

// The app's glyph, drawn from geometry so it stays sharp at both icon sizes: a stack of image layers (what AIB
// builds) under a magnifier (what the bot does to a failed build). Shapes are signed-distance functions in a unit
// square; a pixel's coverage is the share of its sub-samples that fall inside, which gives clean anti-aliasing.

type Vec = readonly [number, number];

// Module-level copies: global lookups are slow inside jest's vm sandbox, and this runs a million times per icon.
const { abs, max, min, round, sqrt } = Math;

// Plain numbers rather than point objects, for the same reason.
function segment(x: number, y: number, a: Vec, b: Vec, radius: number): number {
  const px = x - a[0];
  const py = y - a[1];
  const bx = b[0] - a[0];
  const by = b[1] - a[1];
  const t = max(0, min(1, (px * bx + py * by) / (bx * bx + by * by)));
  const dx = px - bx * t;
  const dy = py - by * t;
  return sqrt(dx * dx + dy * dy) - radius;
}

function circle(x: number, y: number, centre: Vec, radius: number): number {
  const dx = x - centre[0];
  const dy = y - centre[1];
  return sqrt(dx * dx + dy * dy) - radius;
}

function rhombus(x: number, y: number, centre: Vec, halfWidth: number, halfHeight: number): number {
  const dx = abs(x - centre[0]);
  const dy = abs(y - centre[1]);
  // Distance to the nearest edge line; exact enough away from the tips, and only the sign is sampled there.
  return ((dx / halfWidth + dy / halfHeight - 1) * halfWidth * halfHeight) / sqrt(halfWidth * halfWidth + halfHeight * halfHeight);
}

function chevron(x: number, y: number, left: Vec, tip: Vec, right: Vec, radius: number): number {
  return min(segment(x, y, left, tip, radius), segment(x, y, tip, right, radius));
}

const LENS: Vec = [0.655, 0.625];
const LENS_RADIUS = 0.175;
const RIM = 0.075;
const GAP = 0.06;
const HANDLE_FROM: Vec = [0.79, 0.76];
const HANDLE_TO: Vec = [0.9, 0.87];
const HANDLE_RADIUS = 0.055;

function layers(x: number, y: number): number {
  const top = rhombus(x, y, [0.4, 0.3], 0.31, 0.165);
  const middle = chevron(x, y, [0.1, 0.47], [0.4, 0.625], [0.7, 0.47], 0.04);
  const bottom = chevron(x, y, [0.1, 0.63], [0.4, 0.785], [0.7, 0.63], 0.04);
  return min(top, middle, bottom);
}

/** Signed distance to the glyph in unit coordinates (negative inside). */
export function glyphDistance(x: number, y: number): number {
  const handle = segment(x, y, HANDLE_FROM, HANDLE_TO, HANDLE_RADIUS);
  const lens = circle(x, y, LENS, LENS_RADIUS);
  const rim = abs(lens) - RIM / 2;
  // The layers stop short of the whole lens, plus a gap, so the magnifier reads as lying on top at 32 px.
  const lensArea = min(lens - RIM / 2, handle);
  const cutLayers = max(layers(x, y), -(lensArea - GAP));
  return min(cutLayers, rim, handle);
}

const SUBSAMPLES = 5;

interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

let glyphBounds: Bounds | undefined;

/** The glyph's drawn extent in unit coordinates, found by sampling (the shapes' union has no closed form). */
function bounds(): Bounds {
  if (!glyphBounds) {
    const steps = 400;
    const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (let j = 0; j <= steps; j++) {
      for (let i = 0; i <= steps; i++) {
        const u = i / steps;
        const v = j / steps;
        if (glyphDistance(u, v) > 0) continue;
        b.minX = min(b.minX, u);
        b.maxX = max(b.maxX, u);
        b.minY = min(b.minY, v);
        b.maxY = max(b.maxY, v);
      }
    }
    glyphBounds = b;
  }
  return glyphBounds;
}

interface Frame {
  /** Pixel position of the glyph's unit origin, and pixels per glyph unit. */
  left: number;
  top: number;
  scale: number;
}

/** Fits the glyph's extent, centred, into a square of `box` pixels whose corner is at `offset`. */
function frame(offset: number, box: number): Frame {
  const { minX, minY, maxX, maxY } = bounds();
  const scale = box / max(maxX - minX, maxY - minY);
  return {
    left: offset + (box - (maxX - minX) * scale) / 2 - minX * scale,
    top: offset + (box - (maxY - minY) * scale) / 2 - minY * scale,
    scale,
  };
}

/** Share (0..1) of the pixel at (x, y) covered by the glyph. */
function coverage(x: number, y: number, f: Frame): number {
  let inside = 0;
  for (let sy = 0; sy < SUBSAMPLES; sy++) {
    for (let sx = 0; sx < SUBSAMPLES; sx++) {
      const u = (x + (sx + 0.5) / SUBSAMPLES - f.left) / f.scale;
      const v = (y + (sy + 0.5) / SUBSAMPLES - f.top) / f.scale;
      if (glyphDistance(u, v) <= 0) inside++;
    }
  }
  return inside / (SUBSAMPLES * SUBSAMPLES);
}

/** Teams outline icon: white glyph on a fully transparent background; partial alpha only on glyph edges. */
export function drawOutlineIcon(size = 32): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  const margin = size / 16;
  const f = frame(margin, size - 2 * margin);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const alpha = round(coverage(x, y, f) * 255);
      if (alpha > 0) pixels.set([255, 255, 255, alpha], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

type Vec3 = readonly [number, number, number];
// Azure blue, lighter at the top so the tile is not a flat block next to other apps.
const TOP: Vec3 = [0x1a, 0x8c, 0xe6];
const BOTTOM: Vec3 = [0x00, 0x5a, 0xa8];

/** Teams colour icon: full-bleed blue tile, white glyph inside the central safe area. */
export function drawColorIcon(size = 192): RgbaImage {
  const pixels = new Uint8Array(size * size * 4);
  const box = size * 0.55;
  const f = frame((size - box) / 2, box);
  for (let y = 0; y < size; y++) {
    const t = y / (size - 1);
    const bg = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, f);
      const rgb = bg.map((c) => round(c + (255 - c) * a));
      pixels.set([rgb[0], rgb[1], rgb[2], 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}
