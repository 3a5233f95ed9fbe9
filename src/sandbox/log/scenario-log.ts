import { scenarioConnect, scenarioHeader } from './build-vm';
import { endCustomizer, fillCustomizer, startCustomizer } from './customizers';
import { cleanupAfterFailure } from './failure';
import { linuxScenarioDeprovision } from './linux';
import { LogWriter, type LogContext } from './packer-lines';
import { seededRandom } from './random';
import { scenarioCapture, scenarioTrailer } from './summary';
import type { LogLine, LogSpec, Os } from './types';
import { windowsScenarioDeprovision } from './windows';

// Turns a scenario's LogSpec into a customization.log that reads like AIB's: Packer's azure-arm builder deploying
// the build VM, one telemetry-delimited block per customizer, the hidden deprovisioning step, capture and summary.
// Filler comes from a seeded PRNG so the same template and run id always give the same bytes.

function scenarioDeprovision(w: LogWriter, os: Os, failure?: LogLine[]): void {
  if (os === 'linux') linuxScenarioDeprovision(w, failure);
  else windowsScenarioDeprovision(w, failure);
}

/** Renders the whole log; partialLog() cuts it for a build that is still writing it. */
export function buildCustomizationLog(spec: LogSpec, ctx: LogContext): string {
  const w = new LogWriter(ctx, seededRandom(`${ctx.templateName}:${ctx.runId}`));
  const volume = spec.volume ?? 3;
  const f = spec.failure;
  scenarioHeader(w, ctx);
  if (f?.at === 'build') {
    w.all(f.lines);
    if (!f.abrupt) {
      cleanupAfterFailure(w);
      scenarioTrailer(w, ctx, f.erroredWith);
    }
    return w.lines.join('\n') + '\n';
  }
  scenarioConnect(w, spec.os);
  for (let i = 0; i < spec.customizers.length; i++) {
    const c = spec.customizers[i];
    startCustomizer(w, spec.os, c, i);
    fillCustomizer(w, spec.os, c.type, Math.round((c.filler ?? 25) * volume));
    if (c.output) w.all(c.output);
    if (f?.at === i) {
      w.all(f.lines);
      if (f.abrupt) return w.lines.join('\n') + '\n';
      endCustomizer(w, c);
      cleanupAfterFailure(w);
      scenarioTrailer(w, ctx, f.erroredWith);
      return w.lines.join('\n') + '\n';
    }
    endCustomizer(w, c);
  }
  if (spec.afterCustomizers) w.all(spec.afterCustomizers);
  if (f?.at === 'deprovision') {
    scenarioDeprovision(w, spec.os, f.lines);
    if (!f.abrupt) {
      cleanupAfterFailure(w);
      scenarioTrailer(w, ctx, f.erroredWith);
    }
    return w.lines.join('\n') + '\n';
  }
  scenarioDeprovision(w, spec.os);
  scenarioCapture(w, ctx, spec.duringCapture);
  if (f?.at === 'distribute') {
    w.all(f.lines);
    if (!f.abrupt) scenarioTrailer(w, ctx, f.erroredWith);
    return w.lines.join('\n') + '\n';
  }
  scenarioTrailer(w, ctx, undefined, spec.noArtifacts);
  return w.lines.join('\n') + '\n';
}

/** The first `fraction` of a rendered log, for a build that is still running. */
export function partialLog(full: string, fraction: number): string {
  const lines = full.split('\n');
  const keep = Math.max(1, Math.floor(lines.length * fraction));
  return lines.slice(0, keep).join('\n') + '\n';
}

