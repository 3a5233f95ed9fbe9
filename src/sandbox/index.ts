import { seedBigLog } from './big-log';
import { startAzurite, type AzuriteProcess } from './blob/azurite-process';
import { startBlobProxy, type BlobProxy } from './blob/blob-proxy';
import { AzuriteLogStore } from './blob/log-store';
import {
  DEFAULT_STEP_MS,
  DEV_RESOURCE_GROUP,
  MAIN_RESOURCE_GROUP,
  SANDBOX_STORAGE_KEY,
  SANDBOX_SUBSCRIPTION_ID,
  STATE_ACCOUNT,
} from './constants';
import type { Sandbox, SandboxOptions } from './contract';
import { startArmServer, type ArmServer } from './emulator/arm-server';
import { OperationBook } from './emulator/operations';
import { RunMachine } from './emulator/run-machine';
import { TemplateStore } from './emulator/template-store';
import { FaultBook } from './faults';
import { stableAccountName } from './ids';
import { ALL_SCENARIOS } from './scenarios';
import { startRecurringBuilds } from './recurring-builds';
import { accountOf, scenarioInfo, seedScenario } from './seed';

export type { FaultController, FaultRule, Sandbox, SandboxOptions, ScenarioInfo } from './contract';
export { SANDBOX_SUBSCRIPTION_ID, MAIN_RESOURCE_GROUP, DEV_RESOURCE_GROUP, SANDBOX_LOCATION } from './constants';

/** Storage accounts registered with Azurite for templates created after start-up (see TemplateStore.takeAccount). */
const SPARE_ACCOUNTS = 64;

/**
 * Starts Azurite, the blob fault proxy and the ARM emulator, seeds every scenario, and resolves once the
 * endpoints answer; only the 200 MB log keeps seeding afterwards (`ready`).
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const log = opts.log ?? (() => undefined);
  const stepMs = opts.stepMs ?? DEFAULT_STEP_MS;
  if (!Number.isInteger(stepMs) || stepMs < 1) throw new RangeError(`stepMs must be a positive whole number, got ${stepMs}`);
  const bigLog = opts.bigLog ?? true;
  const scenarios = ALL_SCENARIOS;
  const spares = Array.from({ length: SPARE_ACCOUNTS }, (_, i) => stableAccountName(`spare:${i}`));
  const accounts = [...scenarios.map(accountOf), ...spares, STATE_ACCOUNT].map((a) => `${a}:${SANDBOX_STORAGE_KEY}`).join(';');

  let azurite: AzuriteProcess | undefined;
  let proxy: BlobProxy | undefined;
  let arm: ArmServer | undefined;
  let runs: RunMachine | undefined;
  let stopping: Promise<void> | undefined;
  let stopped = false;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      runs?.stop();
      await Promise.allSettled([arm?.close(), proxy?.close()]);
      await azurite?.stop();
    })();
    return stopping;
  };

  try {
    azurite = await startAzurite({ accounts, log });
    const faults = new FaultBook();
    proxy = await startBlobProxy(new URL(azurite.url), faults, log);
    const blobEndpoint = proxy.endpoint;
    const logs = new AzuriteLogStore(azurite.url, SANDBOX_STORAGE_KEY);
    const operations = new OperationBook();
    runs = new RunMachine({ operations, logs, stepMs, subscriptionId: SANDBOX_SUBSCRIPTION_ID, log });
    const store = new TemplateStore([MAIN_RESOURCE_GROUP, DEV_RESOURCE_GROUP], spares);
    const now = new Date();
    const seedCtx = { store, runs, logs, subscriptionId: SANDBOX_SUBSCRIPTION_ID, now, bigLogs: bigLog };
    await Promise.all(scenarios.map((s, i) => seedScenario(s, seedCtx, i)));
    if (opts.recurringBuilds) startRecurringBuilds({ store, runs, stepMs, log, ...(opts.recurringBuilds === true ? {} : opts.recurringBuilds) });
    arm = await startArmServer(
      { store, runs, operations, logs, subscriptionId: SANDBOX_SUBSCRIPTION_ID, stepMs, blobEndpoint: () => blobEndpoint },
      faults,
      opts.port ?? 0,
      log,
    );

    const big = bigLog ? scenarios.filter((s) => s.bigLog) : [];
    const ready = (async () => {
      for (const s of big) {
        try {
          const { bytes, ms } = await seedBigLog(s, logs);
          log(`sandbox: seeded ${s.name}'s ${Math.round(bytes / 1048576)} MiB log in ${ms} ms`);
        } catch (e) {
          if (stopped) return;
          throw e;
        }
      }
    })();
    // Nobody has to await `ready`; a failure must not become an unhandled rejection that kills the host.
    ready.catch((e: unknown) => log(`sandbox: big log seeding failed: ${(e as Error).message}`));

    const stateStorage = { url: `${azurite.url}/${STATE_ACCOUNT}`, account: STATE_ACCOUNT, key: SANDBOX_STORAGE_KEY };
    const env: Record<string, string> = {
      AIB_SANDBOX_ARM_ENDPOINT: arm.endpoint,
      AIB_SANDBOX_BLOB_ENDPOINT: blobEndpoint,
      AIB_SANDBOX_STORAGE_KEY: SANDBOX_STORAGE_KEY,
      AIB_SANDBOX_SUBSCRIPTION_ID: SANDBOX_SUBSCRIPTION_ID,
      AIB_SANDBOX_RESOURCE_GROUP: MAIN_RESOURCE_GROUP,
      AIB_SANDBOX_STEP_MS: String(stepMs),
      AIB_SANDBOX_STATE_URL: stateStorage.url,
    };
    return {
      armEndpoint: arm.endpoint,
      blobEndpoint,
      storageKey: SANDBOX_STORAGE_KEY,
      subscriptionId: SANDBOX_SUBSCRIPTION_ID,
      resourceGroup: MAIN_RESOURCE_GROUP,
      stateStorage,
      env,
      faults,
      scenarios: scenarios.map(scenarioInfo),
      ready,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
