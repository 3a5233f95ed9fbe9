import { isAzureGatewayError, type ImageTemplate, type TemplateGateway } from '../azure';
import { MAX_TIMEOUT_MINUTES } from './template-edits';

// Follows one build by reading the template status until the run ends. The SDK's poller would hold a request open
// for the whole build; reading the status also lets the caller show every sub-state as it moves.

export const TERMINAL_RUN_STATES: readonly string[] = ['Succeeded', 'PartiallySucceeded', 'Failed', 'Canceled'];

export interface FollowOptions {
  pollMs: number;
  /** When the run we wait for was started (a rerun) or asked to stop (a cancel). */
  since: string;
  /** A rerun waits for the run it started (an older terminal status is the previous run); a cancel for any end. */
  which: 'new-run' | 'current-run';
  /** Called each time state or sub-state moves; `seen` lists the sub-states reported so far. */
  onProgress?(template: ImageTemplate, seen: readonly string[]): Promise<void>;
}

/** The final template, or undefined if it disappeared (or outlived any build Image Builder allows). */
export async function followRun(templates: TemplateGateway, resourceGroup: string, name: string, o: FollowOptions): Promise<ImageTemplate | undefined> {
  const seen: string[] = [];
  let last = '';
  const deadline = Date.now() + (MAX_TIMEOUT_MINUTES + 120) * 60_000;
  const startedAt = Date.parse(o.since);
  while (Date.now() < deadline) {
    await sleep(o.pollMs);
    let t: ImageTemplate;
    try {
      t = await templates.get(resourceGroup, name);
    } catch (e) {
      if (isAzureGatewayError(e) && e.code === 'not-found') return undefined;
      if (isAzureGatewayError(e) && (e.code === 'throttled' || e.code === 'service-unavailable')) continue;
      throw e;
    }
    const run = t.lastRunStatus;
    const isNew = o.which === 'current-run' || new Date(run?.startTime ?? 0).getTime() >= startedAt - 60_000;
    if (run?.runState && TERMINAL_RUN_STATES.includes(run.runState) && isNew) return t;
    if (run?.runSubState && !seen.includes(run.runSubState)) seen.push(run.runSubState);
    const now = `${run?.runState}/${run?.runSubState}`;
    if (now !== last) {
      last = now;
      await o.onProgress?.(t, seen);
    }
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
