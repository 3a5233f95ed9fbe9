import type { ActionName, Phase } from './types';

// The known failures of Azure VM Image Builder, one entry per failure class. Texts (title, cause, fix) live in
// locales/<locale>.json under catalog.<id>; everything a machine needs to recognise and act on a failure lives here.
//
// Signatures are RE2 patterns (no look-around, no back-references), matched case-insensitively against one line
// at a time. They never cross a line: use [^\n] rather than a bare negated class. `unless` drops a line that
// matches the signature but is known not to be the failure (e.g. the deprovisioning command echoing its own
// error text in every successful Windows build).
//
// `rank` encodes "specific beats generic": when several entries match, the highest rank wins. Rough tiers:
// 90 a message only this failure prints, 80 a specific cause, 70 a specific but broad class, 60 a symptom that
// many causes share, 40 the service failing, 30 "a customizer failed", 20 "the pipeline said error".
// Benign entries have rank 0 and never win while anything else matched.

export interface CatalogEntry {
  id: string;
  phase: Phase;
  benign: boolean;
  rank: number;
  signatures: string[];
  unless?: string[];
  /**
   * An envelope: a message every failure of its kind prints around the real cause ("terminal provisioning state
   * Failed"). It loses to any other failure found in the same input, whatever the ranks.
   */
  envelope?: boolean;
  /** Where its signatures count (default everywhere): client-tool crashes are pasted, never in a build's log. */
  sources?: Array<'status' | 'text' | 'log'>;
  docs: {
    /**
     * Anchor in the 2020 edition of the guide (the seeds; docs.microsoft.com/azure/virtual-machines/linux/
     * image-builder-troubleshoot), when that edition covered the failure.
     */
    guide2020?: string;
    /** Anchor in the current guide. */
    current: string;
  };
  actions: ActionName[];
  /** Its first fix step only says how to find the failing customizer: a card that already names it skips that step. */
  fixLocatesStep?: boolean;
}

export const GUIDE_URL = 'https://learn.microsoft.com/azure/virtual-machines/linux/image-builder-troubleshoot';

export function docUrl(entry: CatalogEntry): string {
  return `${GUIDE_URL}#${entry.docs.current}`;
}

// Shorthands for patterns used by several entries.
const CODE = (code: string) => `(?:"?code"?\\s*[:=]\\s*\\\\?"?|Code=\\\\?"|\\(|ErrorCode:\\s*)${code}\\b`;

const entries: CatalogEntry[] = [
  // ---------------------------------------------------------------- submission
  {
    id: 'template-exists',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: ['Update/Upgrade of image templates is currently not supported'],
    docs: {
      guide2020: 'updateupgrade-of-image-templates-is-currently-not-supported',
      current: 'update-or-upgrade-of-image-templates-is-currently-not-supported',
    },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'identity-unusable',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: ['assigned managed identity cannot be used'],
    docs: { current: 'assigned-managed-identity-on-an-image-template-cant-be-used' },
    actions: ['grant-permissions', 'delete-template', 'open-support-case'],
  },
  {
    id: 'identity-not-authorized',
    phase: 'submission',
    benign: false,
    rank: 80,
    signatures: [
      'Not authorized to access the resource',
      'check the user assigned identity has the correct permissions',
    ],
    docs: { current: 'assigned-managed-identity-isnt-authorized-to-access-a-resource' },
    actions: ['grant-permissions', 'rerun', 'open-support-case'],
  },
  {
    id: 'deployment-failed-permissions',
    phase: 'submission',
    benign: false,
    rank: 70,
    signatures: [
      "completed with terminal provisioning state '?Failed",
      "finished with a terminal provisioning state of '?\"?Failed",
      CODE('ResourceDeploymentFailure'),
    ],
    envelope: true,
    docs: {
      guide2020: 'the-resource-operation-completed-with-terminal-provisioning-state-failed',
      current: 'resource-operation-finished-with-a-terminal-provisioning-state-of-failed',
    },
    actions: ['grant-permissions', 'delete-template', 'open-support-case'],
  },
  {
    id: 'template-validation-failed',
    phase: 'submission',
    benign: false,
    rank: 70,
    signatures: [
      CODE('ValidationFailed'),
      'Validation failed: ',
      CODE('InvalidTemplate'),
      '(?:provisioningErrorCode|ProvisioningError)[" :=]+(?:Bad[A-Za-z]+|Unsupported[A-Za-z]+Type|No(?:Customizer|Validator)Script)\\b',
      CODE('LinkedInvalidPropertyId'),
      "Property id '[^'\\n]*' at path '[^'\\n]*' is invalid",
      'Expect(?:ed|s)? (?:a )?fully qualified resource Id',
      CODE('InvalidParameter'),
    ],
    docs: {
      guide2020: 'troubleshoot-image-template-submission-errors',
      current: 'troubleshoot-image-template-submission-errors',
    },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'required-field-missing',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: ["'ImageTemplate\\.properties\\.[A-Za-z]+\\[\\d+\\]'?:? Missing field", 'Missing field [A-Za-z]+\\. Please review'],
    docs: { current: 'required-fields-are-missing' },
    actions: ['open-support-case'],
  },
  {
    id: 'distribute-target-removed',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: [
      'Distribute target with Runoutput name [^\\n]* not found in the update request',
      'Deleting a distribution target is not allowed',
    ],
    docs: { current: 'distribution-target-is-not-found-in-the-update-request' },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'provider-not-registered',
    phase: 'submission',
    benign: false,
    rank: 80,
    signatures: [
      CODE('MissingSubscriptionRegistration'),
      "not registered to use namespace '?Microsoft\\.(?:VirtualMachineImages|Compute|Storage|Network|KeyVault)",
      CODE('SubscriptionNotRegistered'),
      // "The subscription is not registered for the resource type 'imageTemplates'", and the older namespace form.
      'subscription (?:is not|isn.t) registered (?:for|to use|with)',
      'not registered for (?:the )?resource type',
      'No registered resource provider found for location',
      '(?:resource )?provider (?:is )?not registered',
    ],
    docs: { current: 'prerequisites' },
    actions: ['open-support-case'],
  },
  {
    id: 'operation-not-allowed-in-state',
    phase: 'submission',
    benign: false,
    rank: 60,
    signatures: [
      CODE('OperationNotAllowed'),
      'is not allowed (?:while|when) (?:the )?(?:image )?template is (?:running|in)',
      'another (?:build|run) is (?:already )?in progress',
      "Operation '?[A-Za-z./]+'? is not allowed (?:on|while|when|in)",
      // `… is not allowed in provisioning state: failed`, `in provisioningState: 'creating'`, `or run state: canceling`.
      'is not allowed in (?:the )?(?:current )?(?:provisioning|run) ?state',
      'cannot be (?:deleted|updated|modified|started|run|canceled|cancelled) (?:while|when|in (?:the )?(?:current )?state)',
      '(?:image template|template) is (?:currently )?being (?:deleted|canceled|cancelled)',
      CODE('AnotherOperationInProgress'),
    ],
    docs: { current: 'troubleshoot-image-template-submission-errors' },
    actions: ['cancel-run', 'rerun'],
  },

  // ---------------------------------------------------------------- build
  {
    id: 'authorization-failed',
    phase: 'build',
    benign: false,
    rank: 70,
    signatures: [
      CODE('AuthorizationFailed'),
      CODE('LinkedAuthorizationFailed'),
      'does not have (?:authorization|permission) to perform action',
    ],
    docs: { guide2020: 'error-getting-managed-image', current: 'error-occurs-with-getting-a-managed-image' },
    actions: ['grant-permissions', 'rerun', 'show-log'],
  },
  {
    id: 'disk-authorization',
    phase: 'build',
    benign: false,
    rank: 90,
    signatures: ["authorization to perform action '?Microsoft\\.Compute/disks/write'?[^\\n]*proxyVmDisk"],
    docs: { current: 'authorization-error-occurs-with-creating-a-disk' },
    actions: ['grant-permissions', 'rerun'],
  },
  {
    id: 'source-image-not-found',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      'Build \\([^)\\n]+\\) step failed[^\\n]*StatusCode=404',
      'Code=\\\\?"?ResourceNotFound\\\\?"?[^\\n]*Microsoft\\.Compute/(?:galleries|images)',
      CODE('PlatformImageNotFound'),
      'Artifact: VMImage was not found',
      CODE('ImageNotFound'),
      '(?:Platform|Marketplace|source|gallery) image (?:version )?(?:was |could )?not (?:be )?found',
      'image reference (?:does not exist|was not found|not found)',
    ],
    docs: { guide2020: 'build--step-failed-for-image-version', current: 'build-step-failed-for-the-image-version' },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'policy-violation',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [CODE('RequestDisallowedByPolicy'), 'because of policy violation', 'disallowed by policy'],
    docs: { current: 'template-deployment-failed-because-of-a-policy-violation' },
    actions: ['rerun', 'show-log', 'open-support-case'],
  },
  {
    id: 'quota-exceeded',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      'exceeding approved [^\\n]*quota',
      CODE('QuotaExceeded'),
      'Operation results in exceeding quota limits of Core',
      // "…results in exceeding quota limit of standardDv2Family Cores", "would exceed the quota of", any API version.
      'exceeding (?:the )?(?:approved )?quota limits?',
      'would exceed (?:the |its )?(?:approved )?quota',
      'quota (?:limit )?(?:was |has been |is )?(?:exceeded|reached)',
      CODE('ResourceQuotaExceeded'),
    ],
    docs: { current: 'prerequisites' },
    actions: ['recreate-larger-vm', 'open-support-case'],
  },
  {
    id: 'aci-provider-unregistered',
    phase: 'build',
    benign: false,
    rank: 90,
    signatures: [
      'Azure Container Instances provider (?:is )?not registered',
      "not registered to use namespace '?Microsoft\\.ContainerInstance",
    ],
    docs: { current: 'azure-container-instances-provider-is-unregistered' },
    actions: ['rerun', 'open-support-case'],
  },
  {
    id: 'aci-quota-exceeded',
    phase: 'build',
    benign: false,
    rank: 90,
    signatures: ['Azure Container Instances quota exceeded', CODE('ContainerGroupQuotaReached')],
    docs: { current: 'subscription-exceeded-the-azure-container-instances-quota' },
    actions: ['rerun', 'open-support-case'],
  },
  {
    id: 'aci-too-many',
    phase: 'build',
    benign: false,
    rank: 90,
    signatures: ['Too many Azure Container Instances (?:resources )?(?:are )?deployed within a period of time'],
    docs: { current: 'too-many-azure-container-instances-resources-are-deployed-within-a-period-of-time' },
    actions: ['rerun', 'open-support-case'],
  },
  {
    id: 'isolated-build-failure',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: ['(?:failing|failed) due to Isolated Image Builds?', 'Isolated Image Build[^\\n]*(?:fail|error)'],
    docs: { current: 'isolated-image-builds-feature-causes-a-failure' },
    actions: ['rerun', 'open-support-case'],
  },
  {
    id: 'jwt-expiry',
    phase: 'build',
    benign: false,
    rank: 90,
    signatures: ['client_jwt will expire within 5 minutes'],
    docs: { current: 'jwt-errors-appear-in-the-log-early-in-the-build' },
    actions: ['recreate-larger-timeout'],
  },
  {
    id: 'nic-not-found',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      'InterfacesClient#UpdateTags[^\\n]*StatusCode=404',
      "Microsoft\\.Network/networkInterfaces/[^'\\n]*' under resource group '[^'\\n]*' was not found",
    ],
    docs: { guide2020: 'resource-not-found', current: 'resource-is-not-found' },
    actions: ['grant-permissions', 'rerun', 'open-support-case'],
  },
  {
    id: 'no-artifacts',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      "errored(?: after [^:\\n]+)?: Future#WaitForCompletion: context has been cancelled",
      'machine readable: [^\\n]*error[^\\n]*Future#WaitForCompletion: context has been cancelled',
    ],
    docs: {
      guide2020: 'builds-finished-but-no-artifacts-were-created',
      current: 'build-finished-but-no-artifacts-were-created',
    },
    actions: ['rerun', 'show-log'],
  },
  {
    id: 'service-error',
    phase: 'build',
    benign: false,
    rank: 40,
    signatures: [
      CODE('InternalServerError'),
      CODE('ServerError'),
      CODE('InternalOperationError'),
      'Internal error occurred',
      'Internal server error',
      'ProvisioningError (?:ServerError|InternalServerError)\\b',
      'StatusCode=5\\d\\d\\b',
    ],
    docs: { guide2020: 'getting-support', current: 'get-support' },
    actions: ['rerun', 'open-support-case'],
  },

  // ---------------------------------------------------------------- customization
  {
    id: 'customizer-failed',
    phase: 'customization',
    benign: false,
    rank: 30,
    signatures: [
      'Packer build command has failed',
      // The newer wording of the same failure (async-operation error PackerBuildFailed, 2024).
      'During the image build,? a failure has occurred',
      'Script exited with non-zero exit status',
      'Erroneous exit code \\d+ while executing',
      CODE('PackerBuildFailed'),
      // The step's own exit code, however the provisioner words it (packer 1.5–1.15, plugin 1.x–2.5).
      'exited with code:? -?[1-9]\\d*',
      'returned with exit code:? -?[1-9]\\d*',
      'Allowed exit codes are',
      'failed with exit code:? -?[1-9]\\d*',
    ],
    // The WindowsUpdate provisioner polls its own elevated script, which exits non-zero while updates remain.
    unless: ['packer-windows-update'],
    docs: { guide2020: 'packer-build-command-failure', current: 'packer-build-command-fails' },
    actions: ['show-log', 'rerun', 'open-support-case'],
    fixLocatesStep: true,
  },
  {
    id: 'file-download-failed',
    phase: 'customization',
    benign: false,
    rank: 80,
    signatures: ['Downloading external file [^\\n]* failed', "Error downloading '[^'\\n]+' to '"],
    docs: {
      guide2020: 'downloading-external-file-to-local-file',
      current: 'error-occurs-with-downloading-an-external-file-to-a-local-file',
    },
    actions: ['show-log', 'grant-permissions', 'rerun'],
  },
  {
    id: 'large-file-download',
    phase: 'customization',
    benign: false,
    rank: 90,
    // The File customizer's progress meter part-way (1–99 %): a small file jumps straight to 100.00 %.
    signatures: ['\\S+ \\d+ B / \\d+ B\\s+[1-9]?\\d\\.\\d{2}%'],
    docs: { guide2020: 'long-file-download-time', current: 'file-download-time-is-long' },
    actions: ['show-log', 'recreate-larger-timeout'],
  },
  {
    id: 'build-timeout',
    phase: 'customization',
    benign: false,
    rank: 70,
    signatures: [
      'Timeout waiting for microservice to complete',
      'Build timed out after \\d+',
      // The service cancels packer when buildTimeoutInMinutes runs out; hours-long runs ending this way are that.
      "Build '[^'\\n]+' errored after \\d+ hours?[^:\\n]*: context canceled",
      'exceeded the build timeout',
      // `Cancelling build after receiving terminated` (the service's SIGTERM when buildTimeoutInMinutes runs out)
      // is a fact the classifier weighs against what follows it, not a signature: see classify.ts.
    ],
    docs: { guide2020: 'timeout-exceeded', current: 'deployment-fails-due-to-timeout' },
    actions: ['recreate-larger-timeout', 'recreate-larger-vm', 'show-log'],
  },
  {
    id: 'windows-restart-1190',
    phase: 'customization',
    benign: false,
    rank: 90,
    signatures: ['A system shutdown has already been scheduled\\.?\\s*\\(1190\\)', 'Timeout waiting for machine to restart'],
    docs: { current: 'windows-restart-continually-fails-with-error-code-1190' },
    actions: ['show-log', 'delete-template'],
  },
  {
    id: 'low-resources',
    phase: 'customization',
    benign: false,
    rank: 80,
    // "system performance: N% cpu" lines are normal Windows Update chatter; the build dying with an unexpected
    // EOF while the VM is busy is what marks exhaustion.
    signatures: ["Build '[^'\\n]+' errored(?: after [^:\\n]+)?: unexpected EOF"],
    docs: {
      guide2020: 'low-windows-resource-information-events',
      current: 'information-events-show-low-windows-resources',
    },
    actions: ['recreate-larger-vm', 'show-log'],
  },
  {
    id: 'sysprep-timing',
    phase: 'customization',
    benign: false,
    rank: 90,
    signatures: ["Cannot find any service with service name '?WindowsAzureGuestAgent"],
    docs: { guide2020: 'sysprep-timing', current: 'theres-a-sysprep-timing-problem' },
    actions: ['recreate-larger-vm', 'show-log'],
  },
  {
    id: 'connection-lost',
    phase: 'customization',
    benign: false,
    rank: 60,
    signatures: [
      'Cancelling builder after context cancellation',
      'Remote command exited without exit status or exit signal',
      'Communicator ended with: 2300218',
      'Timeout waiting for (?:WinRM|SSH)',
      'Error waiting for (?:WinRM|SSH)',
      'Script disconnected unexpectedly',
    ],
    docs: {
      guide2020: 'cancelling-builder-after-context-cancellation-context-canceled',
      current: 'build-is-canceled-after-context-cancellation',
    },
    actions: ['show-log', 'rerun'],
  },
  {
    id: 'deprovision-failed',
    phase: 'customization',
    benign: false,
    rank: 80,
    signatures: [
      'Deprovisioning script \\[[^\\]\\n]+\\] could not be found',
      'DeprovisioningScript\\.(?:ps1|sh)[^\\n]*(?:exited with non-zero|exit status [1-9]|not found|No such file)',
      'waagent[^\\n]*deprovision[^\\n]*(?:failed|error)',
    ],
    // The Windows deprovisioning command carries its own "could not be found" message; packer echoes the whole
    // command in every successful build.
    unless: ['Found command:', 'echo "Deprovisioning script'],
    docs: { guide2020: 'command-locations-and-filenames', current: 'command-locations-and-file-names' },
    actions: ['show-log', 'open-support-case'],
  },

  // ---------------------------------------------------------------- validation
  {
    // An in-VM validator (validate.inVMValidations: Shell, PowerShell, File) failed on the VM made from the
    // captured image; its output is validation.log, beside customization.log. The classifier also raises it from
    // the status alone (a run that failed in its Validating sub-state) and names the failing validator.
    id: 'validation-failed',
    phase: 'validation',
    benign: false,
    rank: 75,
    signatures: [
      'During the image validation,? a failure has occurred',
      "validator '[^'\\n]+' exited with status",
      'Running validation on a VM created from the captured image[^\\n]*failed',
    ],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['show-log', 'rerun', 'open-support-case'],
  },

  // ---------------------------------------------------------------- distribution
  {
    id: 'gallery-replication-timeout',
    phase: 'distribution',
    benign: false,
    rank: 90,
    signatures: [
      'Error waiting on (?:shared image gallery|Azure Compute Gallery)',
      '(?:shared image gallery|Azure Compute Gallery) future[^\\n]*context deadline exceeded',
    ],
    docs: {
      guide2020: 'error-waiting-on-shared-image-gallery',
      current: 'error-occurs-with-waiting-for-azure-compute-gallery',
    },
    actions: ['recreate-larger-timeout', 'show-log'],
  },
  {
    id: 'distribution-failed',
    phase: 'distribution',
    benign: false,
    rank: 70,
    signatures: ['Failed in distributing \\d+ images? out of total', 'Error publishing MDI to'],
    docs: { guide2020: 'troubleshoot-build-failures', current: 'troubleshoot-build-failures' },
    actions: ['show-log', 'grant-permissions', 'rerun'],
  },

  // ---------------------------------------------------------------- pipeline
  {
    id: 'devops-task-canceled',
    phase: 'pipeline',
    benign: false,
    rank: 90,
    signatures: ['##\\[error\\]\\s*The operation was canceled'],
    docs: { guide2020: 'operation-was-canceled', current: 'operation-was-canceled' },
    actions: ['show-log', 'rerun'],
  },
  {
    id: 'devops-task-error',
    phase: 'pipeline',
    benign: false,
    rank: 20,
    signatures: ['post template call failed for template', '##\\[error\\]', 'run template call failed for template'],
    docs: { guide2020: 'troubleshooting-the-task', current: 'troubleshoot-azure-devops' },
    actions: ['show-log', 'open-support-case'],
  },

  // ---------------------------------------------------------------- after the build
  {
    id: 'windows-modules-installer',
    phase: 'after-build',
    benign: false,
    rank: 80,
    signatures: ['Please wait for the Windows Modules Installer'],
    docs: {
      guide2020: 'slow-windows-logon-please-wait-for-the-windows-modules-installer',
      current: 'windows-logon-is-slow',
    },
    actions: ['open-support-case'],
  },
  {
    id: 'vm-creation-failed',
    phase: 'after-build',
    benign: false,
    rank: 80,
    signatures: [
      CODE('OSProvisioningTimedOut'),
      'OS Provisioning for VM [^\\n]* did not finish in the allotted time',
      CODE('OSProvisioningClientError'),
    ],
    docs: {
      guide2020: 'vms-created-from-aib-images-do-not-create-successfully',
      current: 'troubleshoot-vms-created-unsuccessfully-from-vm-image-builder',
    },
    actions: ['open-support-case'],
  },

  {
    // Image Builder disables a SourceImage trigger after repeated consecutive failed builds and enables it again
    // after a successful manual build. Raised from a pasted trigger status, and from the trigger facts (a status
    // code naming a disabled state) during a template diagnosis, as a hit of its own (validation-and-triggers.ts).
    // It outranks "a customizer failed" (the builds that disabled it) but not a specific cause of those builds.
    id: 'trigger-disabled',
    phase: 'after-build',
    benign: false,
    rank: 50,
    signatures: [
      'trigger (?:was|has been|is) disabled after \\d+ (?:consecutive )?(?:failed builds|failures)',
    ],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['rerun', 'show-log'],
  },

  // ---------------------------------------------------------------- benign
  {
    id: 'no-artifacts-warning',
    phase: 'benign',
    benign: true,
    rank: 0,
    signatures: ['Builds finished but no artifacts were created'],
    docs: {
      guide2020: 'builds-finished-but-no-artifacts-were-created',
      current: 'build-finished-but-no-artifacts-were-created',
    },
    actions: ['show-log'],
  },
  {
    id: 'image-creation-skipped',
    phase: 'benign',
    benign: true,
    rank: 0,
    signatures: ['Skipping image creation'],
    docs: { current: 'image-creation-was-skipped' },
    actions: ['show-log'],
  },
  {
    id: 'resource-deletion-retry',
    phase: 'benign',
    benign: true,
    rank: 0,
    signatures: [
      'Error deleting resource\\. Will retry',
      'PublicIPAddressCannotBeDeleted',
      'InUseNetworkSecurityGroupCannotBeDeleted',
      'NicInUseWithPrivateEndpoint',
    ],
    docs: { current: 'resource-deletion-errors-appear' },
    actions: ['show-log'],
  },

  // ---------------------------------------------------------------- wave 2: classes the real world shows
  {
    id: 'purchase-plan-missing',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: [
      CODE('PurchasePlanNotProvided'),
      'Purchase Plan (?:was |is )?not (?:been )?provided',
      'purchase plan[^\\n]*(?:missing|required|not (?:been )?(?:provided|specified|set))',
      'planInfo[^\\n]*(?:missing|required|not (?:been )?(?:provided|specified))',
      'Plan Inf[a-z]* details for the source',
      CODE('MarketplacePurchaseEligibilityFailed'),
      CODE('ResourcePurchaseValidationFailed'),
      'legal terms[^\\n]*(?:not (?:been )?accepted|have not|must be accepted)',
    ],
    docs: { current: 'troubleshoot-image-template-submission-errors' },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'storage-access-refused',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      CODE('PublicAccessNotPermitted'),
      '<Code>(?:PublicAccessNotPermitted|KeyBasedAuthenticationNotPermitted|AuthorizationPermissionMismatch)</Code>',
      'Public access is not permitted on this storage account',
      CODE('KeyBasedAuthenticationNotPermitted'),
      'Key based authentication is not permitted',
      '(?:anonymous|public) (?:blob )?access (?:is )?(?:disabled|not (?:permitted|allowed))',
      'shared key (?:access|authori[sz]ation) (?:is )?(?:disabled|not (?:permitted|allowed))',
      CODE('AuthorizationPermissionMismatch'),
    ],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['grant-permissions', 'show-log', 'open-support-case'],
  },
  {
    id: 'vm-size-unavailable',
    phase: 'build',
    benign: false,
    rank: 80,
    signatures: [
      CODE('SkuNotAvailable'),
      'is (?:currently )?not available in (?:the )?(?:location|region|zone)',
      CODE('AllocationFailed'),
      CODE('ZonalAllocationFailed'),
      'Allocation failed\\. We do not have sufficient capacity',
    ],
    docs: { current: 'prerequisites' },
    actions: ['recreate-larger-vm', 'rerun', 'open-support-case'],
  },
  {
    id: 'unknown-template-property',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: [
      'unknown field \\\\?"[A-Za-z0-9_]+',
      'Unmarshalling entity encountered error',
      "Could not find member '[^'\\n]+' on object of type",
      "(?:unrecognized|unknown|unsupported) (?:property|field|member) '[A-Za-z0-9_.]+'",
    ],
    docs: { current: 'troubleshoot-image-template-submission-errors' },
    actions: ['open-support-case'],
  },
  {
    id: 'identity-required',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: [
      '(?:A |The )?managed identity is required',
      'identity is required (?:for|to|when) (?:building|creating|this)',
      'requires? (?:a |an )?(?:user[- ]assigned )?managed identity',
      'must (?:have|specify|set) (?:a |an )?(?:user[- ]assigned )?(?:managed )?identity',
    ],
    docs: { current: 'required-fields-are-missing' },
    actions: ['delete-template', 'open-support-case'],
  },
  {
    id: 'user-not-authorized',
    phase: 'submission',
    benign: false,
    rank: 90,
    signatures: [
      "(?:authorization|permission) to perform action '?Microsoft\\.VirtualMachineImages/imageTemplates/(?:write|delete|run/action|cancel/action)",
      "not authorized to perform action '?Microsoft\\.VirtualMachineImages/imageTemplates",
    ],
    docs: { current: 'prerequisites' },
    actions: ['open-support-case'],
  },
  {
    id: 'waagent-missing',
    phase: 'customization',
    benign: false,
    rank: 90,
    signatures: [
      'waagent: (?:command )?not found',
      "waagent'?: No such file or directory",
      '(?:unable to|cannot|can.t|could not) (?:find|locate) (?:the )?waagent',
      '(?:walinuxagent|waagent|Azure Linux Agent) (?:is )?not installed',
    ],
    docs: { guide2020: 'command-locations-and-filenames', current: 'command-locations-and-file-names' },
    actions: ['show-log', 'open-support-case'],
  },
  {
    id: 'hyperv-generation-mismatch',
    phase: 'distribution',
    benign: false,
    rank: 90,
    signatures: [
      'Hyper-?V ?Generation[^\\n]*(?:mismatch|does(?: not|n.t) match|do not match|not match|different|incompatible|must (?:be the same|match))',
      '(?:mismatch|does(?: not|n.t) match|do not match)[^\\n]*Hyper-?V ?generation',
      'generation (?:V1|V2|1|2) [^\\n]*(?:cannot|can.t|not) be (?:used|published|distributed)[^\\n]*generation (?:V1|V2|1|2)',
    ],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['open-support-case'],
  },
  {
    id: 'security-type-mismatch',
    phase: 'distribution',
    benign: false,
    rank: 90,
    signatures: [
      'Trusted ?Launch is not (?:selected|enabled|supported|set)',
      'security ?type[^\\n]*(?:mismatch|does(?: not|n.t) match|do not match|not supported|incompatible|must match)',
      'security ?type[^\\n]*\\bcan only be (?:published|used|deployed|replicated)',
      '(?:TrustedLaunch|ConfidentialVM)(?:Supported)?[^\\n]*(?:is not supported|mismatch|does not match|not compatible)',
      '(?:source|gallery) image(?: definition)? (?:does not|doesn.t) support (?:Trusted Launch|Confidential VM)',
    ],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['open-support-case'],
  },
  {
    id: 'client-tooling-failed',
    phase: 'pipeline',
    benign: false,
    rank: 85,
    // Pasted output only: a user's script that calls Az inside the build VM is a customizer failure.
    sources: ['status', 'text'],
    signatures: [
      "'[A-Za-z]+-Az[A-Za-z]+' is not recognized as (?:a|the) name of a cmdlet",
      "The specified module '?Az(?:\\.[A-Za-z]+)?'? was not loaded",
      "'az' is not recognized as an internal or external command",
      'az: command not found',
      'Unable to build a model: Unable to deserialize',
      'msrest\\.exceptions\\.(?:Serialization|Deserialization)Error',
      'at Microsoft\\.Azure\\.(?:Commands|PowerShell\\.Cmdlets)\\.[A-Za-z.]+',
      'The pipeline references a task called',
      'A task is missing\\. The pipeline references',
      'No task definition found matching ID',
    ],
    docs: { guide2020: 'troubleshooting-the-task', current: 'troubleshoot-azure-devops' },
    actions: ['open-support-case'],
  },

  // ---------------------------------------------------------------- success
  {
    id: 'no-failure',
    phase: 'success',
    benign: false,
    rank: -1,
    // Decided from facts (a Succeeded status, a log ending in the artifacts list), never from a phrase.
    signatures: [],
    docs: { current: 'troubleshoot-build-failures' },
    actions: ['show-log'],
  },

  // ---------------------------------------------------------------- fallback
  {
    id: 'unknown',
    phase: 'fallback',
    benign: false,
    rank: -1,
    signatures: [],
    docs: { guide2020: 'troubleshoot-build-failures', current: 'troubleshoot-build-failures' },
    actions: ['show-log', 'open-support-case'],
  },
];

export const CATALOG: readonly CatalogEntry[] = entries;

const byId = new Map(entries.map((e) => [e.id, e]));

/** Whether a string from outside (a card's data) names a catalog class. */
export function isCatalogId(id: unknown): id is string {
  return typeof id === 'string' && byId.has(id);
}

export function catalogEntry(id: string): CatalogEntry {
  const entry = byId.get(id);
  if (!entry) throw new Error(`unknown catalog id: ${id}`);
  return entry;
}
