// What a failed distribution left behind, for the diagnosis card and the JSON output: the targets that did not
// publish (and why, from the run message), and for each gallery image version the run made, which regions failed,
// which are still replicating, and whether replication finished after Image Builder stopped waiting (issue 13,
// items 4 and 5). PURE: the use case reads the run outputs and replicationStatus and hands them here.

import type { TemplateApiFacts } from './template-facts';

export interface FailedTarget {
  runOutputName: string;
  reason?: string;
}

export interface GalleryReplicationFacts {
  versionId: string;
  /** The version part of the id (major.minor.patch), what a person recognises on the card. */
  version: string;
  aggregatedState: string;
  failedRegions: { region: string; details?: string }[];
  replicatingRegions: { region: string; progress?: number }[];
  /** Image Builder gave up waiting (the run failed), yet every region completed since: the version is usable. */
  finishedAfterImageBuilderStopped: boolean;
}

export interface DistributionFacts {
  failedTargets: FailedTarget[];
  galleries: GalleryReplicationFacts[];
}

/** One gallery version's replicationStatus, as the gateway reads it (`$expand=ReplicationStatus`). */
export interface ReplicationReading {
  versionId: string;
  aggregatedState: string;
  regions: readonly { region: string; state: string; details?: string; progress?: number }[];
}

/** The run outputs' gallery image versions (artifactId …/versions/x.y.z), at most `max`, in target order. */
export function galleryVersionIds(api: TemplateApiFacts, max = 4): string[] {
  const ids = api.targets.map((t) => t.artifactId).filter((id): id is string => !!id && /\/galleries\/[^/]+\/images\/[^/]+\/versions\/[^/]+$/i.test(id));
  return [...new Set(ids)].slice(0, max);
}

export function replicationFacts(r: ReplicationReading, runFailed: boolean): GalleryReplicationFacts {
  const failedRegions = r.regions.filter((x) => x.state === 'Failed').map((x) => ({ region: x.region, ...(x.details ? { details: x.details } : {}) }));
  const replicatingRegions = r.regions
    .filter((x) => x.state === 'Replicating')
    .map((x) => ({ region: x.region, ...(x.progress !== undefined ? { progress: x.progress } : {}) }));
  const allCompleted = r.regions.length > 0 && r.regions.every((x) => x.state === 'Completed');
  return {
    versionId: r.versionId,
    version: r.versionId.split('/').pop() ?? r.versionId,
    aggregatedState: r.aggregatedState,
    failedRegions,
    replicatingRegions,
    finishedAfterImageBuilderStopped: runFailed && r.aggregatedState === 'Completed' && allCompleted,
  };
}

export function distributionFacts(api: TemplateApiFacts, replications: readonly ReplicationReading[]): DistributionFacts {
  const runFailed = /^failed$/i.test(api.run.state ?? '');
  return {
    failedTargets: api.run.failedTargets.map((name) => ({ runOutputName: name, ...(api.run.failureReasons[name] ? { reason: api.run.failureReasons[name] } : {}) })),
    galleries: replications.map((r) => replicationFacts(r, runFailed)),
  };
}

/** The run's distribution went wrong: a partial success, or a failure while distributing. */
export function distributionFailed(api: TemplateApiFacts): boolean {
  return api.run.partiallySucceeded || (/^failed$/i.test(api.run.state ?? '') && /^distributing$/i.test(api.run.subState ?? ''));
}
