import type { DistributionFacts } from '../diagnosis';
import { t, type Locale } from '../i18n';
import { clip } from './text';

// A failed distribution in words, for the diagnosis card and the CLI's text output: each target that did not
// publish and why, then per gallery version the regions that failed (with Azure's reason), the regions still
// replicating, or that replication finished after Image Builder stopped waiting. Bounded: Azure's texts are
// stranger-controlled as far as the card is concerned.

const NAME_CHARS = 80;
const REASON_CHARS = 300;
const MAX_REGIONS = 12;

export function distributionLines(d: DistributionFacts, locale: Locale): string[] {
  const lines: string[] = [];
  for (const target of d.failedTargets.slice(0, MAX_REGIONS)) {
    const name = clip(target.runOutputName, NAME_CHARS);
    lines.push(
      target.reason
        ? t(locale, 'distribution.failedTarget', { name, reason: clip(target.reason, REASON_CHARS) })
        : t(locale, 'distribution.failedTargetNoReason', { name }),
    );
  }
  for (const g of d.galleries) {
    const version = clip(g.version, NAME_CHARS);
    for (const r of g.failedRegions.slice(0, MAX_REGIONS)) {
      lines.push(t(locale, 'distribution.regionFailed', { version, region: clip(r.region, NAME_CHARS), details: clip(r.details ?? '?', REASON_CHARS) }));
    }
    if (g.replicatingRegions.length) {
      const regions = g.replicatingRegions
        .slice(0, MAX_REGIONS)
        .map((r) => (r.progress !== undefined ? `${clip(r.region, NAME_CHARS)} (${Math.round(r.progress)} %)` : clip(r.region, NAME_CHARS)))
        .join(', ');
      lines.push(t(locale, 'distribution.replicating', { version, regions }));
    }
    if (g.finishedAfterImageBuilderStopped) lines.push(t(locale, 'distribution.finishedLate', { version }));
  }
  return lines;
}
