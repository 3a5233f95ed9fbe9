// Run outcomes from successive reads of a scope's templates. Pure: the caller lists the templates, passes what it
// remembered from the previous pass (the cursor), and gets back the new events plus the cursor to store.
//
// A run is identified by its start time: Image Builder keeps one lastRunStatus per template and overwrites it when
// the next build starts, so (template, startTime) names a run for as long as anyone can see it.

export const OUTCOMES = ['Failed', 'PartiallySucceeded', 'Canceled', 'Succeeded', 'ProvisioningFailed', 'TriggerDisabled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes a `failures` subscription (the default) receives; `all` adds Succeeded. */
export const FAILURE_OUTCOMES: ReadonlySet<Outcome> = new Set(['Failed', 'PartiallySucceeded', 'Canceled', 'ProvisioningFailed', 'TriggerDisabled']);

const TERMINAL_RUN_STATES: ReadonlySet<string> = new Set(['Failed', 'PartiallySucceeded', 'Canceled', 'Succeeded']);

/** What the watcher needs from one template, in plain values (ISO strings for times). */
export interface TemplateSnapshot {
  /** The ARM resource id. */
  id: string;
  name: string;
  provisioningState?: string;
  provisioningError?: { code?: string; message?: string };
  /** systemData.lastModifiedAt: when a provisioning failure happened, as near as ARM tells. */
  lastModifiedAt?: string;
  lastRun?: { startTime?: string; endTime?: string; runState?: string; runSubState?: string; message?: string };
  /** Triggers of the template, when the caller read them (they are a separate ARM resource). */
  triggers?: { name: string; status?: { code?: string; message?: string; time?: string } }[];
}

export interface OutcomeEvent {
  outcome: Outcome;
  templateId: string;
  templateName: string;
  /** Stable within the template: `run:<startTime>`, `provisioning:<code>:<time>`, `trigger:<name>:<time>`. */
  runKey: string;
  /** The run's start (run outcomes only). */
  runStart?: string;
  /** When the outcome happened: the run's end, the failed provisioning, the trigger's status time. */
  at?: string;
  message?: string;
}

/** What one template looked like when it was last reported or passed over. */
export interface TemplateMark {
  /** runKey of the newest terminal run already handled. */
  run?: string;
  provisioning?: string;
  /** runKey per trigger name of its newest handled disablement. */
  triggers?: Record<string, string>;
}

export interface ScopeCursor {
  version: 1;
  /** Keyed by the lower-cased template id (ARM ids are case-insensitive). */
  templates: Record<string, TemplateMark>;
}

export const DEFAULT_CATCH_UP_MS = 24 * 60 * 60 * 1000;

export interface DetectOptions {
  now: Date;
  /** Outcomes older than this are remembered but not reported (a watcher back after a week stays quiet). */
  catchUpMs?: number;
  /**
   * True when `templates` is the whole scope: marks of templates no longer listed are dropped, so a template deleted
   * and created again under the same name reports its new runs. False after a listing that stopped early.
   */
  complete?: boolean;
}

export function emptyCursor(): ScopeCursor {
  return { version: 1, templates: {} };
}

/**
 * New events since `cursor`, oldest first, and the cursor that remembers them. Runs still in progress yield nothing
 * and leave the mark alone, so their outcome is reported on the pass that first sees it.
 */
export function detectOutcomes(
  cursor: ScopeCursor | undefined,
  templates: readonly TemplateSnapshot[],
  options: DetectOptions,
): { events: OutcomeEvent[]; cursor: ScopeCursor } {
  const catchUpMs = options.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const oldest = options.now.getTime() - catchUpMs;
  const recent = (at: string | undefined) => {
    if (at === undefined) return true; // no time given: the state is current, so it is recent enough
    const ms = Date.parse(at);
    return !Number.isFinite(ms) || ms >= oldest;
  };
  const before = cursor?.templates ?? {};
  const next: Record<string, TemplateMark> = options.complete === false ? { ...before } : {};
  const events: OutcomeEvent[] = [];

  for (const t of templates) {
    const key = t.id.toLowerCase();
    const old = before[key] ?? {};
    const mark: TemplateMark = { ...old, ...(old.triggers ? { triggers: { ...old.triggers } } : {}) };
    const base = { templateId: t.id, templateName: t.name };

    const run = t.lastRun;
    if (run?.startTime && run.runState && TERMINAL_RUN_STATES.has(run.runState)) {
      const runKey = `run:${run.startTime}`;
      if (old.run !== runKey) {
        mark.run = runKey;
        const at = run.endTime ?? run.startTime;
        if (recent(at)) events.push({ ...base, outcome: run.runState as Outcome, runKey, runStart: run.startTime, at, message: run.message || undefined });
      }
    }

    if (t.provisioningState === 'Failed') {
      const code = t.provisioningError?.code ?? 'unknown';
      const runKey = `provisioning:${code}:${t.lastModifiedAt ?? ''}`;
      if (old.provisioning !== runKey) {
        mark.provisioning = runKey;
        if (recent(t.lastModifiedAt)) events.push({ ...base, outcome: 'ProvisioningFailed', runKey, at: t.lastModifiedAt, message: t.provisioningError?.message });
      }
    } else if (mark.provisioning) {
      // Provisioned again: a later failure with the same code and time would otherwise pass unseen.
      delete mark.provisioning;
    }

    // A failed run reported in this pass is diagnosed with the template's triggers, so its card already says the
    // trigger was disabled: the disablement seen beside it is remembered, not posted as a second card.
    const runReported = events.some((e) => e.templateId === t.id && e.runKey.startsWith('run:') && e.outcome === 'Failed');
    for (const trigger of t.triggers ?? []) {
      if (!triggerDisabled(trigger.status?.code)) {
        // Enabled again (a successful build does that): a later disablement with the same status time is news.
        if (mark.triggers?.[trigger.name]) {
          const { [trigger.name]: _enabled, ...rest } = mark.triggers;
          if (Object.keys(rest).length) mark.triggers = rest;
          else delete mark.triggers;
        }
        continue;
      }
      const runKey = `trigger:${trigger.name}:${trigger.status?.time ?? ''}`;
      if (old.triggers?.[trigger.name] === runKey) continue;
      mark.triggers = { ...(mark.triggers ?? {}), [trigger.name]: runKey };
      if (recent(trigger.status?.time) && !runReported) {
        events.push({ ...base, outcome: 'TriggerDisabled', runKey, at: trigger.status?.time, message: trigger.status?.message });
      }
    }

    next[key] = mark;
  }

  events.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.templateId.localeCompare(b.templateId));
  return { events, cursor: { version: 1, templates: next } };
}

/**
 * Image Builder disables a trigger after repeated consecutive failures and says so in the trigger's status code; the
 * API documents the field but not its values, so any code naming a disabled state counts.
 */
export function triggerDisabled(code: string | undefined): boolean {
  return !!code && /disabled/i.test(code);
}

export function isFailureOutcome(o: Outcome): boolean {
  return FAILURE_OUTCOMES.has(o);
}

/** Accepts what another version of the watcher may have written; anything unreadable is treated as no cursor. */
export function parseCursor(value: unknown): ScopeCursor | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { version?: unknown; templates?: unknown };
  if (v.version !== 1 || !v.templates || typeof v.templates !== 'object' || Array.isArray(v.templates)) return undefined;
  const templates: Record<string, TemplateMark> = {};
  for (const [id, raw] of Object.entries(v.templates as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as Record<string, unknown>;
    const mark: TemplateMark = {};
    if (typeof m.run === 'string') mark.run = m.run;
    if (typeof m.provisioning === 'string') mark.provisioning = m.provisioning;
    if (m.triggers && typeof m.triggers === 'object') {
      const triggers = Object.entries(m.triggers as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
      if (triggers.length) mark.triggers = Object.fromEntries(triggers);
    }
    templates[id] = mark;
  }
  return { version: 1, templates };
}
