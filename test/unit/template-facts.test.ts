import { templateApiFacts } from '../../src/diagnosis/template-facts';

// The pure template → 2022-2025 facts function, on ARM JSON (properties nested) and on the SDK's flattened shape.

const SUB = '/subscriptions/00000000-0000-4000-8000-00000000a1b0';
const STAGING = `${SUB}/resourceGroups/IT_aib-sandbox_win2022-abort_1234`;
const GALLERY = `${SUB}/resourceGroups/aib-sandbox/providers/Microsoft.Compute/galleries/g/images/win2022`;

function arm(properties: Record<string, unknown>): Record<string, unknown> {
  return { id: `${SUB}/resourceGroups/aib-sandbox/providers/Microsoft.VirtualMachineImages/imageTemplates/t`, name: 't', properties: { exactStagingResourceGroup: STAGING, ...properties } };
}

describe('template fields', () => {
  it('reads autoRun, managedResourceTags, optimize, vnetConfig, data disks, targetRegions and versioning from ARM JSON', () => {
    const f = templateApiFacts(
      arm({
        autoRun: { state: 'Enabled' },
        managedResourceTags: { costCenter: '4711', bad: 3 },
        optimize: { vmBoot: { state: 'Enabled' }, workload: { state: 'Disabled' } },
        vmProfile: { vmSize: 'Standard_D4ds_v5', osDiskSizeGB: 127, vnetConfig: { subnetId: 'vnet/subnets/build', containerInstanceSubnetId: 'vnet/subnets/aci' } },
        additionalDataDisks: [{ sizeGB: 64 }, { sizeGB: 128 }],
        buildTimeoutInMinutes: 0,
        distribute: [
          {
            type: 'SharedImage',
            runOutputName: 'sig',
            galleryImageId: GALLERY,
            targetRegions: [{ name: 'westeurope', replicaCount: 2, storageAccountType: 'Standard_ZRS' }, { name: 'eastus2' }],
            versioning: { scheme: 'Latest', major: 2 },
            replicationMode: 'Shallow',
          },
        ],
      }),
    );
    expect(f.autoRun).toBe('Enabled');
    expect(f.managedResourceTags).toEqual({ costCenter: '4711' });
    expect(f.optimize).toEqual({ vmBoot: 'Enabled', workload: 'Disabled' });
    expect(f.vmProfile).toEqual({ vmSize: 'Standard_D4ds_v5', osDiskSizeGB: 127, subnetId: 'vnet/subnets/build', containerInstanceSubnetId: 'vnet/subnets/aci' });
    expect(f.additionalDataDiskSizesGB).toEqual([64, 128]);
    expect(f.effectiveTimeoutMinutes).toBe(240);
    expect(f.targets).toEqual([
      {
        runOutputName: 'sig',
        type: 'SharedImage',
        regions: [{ name: 'westeurope', replicaCount: 2, storageAccountType: 'Standard_ZRS' }, { name: 'eastus2', replicaCount: undefined, storageAccountType: undefined }],
        deprecatedRegions: false,
        versioning: { scheme: 'Latest', major: 2 },
        replicationMode: 'Shallow',
      },
    ]);
  });

  it('reads the SDK flattened shape the same way, and marks deprecated replicationRegions', () => {
    const f = templateApiFacts({
      autoRun: { state: 'Disabled' },
      vmProfile: { vmSize: 'Standard_D2ds_v5', vnetConfig: { subnetId: 's', proxyVmSize: 'Standard_A2_v2' } },
      buildTimeoutInMinutes: 90,
      distribute: [{ type: 'SharedImage', runOutputName: 'old', galleryImageId: GALLERY, replicationRegions: ['westeurope', 'northeurope'] }],
    });
    expect(f.autoRun).toBe('Disabled');
    expect(f.vmProfile.proxyVmSize).toBe('Standard_A2_v2');
    expect(f.effectiveTimeoutMinutes).toBe(90);
    expect(f.targets[0]).toMatchObject({ regions: [{ name: 'westeurope' }, { name: 'northeurope' }], deprecatedRegions: true });
  });

  it('gives defaults for a 2020-style template: no autoRun, cleanup on errors, no validation, nothing kept', () => {
    const f = templateApiFacts(arm({ distribute: [{ type: 'ManagedImage', runOutputName: 'mi', imageId: 'x', location: 'westeurope' }] }));
    expect(f.autoRun).toBeUndefined();
    expect(f.managedResourceTags).toEqual({});
    expect(f.optimize).toEqual({});
    expect(f.errorHandling).toEqual({ onCustomizerError: 'cleanup', onValidationError: 'cleanup' });
    expect(f.validation).toBeUndefined();
    expect(f.kept).toEqual({ kept: false, stagingResourceGroup: 'IT_aib-sandbox_win2022-abort_1234', resources: [] });
    expect(f.targets[0].regions).toEqual([{ name: 'westeurope' }]);
    expect(f.triggers).toEqual([]);
    expect(f.buildContainer).toBeUndefined();
  });

  it('takes anything that is not an object as an empty template', () => {
    expect(templateApiFacts(null).targets).toEqual([]);
    expect(templateApiFacts('x').run).toEqual({ inProgress: false, partiallySucceeded: false, failedTargets: [], failureReasons: {}, reachedValidation: false });
  });
});

describe('run facts', () => {
  it('a partial success names the failed target from the run outputs and from the [Distribute i] message', () => {
    const template = arm({
      distribute: [
        { type: 'SharedImage', runOutputName: 'sig', galleryImageId: GALLERY },
        { type: 'ManagedImage', runOutputName: 'mi', imageId: 'x', location: 'westeurope' },
      ],
      lastRunStatus: { runState: 'PartiallySucceeded', runSubState: 'Distributing', message: 'Failed in distributing 1 images out of total 2: {[Error 0] [Distribute 1] Error publishing MDI}' },
    });
    expect(templateApiFacts(template).run).toMatchObject({ partiallySucceeded: true, failedTargets: ['mi'] });
    const withOutputs = templateApiFacts(template, {
      runOutputs: [
        { name: 'sig', provisioningState: 'Succeeded', artifactId: `${GALLERY}/versions/1.0.1` },
        { name: 'mi', provisioningState: 'Failed' },
      ],
    });
    expect(withOutputs.run.failedTargets).toEqual(['mi']);
    expect(withOutputs.targets.map((t) => [t.outcome, t.artifactId])).toEqual([['Succeeded', `${GALLERY}/versions/1.0.1`], ['Failed', undefined]]);
  });

  it('a success names no failed target even with Failed-looking text', () => {
    const f = templateApiFacts(arm({ distribute: [{ type: 'VHD', runOutputName: 'v' }], lastRunStatus: { runState: 'Succeeded', runSubState: 'Distributing', message: '[Distribute 0]' } }));
    expect(f.run).toEqual({ state: 'Succeeded', subState: 'Distributing', inProgress: false, partiallySucceeded: false, failedTargets: [], failureReasons: {}, reachedValidation: false });
  });

  it('a run in Optimizing or Validating is in progress; a validating template that got past Validating has a validation.log', () => {
    const validate = { inVMValidations: [{ type: 'Shell', name: 'smoke' }, { type: 'PowerShell' }], continueDistributeOnFailure: true };
    expect(templateApiFacts(arm({ lastRunStatus: { runState: 'Running', runSubState: 'Optimizing' } })).run).toMatchObject({ inProgress: true, subState: 'Optimizing', reachedValidation: false });
    const validating = templateApiFacts(arm({ validate, lastRunStatus: { runState: 'Running', runSubState: 'Validating' } }));
    expect(validating.run).toMatchObject({ inProgress: true, reachedValidation: true });
    expect(validating.validation).toEqual({ validators: [{ type: 'Shell', name: 'smoke' }, { type: 'PowerShell' }], continueDistributeOnFailure: true, sourceValidationOnly: false });
    expect(templateApiFacts(arm({ validate, lastRunStatus: { runState: 'Failed', runSubState: 'Customizing' } })).run.reachedValidation).toBe(false);
    expect(templateApiFacts(arm({ validate, lastRunStatus: { runState: 'Succeeded', runSubState: 'Distributing' } })).run.reachedValidation).toBe(true);
  });
});

describe('kept resources, triggers and the build container', () => {
  const listing = [
    { type: 'Microsoft.Storage/storageAccounts', name: 'logs' },
    { type: 'Microsoft.Compute/virtualMachines', name: 'pkrvm' },
    { type: 'Microsoft.Network/networkInterfaces', name: 'pkrnic' },
  ];

  it('abort on the failed phase keeps the resources and names the staging group', () => {
    const f = templateApiFacts(arm({ errorHandling: { onCustomizerError: 'abort' }, lastRunStatus: { runState: 'Failed', runSubState: 'Customizing' } }), { stagingResources: listing });
    expect(f.kept).toEqual({
      kept: true,
      because: 'onCustomizerError',
      stagingResourceGroup: 'IT_aib-sandbox_win2022-abort_1234',
      resources: [
        { type: 'Microsoft.Compute/virtualMachines', name: 'pkrvm' },
        { type: 'Microsoft.Network/networkInterfaces', name: 'pkrnic' },
      ],
    });
    const validation = templateApiFacts(arm({ errorHandling: { onValidationError: 'abort' }, lastRunStatus: { runState: 'Failed', runSubState: 'Validating' } }));
    expect(validation.kept).toMatchObject({ kept: true, because: 'onValidationError' });
  });

  it('abort for the other phase, a success, or cleanup keeps nothing', () => {
    const other = templateApiFacts(arm({ errorHandling: { onValidationError: 'abort' }, lastRunStatus: { runState: 'Failed', runSubState: 'Customizing' } }), { stagingResources: listing });
    expect(other.kept).toMatchObject({ kept: false, resources: [] });
    const ok = templateApiFacts(arm({ errorHandling: { onCustomizerError: 'abort' }, lastRunStatus: { runState: 'Succeeded', runSubState: 'Distributing' } }));
    expect(ok.kept.kept).toBe(false);
  });

  it('a trigger that is not Healthy is disabled', () => {
    const f = templateApiFacts(arm({}), {
      triggers: [
        { name: 'nightly', statusCode: 'Disabled', statusMessage: 'disabled after repeated failures' },
        { name: 'weekly', kind: 'SourceImage', statusCode: 'Healthy' },
        { name: 'new' },
      ],
    });
    expect(f.disabledTriggers).toEqual(['nightly']);
    expect(f.triggers.map((t) => [t.name, t.kind, t.disabled])).toEqual([
      ['nightly', 'SourceImage', true],
      ['weekly', 'SourceImage', false],
      ['new', 'SourceImage', false],
    ]);
  });

  it('names the build container only while the run is in progress', () => {
    const resources = [...listing, { type: 'Microsoft.ContainerInstance/containerGroups', name: 'vmimagebuilder-build-container-abc123defg' }];
    expect(templateApiFacts(arm({ lastRunStatus: { runState: 'Running', runSubState: 'Customizing' } }), { stagingResources: resources }).buildContainer).toBe(
      'vmimagebuilder-build-container-abc123defg',
    );
    expect(templateApiFacts(arm({ lastRunStatus: { runState: 'Failed', runSubState: 'Customizing' } }), { stagingResources: resources }).buildContainer).toBeUndefined();
    const other = [{ type: 'Microsoft.ContainerInstance/containerGroups', name: 'someone-elses-container' }];
    expect(templateApiFacts(arm({ lastRunStatus: { runState: 'Running' } }), { stagingResources: other }).buildContainer).toBeUndefined();
  });
});
