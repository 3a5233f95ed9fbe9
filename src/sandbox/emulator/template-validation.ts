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
  if (!Array.isArray(p.distribute) || p.distribute.length === 0) {
    throw armErrors.validationFailed("'ImageTemplate.properties.distribute': Missing field distribute. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.");
  }
  p.distribute.forEach((d: unknown, i: number) => {
    if (!isObject(d)) throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}]': must be an object.`);
    if (!DISTRIBUTE_TYPES.includes(String(d.type))) {
      throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}].type': unsupported distribute type '${String(d.type)}'.`);
    }
    if (typeof d.runOutputName !== 'string' || !NAME_PATTERN.test(d.runOutputName)) {
      throw armErrors.validationFailed(`'ImageTemplate.properties.distribute[${i}]': Missing field runOutputName. Please review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image Builder Template.`);
    }
  });
  if (p.customize !== undefined) {
    if (!Array.isArray(p.customize)) throw armErrors.validationFailed("'ImageTemplate.properties.customize': must be an array.");
    p.customize.forEach((c: unknown, i: number) => {
      if (!isObject(c) || !CUSTOMIZER_TYPES.includes(String(c.type))) {
        throw armErrors.validationFailed(`'ImageTemplate.properties.customize[${i}].type': unsupported customizer type.`);
      }
    });
  }
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
