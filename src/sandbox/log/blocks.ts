// A customizer's output in three parts, so a synthesized log can cut the middle of the last one that fits its size.

/** A customizer's output split so the middle can be cut when the byte budget is nearly spent. */
export interface Block {
  head: string[];
  body: string[];
  tail: string[];
}

export const byteLength = (lines: readonly string[]): number => lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);

/** Trims a block's body so the whole block fits `room` bytes; null when even head and tail do not fit. */
export function fitBlock(block: Block, room: number): string[] | null {
  const fixed = byteLength(block.head) + byteLength(block.tail);
  if (fixed > room) return null;
  let budget = room - fixed;
  const body: string[] = [];
  for (const l of block.body) {
    const n = Buffer.byteLength(l) + 1;
    if (n > budget) break;
    body.push(l);
    budget -= n;
  }
  return [...block.head, ...body, ...block.tail];
}
