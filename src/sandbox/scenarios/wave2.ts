import { SANDBOX_SUBSCRIPTION_ID } from '../constants';
import { type Os, type Scenario, type ScenarioStatus, PASTED_TEXT_TAG } from './scenario-types';
import { ARTIFACTS, customizers as c, GALLERY_ID, galleryTarget, managedImageTarget, PACKER_FAILED_URL_STYLE, sources } from './template-parts';

// The classes real failures taught us (catalog wave 2): marketplace plans, storage account settings, property
// names, identities, the person's own rights, a deleted deprovisioning script, gallery definitions that disagree with
// the source, and client tooling that fails before Azure is reached. Messages are worded the way ARM, the resource
// provider and each tool print them, not copied from the samples the catalog is tested with.

const SUB = SANDBOX_SUBSCRIPTION_ID;

type Step = ReturnType<typeof c.shell> | ReturnType<typeof c.powershell> | ReturnType<typeof c.shellScript>;

/** One customizer, one target: the templates here differ in what went wrong, not in what they build. */
function scenario(name: string, expectedId: string, os: Os, source: object, step: Step, target: object, status: ScenarioStatus, more: Partial<Scenario> = {}): Scenario {
  const { template: extra, ...rest } = more;
  return { name, expectedId, os, template: { source, customize: [step], distribute: [target], ...extra }, status, ...rest };
}

/** The service refused the template before any build: no run, no log. */
const refused = (provisioningErrorCode: string, message: string): ScenarioStatus => ({ kind: 'submission-failed', provisioningErrorCode, message });

/** The build VM never came up: the run failed in Building with no customization.log. */
const notBuilt = (message: string): ScenarioStatus => ({ kind: 'run-failed', subState: 'Building', message, log: null });

/** Everything was built, then publishing to the gallery was refused. */
function notPublished(os: Os, stepName: string, message: string): ScenarioStatus {
  const type = os === 'windows' ? ('powershell' as const) : ('shell' as const);
  return { kind: 'run-failed', subState: 'Distributing', log: { os, customizers: [{ type, name: stepName, filler: 30 }] }, message };
}

/** The run Succeeded: what failed happened elsewhere and reaches the bot as pasted text (see `pasted`). */
function succeeded(os: Os, stepName: string): ScenarioStatus {
  const type = os === 'windows' ? ('powershell' as const) : ('shell' as const);
  return { kind: 'succeeded', log: { os, customizers: [{ type, name: stepName }] } };
}
const pasted = (text: string) => ({ [PASTED_TEXT_TAG]: text });

const galleryVersionRefused = (image: string, reason: string) =>
  `Failed in distributing 1 images out of total 1: {[Error 0] [Distribute 0] Error publishing MDI to Azure Compute Gallery: ${GALLERY_ID}/images/${image}. Error: compute.GalleryImageVersionsClient#CreateOrUpdate: Failure sending request: StatusCode=400 -- Original Error: ${reason}}`;

export const wave2Scenarios: Scenario[] = [
  // A CIS-hardened marketplace image needs its plan in the template's source and its terms accepted.
  scenario(
    'win2022-cis-l1',
    'purchase-plan-missing',
    'windows',
    { type: 'PlatformImage', publisher: 'center-for-internet-security-inc', offer: 'cis-windows-server', sku: 'cis-windows-server2022-l1-gen2', version: 'latest' },
    c.powershell('baseline', ['Set-ItemProperty -Path HKLM:\\SOFTWARE\\Contoso -Name Baseline -Value 1']),
    galleryTarget('win2022-cis-l1', 'win2022-cis-l1-sig'),
    notBuilt(
      'Failed while creating the build VM: {"error":{"code":"InvalidTemplateDeployment","message":"The template deployment is not valid according to the validation procedure. See inner errors for details.","details":[{"code":"PurchasePlanNotProvided","message":"Creating a virtual machine from a Marketplace image requires Plan information in the request. VM: \'pkrvm3k1x9q2d7\'."}]}}',
    ),
    { ranMinutesAgo: 210, tookMinutes: 4 },
  ),
  // The staging account's "allow storage account key access" was switched off by a subscription policy.
  scenario(
    'rhel9-keyless-staging',
    'storage-access-refused',
    'linux',
    sources.rhel9,
    c.shell('repos', ['sudo dnf -y makecache']),
    galleryTarget('rhel9-keyless', 'rhel9-keyless-sig'),
    notBuilt(
      'Failed to upload the customization scripts to the staging storage account: Azure response status="403 Key based authentication is not permitted on this storage account." body="<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?><Error><Code>KeyBasedAuthenticationNotPermitted</Code><Message>Key based authentication is not permitted on this storage account.</Message></Error>"',
    ),
    { tookMinutes: 2, template: { stagingResourceGroup: `/subscriptions/${SUB}/resourceGroups/aib-staging-keyless` } },
  ),
  // Hand-written JSON with a wrongly cased property: the service refuses the body before anything is built.
  scenario(
    'win2019-sql-dev',
    'unknown-template-property',
    'windows',
    sources.win2019,
    c.powershellScript('sql-dev', `${ARTIFACTS}/windows/sql-developer.ps1`),
    managedImageTarget('win2019-sql-dev', 'win2019-sql-dev-mi'),
    refused('InvalidRequestContent', 'The request content was invalid and could not be deserialized: json: unknown field "vmsize" in ImageTemplateVmProfile. Property names are case sensitive (vmSize).'),
  ),
  // Templates written for an old API version carried no identity; current versions require one.
  scenario(
    'ubuntu2204-legacy-noid',
    'identity-required',
    'linux',
    sources.ubuntu2204,
    c.shell('legacy', ['echo legacy']),
    managedImageTarget('ubuntu2204-legacy', 'ubuntu2204-legacy-mi'),
    refused(
      'BadRequest',
      'An identity is required for this api-version: image templates created with api-version 2022-02-14 or later must have a user assigned managed identity. Please add one to the template and submit it again.',
    ),
  ),
  // The person running Remove-AzImageBuilderTemplate lacks the right; the template itself is fine.
  scenario(
    'win2022-kiosk',
    'user-not-authorized',
    'windows',
    sources.win2022,
    c.powershell('kiosk', ['Set-AssignedAccess -AppUserModelId Contoso.Kiosk_8wekyb3d8bbwe!App -UserName kiosk']),
    galleryTarget('win2022-kiosk', 'win2022-kiosk-sig'),
    succeeded('windows', 'kiosk'),
    {
      tags: pasted(
        "Remove-AzImageBuilderTemplate_Delete: The client 'sam@contoso.example' with object id '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' does not have authorization to perform action 'Microsoft.VirtualMachineImages/imageTemplates/delete' over scope",
      ),
      tookMinutes: 41,
    },
  ),
  // A failure nothing in the catalog describes: the bot must say it does not know, show the decisive lines and
  // rank possible causes, never guess with confidence.
  scenario(
    'ubuntu2404-edr-agent',
    'unknown',
    'linux',
    sources.ubuntu2404,
    c.shellScript('edr-agent', `${ARTIFACTS}/linux/contoso-edr-install.sh`),
    galleryTarget('ubuntu2404-edr', 'ubuntu2404-edr-agent-sig'),
    notBuilt('Failed in building/customizing image: the build record for this run was superseded by a newer generation before it completed (generation 7 of 8).'),
    { tookMinutes: 9 },
  ),
  // A "clean /tmp" step also deleted the deprovisioning script AIB copies in before the build starts.
  scenario('rhel9-tmp-cleanup', 'deprovision-failed', 'linux', sources.rhel9, c.shell('cleanup', ['sudo dnf clean all', 'sudo rm -rf /tmp/* /var/tmp/*']), galleryTarget('rhel9-minimal', 'rhel9-tmp-cleanup-sig'), {
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
  }),
  // A Gen2 source published into an image definition created as V1.
  scenario(
    'ubuntu2204-gen2-into-v1',
    'hyperv-generation-mismatch',
    'linux',
    sources.ubuntu2204,
    c.shell('baseline', ['sudo apt-get update']),
    galleryTarget('ubuntu2204-v1', 'ubuntu2204-gen2-into-v1-sig'),
    notPublished(
      'linux',
      'baseline',
      galleryVersionRefused(
        'ubuntu2204-v1',
        'Code="InvalidParameter" Message="The Hyper-V generation \'V2\' of the source image does not match the hyperVGeneration \'V1\' of the gallery image definition." Target="galleryImageVersion.properties.storageProfile"',
      ),
    ),
  ),
  // A Trusted Launch source published into a definition whose security type is Standard.
  scenario(
    'win11-tl-avd',
    'security-type-mismatch',
    'windows',
    sources.win11avd,
    c.powershellScript('avd-apps', `${ARTIFACTS}/windows/avd-apps.ps1`),
    galleryTarget('win11-standard', 'win11-tl-avd-sig'),
    notPublished(
      'windows',
      'avd-apps',
      galleryVersionRefused(
        'win11-standard',
        'Code="BadRequest" Message="Gallery image version creation failed: a VM image with security type TrustedLaunch can only be published to an image definition whose securityType feature is TrustedLaunch or TrustedLaunchSupported."',
      ),
    ),
  ),
  // The pipeline never reached Azure: the agent's Az module is too old for the cmdlet the script calls.
  scenario(
    'win2022-devops-azmodule',
    'client-tooling-failed',
    'windows',
    sources.win2022,
    c.powershell('tools', ['choco install -y git']),
    galleryTarget('win2022-tools', 'win2022-devops-azmodule-sig'),
    succeeded('windows', 'tools'),
    {
      tags: pasted(
        "##[error]The term 'New-AzImageBuilderTemplate' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name. Install-Module Az.ImageBuilder first.",
      ),
      tookMinutes: 52,
    },
  ),
];
