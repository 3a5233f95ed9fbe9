// The sandbox's public shapes. The Azure gateways' tests are written against these at the same time as the
// sandbox itself, so they change only together with /work/briefs/sandbox-contract.md.

export interface FaultRule {
  target: 'arm' | 'blob';
  /** 'GET', 'POST'… (any when absent). */
  method?: string;
  /** Substring of the URL path (any when absent), e.g. '/imageTemplates/win2022-base'. */
  pathIncludes?: string;
  /** Answer with this status and an ARM- or Storage-shaped error body. */
  status?: number;
  /** Error code for the body; defaults by status (see faults.ts). */
  code?: string;
  /** Sets Retry-After (with status 429/503). */
  retryAfterSeconds?: number;
  /** Delay before handling; the request is then answered normally unless status/drop is set too. */
  latencyMs?: number;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** How many matching requests it applies to (default: unlimited). */
  times?: number;
}

export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  /** Total number of requests a rule was applied to since start (or the last clear). */
  hits(): number;
}

export interface ScenarioInfo {
  name: string;
  resourceGroup: string;
  /** Catalog id the diagnosis should reach; null for templates with nothing to diagnose. */
  expectedId: string | null;
  os: 'linux' | 'windows';
  /**
   * 'Failed' (last run failed), 'ProvisioningFailed' (the submission was refused; never built), 'Succeeded',
   * 'Running', or 'NotRun'.
   */
  state: string;
}

export interface SandboxOptions {
  /** Milliseconds per run sub-state (tests: 50; the demo default comes from config: 20000). */
  stepMs?: number;
  /** Seed the 200 MB log scenario (default true). */
  bigLog?: boolean;
  /** ARM port (0 = a free port); the blob port is always a free one. */
  port?: number;
  log?: (line: string) => void;
  /** Rebuild seeded templates every few steps (recurring-builds.ts), so a notifier has outcomes to post (default off). */
  recurringBuilds?: boolean | { everySteps?: number; names?: readonly string[] };
}

export interface Sandbox {
  armEndpoint: string;
  blobEndpoint: string;
  storageKey: string;
  subscriptionId: string;
  resourceGroup: string;
  /**
   * The Azurite account set aside for bot state and the audit trail. Reached directly, not through the fault proxy,
   * so a blob fault aimed at build logs never breaks the bot's own bookkeeping.
   */
  stateStorage: { url: string; account: string; key: string };
  /** Exactly the AIB_SANDBOX_* variables src/config.ts reads. */
  env: Record<string, string>;
  faults: FaultController;
  scenarios: ScenarioInfo[];
  /** Resolves when background seeding (the 200 MB log) is done. */
  ready: Promise<void>;
  /** Stops Azurite (child process) and the servers; idempotent. */
  stop(): Promise<void>;
}
