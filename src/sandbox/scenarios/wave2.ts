import { SANDBOX_SUBSCRIPTION_ID } from '../constants';
import { type Scenario, PASTED_TEXT_TAG } from './scenario-types';
import { ARTIFACTS, customizers as c, GALLERY_ID, galleryTarget, managedImageTarget, PACKER_FAILED_URL_STYLE, sources } from './template-parts';

// The classes real failures taught us (catalog wave 2): marketplace plans, storage account settings, property
// names, identities, the person's own rights, a deleted deprovisioning script, gallery definitions that disagree with
// the source, and client tooling that fails before Azure is reached. Messages are worded the way ARM, the resource
// provider and each tool print them, not copied from the samples the catalog is tested with.

const SUB = SANDBOX_SUBSCRIPTION_ID;

const successLog = (os: 'linux' | 'windows', name: string) => ({
  os,
  customizers: [{ type: os === 'windows' ? ('powershell' as const) : ('shell' as const), name }],
});

export const wave2Scenarios: Scenario[] = [
  {
    // A CIS-hardened marketplace image needs its plan in the template's source and its terms accepted.
    name: 'win2022-cis-l1',
    expectedId: 'purchase-plan-missing',
    os: 'windows',
    template: {
      source: { type: 'PlatformImage', publisher: 'center-for-internet-security-inc', offer: 'cis-windows-server', sku: 'cis-windows-server2022-l1-gen2', version: 'latest' },
      customize: [c.powershell('baseline', ['Set-ItemProperty -Path HKLM:\\SOFTWARE\\Contoso -Name Baseline -Value 1'])],
      distribute: [galleryTarget('win2022-cis-l1', 'win2022-cis-l1-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message:
        'Failed while creating the build VM: {"error":{"code":"InvalidTemplateDeployment","message":"The template deployment is not valid according to the validation procedure. See inner errors for details.","details":[{"code":"PurchasePlanNotProvided","message":"Creating a virtual machine from a Marketplace image requires Plan information in the request. VM: \'pkrvm3k1x9q2d7\'."}]}}',
      log: null,
    },
    ranMinutesAgo: 210,
    tookMinutes: 4,
  },
  {
    // The staging account's "allow storage account key access" was switched off by a subscription policy.
    name: 'rhel9-keyless-staging',
    expectedId: 'storage-access-refused',
    os: 'linux',
    template: {
      source: sources.rhel9,
      customize: [c.shell('repos', ['sudo dnf -y makecache'])],
      distribute: [galleryTarget('rhel9-keyless', 'rhel9-keyless-sig')],
      stagingResourceGroup: `/subscriptions/${SUB}/resourceGroups/aib-staging-keyless`,
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message:
        "Failed to upload the customization scripts to the staging storage account: Azure response status=\"403 Key based authentication is not permitted on this storage account.\" body=\"<?xml version=\\\"1.0\\\" encoding=\\\"utf-8\\\"?><Error><Code>KeyBasedAuthenticationNotPermitted</Code><Message>Key based authentication is not permitted on this storage account.</Message></Error>\"",
      log: null,
    },
    tookMinutes: 2,
  },
  {
    // Hand-written JSON with a wrongly cased property: the service refuses the body before anything is built.
    name: 'win2019-sql-dev',
    expectedId: 'unknown-template-property',
    os: 'windows',
    template: {
      source: sources.win2019,
      customize: [c.powershellScript('sql-dev', `${ARTIFACTS}/windows/sql-developer.ps1`)],
      distribute: [managedImageTarget('win2019-sql-dev', 'win2019-sql-dev-mi')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'InvalidRequestContent',
      message: 'The request content was invalid and could not be deserialized: json: unknown field "vmsize" in ImageTemplateVmProfile. Property names are case sensitive (vmSize).',
    },
  },
  {
    // Templates written for an old API version carried no identity; current versions require one.
    name: 'ubuntu2204-legacy-noid',
    expectedId: 'identity-required',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('legacy', ['echo legacy'])],
      distribute: [managedImageTarget('ubuntu2204-legacy', 'ubuntu2204-legacy-mi')],
    },
    status: {
      kind: 'submission-failed',
      provisioningErrorCode: 'BadRequest',
      message: 'An identity is required for this api-version: image templates created with api-version 2022-02-14 or later must have a user assigned managed identity. Please add one to the template and submit it again.',
    },
  },
  {
    // The person running `az image builder delete` lacks the right; the template itself is fine.
    name: 'win2022-kiosk',
    expectedId: 'user-not-authorized',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('kiosk', ['Set-AssignedAccess -AppUserModelId Contoso.Kiosk_8wekyb3d8bbwe!App -UserName kiosk'])],
      distribute: [galleryTarget('win2022-kiosk', 'win2022-kiosk-sig')],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        "Remove-AzImageBuilderTemplate_Delete: The client 'sam@contoso.example' with object id '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' does not have authorization to perform action 'Microsoft.VirtualMachineImages/imageTemplates/delete' over scope",
    },
    status: { kind: 'succeeded', log: successLog('windows', 'kiosk') },
    tookMinutes: 41,
  },
  {
    // A failure nothing in the catalog describes: the bot must say it does not know, show the decisive lines and
    // rank possible causes, never guess with confidence.
    name: 'ubuntu2404-edr-agent',
    expectedId: 'unknown',
    os: 'linux',
    template: {
      source: sources.ubuntu2404,
      customize: [c.shellScript('edr-agent', `${ARTIFACTS}/linux/contoso-edr-install.sh`)],
      distribute: [galleryTarget('ubuntu2404-edr', 'ubuntu2404-edr-agent-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Building',
      message: 'Failed in building/customizing image: the build record for this run was superseded by a newer generation before it completed (generation 7 of 8).',
      log: null,
    },
    tookMinutes: 9,
  },
  {
    // A "clean /tmp" step also deleted the deprovisioning script AIB copies in before the build starts.
    name: 'rhel9-tmp-cleanup',
    expectedId: 'deprovision-failed',
    os: 'linux',
    template: {
      source: sources.rhel9,
      customize: [c.shell('cleanup', ['sudo dnf clean all', 'sudo rm -rf /tmp/* /var/tmp/*'])],
      distribute: [galleryTarget('rhel9-minimal', 'rhel9-tmp-cleanup-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Customizing',
      message: PACKER_FAILED_URL_STYLE,
      log: {
        os: 'linux',
        customizers: [{ type: 'shell', name: 'cleanup', filler: 18, output: ['    azure-arm: 42 files removed'] }],
        failure: {
          at: 'deprovision',
          lines: [
            '==> azure-arm: Deprovisioning script [/tmp/DeprovisioningScript.sh] could not be found. Image build may fail or the VM created from the Image may not boot. Please make sure the deprovisioning script is not accidentally deleted by a Customizer in the Template.',
            '==> azure-arm: /bin/sh: 1: /tmp/DeprovisioningScript.sh: not found',
            'ERR packer-provisioner-shell plugin: [INFO] RPC client: Communicator ended with: 127',
            '==> azure-arm: Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
          ],
          erroredWith: 'Script exited with non-zero exit status: 127. Allowed exit codes are: [0]',
        },
      },
    },
  },
  {
    // A Gen2 source published into an image definition created as V1.
    name: 'ubuntu2204-gen2-into-v1',
    expectedId: 'hyperv-generation-mismatch',
    os: 'linux',
    template: {
      source: sources.ubuntu2204,
      customize: [c.shell('baseline', ['sudo apt-get update'])],
      distribute: [galleryTarget('ubuntu2204-v1', 'ubuntu2204-gen2-into-v1-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'linux', customizers: [{ type: 'shell', name: 'baseline', filler: 30 }] },
      message: `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to Azure Compute Gallery: ${GALLERY_ID}/images/ubuntu2204-v1, Location: westeurope. Error: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure sending request: StatusCode=400 -- Original Error: Code="InvalidParameter" Message="The Hyper-V generation 'V2' of the source image does not match the hyperVGeneration 'V1' of the gallery image definition." Target="galleryImageVersion.properties.storageProfile"}`,
    },
  },
  {
    // A Trusted Launch source published into a definition whose security type is Standard.
    name: 'win11-tl-avd',
    expectedId: 'security-type-mismatch',
    os: 'windows',
    template: {
      source: sources.win11avd,
      customize: [c.powershellScript('avd-apps', `${ARTIFACTS}/windows/avd-apps.ps1`)],
      distribute: [galleryTarget('win11-standard', 'win11-tl-avd-sig')],
    },
    status: {
      kind: 'run-failed',
      subState: 'Distributing',
      log: { os: 'windows', customizers: [{ type: 'powershell', name: 'avd-apps', filler: 30 }] },
      message: `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to Azure Compute Gallery: ${GALLERY_ID}/images/win11-standard. Error: Original Error: Code="BadRequest" Message="Gallery image version creation failed: a VM image with security type TrustedLaunch can only be published to an image definition whose securityType feature is TrustedLaunch or TrustedLaunchSupported."}`,
    },
  },
  {
    // The pipeline never reached Azure: the agent's Az module is too old for the cmdlet the script calls.
    name: 'win2022-devops-azmodule',
    expectedId: 'client-tooling-failed',
    os: 'windows',
    template: {
      source: sources.win2022,
      customize: [c.powershell('tools', ['choco install -y git'])],
      distribute: [galleryTarget('win2022-tools', 'win2022-devops-azmodule-sig')],
    },
    tags: {
      [PASTED_TEXT_TAG]:
        "##[error]The term 'New-AzImageBuilderTemplate' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name. Install-Module Az.ImageBuilder first.",
    },
    status: { kind: 'succeeded', log: successLog('windows', 'tools') },
    tookMinutes: 52,
  },
];
