import type { ImageTemplate } from '../../src/azure';
import { diagnoseTemplate } from '../../src/usecases/diagnose-template';
import { followRun, readAll, rejection, startGatewaySandbox, type GatewaySandbox } from './helpers/azure-sandbox';
import { API, arm, templatePath } from './helpers/sandbox-http';

// Issue 13 through the real SDKs (@azure/arm-imagebuilder 5.0.0, @azure/arm-compute, storage-blob) against the
// emulator: PATCH in place, validation.log, errorHandling abort, partial success and sub-states, gallery
// replication, triggers, isolated builds, and the 2022-2025 template fields.

let env: GatewaySandbox;
const MAIN = 'aib-sandbox';
const SUB = '00000000-0000-4000-8000-00000000a1b0';
const VNET = `/subscriptions/${SUB}/resourceGroups/${MAIN}/providers/Microsoft.Network/virtualNetworks/vnet-images`;

beforeAll(async () => {
  env = await startGatewaySandbox();
});

afterAll(async () => {
  await env?.sb.stop();
});

function newTemplate(extra: Record<string, unknown> = {}): ImageTemplate {
  return {
    location: 'westeurope',
    identity: {
      type: 'UserAssigned',
      userAssignedIdentities: { [`/subscriptions/${SUB}/resourceGroups/${MAIN}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib-builder`]: {} },
    },
    source: { type: 'PlatformImage', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
    customize: [{ type: 'Shell', name: 'hello', inline: ['echo hello'] }],
    distribute: [
      {
        type: 'SharedImage',
        runOutputName: 'out-sig',
        galleryImageId: `/subscriptions/${SUB}/resourceGroups/${MAIN}/providers/Microsoft.Compute/galleries/contosoImages/images/tests`,
        targetRegions: [{ name: 'westeurope', replicaCount: 1 }],
      },
    ],
    vmProfile: { vmSize: 'Standard_D2ds_v5', osDiskSizeGB: 64 },
    ...extra,
  } as ImageTemplate;
}

describe('1. PATCH: vmProfile, distribute and tags in place', () => {
  it('resizeVm changes vmSize, keeps name, id, history and the rest of vmProfile, and every GET during it answers 200', async () => {
    const before = await env.gw.templates.get(MAIN, 'ubuntu2204-ok');
    let done = false;
    const seen: string[] = [];
    const poll = (async () => {
      while (!done) {
        const t = await env.gw.templates.get(MAIN, 'ubuntu2204-ok'); // throws on anything but 200
        seen.push(`${t.provisioningState}/${t.vmProfile?.vmSize}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const after = await env.gw.templates.resizeVm(MAIN, 'ubuntu2204-ok', { vmSize: 'Standard_D8ds_v5' });
    done = true;
    await poll;
    expect(seen.length).toBeGreaterThan(0);
    expect(after).toMatchObject({ id: before.id, name: before.name, provisioningState: 'Succeeded' });
    expect(after.vmProfile).toEqual({ ...before.vmProfile, vmSize: 'Standard_D8ds_v5' });
    expect(after.lastRunStatus).toEqual(before.lastRunStatus);
    expect(after.buildTimeoutInMinutes).toBe(before.buildTimeoutInMinutes);
    // Every size seen while the operation ran is the old or the new one: the template never disappears.
    for (const s of seen) expect(['Succeeded/Standard_D2ds_v5', 'Updating/Standard_D2ds_v5', 'Succeeded/Standard_D8ds_v5']).toContain(s);
    expect((await env.gw.templates.get(MAIN, 'ubuntu2204-ok')).vmProfile?.vmSize).toBe('Standard_D8ds_v5');
  });

  it('update sets tags and adds a distribute target when every existing one is sent again', async () => {
    await env.gw.templates.create(MAIN, 'tests-patch-distribute', newTemplate());
    const current = await env.gw.templates.get(MAIN, 'tests-patch-distribute');
    const vhd = { type: 'VHD', runOutputName: 'out-vhd' } as const;
    const after = await env.gw.templates.update(MAIN, 'tests-patch-distribute', {
      tags: { owner: 'images', stage: 'prod' },
      properties: { distribute: [...(current.distribute ?? []), vhd] },
    });
    expect(after.tags).toEqual({ owner: 'images', stage: 'prod' });
    expect((after.distribute ?? []).map((d) => d.runOutputName)).toEqual(['out-sig', 'out-vhd']);
  });

  it('is refused while a build runs, with OperationNotAllowed', async () => {
    const err = await rejection(env.gw.templates.resizeVm(MAIN, 'win2022-isolated-running', { vmSize: 'Standard_D8ds_v5' }));
    expect(err).toMatchObject({ code: 'operation-not-allowed', status: 409, serviceCode: 'OperationNotAllowed' });
    expect(String(err.serviceMessage)).toContain('while a build is in progress');
    expect((await env.gw.templates.get(MAIN, 'win2022-isolated-running')).vmProfile?.vmSize).toBe('Standard_D4ds_v5');
  });

  it('refuses what PATCH cannot change, unknown (case-sensitive) names and a dropped distribute target', async () => {
    const path = `${templatePath(env.sb, 'ubuntu2204-cis')}?${API}`;
    const timeout = await arm(env.sb, 'PATCH', path, { properties: { buildTimeoutInMinutes: 240 } });
    expect(timeout.status).toBe(409);
    expect(timeout.body.error).toMatchObject({ code: 'Conflict' });
    expect(timeout.body.error.message).toContain('Update/Upgrade of image templates is currently not supported');
    const customize = await arm(env.sb, 'PATCH', path, { properties: { customize: [] } });
    expect(customize.status).toBe(409);
    const misspelt = await arm(env.sb, 'PATCH', path, { properties: { vmprofile: { vmSize: 'Standard_D8ds_v5' } } });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.message).toContain('Unmarshalling entity encountered error');
    expect(misspelt.body.error.message).toContain('"vmprofile"');
    const dropped = await arm(env.sb, 'PATCH', path, { properties: { distribute: [] } });
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.message).toMatch(/Distribute target with Runoutput name \S+ not found in the update request\. Deleting a distribution target is not allowed\./);
  });

  it('checks vnetConfig: a container-instance subnet needs subnetId on the same VNet and no proxyVmSize', async () => {
    await env.gw.templates.create(MAIN, 'tests-patch-vnet', newTemplate());
    const withProxy = await rejection(
      env.gw.templates.update(MAIN, 'tests-patch-vnet', {
        properties: { vmProfile: { vmSize: 'Standard_D2ds_v5', vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci`, proxyVmSize: 'Standard_A2_v2' } } },
      }),
    );
    expect(withProxy).toMatchObject({ status: 400, serviceCode: 'ValidationFailed' });
    const noSubnet = await rejection(
      env.gw.templates.update(MAIN, 'tests-patch-vnet', { properties: { vmProfile: { vnetConfig: { containerInstanceSubnetId: `${VNET}/subnets/aci` } } } }),
    );
    expect(noSubnet).toMatchObject({ status: 400, serviceCode: 'ValidationFailed' });
    const ok = await env.gw.templates.update(MAIN, 'tests-patch-vnet', {
      properties: { vmProfile: { vmSize: 'Standard_D2ds_v5', vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci` } } },
    });
    expect(ok.vmProfile?.vnetConfig).toEqual({ subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci` });
  });

  it('refuses a VM size that is not a size name before any request', async () => {
    env.sb.faults.add({ target: 'arm', status: 500 });
    try {
      expect(await rejection(env.gw.templates.resizeVm(MAIN, 'ubuntu2204-ok', { vmSize: 'D8; rm -rf' }))).toMatchObject({ code: 'invalid-name' });
      expect(env.sb.faults.hits()).toBe(0);
    } finally {
      env.sb.faults.clear();
    }
  });
});

describe('2. validation.log beside customization.log', () => {
  it('is located and read like the customization log when the run reached Validating', async () => {
    const t = await env.gw.templates.get(MAIN, 'ubuntu2404-validated');
    expect(t.lastRunStatus).toMatchObject({ runState: 'Failed', runSubState: 'Validating' });
    const customization = await env.gw.logs.locate(t);
    const validation = await env.gw.logs.locateValidation(t);
    expect(validation).toBeDefined();
    expect(validation!.account).toBe(customization.account);
    expect(validation!.blobPath).toBe(customization.blobPath.replace(/customization\.log$/, 'validation.log'));
    const tail = await env.gw.logs.tail(validation!, 64 * 1024);
    const text = (await readAll(tail.chunks)).toString('utf8');
    expect(text).toContain('(telemetry) Starting validator check-cis-score');
    expect(text).toContain('CIS level 1 score: 71% (required: 90%)');
    expect(text).toContain('Script exited with non-zero exit status: 3');
  });

  it('is absent when the run never validated', async () => {
    const t = await env.gw.templates.get(MAIN, 'win2022-abort-debug');
    expect(await env.gw.logs.locateValidation(t)).toBeUndefined();
  });
});

describe('3. errorHandling abort keeps the staging resources; cleanup removes them', () => {
  it('plans without deleting, and deletes only the saved ids it is given (none here)', async () => {
    const t = await env.gw.templates.get(MAIN, 'win2022-abort-debug');
    const plan = await env.gw.staging.keptResources(t);
    expect(plan.deletable.map((r) => r.type)).toContain('Microsoft.Compute/virtualMachines');
    expect(plan.kept.map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
    const forged = [`/subscriptions/${env.sb.subscriptionId}/resourceGroups/${MAIN}/providers/Microsoft.Compute/virtualMachines/not-staging`];
    const result = await env.gw.staging.cleanupKept(t, { only: forged });
    expect(result.deleted).toEqual([]);
    expect((await env.gw.staging.resources(t)).length).toBe(plan.deletable.length + plan.kept.length);
  });

  it('lists the kept build VM with the managed resource tags, and cleans up all but the log storage account', async () => {
    const t = await env.gw.templates.get(MAIN, 'win2022-abort-debug');
    expect(t.errorHandling).toEqual({ onCustomizerError: 'abort', onValidationError: 'cleanup' });
    const kept = await env.gw.staging.resources(t);
    const types = kept.map((r) => r.type).sort();
    expect(types).toEqual(expect.arrayContaining(['Microsoft.Compute/virtualMachines', 'Microsoft.Compute/disks', 'Microsoft.Network/networkInterfaces', 'Microsoft.Storage/storageAccounts']));
    expect(types).not.toContain('Microsoft.ContainerInstance/containerGroups');
    const deleted: string[] = [];
    const result = await env.gw.staging.cleanupKept(t, { onDeleted: (r) => deleted.push(r.type) });
    expect(deleted[0]).toBe('Microsoft.Compute/virtualMachines');
    expect(result.kept.map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
    expect(result.stagingResourceGroup).toBe(t.exactStagingResourceGroup!.split('/').pop());
    expect((await env.gw.staging.resources(t)).map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
    // The log is still there to read after the cleanup.
    expect(await env.gw.logs.size(await env.gw.logs.locate(t))).toBeGreaterThan(0);
  });

  it('with the default cleanup, a failed build leaves only the storage account', async () => {
    const t = await env.gw.templates.get(MAIN, 'ubuntu2204-nightly');
    expect((await env.gw.staging.resources(t)).map((r) => r.type)).toEqual(['Microsoft.Storage/storageAccounts']);
  });
});

describe('4. PartiallySucceeded, Optimizing and Validating', () => {
  it('a partial success names the failed target through its run output', async () => {
    const t = await env.gw.templates.get(MAIN, 'ubuntu2204-multi-target');
    expect(t.lastRunStatus?.runState).toBe('PartiallySucceeded');
    expect(t.lastRunStatus?.message).toContain('[Distribute 1]');
    expect(t.lastRunStatus?.message).toContain('ResourceGroupNotFound');
    const outputs = await env.gw.templates.runOutputs(MAIN, 'ubuntu2204-multi-target');
    expect(outputs.map((o) => [o.name, o.provisioningState, !!o.artifactId])).toEqual([
      ['ubuntu2204-multi-sig', 'Succeeded', true],
      ['ubuntu2204-multi-mi', 'Failed', false],
    ]);
  });

  it('a rerun of that template ends PartiallySucceeded again', async () => {
    await env.gw.templates.run(MAIN, 'ubuntu2204-multi-target');
    const trace = await followRun(env.gw, MAIN, 'ubuntu2204-multi-target');
    expect(trace.final.lastRunStatus?.runState).toBe('PartiallySucceeded');
  });

  it('a template with optimize and validate walks through Optimizing and Validating and writes a passing validation.log', async () => {
    await env.gw.templates.create(
      MAIN,
      'tests-optimize-validate',
      newTemplate({ optimize: { vmBoot: { state: 'Enabled' } }, validate: { inVMValidations: [{ type: 'Shell', name: 'smoke', inline: ['true'] }] } }),
    );
    await env.gw.templates.run(MAIN, 'tests-optimize-validate');
    const trace = await followRun(env.gw, MAIN, 'tests-optimize-validate');
    expect(trace.subStates).toEqual(['Queued', 'Building', 'Customizing', 'Optimizing', 'Validating', 'Distributing']);
    expect(trace.final.lastRunStatus?.runState).toBe('Succeeded');
    const validation = await env.gw.logs.locateValidation(trace.final);
    const text = (await readAll((await env.gw.logs.tail(validation!, 65536)).chunks)).toString('utf8');
    expect(text).toContain('every validator passed');
  });

  it('a seeded build sits in Validating', async () => {
    expect((await env.gw.templates.get(MAIN, 'ubuntu2404-validating')).lastRunStatus).toMatchObject({ runState: 'Running', runSubState: 'Validating' });
  });
});

describe('5. gallery image version replicationStatus (@azure/arm-compute)', () => {
  async function versionOf(name: string): Promise<string> {
    const outputs = await env.gw.templates.runOutputs(MAIN, name);
    const id = outputs.find((o) => o.artifactId?.includes('/versions/'))?.artifactId;
    if (!id) throw new Error(`${name} has no gallery run output`);
    return id;
  }

  it('names the regions still replicating after Image Builder stopped waiting', async () => {
    const r = await env.gw.galleries.replication(await versionOf('win2022-replicating'));
    expect(r.aggregatedState).toBe('InProgress');
    expect(r.replicatingRegions).toEqual(['brazilsouth', 'japaneast']);
    expect(r.failedRegions).toEqual([]);
    expect(r.regions.find((x) => x.region === 'brazilsouth')?.progress).toBe(62);
  });

  it('says when replication finished after Image Builder stopped waiting', async () => {
    const t = await env.gw.templates.get(MAIN, 'ubuntu2204-replicated-late');
    expect(t.lastRunStatus?.message).toContain('context deadline exceeded');
    const r = await env.gw.galleries.replication(await versionOf('ubuntu2204-replicated-late'));
    expect(r).toMatchObject({ aggregatedState: 'Completed', failedRegions: [], replicatingRegions: [] });
    expect(r.regions.map((x) => x.region)).toEqual(['westeurope', 'southeastasia']);
  });

  it('names the failed region and why', async () => {
    const r = await env.gw.galleries.replication(await versionOf('ubuntu2204-region-failed'));
    expect(r.aggregatedState).toBe('Failed');
    expect(r.failedRegions).toEqual(['australiaeast']);
    expect(r.regions.find((x) => x.region === 'australiaeast')?.details).toContain('quota');
  });

  it('reports Completed for a version a successful build made', async () => {
    const r = await env.gw.galleries.replication(await versionOf('ubuntu2204-multi-target'));
    expect(r).toMatchObject({ aggregatedState: 'Completed', failedRegions: [], replicatingRegions: [] });
  });

  it('answers only with $expand=ReplicationStatus, and a missing version is not-found', async () => {
    const id = await versionOf('win2022-replicating');
    const plain = await arm(env.sb, 'GET', `${id}?api-version=2025-03-03`);
    expect(plain.status).toBe(200);
    expect(plain.body.properties.replicationStatus).toBeUndefined();
    const missing = await rejection(env.gw.galleries.replication(id.replace(/\/versions\/[^/]+$/, '/versions/9.9.9')));
    expect(missing).toMatchObject({ code: 'not-found', status: 404 });
    expect(await rejection(env.gw.galleries.replication('/subscriptions/x/../versions/1'))).toMatchObject({ code: 'invalid-name' });
  });
});

describe('5. the diagnosis reads replicationStatus on a failed distribution (use case over the real SDKs)', () => {
  const tail = { read: 'tail' as const, tailBytes: 64 * 1024, maxBytes: 8 * 1024 * 1024 };

  it('a replication timeout names the regions still replicating, with their progress', async () => {
    const d = await diagnoseTemplate(env.gw, MAIN, 'win2022-replicating', tail);
    expect(d.diagnosis.diagnosis.id).toBe('gallery-replication-timeout');
    const g = d.diagnosis.distribution?.galleries ?? [];
    expect(g).toHaveLength(1);
    expect(g[0]).toMatchObject({ version: '1.0.4207', aggregatedState: 'InProgress', failedRegions: [], finishedAfterImageBuilderStopped: false });
    expect(g[0].replicatingRegions).toEqual([
      { region: 'brazilsouth', progress: 62 },
      { region: 'japaneast', progress: 35 },
    ]);
  });

  it('says replication finished after Image Builder stopped waiting', async () => {
    const d = await diagnoseTemplate(env.gw, MAIN, 'ubuntu2204-replicated-late', tail);
    expect(d.diagnosis.distribution?.galleries[0]).toMatchObject({ aggregatedState: 'Completed', replicatingRegions: [], finishedAfterImageBuilderStopped: true });
  });

  it('names the region whose replication failed and Azure\'s reason', async () => {
    const d = await diagnoseTemplate(env.gw, MAIN, 'ubuntu2204-region-failed', tail);
    const g = d.diagnosis.distribution?.galleries[0];
    expect(g?.failedRegions).toHaveLength(1);
    expect(g?.failedRegions[0].region).toBe('australiaeast');
    expect(g?.failedRegions[0].details).toContain('quota');
    expect(g?.finishedAfterImageBuilderStopped).toBe(false);
  });

  it('a PartiallySucceeded run names the failed target and why on the diagnosis, and reads no replication for the target that published', async () => {
    const d = await diagnoseTemplate(env.gw, MAIN, 'ubuntu2204-multi-target', tail);
    expect(d.diagnosis.distribution?.failedTargets).toEqual([
      { runOutputName: 'ubuntu2204-multi-mi', reason: expect.stringContaining('ResourceGroupNotFound') },
    ]);
    for (const g of d.diagnosis.distribution?.galleries ?? []) expect(g).toMatchObject({ failedRegions: [], replicatingRegions: [], finishedAfterImageBuilderStopped: false });
  });

  it('a failure outside distribution reads no run outputs and no replication', async () => {
    const d = await diagnoseTemplate(env.gw, MAIN, 'ubuntu2404-validated', tail);
    expect(d.diagnosis.distribution).toBeUndefined();
  });
});

describe('6. triggers', () => {
  it('lists a template trigger that Image Builder disabled, and gets it by name', async () => {
    const list = await env.gw.templates.triggers(MAIN, 'ubuntu2204-nightly');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'source-image-updates', kind: 'SourceImage', statusCode: 'Disabled', provisioningState: 'Succeeded' });
    expect(list[0].statusMessage).toContain('successful manual build');
    expect(list[0].statusTime).toBeInstanceOf(Date);
    expect(await env.gw.templates.trigger(MAIN, 'ubuntu2204-nightly', 'source-image-updates')).toEqual(list[0]);
  });

  it('a template without triggers lists none; an unknown trigger is not-found', async () => {
    expect(await env.gw.templates.triggers(MAIN, 'ubuntu2204-ok')).toEqual([]);
    expect(await rejection(env.gw.templates.trigger(MAIN, 'ubuntu2204-nightly', 'nope'))).toMatchObject({ code: 'not-found', status: 404 });
  });
});

describe('7. isolated builds', () => {
  it('names the build container while a build runs, and none once it finished', async () => {
    const running = await env.gw.templates.get(MAIN, 'win2022-isolated-running');
    const container = await env.gw.staging.buildContainer(running);
    expect(container?.name).toMatch(/^vmimagebuilder-build-container-[a-z0-9]{10}$/);
    expect(container?.id).toContain(`/resourceGroups/${running.exactStagingResourceGroup!.split('/').pop()}/providers/Microsoft.ContainerInstance/containerGroups/`);
    expect(await env.gw.staging.buildContainer(await env.gw.templates.get(MAIN, 'ubuntu2204-cis'))).toBeUndefined();
  });

  it('the kept resources cannot be deleted while the build still uses them', async () => {
    const running = await env.gw.templates.get(MAIN, 'win2022-isolated-running');
    expect(await rejection(env.gw.staging.cleanupKept(running))).toMatchObject({ code: 'operation-not-allowed' });
  });
});

describe('8. template fields of 2022-2025', () => {
  it('PUT accepts and GET returns autoRun, managedResourceTags, optimize, vnetConfig, targetRegions, versioning and data disks', async () => {
    const created = await env.gw.templates.create(
      MAIN,
      'tests-modern-fields',
      newTemplate({
        autoRun: { state: 'Enabled' },
        managedResourceTags: { costCenter: '4711' },
        optimize: { vmBoot: { state: 'Enabled' } },
        additionalDataDisks: [{ sizeGB: 32 }],
        vmProfile: { vmSize: 'Standard_D4ds_v5', vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci` } },
        distribute: [
          {
            type: 'SharedImage',
            runOutputName: 'out-sig',
            galleryImageId: `/subscriptions/${SUB}/resourceGroups/${MAIN}/providers/Microsoft.Compute/galleries/contosoImages/images/tests`,
            targetRegions: [{ name: 'westeurope', replicaCount: 2, storageAccountType: 'Standard_ZRS' }, { name: 'northeurope' }],
            versioning: { scheme: 'Latest', major: 3 },
          },
        ],
      }),
    );
    const t = await env.gw.templates.get(MAIN, 'tests-modern-fields');
    expect(t.autoRun).toEqual({ state: 'Enabled' });
    expect(t.managedResourceTags).toEqual({ costCenter: '4711' });
    expect(t.optimize).toEqual({ vmBoot: { state: 'Enabled' } });
    expect(t.additionalDataDisks).toEqual([{ sizeGB: 32 }]);
    expect(t.vmProfile?.vnetConfig?.containerInstanceSubnetId).toBe(`${VNET}/subnets/aci`);
    const gallery = t.distribute?.[0] as { targetRegions?: unknown[]; versioning?: unknown };
    expect(gallery.targetRegions).toHaveLength(2);
    expect(gallery.versioning).toEqual({ scheme: 'Latest', major: 3 });
    expect(created.name).toBe('tests-modern-fields');
    // autoRun: the first build started by itself once the template existed.
    const trace = await followRun(env.gw, MAIN, 'tests-modern-fields');
    expect(trace.final.lastRunStatus?.runState).toBe('Succeeded');
  });

  it('refuses a container-instance subnet together with proxyVmSize, and unknown data disk shapes', async () => {
    const proxy = await rejection(
      env.gw.templates.create(
        MAIN,
        'tests-modern-refused',
        newTemplate({ vmProfile: { vnetConfig: { subnetId: `${VNET}/subnets/build`, containerInstanceSubnetId: `${VNET}/subnets/aci`, proxyVmSize: 'Standard_A1_v2' } } }),
      ),
    );
    expect(proxy).toMatchObject({ status: 400, serviceCode: 'ValidationFailed' });
    const disks = await arm(env.sb, 'PUT', `${templatePath(env.sb, 'tests-modern-refused')}?${API}`, {
      location: 'westeurope',
      identity: { type: 'None' },
      properties: { source: { type: 'PlatformImage' }, distribute: [{ type: 'VHD', runOutputName: 'v' }], additionalDataDisks: [{ size: 32 }] },
    });
    expect(disks.status).toBe(400);
    expect(disks.body.error.message).toContain('additionalDataDisks[0]');
    const vmboot = await arm(env.sb, 'PUT', `${templatePath(env.sb, 'tests-modern-refused')}?${API}`, {
      location: 'westeurope',
      identity: { type: 'None' },
      properties: { source: { type: 'PlatformImage' }, distribute: [{ type: 'VHD', runOutputName: 'v' }], optimize: { vmboot: { state: 'Enabled' } } },
    });
    expect(vmboot.status).toBe(400);
    expect(vmboot.body.error.message).toContain('unknown field "vmboot"');
  });
});
