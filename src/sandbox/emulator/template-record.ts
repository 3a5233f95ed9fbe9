import type { LogSpec } from '../log';
import type { ValidationLogSpec } from '../log/validation';

// The emulator's in-memory view of one image template. ARM JSON is produced from it by template-json.ts.

export type RunState = 'Running' | 'Canceling' | 'Succeeded' | 'PartiallySucceeded' | 'Failed' | 'Canceled';
export type RunSubState = 'Queued' | 'Building' | 'Customizing' | 'Optimizing' | 'Validating' | 'Distributing';
export type ProvisioningState = 'Creating' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting' | 'Canceled';

export interface LastRunStatus {
  startTime: string;
  endTime?: string;
  runState: RunState;
  runSubState?: RunSubState;
  message: string;
}

/** What running this template does. Seeded failures repeat themselves; everything else succeeds. */
export type RunPlan =
  | { outcome: 'succeed'; log: LogSpec; stepWeights?: Partial<Record<RunSubState, number>> }
  | {
      outcome: 'fail';
      atSubState: RunSubState;
      /** lastRunStatus.message with {logUrl}, {logPath}, {operationId}, {correlationId}, {stagingGroup} placeholders. */
      message: string;
      /** Code of the async operation's error; Azure's choice per phase is not documented beyond PackerBuildFailed. */
      operationErrorCode?: string;
      log: LogSpec | null;
      /** With atSubState Validating: the validator that fails, written to validation.log. */
      validationFailure?: ValidationLogSpec['failure'];
      stepWeights?: Partial<Record<RunSubState, number>>;
    }
  | {
      /** Packer built the image and some distribute targets published; the ones named here did not. */
      outcome: 'partial';
      failedTargets: { runOutputName: string; reason: string }[];
      log: LogSpec;
      stepWeights?: Partial<Record<RunSubState, number>>;
    }
  | { outcome: 'refuse'; reason: string };

/** Trigger status as GET …/triggers/{name} returns it (SPEC examples/GetTrigger.json: code "Healthy"). */
export interface TriggerRecord {
  name: string;
  kind: 'SourceImage';
  status: { code: string; message: string; time: string };
  provisioningState: ProvisioningState;
}

/** A resource in the staging group other than the log storage account (which every template has). */
export interface StagingResourceRecord {
  /** ARM type, e.g. Microsoft.Compute/virtualMachines. */
  type: string;
  name: string;
}

/** A PATCH accepted and not yet applied: the template stays readable (200) with provisioningState Updating. */
export interface PendingUpdate {
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  vmProfile?: unknown;
  distribute?: unknown;
}

export interface RunOutputRecord {
  name: string;
  artifactId?: string;
  artifactUri?: string;
  provisioningState: ProvisioningState;
}

export interface TemplateRecord {
  name: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  /** The identity block as the caller sent it; principal/client ids are filled in on the way out. */
  identity: Record<string, unknown>;
  /** Caller-owned properties (source, customize, distribute, vmProfile…); read-only ones live in the fields below. */
  properties: Record<string, unknown>;
  provisioningState: ProvisioningState;
  provisioningError?: { provisioningErrorCode: string; message: string };
  lastRunStatus?: LastRunStatus;
  stagingGroup: string;
  storageAccount: string;
  /** packerlogs folders, oldest first, like the container listing in the portal. */
  logFolders: string[];
  runOutputs: RunOutputRecord[];
  plan: RunPlan;
  triggers?: TriggerRecord[];
  /** Gallery image versions this template's runs produced, by lower-case id, with their replication state. */
  galleryVersions?: Map<string, GalleryVersionRecord>;
  /** Build VM, network, container instance…: present while a build runs, and kept after an `abort`. */
  stagingResources?: StagingResourceRecord[];
  createdAt: string;
  lastModifiedAt: string;
}

export interface GalleryVersionRecord {
  id: string;
  location: string;
  aggregatedState: 'Unknown' | 'InProgress' | 'Completed' | 'Failed';
  summary: { region: string; state: 'Unknown' | 'Replicating' | 'Completed' | 'Failed'; details?: string; progress: number }[];
}
