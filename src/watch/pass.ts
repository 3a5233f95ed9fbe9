import type { ImageTemplate, TriggerInfo } from '../azure';
import { TemplateId } from '../model';
import { detectOutcomes, type OutcomeEvent, type TemplateSnapshot } from './outcomes';
import { snapshotOf, triggerSnapshotOf } from './snapshot';
import { scopeKey, type CursorStore } from './state';

// One look at one scope: list its templates, compare with the cursor, hand back the new events. The cursor is
// saved only when the caller says the events were handled (claimed and delivered), so a crash in between repeats
// the detection, and the claims keep the repeat from posting twice.

/** The part of the template gateway a pass uses. */
export interface TemplateLister {
  pages(options?: { resourceGroup?: string }): AsyncIterable<ImageTemplate[]>;
  /** A template's triggers (a separate ARM resource); without it, disabled triggers are not detected. */
  triggers?(resourceGroup: string, name: string): Promise<TriggerInfo[]>;
}

export interface ScopePassDeps {
  templates: TemplateLister;
  cursors: CursorStore;
  subscriptionId: string;
  now?: () => Date;
  catchUpMs?: number;
  /** A scope with more templates than this is read up to here and its cursor kept for the rest. */
  maxTemplates?: number;
}

export interface DetectedEvent {
  event: OutcomeEvent;
  /** The template as listed, for the diagnosis (no second read). */
  template: ImageTemplate;
}

export interface ScopePass {
  scope: string;
  events: DetectedEvent[];
  /** Stores the new cursor; call it after every event was delivered or claimed by someone else. */
  commit(): Promise<void>;
}

const DEFAULT_MAX_TEMPLATES = 5000;
/** Trigger reads per pass at most: one ARM call each, so a scope full of failures cannot multiply a pass's cost. */
const MAX_TRIGGER_READS = 50;

/**
 * Image Builder disables a trigger after repeated failed builds, so only a template whose last run failed can have
 * one newly disabled: its triggers are read, the others' are not (that keeps a pass at one listing plus one call per
 * failed template). A read that fails (no triggers/read permission, throttled) leaves the template without triggers:
 * its trigger marks are kept and the next pass tries again.
 */
async function readTriggers(lister: TemplateLister, snapshots: TemplateSnapshot[]): Promise<void> {
  if (!lister.triggers) return;
  const failed = snapshots.filter((s) => s.lastRun?.runState === 'Failed').slice(0, MAX_TRIGGER_READS);
  for (const s of failed) {
    const id = TemplateId.parseAny(s.id);
    if (!id) continue;
    try {
      s.triggers = (await lister.triggers(id.resourceGroup, id.name)).map(triggerSnapshotOf);
    } catch {
      // Stays undefined: nothing is concluded about triggers that could not be read.
    }
  }
}

export async function passScope(deps: ScopePassDeps, resourceGroup?: string): Promise<ScopePass> {
  const scope = scopeKey(deps.subscriptionId, resourceGroup);
  const cursor = await deps.cursors.load(scope);
  const max = deps.maxTemplates ?? DEFAULT_MAX_TEMPLATES;
  const listed: ImageTemplate[] = [];
  let complete = true;
  outer: for await (const page of deps.templates.pages({ resourceGroup })) {
    for (const t of page) {
      if (listed.length >= max) {
        complete = false;
        break outer;
      }
      listed.push(t);
    }
  }
  const byId = new Map<string, ImageTemplate>();
  const snapshots = listed.map((t) => {
    const s = snapshotOf(t);
    byId.set(s.id.toLowerCase(), t);
    return s;
  });
  await readTriggers(deps.templates, snapshots);
  const found = detectOutcomes(cursor, snapshots.filter((s) => s.id), {
    now: (deps.now ?? (() => new Date()))(),
    catchUpMs: deps.catchUpMs,
    complete,
  });
  return {
    scope,
    events: found.events.map((event) => ({ event, template: byId.get(event.templateId.toLowerCase())! })),
    commit: () => deps.cursors.save(scope, found.cursor),
  };
}
