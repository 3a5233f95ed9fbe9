import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { API, arm, getTemplate, logFolder, templatePath, waitFor } from './helpers/sandbox-http';

// The run clock: POST run through the sub-states to the scenario's failure with a fresh log, success with run
// outputs, cancel, and delete taking the logs with it.

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ stepMs: 50, bigLog: false });
});

afterAll(async () => {
  await sb?.stop();
});

function logsOf(sb: Sandbox, account: string) {
  return new BlobServiceClient(`${sb.blobEndpoint}/${account}`, new StorageSharedKeyCredential(account, sb.storageKey)).getContainerClient('packerlogs');
}

async function accountOf(name: string): Promise<string> {
  const t = await getTemplate(sb, name);
  const staging = t.properties.exactStagingResourceGroup.split('/').pop();
  const r = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/${staging}/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
  return r.body.value[0].name;
}

/** Records each distinct (runState, runSubState) until the run leaves Running/Canceling. */
async function follow(name: string): Promise<{ seen: string[]; final: any }> {
  const seen: string[] = [];
  const final = await waitFor(async () => {
    const t = await getTemplate(sb, name);
    const s = t.properties.lastRunStatus;
    const label = `${s.runState}/${s.runSubState}`;
    if (seen[seen.length - 1] !== label) seen.push(label);
    return s.runState === 'Running' || s.runState === 'Canceling' ? undefined : t;
  }, 10);
  return { seen, final };
}

test('a rerun of a failed scenario walks the sub-states and fails the same way with a NEW log folder', async () => {
  const before = await getTemplate(sb, 'win2022-base');
  const oldMessage: string = before.properties.lastRunStatus.message;
  const run = await arm(sb, 'POST', `${templatePath(sb, 'win2022-base')}/run?${API}`);
  expect(run.status).toBe(202);
  expect(run.headers.get('azure-asyncoperation')).toMatch(/\/locations\/westeurope\/operations\/[0-9A-F-]{36}\?api-version=2025-10-01$/);
  expect(run.headers.get('location')).toContain('/operationResults/');
  expect(run.headers.get('retry-after')).toBe('1');

  const { seen, final } = await follow('win2022-base');
  expect(seen.slice(-3)).toEqual(['Running/Building', 'Running/Customizing', 'Failed/Customizing']);
  const message: string = final.properties.lastRunStatus.message;
  expect(message.replace(/[0-9a-f-]{36}/g, 'ID')).toBe(oldMessage.replace(/[0-9a-f-]{36}/g, 'ID'));
  expect(logFolder(message)).not.toBe(logFolder(oldMessage));
  expect(new Date(final.properties.lastRunStatus.endTime).getTime()).toBeGreaterThanOrEqual(new Date(final.properties.lastRunStatus.startTime).getTime());

  const container = logsOf(sb, await accountOf('win2022-base'));
  const fresh = (await container.getBlobClient(`${logFolder(message)}/customization.log`).downloadToBuffer()).toString('utf8');
  expect(fresh).toContain('msiexec.exe exited with code 1603');
  expect(fresh.split('\n').length).toBeGreaterThan(100);
  const folders: string[] = [];
  for await (const b of container.listBlobsFlat()) folders.push(b.name.split('/')[0]);
  expect(folders).toEqual(expect.arrayContaining([logFolder(message), logFolder(oldMessage)]));

  const op = await arm(sb, 'GET', run.headers.get('azure-asyncoperation')!);
  expect(op.body.status).toBe('Failed');
  expect(op.body.error.code).toBe('PackerBuildFailed');
  expect(op.body.error.message).toBe(message);
});

test('a succeeded template succeeds again and gets run outputs', async () => {
  const run = await arm(sb, 'POST', `${templatePath(sb, 'ubuntu2204-ok')}/run?${API}`);
  expect(run.status).toBe(202);
  const { seen, final } = await follow('ubuntu2204-ok');
  expect(seen).toContain('Running/Distributing');
  expect(final.properties.lastRunStatus.runState).toBe('Succeeded');
  const outputs = await arm(sb, 'GET', `${templatePath(sb, 'ubuntu2204-ok')}/runOutputs?${API}`);
  expect(outputs.body.value).toHaveLength(1);
  expect(outputs.body.value[0].properties.artifactId).toMatch(/\/galleries\/contosoImages\/images\/ubuntu2204-base\/versions\/1\.0\.\d+$/);
  const one = await arm(sb, 'GET', `${templatePath(sb, 'ubuntu2204-ok')}/runOutputs/ubuntu2204-ok-sig?${API}`);
  expect(one.status).toBe(200);
  expect(one.body.type).toBe('Microsoft.VirtualMachineImages/imageTemplates/runOutputs');
  const missing = await arm(sb, 'GET', `${templatePath(sb, 'ubuntu2204-ok')}/runOutputs/nope?${API}`);
  expect(missing.status).toBe(404);
});

test('run while running and delete while running are 409 OperationNotAllowed; cancel goes through Canceling', async () => {
  const run = await arm(sb, 'POST', `${templatePath(sb, 'ubuntu2204-web')}/run?${API}`);
  expect(run.status).toBe(202);
  const again = await arm(sb, 'POST', `${templatePath(sb, 'ubuntu2204-web')}/run?${API}`);
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('OperationNotAllowed');
  const del = await arm(sb, 'DELETE', `${templatePath(sb, 'ubuntu2204-web')}?${API}`);
  expect(del.status).toBe(409);
  expect(del.body.error.code).toBe('OperationNotAllowed');

  const cancel = await arm(sb, 'POST', `${templatePath(sb, 'ubuntu2204-web')}/cancel?${API}`);
  expect(cancel.status).toBe(202);
  expect((await getTemplate(sb, 'ubuntu2204-web')).properties.lastRunStatus.runState).toBe('Canceling');
  const { final } = await follow('ubuntu2204-web');
  expect(final.properties.lastRunStatus.runState).toBe('Canceled');
  expect((await arm(sb, 'GET', cancel.headers.get('azure-asyncoperation')!)).body.status).toBe('Succeeded');
  expect((await arm(sb, 'GET', run.headers.get('azure-asyncoperation')!)).body.status).toBe('Canceled');

  const nothingToCancel = await arm(sb, 'POST', `${templatePath(sb, 'ubuntu2204-web')}/cancel?${API}`);
  expect(nothingToCancel.status).toBe(409);
});

test('a template that failed provisioning refuses to run', async () => {
  const r = await arm(sb, 'POST', `${templatePath(sb, 'win2019-iis')}/run?${API}`);
  expect(r.status).toBe(409);
  expect(r.body.error.code).toBe('OperationNotAllowed');
});

test('the seeded running build is live: it has a partial log and can be canceled', async () => {
  const t = await getTemplate(sb, 'win2022-running');
  expect(t.properties.lastRunStatus).toMatchObject({ runState: 'Running', runSubState: 'Customizing' });
  expect(t.properties.lastRunStatus.endTime).toBeUndefined();
  const container = logsOf(sb, await accountOf('win2022-running'));
  const partial: string[] = [];
  for await (const b of container.listBlobsFlat()) partial.push((await container.getBlobClient(b.name).downloadToBuffer()).toString('utf8'));
  expect(partial).toHaveLength(1);
  expect(partial[0]).toContain('(telemetry) Starting provisioner');
  expect(partial[0]).not.toContain('Finalizing');

  const cancel = await arm(sb, 'POST', `${templatePath(sb, 'win2022-running')}/cancel?${API}`);
  expect(cancel.status).toBe(202);
  const { final } = await follow('win2022-running');
  expect(final.properties.lastRunStatus.runState).toBe('Canceled');
});

test('DELETE answers 202 + Location, removes the template, its staging account listing and its logs', async () => {
  const account = await accountOf('ubuntu2204-slim');
  const staging = (await getTemplate(sb, 'ubuntu2204-slim')).properties.exactStagingResourceGroup.split('/').pop();
  const container = logsOf(sb, account);
  expect(await container.exists()).toBe(true);

  const del = await arm(sb, 'DELETE', `${templatePath(sb, 'ubuntu2204-slim')}?${API}`);
  expect(del.status).toBe(202);
  const location = del.headers.get('location')!;
  expect(location).toContain('/operationResults/');
  const finalStatus = await waitFor(async () => {
    const r = await arm(sb, 'GET', location);
    return r.status === 202 ? undefined : r.status;
  });
  expect(finalStatus).toBe(204);

  expect((await arm(sb, 'GET', `${templatePath(sb, 'ubuntu2204-slim')}?${API}`)).status).toBe(404);
  expect((await arm(sb, 'DELETE', `${templatePath(sb, 'ubuntu2204-slim')}?${API}`)).status).toBe(204);
  const accounts = await arm(sb, 'GET', `/subscriptions/${sb.subscriptionId}/resourceGroups/${staging}/providers/Microsoft.Storage/storageAccounts?api-version=2025-06-01`);
  expect(accounts.status).toBe(404);
  expect(await container.exists()).toBe(false);
});
