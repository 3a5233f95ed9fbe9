import { loadConfig, type AzureTarget } from '../config';
import { createAzureGateways, isAzureGatewayError } from '../azure';
import { diagnoseTemplate } from '../usecases/diagnose-template';
import type { Diagnosis } from '../diagnosis';
import type { LiveDiagnose } from './diagnose-command';
import { UsageError } from './usage-error';

// `diagnose --resource-group R --name N`: the template and its log fetched live, from Azure when configured, from
// the sandbox named by AIB_SANDBOX_* when one runs, or from a sandbox started just for this command.

export const liveDiagnose: LiveDiagnose = async (args, io) => {
  const config = loadConfig(io.env);
  let target: AzureTarget = config.azure;
  if (args.subscription) {
    if (target.kind !== 'azure') throw new UsageError('--subscription needs Azure mode (AZURE_SUBSCRIPTION_ID set); the sandbox has one subscription');
    target = { ...target, subscriptionId: args.subscription };
  }
  let stop: (() => Promise<void>) | undefined;
  if (target.kind === 'sandbox' && target.origin === 'embedded') {
    io.stderr.write('aib-chatops: no Azure configured and no sandbox running: starting a sandbox for this command (AIB_SANDBOX_* or AZURE_SUBSCRIPTION_ID to change that)\n');
    const { startSandbox } = await import('../sandbox');
    const sandbox = await startSandbox({ bigLog: false, stepMs: config.sandboxStepMs });
    stop = () => sandbox.stop();
    target = {
      ...target,
      armEndpoint: sandbox.armEndpoint,
      blobEndpoint: sandbox.blobEndpoint,
      storageKey: sandbox.storageKey,
      subscriptionId: sandbox.subscriptionId,
    };
  }
  try {
    const gateways = createAzureGateways(target);
    const result = await diagnoseTemplate(gateways, args.resourceGroup, args.name, {
      read: 'full',
      tailBytes: config.logTailBytes,
      maxBytes: config.logMaxBytes,
    });
    if (result.log.error) io.stderr.write(`aib-chatops: ${result.log.error.message}\n`);
    if (result.log.partial) io.stderr.write(`aib-chatops: read ${result.log.bytesRead} of ${result.log.size} log bytes (AIB_LOG_MAX_BYTES)\n`);
    return { diagnosis: result.diagnosis satisfies Diagnosis, template: result.template, triggers: result.triggers };
  } catch (e) {
    // A name that does not exist or is malformed is the user's input: exit 2 like any other bad input.
    if (isAzureGatewayError(e) && (e.code === 'not-found' || e.code === 'invalid-name')) throw new UsageError(e.message);
    throw e;
  } finally {
    await stop?.();
  }
};
