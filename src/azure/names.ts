import { AzureGatewayError } from './errors';

// Names arrive from chat messages and card payloads. Each one is checked against the rule Azure itself applies
// before it goes near an SDK call, so a typo fails fast with invalid-name and nothing odd is ever put in a path.

/** Template, run-output and trigger names (Microsoft.VirtualMachineImages spec). */
const IMAGE_BUILDER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Resource groups: letters and digits of any script, `_ ( ) - .`, up to 90 characters, not ending in a period. */
const RESOURCE_GROUP_NAME = /^[\p{L}\p{N}_().-]{1,90}$/u;
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(kind: string, value: string, rule: string): AzureGatewayError {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return new AzureGatewayError('invalid-name', `"${shown}" is not a valid ${kind}: ${rule}`, { invalidValue: shown });
}

/** Dot-only names pass the character rule but would be read as "." / ".." path segments once in a URL. */
function onlyDots(name: string): boolean {
  return /^\.+$/.test(name);
}

export function checkTemplateName(name: string): string {
  if (!IMAGE_BUILDER_NAME.test(name) || onlyDots(name)) {
    throw invalid('image template name', name, '1–64 letters, digits, "-", "_" or "."');
  }
  return name;
}

export function checkRunOutputName(name: string): string {
  if (!IMAGE_BUILDER_NAME.test(name) || onlyDots(name)) {
    throw invalid('run output name', name, '1–64 letters, digits, "-", "_" or "."');
  }
  return name;
}

export function checkResourceGroupName(name: string): string {
  if (!RESOURCE_GROUP_NAME.test(name) || name.endsWith('.') || onlyDots(name)) {
    throw invalid('resource group name', name, '1–90 letters, digits, "_", "(", ")", "-" or ".", not ending in "."');
  }
  return name;
}

export function checkStorageAccountName(name: string): string {
  if (!STORAGE_ACCOUNT_NAME.test(name)) throw invalid('storage account name', name, '3–24 lowercase letters or digits');
  return name;
}

export function checkSubscriptionId(id: string): string {
  if (!GUID.test(id)) throw invalid('subscription id', id, 'a GUID');
  return id;
}

export function isValidTemplateName(name: string): boolean {
  return IMAGE_BUILDER_NAME.test(name) && !onlyDots(name);
}

export interface TemplateCoordinates {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** Reads `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/{name}` (any case). */
export function parseTemplateId(id: string): TemplateCoordinates {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.VirtualMachineImages\/imageTemplates\/([^/]+)$/i.exec(
    id.trim(),
  );
  if (!m) throw invalid('image template resource id', id, '/subscriptions/…/resourceGroups/…/providers/Microsoft.VirtualMachineImages/imageTemplates/…');
  return {
    subscriptionId: checkSubscriptionId(m[1]),
    resourceGroup: checkResourceGroupName(m[2]),
    name: checkTemplateName(m[3]),
  };
}

/** Reads `/subscriptions/{s}/resourceGroups/{rg}` as ARM returns it in `exactStagingResourceGroup`. */
export function parseResourceGroupId(id: string): { subscriptionId: string; resourceGroup: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/?$/i.exec(id.trim());
  if (!m) throw invalid('resource group id', id, '/subscriptions/{id}/resourceGroups/{name}');
  return { subscriptionId: checkSubscriptionId(m[1]), resourceGroup: checkResourceGroupName(m[2]) };
}

/** Resource group and name out of any template as ARM lists it (the id is the source of truth, not our query). */
export function templateCoordinates(template: { id?: string; name?: string }): TemplateCoordinates | undefined {
  if (!template.id) return undefined;
  try {
    return parseTemplateId(template.id);
  } catch {
    return undefined;
  }
}
