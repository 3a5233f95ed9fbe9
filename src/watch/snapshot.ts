import type { ImageTemplate, TriggerInfo } from '../azure';
import type { TemplateSnapshot } from './outcomes';

// The SDK's ImageTemplate (Dates, flattened or nested properties) → the plain snapshot outcome detection reads.

type Loose = Record<string, unknown> | undefined;

const iso = (v: unknown): string | undefined => {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : undefined;
  if (typeof v === 'string' && Number.isFinite(Date.parse(v))) return new Date(v).toISOString();
  return undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);

type TriggerSnapshot = NonNullable<TemplateSnapshot['triggers']>[number];

export function triggerSnapshotOf(t: TriggerInfo): TriggerSnapshot {
  return { name: t.name, status: { code: t.statusCode, message: t.statusMessage, time: iso(t.statusTime) } };
}

export function snapshotOf(template: ImageTemplate): TemplateSnapshot {
  const t = template as unknown as Record<string, unknown>;
  const props = obj(t.properties);
  const pick = (name: string): unknown => t[name] ?? props?.[name];
  const run = obj(pick('lastRunStatus'));
  const pe = obj(pick('provisioningError'));
  const systemData = obj(t.systemData);
  return {
    id: str(t.id) ?? '',
    name: str(t.name) ?? '',
    provisioningState: str(pick('provisioningState')),
    provisioningError: pe ? { code: str(pe.provisioningErrorCode) ?? str(pe.code), message: str(pe.message) } : undefined,
    lastModifiedAt: iso(systemData?.lastModifiedAt),
    lastRun: run
      ? {
          startTime: iso(run.startTime),
          endTime: iso(run.endTime),
          runState: str(run.runState),
          runSubState: str(run.runSubState),
          message: str(run.message),
        }
      : undefined,
  };
}
