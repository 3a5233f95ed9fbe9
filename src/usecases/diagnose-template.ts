import type { AzureGateways, ImageTemplate, LogLocation, TriggerInfo } from '../azure';
import { isAzureGatewayError, type AzureGatewayError } from '../azure';
import { TemplateId, type LogReadInfo as ModelLogReadInfo } from '../model';
import type { LogScan } from './scan-workers';
import {
  classify,
  distributionFacts,
  distributionFailed,
  galleryVersionIds,
  scanLog,
  templateFacts,
  statusFailed,
  type Diagnosis,
  type DistributionFacts,
  type ReplicationReading,
  type ScanResult,
  type StatusFacts,
} from '../diagnosis';
import { templateApiFacts } from '../diagnosis/template-facts';

// Fetch a template and its build log, then run the pure classifier on them. The CLI and the bot both call this;
// how far to read the log is the caller's choice (a tail for a quick first answer, the whole log after).

export interface DiagnoseTemplateOptions {
  /** 'tail': one ranged read of the last `tailBytes`; 'full': stream from the start up to `maxBytes`. */
  read: 'tail' | 'full';
  /** Scans the full read (default: scanLog on this thread; the bot passes its worker threads). */
  scan?: LogScan;
  tailBytes: number;
  maxBytes: number;
}

/** The model's shape, with the gateway's own types where the use case knows them. */
export interface LogReadInfo extends ModelLogReadInfo {
  location?: LogLocation;
  error?: { code: AzureGatewayError['code']; message: string };
}

export interface TemplateDiagnosis {
  template: ImageTemplate;
  facts: StatusFacts;
  diagnosis: Diagnosis;
  log: LogReadInfo;
  /** False for a template whose status shows nothing wrong (healthy, or still running). */
  failed: boolean;
  /** The template's triggers, read for a failed template when the identity may read them. */
  triggers?: TriggerInfo[];
  /** A failed distribution: failed targets and gallery replication (also on `diagnosis.distribution`). */
  distribution?: DistributionFacts;
}

export async function diagnoseTemplate(
  gateways: AzureGateways,
  resourceGroup: string,
  name: string,
  options: DiagnoseTemplateOptions,
): Promise<TemplateDiagnosis> {
  const template = await gateways.templates.get(resourceGroup, name);
  return diagnoseFetchedTemplate(gateways, template, options);
}

/** What an earlier read of the same run found: the log's location (and size) and the triggers, so they are not looked up again. */
export interface KnownLog {
  location: LogLocation;
  size?: number;
  triggers?: TriggerInfo[];
  distribution?: DistributionFacts;
}

export async function diagnoseFetchedTemplate(
  gateways: AzureGateways,
  template: ImageTemplate,
  options: DiagnoseTemplateOptions,
  known?: KnownLog,
): Promise<TemplateDiagnosis> {
  const facts = templateFacts(template);
  const failed = statusFailed(facts);
  // Read beside the log, not after it: a trigger Image Builder disabled is only ever news after failed builds.
  const triggers = !failed ? Promise.resolve(undefined) : known?.triggers ? Promise.resolve(known.triggers) : readTriggers(gateways, template);
  // Awaited after the log; until then a rejection must not count as unhandled.
  triggers.catch(() => undefined);
  // Also beside the log: the run outputs and each gallery version's replicationStatus, only for a failed distribution.
  const distribution = known?.distribution ? Promise.resolve(known.distribution) : failed ? readDistribution(gateways, template) : Promise.resolve(undefined);
  distribution.catch(() => undefined);
  const log: LogReadInfo = { partial: false };
  let scan: ScanResult | undefined;
  // A submission failure has no build and so no log; asking Storage would only produce a confusing 404.
  const hasRun = !!facts.lastRun?.runState;
  if (hasRun) {
    try {
      log.location = known?.location ?? (await locateLog(gateways, template, facts, failed));
      if (options.read === 'tail') {
        const tail = await gateways.logs.tail(log.location, options.tailBytes);
        scan = await scanLog(tail.chunks);
        log.size = tail.size;
        log.bytesRead = tail.size - tail.offset;
        log.partial = tail.partial;
        if (tail.partial) scan.partial = { reason: 'tail-only' };
      } else {
        const stream = await gateways.logs.stream(log.location, { maxBytes: options.maxBytes, size: known?.size });
        scan = await (options.scan ?? scanLog)(stream.chunks);
        log.size = stream.size;
        log.bytesRead = stream.bytes;
        log.partial = stream.partial;
        if (stream.partial) scan.partial = { reason: 'size-cap' };
      }
    } catch (e) {
      if (!isAzureGatewayError(e) || !e.code.startsWith('log-')) throw e;
      log.error = { code: e.code, message: e.message };
    }
  }
  const triggerList = await triggers;
  const diagnosis = classify({ template: facts, log: scan, triggers: triggerList });
  const dist = await distribution;
  if (dist) diagnosis.distribution = dist;
  return { template, facts, diagnosis, log, failed, ...(triggerList ? { triggers: triggerList } : {}), ...(dist ? { distribution: dist } : {}) };
}

/**
 * For a partial success or a failure while distributing: which targets failed and why, and the replication of
 * every gallery version the run made (issue 13 item 5). A read the identity may not make leaves that part out.
 */
async function readDistribution(gateways: AzureGateways, template: ImageTemplate): Promise<DistributionFacts | undefined> {
  if (!distributionFailed(templateApiFacts(template))) return undefined;
  const id = template.id ? TemplateId.parseAny(template.id) : undefined;
  const outputs = id ? await gatewayOr(gateways.templates.runOutputs(id.resourceGroup, id.name), []) : [];
  const api = templateApiFacts(template, { runOutputs: outputs.map((o) => ({ name: o.name, provisioningState: o.provisioningState, artifactId: o.artifactId })) });
  const readings = await Promise.all(galleryVersionIds(api).map((v) => gatewayOr<ReplicationReading | undefined>(gateways.galleries.replication(v), undefined)));
  return distributionFacts(api, readings.filter((r): r is ReplicationReading => !!r));
}

/** The value, or `fallback` when the gateway refused (a typed gateway error); anything else is a bug and throws. */
async function gatewayOr<T>(p: Promise<T>, fallback: T): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isAzureGatewayError(e)) return fallback;
    throw e;
  }
}

/** The template's triggers, or undefined when they cannot be read (no triggers/read permission, an odd id). */
async function readTriggers(gateways: AzureGateways, template: ImageTemplate): Promise<TriggerInfo[] | undefined> {
  const id = template.id ? TemplateId.parseAny(template.id) : undefined;
  if (!id) return undefined;
  return gatewayOr<TriggerInfo[] | undefined>(gateways.templates.triggers(id.resourceGroup, id.name), undefined);
}

/**
 * The whole log of the run `first` answered from its tail: the same template status and the log location it
 * found (and the size it read), so the full scan makes no second locate (ARM and blob listings), status read or
 * properties read, nor a second triggers read.
 */
export function diagnoseWholeLog(gateways: AzureGateways, first: TemplateDiagnosis, options: DiagnoseTemplateOptions): Promise<TemplateDiagnosis> {
  const known = first.log.location
    ? { location: first.log.location, size: first.log.size, triggers: first.triggers, distribution: first.distribution }
    : undefined;
  return diagnoseFetchedTemplate(gateways, first.template, { ...options, read: 'full' }, known);
}

async function locateLog(gateways: AzureGateways, template: ImageTemplate, facts: StatusFacts, failed: boolean): Promise<LogLocation> {
  const location = await gateways.logs.locate(template);
  // A run that failed while validating left its evidence in validation.log, beside customization.log.
  if (failed && /^validating$/i.test(facts.lastRun?.runSubState ?? '')) return (await gateways.logs.locateValidation(template)) ?? location;
  return location;
}
