import { isResourceGroupName, isSubscriptionId, isTemplateName, TemplateId } from '../model';
import { AzureGatewayError } from './errors';

// Names arrive from chat messages and card payloads. Each one is checked against the rule Azure itself applies
// before it goes near an SDK call, so a typo fails fast with invalid-name and nothing odd is ever put in a path.

// The naming rules themselves live with the TemplateId value type (src/model); these wrap them in gateway errors.
const STORAGE_ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

function invalid(kind: string, value: string, rule: string): AzureGatewayError {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return new AzureGatewayError('invalid-name', `"${shown}" is not a valid ${kind}: ${rule}`, { invalidValue: shown });
}

export function checkTemplateName(name: string): string {
  if (!isTemplateName(name)) {
    throw invalid('image template name', name, '1–64 letters, digits, "-", "_" or "."');
  }
  return name;
}

export function checkRunOutputName(name: string): string {
  if (!isTemplateName(name)) {
    throw invalid('run output name', name, '1–64 letters, digits, "-", "_" or "."');
  }
  return name;
}

export function checkResourceGroupName(name: string): string {
  if (!isResourceGroupName(name)) {
    throw invalid('resource group name', name, '1–90 letters, digits, "_", "(", ")", "-" or ".", not ending in "."');
  }
  return name;
}

export function checkStorageAccountName(name: string): string {
  if (!STORAGE_ACCOUNT_NAME.test(name)) throw invalid('storage account name', name, '3–24 lowercase letters or digits');
  return name;
}

export function checkSubscriptionId(id: string): string {
  if (!isSubscriptionId(id)) throw invalid('subscription id', id, 'a GUID');
  return id;
}

export function isValidTemplateName(name: string): boolean {
  return isTemplateName(name);
}

export interface TemplateCoordinates {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** Reads `/subscriptions/{s}/resourceGroups/{rg}` as ARM returns it in `exactStagingResourceGroup`. */
export function parseResourceGroupId(id: string): { subscriptionId: string; resourceGroup: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/?$/i.exec(id.trim());
  if (!m) throw invalid('resource group id', id, '/subscriptions/{id}/resourceGroups/{name}');
  return { subscriptionId: checkSubscriptionId(m[1]), resourceGroup: checkResourceGroupName(m[2]) };
}

/** Resource group and name out of any template as ARM lists it (the id is the source of truth, not our query). */
export function templateCoordinates(template: { id?: string; name?: string }): TemplateCoordinates | undefined {
  const id = template.id ? TemplateId.parseAny(template.id) : undefined;
  return id && { subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, name: id.name };
}
