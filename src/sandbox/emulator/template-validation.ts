import { armErrors } from './arm-errors';
import { NAME_PATTERN } from './template-store';

// Checks a PUT body the way the service's validation does for the parts the sandbox cares about, answering with
// the post-2021-10-01 error shape `{ error: { code: 'ValidationFailed', message } }`.

const SOURCE_TYPES = ['PlatformImage', 'ManagedImage', 'SharedImageVersion'];
const DISTRIBUTE_TYPES = ['ManagedImage', 'SharedImage', 'VHD'];
const CUSTOMIZER_TYPES = ['Shell', 'PowerShell', 'WindowsRestart', 'WindowsUpdate', 'File'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ValidTemplateBody {
  location: string;
  tags: Record<string, string>;
  identity: Record<string, unknown>;
  properties: Record<string, unknown>;
}

export function validateTemplateBody(body: unknown): ValidTemplateBody {
  if (!isObject(body)) throw armErrors.validationFailed('the request body must be an image template object.');
  if (typeof body.location !== 'string' || body.location === '') {
    throw armErrors.validationFailed("'ImageTemplate.location': Missing field location.");
  }
  if (!isObject(body.identity)) {
    throw armErrors.validationFailed("'ImageTemplate.identity': Missing field identity. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.");
  }
  const identityType = body.identity.type;
  if (identityType !== 'UserAssigned' && identityType !== 'None') {
    throw armErrors.validationFailed("'ImageTemplate.identity.type': must be 'UserAssigned' or 'None'.");
  }
  if (identityType === 'UserAssigned' && (!isObject(body.identity.userAssignedIdentities) || Object.keys(body.identity.userAssignedIdentities).length !== 1)) {
    throw armErrors.validationFailed("'ImageTemplate.identity.userAssignedIdentities': exactly one user-assigned identity is required.");
  }
  const p = body.properties;
  if (!isObject(p)) throw armErrors.validationFailed("'ImageTemplate.properties': Missing field properties.");
  if (!isObject(p.source)) {
    throw armErrors.validationFailed("'ImageTemplate.properties.source': Missing field source. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.");
  }
  if (!SOURCE_TYPES.includes(String(p.source.type))) {
    throw armErrors.validationFailed(`'ImageTemplate.properties.source.type': unsupported source type '${String(p.source.type)}'.`);
  }
  checkDistribute(p.distribute);
  if (p.customize !== undefined) {
    if (!Array.isArray(p.customize)) throw armErrors.validationFailed("'ImageTemplate.properties.customize': must be an array.");
    p.customize.forEach((c: unknown, i: number) => {
      if (!isObject(c) || !CUSTOMIZER_TYPES.includes(String(c.type))) {
        throw armErrors.validationFailed(`'ImageTemplate.properties.customize[${i}].type': unsupported customizer type.`);
      }
    });
  }
  checkPropertyNames(p);
  if (p.vmProfile !== undefined) checkVmProfile(p.vmProfile);
  checkModernFields(p);
  const timeout = p.buildTimeoutInMinutes;
  if (timeout !== undefined && (!Number.isInteger(timeout) || (timeout as number) < 0 || (timeout as number) > 960)) {
    throw armErrors.validationFailed("'ImageTemplate.properties.buildTimeoutInMinutes': must be a whole number from 0 to 960.");
  }
  const tags: Record<string, string> = {};
  if (isObject(body.tags)) for (const [k, v] of Object.entries(body.tags)) tags[k] = String(v);
  const properties: Record<string, unknown> = { ...p };
  // Read-only fields a caller may echo back from a GET are not theirs to set.
  for (const ro of ['provisioningState', 'provisioningError', 'lastRunStatus', 'exactStagingResourceGroup']) delete properties[ro];
  return { location: body.location, tags, identity: body.identity, properties };
}

const REF = 'Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.';

/** ImageTemplateProperties of API 2025-10-01, read-only ones included (a GET body echoed back is accepted). */
export const TEMPLATE_PROPERTY_NAMES = new Set([
  'source', 'customize', 'optimize', 'validate', 'distribute', 'errorHandling', 'buildTimeoutInMinutes', 'vmProfile',
  'additionalDataDisks', 'stagingResourceGroup', 'autoRun', 'managedResourceTags',
  'provisioningState', 'provisioningError', 'lastRunStatus', 'exactStagingResourceGroup',
]);
const VM_PROFILE_NAMES = new Set(['vmSize', 'osDiskSizeGB', 'userAssignedIdentities', 'vnetConfig']);
const VNET_NAMES = new Set(['subnetId', 'containerInstanceSubnetId', 'proxyVmSize']);

/**
 * Since 2024-05-21 property names are case-sensitive and unknown ones are refused with the service's
 * unmarshalling message (platform-2026.md: `vmboot` for `vmBoot`). The error code around that message is not
 * documented; the sandbox answers 400 ValidationFailed like the service's other body checks.
 */
export function unknownField(name: string) {
  return armErrors.validationFailed(`Unmarshalling entity encountered error: json: unknown field "${name}"`);
}

function checkNames(o: Record<string, unknown>, known: Set<string>): void {
  for (const k of Object.keys(o)) if (!known.has(k)) throw unknownField(k);
}

function checkPropertyNames(p: Record<string, unknown>): void {
  checkNames(p, TEMPLATE_PROPERTY_NAMES);
}

export function checkDistribute(list: unknown): asserts list is Record<string, unknown>[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw armErrors.validationFailed(`'ImageTemplate.properties.distribute': Missing field distribute. ${REF}`);
  }
  list.forEach((d: unknown, i: number) => {
    if (!isObject(d)) throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}]': must be an object.`);
    if (!DISTRIBUTE_TYPES.includes(String(d.type))) {
      throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}].type': unsupported distribute type '${String(d.type)}'.`);
    }
    if (typeof d.runOutputName !== 'string' || !NAME_PATTERN.test(d.runOutputName)) {
      throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}]': Missing field runOutputName. ${REF}`);
    }
    const required = d.type === 'ManagedImage' ? ['imageId', 'location'] : d.type === 'SharedImage' ? ['galleryImageId'] : [];
    for (const field of required) {
      if (typeof d[field] !== 'string' || d[field] === '') {
        throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}]': Missing field ${field}. ${REF}`);
      }
    }
    if (d.type === 'SharedImage') checkGalleryTarget(d, i);
  });
}

function checkGalleryTarget(d: Record<string, unknown>, i: number): void {
  const at = `'ImageTemplate.properties.distribute[${i}]`;
  if (d.targetRegions !== undefined) {
    if (!Array.isArray(d.targetRegions)) throw armErrors.validationFailed(`${at}.targetRegions': must be an array.`);
    d.targetRegions.forEach((r: unknown, j: number) => {
      if (!isObject(r) || typeof r.name !== 'string' || r.name === '') throw armErrors.validationFailed(`${at}.targetRegions[${j}]': Missing field name. ${REF}`);
      if (r.replicaCount !== undefined && (!Number.isInteger(r.replicaCount) || (r.replicaCount as number) < 1)) {
        throw armErrors.validationFailed(`${at}.targetRegions[${j}].replicaCount': must be a whole number of at least 1.`);
      }
    });
  }
  if (d.versioning !== undefined) {
    const scheme = isObject(d.versioning) ? d.versioning.scheme : undefined;
    if (scheme !== 'Latest' && scheme !== 'Source') throw armErrors.validationFailed(`${at}.versioning.scheme': must be 'Latest' or 'Source'.`);
  }
  if (d.replicationMode !== undefined && d.replicationMode !== 'Full' && d.replicationMode !== 'Shallow') {
    throw armErrors.validationFailed(`${at}.replicationMode': must be 'Full' or 'Shallow'.`);
  }
}

export function checkVmProfile(v: unknown): void {
  if (!isObject(v)) throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile': must be an object.");
  checkNames(v, VM_PROFILE_NAMES);
  if (v.vmSize !== undefined && typeof v.vmSize !== 'string') throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.vmSize': must be a string.");
  if (v.osDiskSizeGB !== undefined && (!Number.isInteger(v.osDiskSizeGB) || (v.osDiskSizeGB as number) < 0)) {
    throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.osDiskSizeGB': must be a whole number of 0 or more.");
  }
  if (v.userAssignedIdentities !== undefined && (!Array.isArray(v.userAssignedIdentities) || v.userAssignedIdentities.some((x) => typeof x !== 'string'))) {
    throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.userAssignedIdentities': must be a list of identity resource ids.");
  }
  if (v.vnetConfig === undefined) return;
  const n = v.vnetConfig;
  if (!isObject(n)) throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.vnetConfig': must be an object.");
  checkNames(n, VNET_NAMES);
  if (n.containerInstanceSubnetId !== undefined) {
    // platform-2026.md: the container-instance subnet needs subnetId on the same VNet and excludes proxyVmSize.
    // The service's wording for these refusals is not published; the messages below are the sandbox's.
    if (typeof n.subnetId !== 'string' || n.subnetId === '') {
      throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.vnetConfig': containerInstanceSubnetId requires subnetId.");
    }
    if (vnetOf(String(n.containerInstanceSubnetId)) !== vnetOf(n.subnetId)) {
      throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.vnetConfig': containerInstanceSubnetId and subnetId must be in the same virtual network.");
    }
    if (n.proxyVmSize !== undefined && n.proxyVmSize !== '') {
      throw armErrors.validationFailed("'ImageTemplate.properties.vmProfile.vnetConfig': proxyVmSize cannot be set together with containerInstanceSubnetId.");
    }
  }
}

function vnetOf(subnetId: string): string {
  return subnetId.toLowerCase().replace(/\/subnets\/[^/]+$/, '');
}

const STATES = ['Enabled', 'Disabled'];
const ON_ERROR = ['cleanup', 'abort'];
const VALIDATOR_TYPES = ['Shell', 'PowerShell', 'File'];

function checkModernFields(p: Record<string, unknown>): void {
  if (p.autoRun !== undefined && (!isObject(p.autoRun) || !STATES.includes(String(p.autoRun.state)))) {
    throw armErrors.validationFailed("'ImageTemplate.properties.autoRun.state': must be 'Enabled' or 'Disabled'.");
  }
  if (p.managedResourceTags !== undefined && (!isObject(p.managedResourceTags) || Object.values(p.managedResourceTags).some((x) => typeof x !== 'string'))) {
    throw armErrors.validationFailed("'ImageTemplate.properties.managedResourceTags': must map tag names to strings.");
  }
  if (p.optimize !== undefined) {
    if (!isObject(p.optimize)) throw armErrors.validationFailed("'ImageTemplate.properties.optimize': must be an object.");
    checkNames(p.optimize, new Set(['vmBoot', 'workload']));
    for (const k of ['vmBoot', 'workload'] as const) {
      const part = p.optimize[k];
      if (part !== undefined && (!isObject(part) || !STATES.includes(String(part.state)))) {
        throw armErrors.validationFailed(`'ImageTemplate.properties.optimize.${k}.state': must be 'Enabled' or 'Disabled'.`);
      }
    }
  }
  if (p.errorHandling !== undefined) {
    if (!isObject(p.errorHandling)) throw armErrors.validationFailed("'ImageTemplate.properties.errorHandling': must be an object.");
    checkNames(p.errorHandling, new Set(['onCustomizerError', 'onValidationError']));
    for (const [k, v] of Object.entries(p.errorHandling)) {
      if (!ON_ERROR.includes(String(v))) throw armErrors.validationFailed(`'ImageTemplate.properties.errorHandling.${k}': must be 'cleanup' or 'abort'.`);
    }
  }
  if (p.additionalDataDisks !== undefined) {
    if (!Array.isArray(p.additionalDataDisks)) throw armErrors.validationFailed("'ImageTemplate.properties.additionalDataDisks': must be an array.");
    p.additionalDataDisks.forEach((d: unknown, i: number) => {
      if (!isObject(d) || !Number.isInteger(d.sizeGB) || (d.sizeGB as number) < 1) {
        throw armErrors.validationFailed(`'ImageTemplate.properties.additionalDataDisks[${i}]': Missing field sizeGB. ${REF}`);
      }
    });
  }
  if (p.validate !== undefined) {
    if (!isObject(p.validate)) throw armErrors.validationFailed("'ImageTemplate.properties.validate': must be an object.");
    const list = p.validate.inVMValidations;
    if (list !== undefined && (!Array.isArray(list) || list.some((v) => !isObject(v) || !VALIDATOR_TYPES.includes(String(v.type))))) {
      throw armErrors.validationFailed("'ImageTemplate.properties.validate.inVMValidations': every validator must be of type Shell, PowerShell or File.");
    }
  }
}
