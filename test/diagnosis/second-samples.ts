// For each development-set case, the same failure in other words: another wrapper, another code path, another
// tool's output, the other log format. Written here, not copied: none of these texts is in ../shared/realworld.
// `kind` and fields mirror a case so the same input builder reads both.

export interface SecondSample {
  /** The development-set case this is the second sample of. */
  of: string;
  how: string;
  message: string;
  log?: string;
  runState?: string;
  provisioningState?: string;
}

const id = '[3c1f9a7e-52d4-4b8e-a0f6-7e2d9c4b1a58] PACKER';
/** 2025+ log lines: `[id] PACKER <date> ui: …` */
const ui = (lines: string[]) => lines.map((l) => `${id} 2026/03/02 10:14:07 ${l}`).join('\n');
/** Older log lines: `[id] PACKER OUT …` / `PACKER ERR …` */
const old = (lines: string[]) => lines.map((l) => `${id} ${l}`).join('\n');

export const SECOND_SAMPLES: SecondSample[] = [
  {
    of: '101',
    how: 'the template status (async-operation wording) instead of the log',
    message:
      'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: During the image build, a failure has occurred. Please review the build log to identify which build/customization step failed. OperationId: 0d6a3b1c-7e2f-4a59-8c1d-2b3e4f5a6b7c.',
  },
  {
    of: '102',
    how: 'older PACKER OUT/ERR log, the elevated-command exit line only',
    message: '',
    log: old([
      'PACKER ERR 2023/05/11 09:01:12 [INFO] (telemetry) Starting provisioner powershell',
      "PACKER OUT ==> azure-arm: Register-ScheduledTask : The parameter is incorrect.",
      "PACKER ERR 2023/05/11 09:01:13 packer-provisioner-powershell plugin: [INFO] command 'powershell -executionpolicy bypass \"& { if (Test-Path variable:global:ProgressPreference){$ProgressPreference='SilentlyContinue'};. c:/Windows/Temp/packer-ps-env-vars.ps1; &'c:/Windows/Temp/script.ps1'; exit $LastExitCode }\"' exited with code: 1",
    ]),
  },
  {
    of: '103',
    how: 'the Azure DevOps task output quoting packer\'s summary',
    message:
      "##[error]Build 'azure-arm' errored after 41 seconds: Script exited with non-zero exit status: 267014. Allowed exit codes are: [0 3010]",
  },
  {
    of: '104',
    how: 'a Windows batch step (windows-shell provisioner) in the 2025 log format',
    message: '',
    log: ui([
      'ui: ==> azure-arm: C:\\setup>xcopy \\\\fileserver\\apps C:\\apps /E',
      'ui: ==> azure-arm: Invalid drive specification',
      "packer-provisioner-windows-shell plugin: [INFO] command 'cmd /c \"C:/Windows/Temp/script-1.bat\"' exited with code: 4",
      "ui error: Build 'azure-arm' errored after 12 minutes 3 seconds: Script exited with non-zero exit status: 4. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '105',
    how: 'Get-AzImageBuilderTemplate output (PascalCase, flattened status) as pasted text',
    message:
      'LastRunStatusRunState    : Failed\nLastRunStatusRunSubState : Customizing\nLastRunStatusMessage     : Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: Packer build command has failed: exit status 267014.',
  },
  {
    of: '107',
    how: 'ARM error body: InvalidTemplateDeployment wrapping the plan code, as JSON',
    message:
      '{"error":{"code":"InvalidTemplateDeployment","message":"The template deployment is not valid according to the validation procedure. See inner errors for details.","details":[{"code":"PurchasePlanNotProvided","message":"Plan information is required when the source image is a paid Marketplace image; none was given for publisher cisco, offer cisco-8000v."}]}}',
  },
  {
    of: '110',
    how: 'az storage blob download with the code as CLI prints it',
    message:
      "ERROR: The specified resource is not accessible.\nErrorCode: PublicAccessNotPermitted\nThis storage account does not allow anonymous access to its blobs.",
  },
  {
    of: '112',
    how: 'another Az.ImageBuilder crash, a NullReference in Start-AzImageBuilderTemplate',
    message:
      'Start-AzImageBuilderTemplate_Run: Object reference not set to an instance of an object.\n   at Microsoft.Azure.PowerShell.Cmdlets.ImageBuilder.Runtime.HttpPipeline.SendAsync(HttpRequestMessage request)\n   at Microsoft.Azure.PowerShell.Cmdlets.ImageBuilder.Cmdlets.StartAzImageBuilderTemplate_Run.ProcessRecordAsync()',
  },
  {
    of: '113',
    how: 'Windows PowerShell 5.1 wording of the missing cmdlet',
    message:
      "Get-AzImageBuilderTemplate : The term 'Get-AzImageBuilderTemplate' is not recognized as the name of a cmdlet, function, script file, or operable program.",
  },
  {
    of: '116',
    how: 'the deserialization crash with a different inner error and no traceback header',
    message:
      "msrest.exceptions.DeserializationError: Unable to deserialize to object: type, AttributeError: 'list' object has no attribute 'get'",
  },
  {
    of: '120',
    how: 'the role-definition clash as az role definition create prints it',
    message: '(RoleDefinitionWithSameNameExists) A custom role with the same name already exists in this directory. Use a different name.',
  },
  {
    of: '122',
    how: 'argparse\'s full usage error from an unquoted value',
    message: 'az: error: unrecognized arguments: Builder Role 20260302\nusage: az role assignment create [-h] --role ROLE --assignee ASSIGNEE',
  },
  {
    of: '126',
    how: 'the template status in the run-state fields, distribution sub-state',
    message: '',
    runState: 'Failed',
  },
  {
    of: '130',
    how: 'Azure CLI (Code) form with a named path',
    message:
      "(LinkedInvalidPropertyId) Property id 'None' at path 'properties.vmProfile.vnetConfig.subnetId' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}'.\nCode: LinkedInvalidPropertyId",
  },
  {
    of: '133',
    how: 'az image builder delete while a cancel is in progress',
    message:
      "(Conflict) The image template 'win11-avd' cannot be deleted while its last run is being canceled. Try again when the cancellation finishes.\nCode: Conflict",
    runState: 'Canceling',
  },
  {
    of: '135',
    how: 'the Bicep warning with its code and a newer API version',
    message:
      'Warning BCP081: Resource type "Microsoft.VirtualMachineImages/imageTemplates@2025-10-01" does not have types available. Bicep is unable to validate resource properties prior to deployment, but this will not block the resource from being deployed.',
  },
  {
    of: '137',
    how: 'a longer, reworded refusal of a template without identity',
    message: 'The image template must have a user-assigned managed identity when it is built with API version 2022-02-14 or later.',
  },
  {
    of: '139',
    how: 'Add-AppxPackage refused as Local System, older log format, HRESULT exit code',
    message: '',
    log: old([
      'PACKER ERR 2025/10/02 11:20:01 [INFO] (telemetry) Starting provisioner powershell',
      'PACKER OUT     azure-arm: Add-AppxPackage : Deployment failed with HRESULT: 0x80073CF9, Install failed.',
      "PACKER ERR 2025/10/02 11:20:04 packer-provisioner-powershell plugin: [INFO] command 'powershell -executionpolicy bypass -file \"C:/Windows/Temp/packer-elevated-shell.ps1\"' exited with code: -2147009287",
      'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: -2147009287. Allowed exit codes are: [0]',
      "PACKER OUT Build 'azure-arm' errored after 4 minutes 10 seconds: Script exited with non-zero exit status: -2147009287. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '140',
    how: 'Expand-Archive failing after a successful download, 2025 format',
    message: '',
    log: ui([
      'ui: ==> azure-arm: Download completed successfully.',
      "ui: ==> azure-arm: Expand-Archive : The path 'C:\\\\apps' either does not exist or is not a valid file system path.",
      "packer-plugin-azure_v2.5.1_x5.0_linux_amd64 plugin: [INFO] command 'powershell -executionpolicy bypass -file \"C:/Windows/Temp/packer-elevated-shell-1.ps1\"' exited with code: 1",
      "ui error: Build 'azure-arm' errored after 2 minutes 1 second: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '141',
    how: 'success lines, then a wrapper that throws; PowerShell plugin line only',
    message: '',
    log: ui([
      'ui: ==> azure-arm: Copy completed successfully.',
      'ui: ==> azure-arm: C:\\Windows\\Temp\\script-2.ps1 : Inner installer reported failure',
      'packer-provisioner-powershell plugin: c:/Windows/Temp/script-2.ps1 returned with exit code 1',
    ]),
  },
  {
    of: '142',
    how: 'winget hash mismatch, the negative exit code on the plugin line',
    message: '',
    log: ui([
      'ui: ==> azure-arm: Installer hash does not match; this cannot be overridden when running as admin',
      'packer-provisioner-powershell plugin: c:/Windows/Temp/script-3.ps1 returned with exit code -1978335215',
      "ui error: Build 'azure-arm' errored after 1 hour 2 minutes: Script exited with non-zero exit status: -1978335215. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '143',
    how: 'Az PowerShell run refused on a failed template, provisioningState wording',
    message: "Start-AzImageBuilderTemplate_Run: Operation 'run' is not allowed in provisioningState: 'Failed'. Delete and recreate the template.",
    provisioningState: 'Failed',
  },
  {
    of: '144',
    how: 'a parse error after WinRM 401 retries, older log format',
    message: '',
    log: old([
      'PACKER OUT ==> azure-arm: Waiting for WinRM to become available...',
      'PACKER ERR 2026/01/05 08:00:10 packer-plugin-azure plugin: [ERROR] WinRM connection err: http response error: 401 - invalid content type',
      'PACKER ERR 2026/01/05 08:00:40 packer-plugin-azure plugin: [ERROR] WinRM connection err: http response error: 401 - invalid content type',
      'PACKER OUT ==> azure-arm: WinRM connected.',
      'PACKER ERR 2026/01/05 08:01:02 [INFO] (telemetry) Starting provisioner powershell',
      "PACKER OUT ==> azure-arm: Unexpected token '}' in expression or statement.",
      '    + FullyQualifiedErrorId : UnexpectedToken',
      'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
      "PACKER OUT Build 'azure-arm' errored after 3 minutes: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '145',
    how: 'a 404 inside a PowerShell download after a 1115 during a restart that worked',
    message: '',
    log: ui([
      'ui error: ==> azure-arm: A system shutdown is in progress.(1115)',
      'ui: ==> azure-arm: Machine successfully restarted, moving on',
      'ui: ==> azure-arm: Invoke-WebRequest : The remote server returned an error: (404) Not Found.',
      "packer-plugin-azure_v2.5.1_x5.0_linux_amd64 plugin: [INFO] command 'powershell -executionpolicy bypass -file \"C:/Windows/Temp/packer-elevated-shell-2.ps1\"' exited with code: 1",
      "ui error: Build 'azure-arm' errored after 5 minutes: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '146',
    how: 'npm on Linux: warnings on stderr, then exit 1 from the shell provisioner',
    message: '',
    log: old([
      'PACKER ERR 2026/02/01 12:00:00 [INFO] (telemetry) Starting provisioner shell',
      'PACKER OUT     azure-arm: npm WARN deprecated inflight@1.0.6: This module is not supported',
      'PACKER OUT     azure-arm: npm ERR! code EACCES',
      "PACKER ERR 2026/02/01 12:00:09 packer: [INFO] command 'chmod +x /tmp/script_42.sh; /tmp/script_42.sh' exited with code: 1",
      'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]',
      "PACKER OUT Build 'azure-arm' errored after 9 minutes: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]",
    ]),
  },
  {
    of: '147',
    how: 'the same import refusal worded from the definition\'s side',
    message: "Image import failed: the source image definition doesn't support Trusted launch. Recreate the definition with security type TrustedLaunchSupported.",
  },
];

/** Case 126's second sample also needs a template message: set here so the table above stays flat. */
export const TEMPLATE_MESSAGES: Record<string, { runSubState?: string; message: string }> = {
  '126': {
    runSubState: 'Distributing',
    message:
      'Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to Azure Compute Gallery: {"code":"InternalOperationError","message":"Internal error occurred."}}',
  },
};
