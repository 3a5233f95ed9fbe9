import RE2 from 're2';
import type { SignatureHit } from './log-scan';
import { redact } from './redact';
import type { StatusFacts } from './status';
import type { ExitCodeMeaning } from './exit-codes';
import type { CustomizerRef } from './types';

// Two failures that API versions after the 2020 guide added, and that the status tells without a log line:
// a run that failed in its Validating sub-state (an in-VM validator failed), and a SourceImage trigger that Image
// Builder disabled after repeated failed builds. Also: which validator failed, named from validation.log.

/** A trigger as the gateway reads it (`properties.status` of a Microsoft.VirtualMachineImages trigger). */
export interface TriggerStatusFacts {
  name: string;
  statusCode?: string;
  statusMessage?: string;
}

const MAX_TRIGGERS = 100;
const MAX_TRIGGER_TEXT = 300;
/** The validator a line names: `validator 'check-cis-score' exited with status 3`, `shell validator 'x' ...`. */
const VALIDATOR_NAME = new RE2(/validator '([^'\n]{1,128})'/i);

/**
 * The API documents the status field but not its values (the example says Healthy): any code naming a disabled
 * state counts, and nothing else does, so an unknown or transient code is not called a disabled trigger.
 */
export function triggerIsDisabled(code: string | undefined): boolean {
  return !!code && /disabled/i.test(code);
}

/**
 * One status hit per disabled trigger, made from the facts rather than by scanning them: the trigger's name and
 * message are not read for other failures' signatures (a trigger named after an error code must not become that
 * error). Names keep the characters Azure allows in them; the message is cut short and scrubbed like any line.
 */
export function disabledTriggerHits(triggers: readonly TriggerStatusFacts[] | undefined): SignatureHit[] {
  return (triggers ?? [])
    .slice(0, MAX_TRIGGERS)
    .filter((t) => triggerIsDisabled(t.statusCode))
    .map((t, i) => {
      const name = t.name.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64);
      const code = (t.statusCode ?? '').replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40);
      const message = redact((t.statusMessage ?? '').replace(/[\r\n]+/g, ' ').slice(0, MAX_TRIGGER_TEXT));
      const ref = { line: i + 1, text: `Image Builder trigger '${name}' is disabled (${code}): ${message}`.trim(), context: [] };
      return { entryId: 'trigger-disabled', source: 'status' as const, count: 1, first: ref, last: ref };
    });
}

/** Exit codes a shell gives itself (not found, not executable); any other code is the check's own verdict. */
const SHELL_OWN_CODES = new Set([126, 127]);

/**
 * A Shell validator's exit code is what its script chose to report (3 for "score too low"): the Win32 readings
 * of small codes (3 = path not found) would mislead, so only the shell's own codes keep a meaning.
 */
export function validatorExitCode(e: ExitCodeMeaning | undefined, validator: CustomizerRef | null): ExitCodeMeaning | undefined {
  if (!e || !validator || validator.type.toLowerCase() !== 'shell' || SHELL_OWN_CODES.has(e.value)) return e;
  const { meaning: _windowsReading, ...rest } = e;
  return rest;
}

/** A failed run whose last sub-state was Validating failed in a validator, whatever its message says. */
export function validationFactHits(t: StatusFacts, failed: boolean): SignatureHit[] {
  if (!failed || !/^validating$/i.test(t.lastRun?.runSubState ?? '')) return [];
  const ref = { line: 1, text: `runSubState: ${t.lastRun!.runSubState}`, context: [] };
  return [{ entryId: 'validation-failed', source: 'status', count: 1, first: ref, last: ref }];
}

/**
 * The validator that failed. validation.log names it on its failure lines; the template's validate list then
 * gives its type and position. The first validator is never assumed: without a name in the log the answer is
 * the validator's type only when the template has exactly one.
 */
export function failingValidator(hits: readonly SignatureHit[], template: StatusFacts | undefined): CustomizerRef | null {
  const declared = template?.validation?.validators ?? [];
  let name: string | undefined;
  let line = -1;
  // The last line naming a validator is the one that failed (earlier validators printed their own passes).
  for (const h of hits) {
    for (const ref of [h.first, h.last]) {
      const m = VALIDATOR_NAME.exec(ref.text);
      if (m && ref.line >= line) {
        name = m[1];
        line = ref.line;
      }
    }
  }
  const index = name !== undefined ? declared.findIndex((v) => v.name === name) : declared.length === 1 ? 0 : -1;
  if (name === undefined && index < 0) return null;
  const v = index >= 0 ? declared[index] : undefined;
  return {
    type: v?.type ?? 'validator',
    ...(index >= 0 ? { index } : {}),
    ...((name ?? v?.name) ? { name: name ?? v?.name } : {}),
    finished: true,
    validator: true,
  };
}
