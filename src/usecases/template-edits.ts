import type { ImageTemplate } from '../azure';

// The pure edits behind "recreate with a longer timeout" and "a larger VM": what changes, and the body to send
// again. Image Builder cannot update most of a template in place, so a recreate resubmits the whole definition.

export interface Change {
  field: string;
  before: string;
  after: string;
}

/** The largest build timeout Image Builder accepts (ImageTemplate.buildTimeoutInMinutes maximum). */
export const MAX_TIMEOUT_MINUTES = 960;
/** Image Builder's default build timeout when the template sets none (0 or absent). */
const DEFAULT_TIMEOUT_MINUTES = 240;
/** Build VM sizes one step at a time; an empty vmProfile.vmSize means the service default (D2ds/D4ds v4). */
export const VM_LADDER = ['Standard_D2ds_v4', 'Standard_D4ds_v4', 'Standard_D8ds_v4', 'Standard_D16ds_v4', 'Standard_D32ds_v4'];
const READ_ONLY_FIELDS = ['id', 'name', 'type', 'systemData', 'provisioningState', 'provisioningError', 'lastRunStatus', 'exactStagingResourceGroup'] as const;

export type TemplateEdit = 'larger-timeout' | 'larger-vm';

/** The one property an edit changes; null when it cannot grow any further. */
export function changesFor(edit: TemplateEdit, t: ImageTemplate): Change[] | null {
  if (edit === 'larger-timeout') {
    const current = t.buildTimeoutInMinutes && t.buildTimeoutInMinutes > 0 ? t.buildTimeoutInMinutes : DEFAULT_TIMEOUT_MINUTES;
    if (current >= MAX_TIMEOUT_MINUTES) return null;
    const after = Math.min(MAX_TIMEOUT_MINUTES, Math.max(current * 2, 60));
    return [{ field: 'buildTimeoutInMinutes', before: String(t.buildTimeoutInMinutes ?? 0), after: String(after) }];
  }
  const size = t.vmProfile?.vmSize || '';
  const i = VM_LADDER.findIndex((s) => s.toLowerCase() === size.toLowerCase());
  const next = i >= 0 ? VM_LADDER[i + 1] : 'Standard_D4ds_v4';
  if (!next) return null;
  return [{ field: 'vmProfile.vmSize', before: size || '(default)', after: next }];
}

/** The template as it must be sent again: read-only fields dropped, identity ids only, the changes applied. */
export function recreatedBody(t: ImageTemplate, changes: readonly Change[]): ImageTemplate {
  const body: Record<string, unknown> = { ...t };
  for (const f of READ_ONLY_FIELDS) delete body[f];
  const identities = t.identity?.userAssignedIdentities ?? {};
  body.identity = { ...t.identity, userAssignedIdentities: Object.fromEntries(Object.keys(identities).map((k) => [k, {}])) };
  for (const c of changes) {
    if (c.field === 'buildTimeoutInMinutes') body.buildTimeoutInMinutes = Number(c.after);
    if (c.field === 'vmProfile.vmSize') body.vmProfile = { ...t.vmProfile, vmSize: c.after };
  }
  return body as unknown as ImageTemplate;
}

const SOURCE_TYPES = ['PlatformImage', 'ManagedImage', 'SharedImageVersion'];
const DISTRIBUTE_TYPES = ['ManagedImage', 'SharedImage', 'VHD'];

/**
 * What Image Builder would refuse in a body sent again (the 2025-10-01 schema's required fields and limits), as
 * `field: problem`; empty when nothing is wrong. A recreate deletes first, so this runs before the delete.
 */
export function resubmitProblems(body: ImageTemplate): string[] {
  const b = body as unknown as Record<string, any>;
  const problems: string[] = [];
  if (typeof b.location !== 'string' || !b.location.trim()) problems.push('location: missing');
  const ids = Object.keys(b.identity?.userAssignedIdentities ?? {});
  if (b.identity?.type !== 'UserAssigned' || ids.length !== 1) problems.push('identity: exactly one user-assigned identity is required');
  if (!b.source || !SOURCE_TYPES.includes(b.source.type)) problems.push(`source.type: expected one of ${SOURCE_TYPES.join(', ')}`);
  const distribute: unknown[] = Array.isArray(b.distribute) ? b.distribute : [];
  if (distribute.length === 0) problems.push('distribute: at least one target is required');
  distribute.forEach((d: any, i) => {
    if (!d || !DISTRIBUTE_TYPES.includes(d.type)) problems.push(`distribute[${i}].type: expected one of ${DISTRIBUTE_TYPES.join(', ')}`);
    if (!d || typeof d.runOutputName !== 'string' || !d.runOutputName) problems.push(`distribute[${i}].runOutputName: missing`);
  });
  const timeout = b.buildTimeoutInMinutes;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_TIMEOUT_MINUTES)) problems.push(`buildTimeoutInMinutes: expected 0 to ${MAX_TIMEOUT_MINUTES}`);
  return problems;
}

/** What must not have changed between showing a confirmation and acting on it. */
export function snapshotOf(t: ImageTemplate): Record<string, string | undefined> {
  const s = t.lastRunStatus?.startTime;
  return {
    provisioningState: t.provisioningState,
    runState: t.lastRunStatus?.runState,
    runStartTime: s ? new Date(s).toISOString() : undefined,
    buildTimeoutInMinutes: t.buildTimeoutInMinutes?.toString(),
    vmSize: t.vmProfile?.vmSize || undefined,
  };
}

/** The first field that differs between two snapshots, as `field: before → after`; undefined when none does. */
export function snapshotChange(before: Record<string, string | undefined>, now: Record<string, string | undefined>): string | undefined {
  const changed = Object.keys({ ...before, ...now }).find((k) => before[k] !== now[k]);
  return changed ? `${changed}: ${before[changed] ?? '—'} → ${now[changed] ?? '—'}` : undefined;
}

export function isRunning(t: ImageTemplate): boolean {
  const state = t.lastRunStatus?.runState;
  return state === 'Running' || state === 'Canceling';
}

export function runInfo(t: ImageTemplate): { startTime?: string; runSubState?: string } {
  const s = t.lastRunStatus?.startTime;
  return { startTime: s ? new Date(s).toISOString() : undefined, runSubState: t.lastRunStatus?.runSubState };
}
