import { armErrors } from './arm-errors';
import type { PendingUpdate, TemplateRecord } from './template-record';
import { checkDistribute, checkVmProfile, TEMPLATE_PROPERTY_NAMES, unknownField } from './template-validation';

// PATCH of an image template (ImageTemplateUpdateParameters, API 2024-02-01 and later): identity, tags and
// properties.{vmProfile, distribute}. Everything else a template has still needs delete + create.

const UPDATABLE = new Set(['vmProfile', 'distribute']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseUpdate(t: TemplateRecord, body: unknown): PendingUpdate {
  if (!isObject(body)) throw armErrors.validationFailed('the request body must be an object.');
  for (const k of Object.keys(body)) if (!['tags', 'identity', 'properties'].includes(k)) throw unknownField(k);
  const update: PendingUpdate = {};
  if (body.tags !== undefined) {
    if (!isObject(body.tags)) throw armErrors.validationFailed("'tags' must be an object.");
    update.tags = Object.fromEntries(Object.entries(body.tags).map(([k, v]) => [k, String(v)]));
  }
  if (body.identity !== undefined) {
    if (!isObject(body.identity) || (body.identity.type !== 'UserAssigned' && body.identity.type !== 'None')) {
      throw armErrors.validationFailed("'ImageTemplate.identity.type': must be 'UserAssigned' or 'None'.");
    }
    update.identity = body.identity;
  }
  if (body.properties === undefined) return update;
  if (!isObject(body.properties)) throw armErrors.validationFailed("'properties' must be an object.");
  const props = body.properties;
  for (const k of Object.keys(props)) {
    if (UPDATABLE.has(k)) continue;
    // A real template property that PATCH cannot change gets the answer a PUT over an existing template gets
    // (platform-2026.md: buildTimeoutInMinutes and customizers "still" mean delete + create).
    if (TEMPLATE_PROPERTY_NAMES.has(k)) throw armErrors.updateNotSupported();
    throw unknownField(k);
  }
  if (props.vmProfile !== undefined) {
    checkVmProfile(props.vmProfile);
    update.vmProfile = props.vmProfile;
  }
  if (props.distribute !== undefined) {
    const sent = props.distribute;
    const existing = Array.isArray(t.properties.distribute) ? (t.properties.distribute as Record<string, unknown>[]) : [];
    const sentNames = new Set(Array.isArray(sent) ? sent.map((d) => String((d as Record<string, unknown>)?.runOutputName ?? '').toLowerCase()) : []);
    // TSG "Distribution target is not found in the update request": the service checks for dropped targets
    // before the required fields of the ones sent.
    for (const d of existing) {
      const name = String(d.runOutputName);
      if (!sentNames.has(name.toLowerCase())) {
        throw armErrors.validationFailed(`Distribute target with Runoutput name ${name} not found in the update request. Deleting a distribution target is not allowed.`);
      }
    }
    checkDistribute(sent);
    update.distribute = sent;
  }
  return update;
}

export function applyUpdate(t: TemplateRecord, u: PendingUpdate): void {
  if (u.tags) t.tags = u.tags;
  if (u.identity) t.identity = u.identity;
  if (u.vmProfile !== undefined) t.properties = { ...t.properties, vmProfile: u.vmProfile };
  if (u.distribute !== undefined) t.properties = { ...t.properties, distribute: u.distribute };
  t.lastModifiedAt = new Date().toISOString();
}
