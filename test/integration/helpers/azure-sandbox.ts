import type { RecordStoreTarget } from '../../../src/azure/records';
import type { AzureTarget } from '../../../src/config';
import { createAzureGateways, type AzureGateways, type GatewayTuning, type ImageTemplate } from '../../../src/azure';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

/** Short back-off so retry tests finish quickly; Retry-After values from the sandbox are still honoured in full. */
export const FAST_TUNING: Partial<GatewayTuning> = {
  retryDelayMs: 20,
  maxRetryDelayMs: 100,
  pollIntervalMs: 25,
  blobRetryDelayMs: 20,
  blobMaxRetryDelayMs: 100,
};

export interface GatewaySandbox {
  sb: Sandbox;
  gw: AzureGateways;
  target: AzureTarget;
}

/** The target a gateway needs to talk to a sandbox started in this process. */
export function embeddedSandboxTarget(sb: Sandbox): AzureTarget {
  return {
    kind: 'sandbox',
    origin: 'embedded',
    armEndpoint: sb.armEndpoint,
    blobEndpoint: sb.blobEndpoint,
    storageKey: sb.storageKey,
    subscriptionId: sb.subscriptionId,
    resourceGroups: [],
  };
}

/** A fresh container on the sandbox's state storage for each call: tests never see each other's records. */
export function stateContainerTarget(sb: Sandbox, prefix: string): () => RecordStoreTarget {
  let n = 0;
  return () => ({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key, container: `${prefix}-${process.pid}-${++n}` });
}

export async function startGatewaySandbox(): Promise<GatewaySandbox> {
  const sb = await startSandbox({ stepMs: 50, bigLog: false });
  const target = embeddedSandboxTarget(sb);
  return { sb, gw: createAzureGateways(target, { tuning: FAST_TUNING }), target };
}

export async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

export const RUN_SUB_STATES = ['Queued', 'Building', 'Customizing', 'Optimizing', 'Validating', 'Distributing'] as const;

export interface RunTrace {
  subStates: string[];
  final: ImageTemplate;
}

/**
 * Polls get() until the run leaves Running/Canceling, recording each distinct sub-state. The deadline only keeps a
 * broken emulator from hanging the suite; nothing asserts on time.
 */
export async function followRun(gw: AzureGateways, resourceGroup: string, name: string, deadlineMs = 30_000): Promise<RunTrace> {
  const subStates: string[] = [];
  const stop = Date.now() + deadlineMs;
  for (;;) {
    const t = await gw.templates.get(resourceGroup, name);
    const status = t.lastRunStatus;
    const sub = status?.runSubState;
    if (status?.runState === 'Running' && sub && subStates[subStates.length - 1] !== sub) subStates.push(sub);
    if (status?.runState && status.runState !== 'Running' && status.runState !== 'Canceling') return { subStates, final: t };
    if (Date.now() > stop) throw new Error(`run of ${resourceGroup}/${name} still ${status?.runState}/${sub} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Expects a promise to reject with an AzureGatewayError of this code, and returns it for further checks. */
export async function rejection(promise: Promise<unknown>): Promise<{ code?: string } & Record<string, unknown>> {
  try {
    await promise;
  } catch (e) {
    return e as { code?: string } & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, it succeeded');
}
