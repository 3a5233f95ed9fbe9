import { DiagnosisInputError, findLogLocation, parseTemplateJson, templateFacts, statusTexts } from '../../src/diagnosis';

const id =
  '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';

const oldMessage =
  'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: Packer build command has failed: exit status 1. During the image build, a failure has occurred, please review the build log to identify which build/customization step failed. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts. Image Build log location: https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log. OperationId: 45f485cf-5a8c-4379-9937-8d85493bc791. Use this operationId to search packer logs.';

const newMessage =
  'During the image build a failure has occurred. Packer build logs are at location /subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/IT_rg-images_win2022-base_6589927b-1f2e-4c3d-8b9a-0a1b2c3d4e5f/providers/Microsoft.Storage/storageAccounts/xkzlyccln2x4qrzk8r60s8oc/blobServices/default/containers/packerlogs/ef6ba98d-3c2b-4a19-8e7d-6f5a4b3c2d1e/customization.log. Please navigate to this location using portal or other tools to download logs. Use this operationId 5e819c65-767c-4722-96c5-15db701d34b1 to search packer logs. For more troubleshooting steps go to https://aka.ms/azvmimagebuilderts.';

const armShape = {
  id,
  name: 'win2022-base',
  type: 'Microsoft.VirtualMachineImages/imageTemplates',
  location: 'westeurope',
  identity: { type: 'UserAssigned' },
  properties: {
    source: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter-azure-edition', version: 'latest' },
    customize: [
      { type: 'PowerShell', name: 'install-agents', scriptUri: 'https://example.invalid/a.ps1' },
      { type: 'WindowsRestart', name: 'reboot' },
    ],
    distribute: [{ type: 'ManagedImage', runOutputName: 'win2022', imageId: '/x', location: 'westeurope' }],
    buildTimeoutInMinutes: 90,
    vmProfile: { vmSize: 'Standard_D2ds_v4', osDiskSizeGB: 127 },
    errorHandling: { onCustomizerError: 'abort', onValidationError: 'cleanup' },
    provisioningState: 'Succeeded',
    lastRunStatus: {
      startTime: '2026-11-20T10:00:00.000Z',
      endTime: '2026-11-20T11:30:00.000Z',
      runState: 'Failed',
      runSubState: 'Customizing',
      message: oldMessage,
    },
    exactStagingResourceGroup: '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/IT_rg-images_win2022-base_6589927b',
  },
};

describe('templateFacts', () => {
  test('reads ARM’s properties shape', () => {
    const f = templateFacts(armShape);
    expect(f).toMatchObject({
      id,
      name: 'win2022-base',
      resourceGroup: 'rg-images',
      subscriptionId: '3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01',
      provisioningState: 'Succeeded',
      lastRun: { runState: 'Failed', runSubState: 'Customizing' },
      buildTimeoutInMinutes: 90,
      effectiveTimeoutMinutes: 90,
      vmSize: 'Standard_D2ds_v4',
      errorHandling: { onCustomizerError: 'abort', onValidationError: 'cleanup' },
      source: { type: 'PlatformImage', os: 'windows' },
      customizers: [
        { type: 'PowerShell', name: 'install-agents' },
        { type: 'WindowsRestart', name: 'reboot' },
      ],
      operationId: '45f485cf-5a8c-4379-9937-8d85493bc791',
      durationMinutes: 90,
      reachedTimeout: true,
      logLocation: {
        format: 'blob-url',
        account: 'q7x2lmn4p0rstuvw8yz1ab3c',
        container: 'packerlogs',
        blobPath: '0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log',
      },
    });
  });

  test('reads the SDK’s flattened shape with Date objects and the newer log-location format', () => {
    const { properties, ...rest } = armShape;
    const flat = {
      ...rest,
      ...properties,
      buildTimeoutInMinutes: 0,
      source: { type: 'PlatformImage', publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' },
      lastRunStatus: { ...properties.lastRunStatus, startTime: new Date('2026-11-20T10:00:00Z'), endTime: new Date('2026-11-20T10:12:00Z'), message: newMessage },
    };
    const f = templateFacts(flat);
    expect(f.effectiveTimeoutMinutes).toBe(240);
    expect(f.durationMinutes).toBe(12);
    expect(f.reachedTimeout).toBe(false);
    expect(f.source?.os).toBe('linux');
    expect(f.operationId).toBe('5e819c65-767c-4722-96c5-15db701d34b1');
    expect(f.logLocation).toMatchObject({
      format: 'arm-path',
      account: 'xkzlyccln2x4qrzk8r60s8oc',
      container: 'packerlogs',
      blobPath: 'ef6ba98d-3c2b-4a19-8e7d-6f5a4b3c2d1e/customization.log',
    });
  });

  test('reads PowerShell’s flattened PascalCase properties', () => {
    const f = templateFacts({
      Name: 'win2022-base',
      ProvisioningState: 'Failed',
      ProvisioningErrorCode: 'BadSourceType',
      ProvisioningErrorMessage: 'Unsupported source type',
      LastRunStatusRunState: 'Failed',
      LastRunStatusMessage: 'Deployment failed. Correlation ID: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d. Failed in building/customizing image',
    });
    expect(f.provisioningError).toEqual({ code: 'BadSourceType', message: 'Unsupported source type' });
    expect(f.lastRun?.runState).toBe('Failed');
    expect(f.correlationId).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expect(statusTexts(f)[0]).toBe('ProvisioningError BadSourceType: Unsupported source type');
  });

  test('accepts the one-element array `az image builder list` prints', () => {
    expect(templateFacts([armShape]).name).toBe('win2022-base');
  });

  test.each([
    ['not JSON', '{"name": ', 'template-not-json'],
    ['a JSON string', '"hello"', 'template-not-object'],
    ['an unrelated object', '{"kind":"StorageV2","sku":{"name":"Standard_LRS"}}', 'template-unrecognised'],
  ])('rejects %s with a typed error', (_what, text, code) => {
    expect(() => parseTemplateJson(text)).toThrow(DiagnosisInputError);
    try {
      parseTemplateJson(text);
    } catch (e) {
      expect((e as DiagnosisInputError).code).toBe(code);
    }
  });
});

describe('findLogLocation', () => {
  test('ignores a SAS query and keeps the printed location free of it', () => {
    const loc = findLogLocation(
      'log: https://abcstore01.blob.core.windows.net/packerlogs/1c2d3e4f-aaaa-bbbb-cccc-0123456789ab/customization.log?sv=2023-01-03&sig=SECRETSECRET',
    );
    expect(loc).toMatchObject({ account: 'abcstore01', blobPath: '1c2d3e4f-aaaa-bbbb-cccc-0123456789ab/customization.log' });
    expect(loc!.printed).not.toContain('SECRET');
  });

  test('returns nothing when no location is printed', () => {
    expect(findLogLocation('Deployment failed. Correlation ID: x')).toBeUndefined();
  });
});
