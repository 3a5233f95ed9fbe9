import { MAIN_RESOURCE_GROUP } from './constants';
import type { RunMachine } from './emulator/run-machine';
import type { TemplateStore } from './emulator/template-store';

// Builds that keep happening on the sandbox clock, so a notifier has something to announce: every few steps the
// next seeded template of the main group is built again, going round them all. A seeded failure fails again the
// same way (its plan repeats), a healthy template succeeds. Off unless asked for: tests that read a seeded
// template's status expect it to stay as seeded.

/** Steps between two started builds: at the demo's 20 s step, a failure that breaks early arrives within a minute. */
export const RECURRING_EVERY_STEPS = 2;

export interface RecurringBuildsDeps {
  store: TemplateStore;
  runs: RunMachine;
  stepMs: number;
  log: (line: string) => void;
  everySteps?: number;
  /** Only these template names (in rotation order); default: every runnable template of the main group. */
  names?: readonly string[];
}

export function startRecurringBuilds(deps: RecurringBuildsDeps): void {
  const every = deps.everySteps ?? RECURRING_EVERY_STEPS;
  let turn = 0;
  const candidates = () => {
    const all = deps.store.list(MAIN_RESOURCE_GROUP).filter((t) => t.plan.outcome !== 'refuse' && t.provisioningState === 'Succeeded');
    if (!deps.names) return all;
    return deps.names.map((n) => all.find((t) => t.name.toLowerCase() === n.toLowerCase())).filter((t) => t !== undefined);
  };
  const tick = () => {
    const list = candidates();
    // One build per tick, skipping templates that are still building (their own run, or a user's).
    for (let tried = 0; tried < list.length; tried++) {
      const t = list[turn++ % list.length];
      if (deps.runs.isActive(t)) continue;
      try {
        deps.runs.start(t);
        deps.log(`sandbox: recurring build of ${t.name} started`);
      } catch (e) {
        deps.log(`sandbox: recurring build of ${t.name} not started: ${(e as Error).message}`);
      }
      break;
    }
    deps.runs.later(deps.stepMs * every, tick);
  };
  deps.runs.later(deps.stepMs * every, tick);
}
