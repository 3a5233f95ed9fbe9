import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, scanText, templateFacts } from '../../src/diagnosis';
import { codeMatches } from '../../src/diagnosis/code-table';
import { extractErrors } from '../../src/diagnosis/envelopes';
import { describeExitCode } from '../../src/diagnosis/exit-codes';

// Facts over words: successful builds, timeouts, noise that the build survived, codes in envelopes, exit codes,
// the status and the log disagreeing, and what confidence means.

const RUN = '[6e0b2d4f-8a1c-4e3b-9d5f-7a9c1e3b5d70]';
const ui = (lines: string[]) => scanText(lines.map((l) => `${RUN} PACKER 2026/02/14 09:12:01 ${l}`).join('\n') + '\n', 'log');
const logsDir = join(__dirname, '..', 'fixtures', 'logs');
const fixtureLog = (file: string) => scanText(readFileSync(join(logsDir, file), 'utf8'), 'log');

const template = (lastRunStatus: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  templateFacts({
    id: '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base',
    properties: { provisioningState: 'Succeeded', source: { type: 'PlatformImage' }, lastRunStatus, ...extra },
  });
const succeededStatus = () => template({ runState: 'Succeeded', runSubState: 'Distributing', message: '' });

// A Windows build that worked: WinRM start-up retries with 401, a 1190 from a restart that then worked.
const windowsSuccess = [
  'ui: ==> azure-arm: Waiting for WinRM to become available...',
  'packer-plugin-azure_v2.5.1_x5.0_linux_amd64 plugin: [ERROR] WinRM connection err: http response error: 401 - invalid content type',
  'packer-plugin-azure_v2.5.1_x5.0_linux_amd64 plugin: [ERROR] WinRM connection err: http response error: 401 - invalid content type',
  'ui: ==> azure-arm: WinRM connected.',
  'ui: ==> azure-arm: Provisioning with powershell script: /aib/packerInput/install.ps1',
  'ui: ==> azure-arm: Restarting Machine',
  'ui error: ==> azure-arm: A system shutdown has already been scheduled.(1190)',
  'ui: ==> azure-arm: Machine successfully restarted, moving on',
  'ui: ==> azure-arm: Provisioning with powershell script: /aib/packerInput/cleanup.ps1',
  "ui: Build 'azure-arm' finished after 48 minutes 2 seconds.",
  'ui: ==> Wait completed after 48 minutes 2 seconds',
  'ui: ==> Builds finished. The artifacts of successful builds are:',
  'ui: --> azure-arm: Azure.ResourceManagement.VMImage:',
];

describe('codes in the log', () => {
  test('an ARM answer Packer printed into the log is read for its code, as the status is', () => {
    const d = classify({
      log: ui([
        'ui: ==> azure-arm: Deploying deployment template ...',
        'ui error: ==> azure-arm: ERROR: -> Azure response status="403 Forbidden" body="{\\"error\\":{\\"code\\":\\"RequestDisallowedByPolicy\\",\\"message\\":\\"Resource pkrvm9 was refused by a rule of the tenant.\\"}}"',
        "ui error: Build 'azure-arm' errored after 1 minute: deployment failed",
      ]),
    });
    expect(d.diagnosis.id).toBe('policy-violation');
    expect(d.codes).toContain('RequestDisallowedByPolicy');
  });
});

describe('no-failure', () => {
  test.each(['success-linux.log', 'success-windows.log', 'success-with-benign-warnings.log'])('%s, log alone', (file) => {
    const d = classify({ log: fixtureLog(file) });
    expect(d.diagnosis.id).toBe('no-failure');
  });

  test.each(['success-linux.log', 'success-windows.log', 'success-with-benign-warnings.log'])('%s, with a Succeeded status', (file) => {
    const d = classify({ template: succeededStatus(), log: fixtureLog(file) });
    expect(d.diagnosis).toMatchObject({ id: 'no-failure', phase: 'success' });
  });

  test('the benign warnings of a successful build are listed, not diagnosed', () => {
    const d = classify({ log: fixtureLog('success-with-benign-warnings.log') });
    expect(d.warnings?.map((w) => w.id)).toEqual(expect.arrayContaining(['image-creation-skipped', 'resource-deletion-retry']));
    expect(d.others).toEqual([]);
  });

  test('WinRM 401 retries and a 1190 before a restart that worked: no-failure, with and without a status', () => {
    for (const input of [{ log: ui(windowsSuccess) }, { log: ui(windowsSuccess), template: succeededStatus() }]) {
      const d = classify(input);
      expect(d.diagnosis.id).toBe('no-failure');
      expect(d.warnings?.map((w) => w.id)).toContain('windows-restart-1190');
    }
  });

  test('a Succeeded status alone is no-failure with high confidence, whatever text came with it', () => {
    const d = classify({ template: succeededStatus() });
    expect(d.diagnosis).toMatchObject({ id: 'no-failure', confidence: 'high' });
  });

  test.each([
    ['devops-task-canceled', '2026-03-02T11:04:51.1Z ##[error]The operation was canceled.\n2026-03-02T11:04:51.2Z ##[section]Finishing: Build golden image'],
    ['client-tooling-failed', "Get-AzImageBuilderTemplate : The term 'Get-AzImageBuilderTemplate' is not recognized as the name of a cmdlet, function, script file, or operable program."],
    ['user-not-authorized', "(AuthorizationFailed) The client 'ops@contoso.example' with object id '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' does not have authorization to perform action 'Microsoft.VirtualMachineImages/imageTemplates/write' over scope '/subscriptions/3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01/resourceGroups/rg-images'"],
  ])('a Succeeded run does not hide a %s failure named in pasted text (it happened outside the run)', (id, text) => {
    expect(classify({ template: succeededStatus(), texts: [text] }).diagnosis.id).toBe(id);
  });

  test('a pasted build failure does not outweigh a Succeeded status', () => {
    const d = classify({ template: succeededStatus(), texts: ['==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]'] });
    expect(d.diagnosis.id).toBe('no-failure');
  });

  test('a Succeeded status with a log that stops at a failure says the two disagree', () => {
    const d = classify({
      template: succeededStatus(),
      log: ui(["ui: ==> azure-arm: Error: (AuthorizationFailed) does not have authorization to perform action 'Microsoft.Compute/galleries/read'", "ui error: Build 'azure-arm' errored after 3 minutes: unexpected"]),
    });
    expect(d.diagnosis.id).toBe('no-failure');
    expect(d.disagreement).toEqual({ status: 'no-failure', log: 'authorization-failed' });
  });

  test('a 1190 with nothing after it is still the restart failure', () => {
    const d = classify({ log: ui(['ui error: ==> azure-arm: A system shutdown has already been scheduled.(1190)', "ui error: Build 'azure-arm' errored after 2 hours: Timeout waiting for machine to restart."]) });
    expect(d.diagnosis.id).toBe('windows-restart-1190');
  });
});

describe('timeouts', () => {
  test('a log that ends with the service terminating packer is a build timeout, not a lost connection', () => {
    const d = classify({
      log: ui([
        'ui: ==> azure-arm: Provisioning with shell script: /tmp/install.sh',
        'ui: ==> azure-arm: Configuring grub-pc ...',
        'Cancelling builder after context cancellation context canceled',
        'ui: Cancelling build after receiving terminated',
      ]),
    });
    expect(d.diagnosis.id).toBe('build-timeout');
    expect(d.others.map((o) => o.id)).toContain('connection-lost');
  });

  test('a run that lasted its whole timeout is a timeout even when the log says the connection dropped', () => {
    const t = template(
      { runState: 'Failed', runSubState: 'Customizing', startTime: '2026-02-14T08:00:00Z', endTime: '2026-02-14T10:00:30Z', message: 'Remote command exited without exit status or exit signal' },
      { buildTimeoutInMinutes: 120 },
    );
    expect(classify({ template: t }).diagnosis.id).toBe('build-timeout');
  });

  test('buildTimeoutInMinutes 0 means 240', () => {
    const t = template({ runState: 'Failed', startTime: '2026-02-14T08:00:00Z', endTime: '2026-02-14T12:00:00Z', message: '' }, { buildTimeoutInMinutes: 0 });
    expect(classify({ template: t }).diagnosis.id).toBe('build-timeout');
  });
});

describe('codes in envelopes', () => {
  test('escaped JSON inside JSON inside a DeploymentFailed: the innermost specific code wins', () => {
    const inner = JSON.stringify({ status: 'Failed', error: { code: 'ResourceDeploymentFailure', message: "terminal provisioning state 'Failed'", details: [{ code: 'OperationNotAllowed', message: 'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota.' }] } });
    const text = JSON.stringify({ code: 'DeploymentFailed', message: 'At least one resource deployment operation failed.', details: [{ code: 'Conflict', message: inner }] });
    const records = extractErrors(JSON.stringify(text));
    expect(records.map((r) => r.code)).toEqual(expect.arrayContaining(['DeploymentFailed', 'Conflict', 'ResourceDeploymentFailure', 'OperationNotAllowed']));
    const d = classify({ texts: [JSON.stringify(text)] });
    expect(d.diagnosis).toMatchObject({ id: 'quota-exceeded', confidence: 'high' });
  });

  test('Packer\'s Azure response line with the body escaped', () => {
    const line = `${RUN} PACKER 2026/02/14 09:12:01 packer-plugin-azure plugin: Azure response status="409 Conflict" body="{\\"error\\":{\\"code\\":\\"MissingSubscriptionRegistration\\",\\"message\\":\\"The subscription is not registered to use namespace 'Microsoft.Compute'.\\"}}"`;
    expect(classify({ texts: [line] }).diagnosis.id).toBe('provider-not-registered');
  });

  test('the CLI (Code) form, the Code: line, XML and the (CODE: 409) suffix are all read', () => {
    const kinds = extractErrors('ERROR: (SkuNotAvailable) The size is not available.\nCode: SkuNotAvailable\n<Error><Code>PublicAccessNotPermitted</Code><Message>no</Message></Error>\nfailed (CODE: 409)');
    expect(kinds.map((r) => r.code)).toEqual(expect.arrayContaining(['SkuNotAvailable', 'PublicAccessNotPermitted', 'HTTP409']));
  });

  test('the Az PowerShell cmdlet that printed an error is kept', () => {
    const [r] = extractErrors('Remove-AzImageBuilderTemplate_Delete: Operation is not allowed in provisioning state: running');
    expect(r).toMatchObject({ cmdlet: 'Remove-AzImageBuilderTemplate_Delete', via: 'powershell' });
  });

  const TABLE: Array<[string, string, string?]> = [
    ['QuotaExceeded', 'quota-exceeded'],
    ['OperationNotAllowed', 'quota-exceeded', 'results in exceeding quota limit of standardDv2Family Cores'],
    ['OperationNotAllowed', 'operation-not-allowed-in-state', "Operation 'DELETE' is not allowed in provisioningState: 'creating'"],
    ['MissingSubscriptionRegistration', 'provider-not-registered'],
    ['SubscriptionNotRegistered', 'provider-not-registered'],
    ['AuthorizationFailed', 'authorization-failed', "action 'Microsoft.Compute/galleries/images/versions/write'"],
    ['AuthorizationFailed', 'user-not-authorized', "action 'Microsoft.VirtualMachineImages/imageTemplates/write'"],
    ['LinkedAuthorizationFailed', 'authorization-failed'],
    ['RequestDisallowedByPolicy', 'policy-violation'],
    ['SkuNotAvailable', 'vm-size-unavailable'],
    ['PlatformImageNotFound', 'source-image-not-found'],
    ['ImageNotFound', 'source-image-not-found'],
    ['PurchasePlanNotProvided', 'purchase-plan-missing'],
    ['ResourceNotFound', 'source-image-not-found', "The Resource 'Microsoft.Compute/galleries/gal/images/def' was not found"],
    ['ResourceNotFound', 'nic-not-found', "'Microsoft.Network/networkInterfaces/pkrni1' was not found"],
    ['GatewayTimeout', 'service-error'],
    ['InternalServerError', 'service-error'],
    ['ServiceUnavailable', 'service-error'],
    ['TooManyRequests', 'service-error'],
    ['ValidationFailed', 'template-validation-failed'],
    ['KeyBasedAuthenticationNotPermitted', 'storage-access-refused'],
    ['PublicAccessNotPermitted', 'storage-access-refused'],
  ];
  test.each(TABLE)('%s → %s', (code, id, message = '') => {
    expect(codeMatches([{ code, message, depth: 1, hasChildren: false, line: 1, via: 'json' }]).map((m) => m.entryId)).toEqual([id]);
  });

  test('InvalidTemplateDeployment is decided by its inner details; alone it is a validation failure', () => {
    const wrapped = classify({ texts: ['{"error":{"code":"InvalidTemplateDeployment","message":"See inner errors for details.","details":[{"code":"SkuNotAvailable","message":"Standard_D4s_v5 is currently not available in location westus."}]}}'] });
    expect(wrapped.diagnosis.id).toBe('vm-size-unavailable');
    const alone = classify({ texts: ['{"error":{"code":"InvalidTemplateDeployment","message":"The template deployment is not valid."}}'] });
    expect(alone.diagnosis.id).toBe('template-validation-failed');
    expect(alone.diagnosis.confidence).not.toBe('high');
  });

  test('Conflict and NotFound with children are envelopes', () => {
    const d = classify({ texts: ['{"code":"Conflict","message":"{\\"error\\":{\\"code\\":\\"RequestDisallowedByPolicy\\",\\"message\\":\\"Resource was disallowed by policy.\\"}}"}'] });
    expect(d.diagnosis.id).toBe('policy-violation');
  });
});

describe('exit codes', () => {
  test.each([
    [1603, 'msiInstallFailure', undefined],
    [3010, 'msiRebootRequired', undefined],
    [-2147024891, 'accessDenied', '0x80070005'],
    [-2147023293, 'msiInstallFailure', '0x80070643'],
    [-2146498529, 'sourceMissing', '0x800F081F'],
    [267014, 'taskTerminated', '0x00041306'],
  ])('%d means %s', (value, meaning, hex) => {
    const e = describeExitCode(value);
    expect(e.meaning).toBe(meaning);
    expect(e.hex).toBe(hex);
  });

  test('an HRESULT nobody listed is still decoded by its layout', () => {
    expect(describeExitCode(-2145123000)).toMatchObject({ hresult: { facility: 'WINDOWSUPDATE', facilityNumber: 36 } });
    expect(describeExitCode(-2147024809)).toMatchObject({ meaning: 'invalidParameter', hresult: { facility: 'WIN32', code: 87 } });
  });

  test('a failing PowerShell step: customizer-failed with step, exit code and its last output lines', () => {
    const d = classify({
      template: template({ runState: 'Failed', runSubState: 'Customizing', message: 'Packer build command has failed: exit status 1' }, {
        customize: [{ type: 'PowerShell', name: 'install-agent' }],
      }),
      log: ui([
        '[INFO] (telemetry) Starting provisioner powershell',
        'ui: ==> azure-arm: MSI (s) (A8:3C) Product: Contoso Agent -- Installation failed.',
        "packer-provisioner-powershell plugin: [INFO] command 'powershell -executionpolicy bypass -file \"C:/Windows/Temp/packer-elevated-shell-1.ps1\"' exited with code: 1603",
        "ui error: Build 'azure-arm' errored after 9 minutes: Script exited with non-zero exit status: 1603. Allowed exit codes are: [0]",
      ]),
    });
    expect(d.diagnosis).toMatchObject({ id: 'customizer-failed', confidence: 'high' });
    expect(d.customizer).toMatchObject({ type: 'powershell', index: 0, name: 'install-agent' });
    expect(d.exitCode).toMatchObject({ value: 1603, meaning: 'msiInstallFailure' });
    expect(d.evidence.some((e) => e.text.includes('Installation failed'))).toBe(true);
  });
});

describe('status and log', () => {
  test('a status code and a log that name different failures are reported as a disagreement', () => {
    const d = classify({
      template: template({ runState: 'Failed', message: '{"code":"QuotaExceeded","message":"Operation results in exceeding quota limits of Core."}' }),
      log: ui(["ui: ==> azure-arm: ERROR: -> RequestDisallowedByPolicy : Resource 'pkrvm' was disallowed by policy."]),
    });
    expect(d.disagreement).toBeDefined();
    expect([d.disagreement!.status, d.disagreement!.log].sort()).toEqual(['policy-violation', 'quota-exceeded']);
  });

  test('a generic status and a specific log agree (the log explains the status)', () => {
    const d = classify({
      template: template({ runState: 'Failed', message: 'Packer build command has failed: exit status 1' }),
      log: ui(["ui: ==> azure-arm: ERROR: (AuthorizationFailed) does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action'"]),
    });
    expect(d.diagnosis.id).toBe('authorization-failed');
    expect(d.disagreement).toBeUndefined();
  });

  test('PartiallySucceeded says which part failed', () => {
    const d = classify({ template: template({ runState: 'PartiallySucceeded', runSubState: 'Validating', message: 'validation script exited with code 2' }) });
    expect(d.failedPart).toBe('Validating');
    expect(d.diagnosis.id).not.toBe('no-failure');
  });
});

describe('confidence', () => {
  test('unknown is never high and carries possible causes', () => {
    const d = classify({ texts: ['The gallery image version replication to eastus2 stopped; the gallery reports the region as unavailable for replication right now.'] });
    expect(d.diagnosis).toMatchObject({ id: 'unknown', confidence: 'low' });
    expect(d.candidates?.length).toBeGreaterThan(0);
    expect(d.candidates!.length).toBeLessThanOrEqual(3);
  });

  test('a specific class while the run is still going is not high', () => {
    const d = classify({
      template: template({ runState: 'Running', runSubState: 'Customizing', message: '' }),
      log: ui(["ui: ==> azure-arm: Downloading external file https://contoso.example/agent.msi to C:\\agent.msi failed"]),
    });
    expect(d.diagnosis.id).toBe('file-download-failed');
    expect(d.diagnosis.confidence).toBe('medium');
  });

  test('a bare HTTP status never gives high confidence', () => {
    const d = classify({ texts: ['The request failed (CODE: 503)'] });
    expect(d.diagnosis.confidence).not.toBe('high');
  });
});
