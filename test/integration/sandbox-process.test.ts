import { azuriteChildrenOf, isAlive, spawnSandboxCli } from './helpers/processes';
import { waitFor } from './helpers/sandbox-http';

// `aib-chatops sandbox` as a process: one JSON line with the endpoints and env, a working emulator behind it,
// a clean exit on SIGTERM/SIGINT, and no Azurite left behind, even when the sandbox itself is SIGKILLed.

const started: number[] = [];

afterAll(() => {
  // Nothing should be left; if a test failed half-way, do not leave its processes either.
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

async function startCli() {
  const cli = spawnSandboxCli(['--no-big-log', '--step-ms', '50']);
  started.push(cli.child.pid!);
  const line = await cli.firstLine;
  const azurite = azuriteChildrenOf(cli.child.pid!);
  expect(azurite).toHaveLength(1);
  started.push(azurite[0].pid);
  return { cli, line, azuritePid: azurite[0].pid };
}

test('prints one JSON line whose env points at a working sandbox, and SIGTERM stops everything with exit 0', async () => {
  const { cli, line, azuritePid } = await startCli();
  expect(Object.keys(line).sort()).toEqual(['armEndpoint', 'blobEndpoint', 'env', 'resourceGroup', 'subscriptionId']);
  expect(line.env).toMatchObject({
    AIB_SANDBOX_ARM_ENDPOINT: line.armEndpoint,
    AIB_SANDBOX_BLOB_ENDPOINT: line.blobEndpoint,
    AIB_SANDBOX_SUBSCRIPTION_ID: line.subscriptionId,
    AIB_SANDBOX_RESOURCE_GROUP: 'aib-sandbox',
    AIB_SANDBOX_STEP_MS: '50',
  });
  expect(line.env.AIB_SANDBOX_STORAGE_KEY).toMatch(/^[A-Za-z0-9+/]+=*$/);
  const r = await fetch(
    `${line.armEndpoint}/subscriptions/${line.subscriptionId}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base?api-version=2025-10-01`,
  );
  expect(r.status).toBe(200);

  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
  await waitFor(async () => (isAlive(azuritePid) ? undefined : true), 50);
  expect(azuriteChildrenOf(cli.child.pid!)).toEqual([]);
});

test('SIGINT stops it cleanly too', async () => {
  const { cli, azuritePid } = await startCli();
  cli.child.kill('SIGINT');
  expect(await cli.exited).toBe(0);
  await waitFor(async () => (isAlive(azuritePid) ? undefined : true), 50);
});

test('a SIGKILLed sandbox leaves no Azurite behind: the child exits when its stdin pipe closes', async () => {
  const { cli, azuritePid } = await startCli();
  cli.child.kill('SIGKILL');
  expect(await cli.exited).toBeNull();
  await waitFor(async () => (isAlive(azuritePid) ? undefined : true), 50);
  expect(isAlive(azuritePid)).toBe(false);
});

test('bad options are a usage error (exit 2) that starts nothing', async () => {
  const cli = spawnSandboxCli(['--step-ms', 'soon']);
  started.push(cli.child.pid!);
  expect(await cli.exited).toBe(2);
  expect(cli.stderr()).toContain('--step-ms needs a whole number');
});
