import RE2 from 're2';
import { CATALOG } from './catalog';

// Everything the scanner looks for, compiled once: the catalog's signatures plus the structural markers of a
// customization.log (telemetry, connection, deprovisioning, cleanup). One RE2.Set answers "does anything match in
// this block" in a single linear pass whatever the number of patterns (V8's cost grows with each pattern: see
// failure-analysis anchors part B), and only blocks with a match are walked line by line.

export type MarkerKind =
  | 'telemetry-start'
  | 'telemetry-end'
  | 'finalizing'
  | 'ssh-waiting'
  | 'ssh-connected'
  | 'winrm-waiting'
  | 'winrm-connected'
  | 'deprovision'
  | 'cleanup'
  | 'logs-exported'
  | 'exit-code'
  | 'build-errored';

export type PatternTarget = { kind: 'signature'; entryId: string } | { kind: 'marker'; marker: MarkerKind };

const MARKERS: Array<[MarkerKind, string]> = [
  ['telemetry-start', '\\(telemetry\\) Starting provisioner ([A-Za-z0-9_.-]+)'],
  ['telemetry-end', '\\(telemetry\\) ending ([A-Za-z0-9_.-]+)'],
  ['finalizing', '\\(telemetry\\) Finalizing'],
  ['ssh-waiting', 'Waiting for SSH'],
  ['ssh-connected', 'Connected to SSH!'],
  ['winrm-waiting', 'Waiting for WinRM'],
  ['winrm-connected', 'WinRM connected'],
  ['deprovision', 'DeprovisioningScript\\.(?:ps1|sh)'],
  ['cleanup', 'deleting individual resources|Removing the created Deployment object|Cleanup requested, deleting resource group|Deleting resource group'],
  ['logs-exported', 'Done exporting Packer logs'],
  ['exit-code', 'exited with code: [1-9]\\d*|non-zero exit status|exit status [1-9]\\d*'],
  ['build-errored', "Build '[^'\\n]+' errored|Some builds didn't complete successfully"],
];

export interface CompiledPatterns {
  set: RE2Set;
  /** One global regex per set index, to locate matches inside a block that the set said contains one. */
  finders: RE2[];
  targets: PatternTarget[];
  /** Lines matching these are not hits for the entry (see CatalogEntry.unless). */
  unless: Map<string, RE2>;
}

type RE2Set = InstanceType<typeof RE2.Set>;

let compiled: CompiledPatterns | undefined;

export function compiledPatterns(): CompiledPatterns {
  if (compiled) return compiled;
  const sources: string[] = [];
  const targets: PatternTarget[] = [];
  for (const entry of CATALOG) {
    for (const sig of entry.signatures) {
      sources.push(sig);
      targets.push({ kind: 'signature', entryId: entry.id });
    }
  }
  for (const [marker, source] of MARKERS) {
    sources.push(source);
    targets.push({ kind: 'marker', marker });
  }
  const unless = new Map<string, RE2>();
  for (const entry of CATALOG) {
    if (entry.unless?.length) unless.set(entry.id, new RE2(entry.unless.map((u) => `(?:${u})`).join('|'), 'i'));
  }
  compiled = {
    set: new RE2.Set(sources, 'i'),
    finders: sources.map((s) => new RE2(s, 'gi')),
    targets,
    unless,
  };
  return compiled;
}
