import type { ImageTemplate } from '@azure/arm-imagebuilder';
import type { BlobClient } from '@azure/storage-blob';
import type { AzureClients } from './clients';
import { AzureGatewayError, toGatewayError, type ErrorContext } from './errors';
import { checkStorageAccountName, parseResourceGroupId } from './names';
import { REQUIRED_ACTION } from './permissions';

export const LOG_CONTAINER = 'packerlogs';

export type LogSource = 'status-url' | 'status-arm-path' | 'staging-group';

export interface LogLocation {
  account: string;
  container: typeof LOG_CONTAINER;
  /** `<folder>/customization.log` (or validation.log) inside the container. */
  blobPath: string;
  source: LogSource;
  /** Name of the staging resource group, when known: a log-forbidden error tells the admin where to grant. */
  stagingResourceGroup?: string;
  /**
   * The blob's size as the listing that found it said: a read then needs no properties request first (one round
   * trip to Storage fewer). A log still being written only grows, so reading up to this size reads an older end.
   */
  listedSize?: number;
}

export interface LogTail {
  chunks: AsyncIterable<Buffer>;
  /** Size of the whole blob. */
  size: number;
  /** Where the returned bytes start. */
  offset: number;
  /** True when the bytes do not start at the beginning of the log. */
  partial: boolean;
}

export interface LogStream {
  chunks: AsyncIterable<Buffer>;
  size: number;
  /** How many bytes the chunks hold: min(size, maxBytes). */
  bytes: number;
  /** True when the log is longer than maxBytes and the end was not read. */
  partial: boolean;
}

/** The parts of a template that say where its log is, flattened (SDK) or as raw ARM JSON (`properties`). */
export interface StreamOptions {
  maxBytes: number;
  /** The blob's size when the caller has just read it (a tail read of the same finished run): no second properties read. */
  size?: number;
}

export interface LocatableTemplate {
  id?: string;
  lastRunStatus?: { message?: string };
  provisioningError?: { message?: string };
  exactStagingResourceGroup?: string;
  properties?: {
    lastRunStatus?: { message?: string };
    provisioningError?: { message?: string };
    exactStagingResourceGroup?: string;
  };
}

export interface BuildLogGateway {
  locate(template: LocatableTemplate | ImageTemplate): Promise<LogLocation>;
  /** The last `bytes` of the log: one properties call and one ranged download. */
  tail(location: LogLocation, bytes: number): Promise<LogTail>;
  /** The log from the start, streamed, at most `maxBytes`. Dropped connections resume where they stopped. */
  stream(location: LogLocation, options: StreamOptions): Promise<LogStream>;
  size(location: LogLocation): Promise<number>;
  /**
   * validation.log of the same run (beside customization.log in packerlogs/<id>/), when the run reached
   * Validating; undefined when that blob does not exist. Read it with tail()/stream() like the customization log.
   */
  locateValidation(template: LocatableTemplate | ImageTemplate): Promise<LogLocation | undefined>;
}

/** The validation log sits in the customization log's folder (TSG, "Download the customization and/or validation log"). */
export function validationLogOf(location: LogLocation): LogLocation {
  const folder = location.blobPath.slice(0, location.blobPath.lastIndexOf('/'));
  // Another blob: the listed size was customization.log's.
  const { listedSize: _, ...same } = location;
  return { ...same, blobPath: `${folder}/validation.log` };
}

/** Folder names seen are GUIDs; anything with dots or slashes is refused so a message cannot steer us elsewhere. */
const LOG_PATH = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}\/(?:customization|validation)\.log$/;
const STAGING_LOG_PATH = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}\/customization\.log$/;

const URL_FORMAT = /https:\/\/([A-Za-z0-9]{3,24})\.blob\.core\.[A-Za-z0-9.]+\/([A-Za-z0-9-]{3,63})\/([^\s"'<>?#]+?\.log)(?![A-Za-z0-9])/gi;
const ARM_PATH_FORMAT =
  /\/subscriptions\/[^/\s]+\/resourceGroups\/([^/\s]+)\/providers\/Microsoft\.Storage\/storageAccounts\/([^/\s]+)\/blobServices\/default\/containers\/([^/\s]+)\/([^\s"'<>?#]+?\.log)(?![A-Za-z0-9])/gi;

const MAX_STORAGE_ACCOUNTS = 20;
const MAX_BLOBS_LISTED = 10_000;

/**
 * Finds a log location in a status message (either format). Only the account, container and path are kept, each
 * validated; the host in the message is never used.
 */
export function parseLogLocation(message: string): Omit<LogLocation, 'stagingResourceGroup'> & { stagingResourceGroup?: string } | undefined {
  const found: { index: number; location: Omit<LogLocation, 'stagingResourceGroup'> & { stagingResourceGroup?: string } }[] = [];
  for (const m of message.matchAll(URL_FORMAT)) {
    const location = validated(m[1], m[2], m[3], 'status-url');
    if (location) found.push({ index: m.index ?? 0, location });
  }
  for (const m of message.matchAll(ARM_PATH_FORMAT)) {
    const location = validated(m[2], m[3], m[4], 'status-arm-path');
    if (location) found.push({ index: m.index ?? 0, location: { ...location, stagingResourceGroup: m[1] } });
  }
  found.sort((a, b) => a.index - b.index);
  return found[0]?.location;
}

function validated(account: string, container: string, blobPath: string, source: LogSource): LogLocation | undefined {
  const acct = account.toLowerCase();
  if (!/^[a-z0-9]{3,24}$/.test(acct) || container !== LOG_CONTAINER || !LOG_PATH.test(blobPath)) return undefined;
  return { account: acct, container: LOG_CONTAINER, blobPath, source };
}

/** The location a template's own status names, if any; lastRunStatus first, then provisioningError. */
export function locateFromStatus(template: LocatableTemplate): LogLocation | undefined {
  const p = template.properties ?? {};
  const messages = [
    template.lastRunStatus?.message ?? p.lastRunStatus?.message,
    template.provisioningError?.message ?? p.provisioningError?.message,
  ];
  const stagingGroup = stagingGroupName(template);
  for (const message of messages) {
    if (!message) continue;
    const location = parseLogLocation(message);
    if (location) return { ...location, stagingResourceGroup: location.stagingResourceGroup ?? stagingGroup };
  }
  return undefined;
}

function stagingGroupId(template: LocatableTemplate): string | undefined {
  return template.exactStagingResourceGroup ?? template.properties?.exactStagingResourceGroup;
}

function stagingGroupName(template: LocatableTemplate): string | undefined {
  const id = stagingGroupId(template);
  if (!id) return undefined;
  try {
    return parseResourceGroupId(id).resourceGroup;
  } catch {
    return undefined;
  }
}

export function createBuildLogGateway(clients: AzureClients): BuildLogGateway {
  const { tuning } = clients;

  function context(location: Pick<LogLocation, 'account' | 'stagingResourceGroup'> & { blobPath?: string }): ErrorContext {
    return {
      surface: 'blob',
      resource: [location.account, LOG_CONTAINER, location.blobPath].filter(Boolean).join('/'),
      requiredAction: REQUIRED_ACTION.readLog,
      stagingResourceGroup: location.stagingResourceGroup,
    };
  }

  function blobClient(location: LogLocation): BlobClient {
    if (location.container !== LOG_CONTAINER || !LOG_PATH.test(location.blobPath)) {
      throw new AzureGatewayError('invalid-name', `Not a build log path: ${location.container}/${location.blobPath}`, {
        invalidValue: `${location.container}/${location.blobPath}`,
      });
    }
    checkStorageAccountName(location.account);
    return clients.blobService(location.account).getContainerClient(location.container).getBlobClient(location.blobPath);
  }

  async function blobCall<T>(location: LogLocation, fn: (blob: BlobClient) => Promise<T>): Promise<T> {
    const blob = blobClient(location);
    try {
      return await fn(blob);
    } catch (e) {
      throw toGatewayError(e, context(location));
    }
  }

  async function* guarded(body: NodeJS.ReadableStream | undefined, location: LogLocation): AsyncIterable<Buffer> {
    if (!body) return;
    try {
      for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
    } catch (e) {
      throw toGatewayError(e, context(location));
    }
  }

  async function size(location: LogLocation): Promise<number> {
    return blobCall(location, async (blob) => (await blob.getProperties()).contentLength ?? 0);
  }

  async function tail(location: LogLocation, bytes: number): Promise<LogTail> {
    return blobCall(location, async (blob) => {
      const total = location.listedSize ?? (await blob.getProperties()).contentLength ?? 0;
      const offset = Math.max(0, total - Math.max(0, Math.floor(bytes)));
      if (total - offset === 0) return { chunks: emptyChunks(), size: total, offset, partial: offset > 0 };
      const response = await blob.download(offset, total - offset, { maxRetryRequests: tuning.downloadRetries });
      return { chunks: guarded(response.readableStreamBody, location), size: total, offset, partial: offset > 0 };
    });
  }

  async function stream(location: LogLocation, options: StreamOptions): Promise<LogStream> {
    return blobCall(location, async (blob) => {
      const total = options.size ?? location.listedSize ?? (await blob.getProperties()).contentLength ?? 0;
      const bytes = Math.min(total, Math.max(0, Math.floor(options.maxBytes)));
      if (bytes === 0) return { chunks: emptyChunks(), size: total, bytes, partial: total > 0 };
      const response = await blob.download(0, bytes, { maxRetryRequests: tuning.downloadRetries });
      return { chunks: guarded(response.readableStreamBody, location), size: total, bytes, partial: total > bytes };
    });
  }

  async function locate(template: LocatableTemplate): Promise<LogLocation> {
    const fromStatus = locateFromStatus(template);
    if (fromStatus) return fromStatus;
    const groupId = stagingGroupId(template);
    if (!groupId) {
      throw new AzureGatewayError(
        'log-location-unknown',
        'The template status names no log and the template has no staging resource group yet.',
        { resource: template.id },
      );
    }
    const { subscriptionId, resourceGroup } = parseResourceGroupId(groupId);
    return newestLogInGroup(subscriptionId, resourceGroup, template.id);
  }

  async function newestLogInGroup(subscriptionId: string, resourceGroup: string, templateId?: string): Promise<LogLocation> {
    const accounts: string[] = [];
    try {
      for await (const account of clients.storageManagement(subscriptionId).storageAccounts.listByResourceGroup(resourceGroup)) {
        if (account.name && /^[a-z0-9]{3,24}$/.test(account.name)) accounts.push(account.name);
        if (accounts.length >= MAX_STORAGE_ACCOUNTS) break;
      }
    } catch (e) {
      const error = toGatewayError(e, {
        surface: 'arm',
        resource: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
        requiredAction: REQUIRED_ACTION.listStorageAccounts,
      });
      if (error.code !== 'not-found') throw error;
      throw new AzureGatewayError('log-not-found', `The staging resource group ${resourceGroup} no longer exists, so neither does the log.`, {
        status: error.status,
        serviceCode: error.serviceCode,
        serviceMessage: error.serviceMessage,
        stagingResourceGroup: resourceGroup,
        resource: templateId,
      });
    }

    let newest: { location: LogLocation; modified: number } | undefined;
    for (const account of accounts) {
      const where = { account, stagingResourceGroup: resourceGroup };
      const container = clients.blobService(account).getContainerClient(LOG_CONTAINER);
      let seen = 0;
      try {
        for await (const blob of container.listBlobsFlat()) {
          if (++seen > MAX_BLOBS_LISTED) break;
          if (!STAGING_LOG_PATH.test(blob.name)) continue;
          const modified = blob.properties.lastModified?.getTime() ?? 0;
          if (!newest || modified > newest.modified) {
            const size = blob.properties.contentLength;
            const location: LogLocation = { ...where, container: LOG_CONTAINER, blobPath: blob.name, source: 'staging-group', ...(size !== undefined ? { listedSize: size } : {}) };
            newest = { location, modified };
          }
        }
      } catch (e) {
        const error = toGatewayError(e, context(where));
        // An account without a packerlogs container is not the log account; look at the next one.
        if (error.code === 'log-not-found') continue;
        throw error;
      }
    }
    if (!newest) {
      throw new AzureGatewayError(
        'log-not-found',
        `No packerlogs/*/customization.log in the staging resource group ${resourceGroup}: the template has not been built yet.`,
        { stagingResourceGroup: resourceGroup, resource: templateId },
      );
    }
    return newest.location;
  }

  async function locateValidation(template: LocatableTemplate): Promise<LogLocation | undefined> {
    const validation = validationLogOf(await locate(template));
    const exists = await blobCall(validation, (blob) => blob.exists());
    return exists ? validation : undefined;
  }

  return { locate, tail, stream, size, locateValidation };
}

async function* emptyChunks(): AsyncIterable<Buffer> {
  // Nothing to read; a generator keeps the return type the same as a real download.
}
