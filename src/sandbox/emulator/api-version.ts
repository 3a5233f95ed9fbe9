import { COMPUTE_API_VERSIONS, IMAGE_BUILDER_API_VERSIONS, RESOURCES_API_VERSIONS, STORAGE_API_VERSIONS } from '../constants';
import { armErrors } from './arm-errors';

// ARM refuses a call without a known api-version before it looks at anything else in the request.

export type Provider = 'imageBuilder' | 'storage' | 'compute' | 'resources';

const SUPPORTED: Record<Provider, { versions: readonly string[]; resourceType: string }> = {
  imageBuilder: { versions: IMAGE_BUILDER_API_VERSIONS, resourceType: 'imageTemplates' },
  storage: { versions: STORAGE_API_VERSIONS, resourceType: 'storageAccounts' },
  compute: { versions: COMPUTE_API_VERSIONS, resourceType: 'galleries/images/versions' },
  resources: { versions: RESOURCES_API_VERSIONS, resourceType: 'resourceGroups/resources' },
};

export function requireApiVersion(url: URL, provider: Provider): string {
  const given = url.searchParams.get('api-version');
  if (given === null || given === '') throw armErrors.missingApiVersion();
  const { versions, resourceType } = SUPPORTED[provider];
  if (!versions.includes(given)) throw armErrors.invalidApiVersion(given, resourceType, versions);
  return given;
}

/** For calls whose provider versions the sandbox does not track: one must be sent, any is taken. */
export function requireAnyApiVersion(url: URL): string {
  const given = url.searchParams.get('api-version');
  if (given === null || given === '') throw armErrors.missingApiVersion();
  return given;
}
