import type { AzureGateways } from '../azure';
import { templateCoordinates } from '../azure';

// Templates of the configured scope (or one resource group), optionally only the failed ones, newest runs first.

export interface TemplateRow {
  name: string;
  resourceGroup: string;
  id: string;
  provisioningState?: string;
  runState?: string;
  runSubState?: string;
  endTime?: string;
}

const MAX_ROWS = 25;

export async function listTemplates(
  gateways: AzureGateways,
  options: { failedOnly: boolean; resourceGroup?: string },
): Promise<{ templates: TemplateRow[]; truncated: boolean }> {
  const groups = options.resourceGroup ? [options.resourceGroup] : gateways.resourceGroups.length ? gateways.resourceGroups : [undefined];
  const rows: TemplateRow[] = [];
  let truncated = false;
  for (const resourceGroup of groups) {
    const page = await gateways.templates.list({ resourceGroup });
    truncated ||= page.truncated;
    for (const t of page.templates) {
      const c = templateCoordinates(t);
      if (!c || !t.id) continue;
      const failed = t.provisioningState === 'Failed' || t.lastRunStatus?.runState === 'Failed' || t.lastRunStatus?.runState === 'PartiallySucceeded';
      if (options.failedOnly && !failed) continue;
      rows.push({
        name: c.name,
        resourceGroup: c.resourceGroup,
        id: t.id,
        provisioningState: t.provisioningState,
        runState: t.lastRunStatus?.runState,
        runSubState: t.lastRunStatus?.runSubState,
        endTime: t.lastRunStatus?.endTime ? new Date(t.lastRunStatus.endTime).toISOString() : undefined,
      });
    }
  }
  rows.sort((a, b) => (b.endTime ?? '').localeCompare(a.endTime ?? '') || a.name.localeCompare(b.name));
  if (rows.length > MAX_ROWS) truncated = true;
  return { templates: rows.slice(0, MAX_ROWS), truncated };
}
