import { classify, scanText, templateFacts, CATALOG, catalogEntry } from '../../src/diagnosis';

const RUN = '[922bdf36-b53c-4e78-9cd8-6b70b9674685]';
const log = (lines: string[]) => scanText(lines.map((l) => `${RUN} ${l}`).join('\n') + '\n', 'log');

const failedTemplate = (message: string, customize: Array<{ type: string; name?: string }> = []) =>
  templateFacts({
    id: '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base',
    name: 'win2022-base',
    properties: {
      source: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter' },
      customize,
      provisioningState: 'Succeeded',
      lastRunStatus: { runState: 'Failed', runSubState: 'Customizing', message },
    },
  });

const PACKER_FAILED =
  'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: Packer build command has failed: exit status 1. Image Build log location: https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log. OperationId: 45f485cf-5a8c-4379-9937-8d85493bc791. Use this operationId to search packer logs.';

describe('specific beats generic', () => {
  test('a 403 in the log wins over "Packer build command has failed" in the status', () => {
    const d = classify({
      template: failedTemplate(PACKER_FAILED),
      log: log([
        'PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry) Starting provisioner powershell',
        "PACKER OUT     azure-arm: az : ERROR: (AuthorizationFailed) The client 'aaaa' with object id 'bbbb' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope '/subscriptions/x'",
        'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
      ]),
    });
    expect(d.diagnosis).toMatchObject({ id: 'authorization-failed', phase: 'build', confidence: 'high' });
    expect(d.others.map((o) => o.id)).toContain('customizer-failed');
    expect(d.evidence.some((e) => e.source === 'log' && e.line === 2)).toBe(true);
  });

  test('a policy denial inside a packer failure message wins', () => {
    const d = classify({
      texts: [
        `${PACKER_FAILED} Inner error: {"code":"RequestDisallowedByPolicy","message":"Resource 'kv-aib' was disallowed by policy."}`,
      ],
    });
    expect(d.diagnosis.id).toBe('policy-violation');
  });

  test('sysprep-timing wins over the context-canceled lines it also contains', () => {
    const d = classify({
      log: log([
        'PACKER ERR 2020/05/05 22:20:00 [INFO] (telemetry) Starting provisioner powershell',
        'PACKER OUT     azure-arm: IMAGE_STATE_COMPLETE',
        "PACKER OUT ==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'.",
        'PACKER OUT     azure-arm: IMAGE_STATE_UNDEPLOYABLE',
        'PACKER ERR 2020/05/05 22:26:17 Cancelling builder after context cancellation context canceled',
      ]),
    });
    expect(d.diagnosis.id).toBe('sysprep-timing');
    expect(d.others.map((o) => o.id)).toEqual(['connection-lost']);
  });
});

describe('benign entries', () => {
  const benignLines = [
    'PACKER OUT ==> azure-arm: Skipping image creation...',
    'PACKER OUT ==> Builds finished but no artifacts were created.',
    'PACKER ERR ==> azure-arm: Error deleting resource. Will retry.',
  ];

  test('never win while anything else matched', () => {
    const d = classify({
      log: log([...benignLines, 'PACKER ERR 2026/01/01 client_jwt will expire within 5 minutes, please use a JWT that is valid for at least 5 minutes']),
    });
    expect(d.diagnosis.id).toBe('jwt-expiry');
    expect(d.others.map((o) => o.id).sort()).toEqual(['image-creation-skipped', 'no-artifacts-warning', 'resource-deletion-retry']);
  });

  test('win when they are all there is, and say so', () => {
    const d = classify({ log: log([benignLines[0]]) });
    expect(d.diagnosis).toMatchObject({ id: 'image-creation-skipped', benign: true });
  });

  test('do not explain a build that failed: that is unknown, with the warning among the others', () => {
    const d = classify({
      log: log([
        'PACKER OUT Build \'azure-arm\' errored after 2 minutes: SkuNotAvailable: The requested VM size is not available',
        'PACKER OUT ==> Builds finished but no artifacts were created.',
      ]),
    });
    expect(d.diagnosis.id).toBe('unknown');
    expect(d.others.map((o) => o.id)).toEqual(['no-artifacts-warning']);
    expect(d.evidence[0].text).toContain('SkuNotAvailable');
  });

  test('every benign entry is marked benign with rank 0', () => {
    for (const id of ['no-artifacts-warning', 'image-creation-skipped', 'resource-deletion-retry']) {
      expect(catalogEntry(id)).toMatchObject({ benign: true, rank: 0 });
    }
    expect(CATALOG.filter((e) => e.benign).map((e) => e.id).sort()).toEqual(['image-creation-skipped', 'no-artifacts-warning', 'resource-deletion-retry']);
  });
});

describe('unknown', () => {
  test('carries the last error lines and the unfinished customizer, not a guess', () => {
    const d = classify({
      template: failedTemplate('Failed while waiting for packerizer: something new happened', [
        { type: 'PowerShell', name: 'install-agents' },
        { type: 'PowerShell', name: 'configure-iis' },
      ]),
      log: log([
        'PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry) Starting provisioner powershell',
        'PACKER ERR 2026/11/20 10:03:00 [INFO] (telemetry) ending powershell',
        'PACKER ERR 2026/11/20 10:03:01 [INFO] (telemetry) Starting provisioner powershell',
        'PACKER OUT     azure-arm: Install-WindowsFeature : The request to add or remove features failed.',
        'PACKER OUT     azure-arm: nothing else',
      ]),
    });
    expect(d.diagnosis).toMatchObject({ id: 'unknown', confidence: 'low', phase: 'fallback' });
    expect(d.customizer).toMatchObject({ type: 'powershell', index: 1, name: 'configure-iis', finished: false, startLine: 3 });
    expect(d.evidence.map((e) => e.source)).toEqual(['status', 'log']);
    expect(d.evidence[1]).toMatchObject({ line: 4 });
    expect(d.actions).toEqual(['show-log', 'open-support-case']);
  });

  test('no input at all is unknown with no evidence', () => {
    const d = classify({});
    expect(d).toMatchObject({ diagnosis: { id: 'unknown' }, evidence: [], customizer: null });
  });
});

describe('facts', () => {
  test('maps the failing step to the template’s customizer by position and type', () => {
    const d = classify({
      template: failedTemplate(PACKER_FAILED, [
        { type: 'WindowsUpdate', name: 'patch' },
        { type: 'PowerShell', name: 'install-agents' },
      ]),
      log: log([
        'PACKER ERR [INFO] (telemetry) Starting provisioner windows-update',
        'PACKER ERR [INFO] (telemetry) ending windows-update',
        'PACKER ERR [INFO] (telemetry) Starting provisioner powershell',
        'PACKER ERR [INFO] command \'powershell -File C:/Windows/Temp/script-1.ps1\' exited with code: 1',
        'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
      ]),
    });
    expect(d.diagnosis).toMatchObject({ id: 'customizer-failed', confidence: 'high' });
    expect(d.customizer).toMatchObject({ type: 'powershell', index: 1, name: 'install-agents', finished: false });
    expect(d.ids).toMatchObject({
      operationId: '45f485cf-5a8c-4379-9937-8d85493bc791',
      packerRunId: '922bdf36-b53c-4e78-9cd8-6b70b9674685',
      logUrl: 'https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log',
    });
    expect(d.evidence.some((e) => e.text.includes('exited with code: 1'))).toBe(true);
  });

  test('a failure inside the deprovisioning step is reported as that step (here: waagent missing)', () => {
    const d = classify({
      log: log([
        'PACKER ERR [INFO] (telemetry) Starting provisioner shell',
        'PACKER ERR [INFO] (telemetry) ending shell',
        'PACKER ERR [INFO] (telemetry) Starting provisioner shell',
        'PACKER ERR packer: [INFO] starting remote command: sudo /tmp/DeprovisioningScript.sh',
        'PACKER OUT     azure-arm: /tmp/DeprovisioningScript.sh: line 3: waagent: command not found',
        'PACKER ERR [INFO] command \'sudo /tmp/DeprovisioningScript.sh\' exited with code: 127',
        'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
      ]),
    });
    expect(d.diagnosis.id).toBe('waagent-missing');
    expect(d.others.map((o) => o.id)).toContain('deprovision-failed');
    expect(d.customizer).toMatchObject({ deprovision: true, type: 'shell' });
  });

  test('a run that hit its timeout with no message to match is a timeout, at medium confidence', () => {
    const t = templateFacts({
      properties: {
        buildTimeoutInMinutes: 60,
        provisioningState: 'Succeeded',
        lastRunStatus: { runState: 'Failed', startTime: '2026-11-20T10:00:00Z', endTime: '2026-11-20T11:00:30Z', message: '' },
      },
    });
    expect(classify({ template: t }).diagnosis).toMatchObject({ id: 'build-timeout', confidence: 'medium' });
  });

  test('a partly read log lowers confidence', () => {
    const scan = log(["PACKER OUT ==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'."]);
    scan.partial = { reason: 'tail-only' };
    expect(classify({ log: scan }).diagnosis).toMatchObject({ id: 'sysprep-timing', confidence: 'medium' });
  });

  test('escaped JSON inside JSON is unwrapped before matching', () => {
    const devops =
      '2026-11-20T10:00:00.0000000Z ##[error]post template call failed for template t_1588703313152 with error: {\\"error\\":{\\"code\\":\\"ValidationFailed\\",\\"message\\":\\"Validation failed: \'ImageTemplate.properties.distribute[0]\': Missing field runOutputName. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.\\"}}';
    expect(classify({ texts: [devops] }).diagnosis.id).toBe('required-field-missing');
  });
});
