import type { AzureGateways, ImageTemplate } from '../azure';
import { templateCoordinates } from '../azure';
import { classify, statusFailed, templateFacts } from '../diagnosis';

// Templates of the configured scope (or one resource group, or names containing some text), optionally only the
// failed ones, newest runs first. Failed rows carry the failure class their status alone points to (no log is
// read for a list), so a row can say what broke.

export interface TemplateRow {
  name: string;
  resourceGroup: string;
  id: string;
  provisioningState?: string;
  runState?: string;
  runSubState?: string;
  endTime?: string;
  /** The catalog id the template's status points to, for a failed template (`unknown` when it names none). */
  failureId?: string;
}

export interface ListOptions {
  failedOnly: boolean;
  resourceGroup?: string;
  /** Keeps the templates whose name contains this, in any case. */
  nameContains?: string;
}

/** A list is paged on the card; this bounds what one request reads and sorts. */
const MAX_ROWS = 500;

export async function listTemplates(gateways: AzureGateways, options: ListOptions): Promise<{ templates: TemplateRow[]; truncated: boolean }> {
  const groups = options.resourceGroup ? [options.resourceGroup] : gateways.resourceGroups.length ? gateways.resourceGroups : [undefined];
  const needle = options.nameContains?.trim().toLowerCase();
  const rows: TemplateRow[] = [];
  let truncated = false;
  for (const resourceGroup of groups) {
    const page = await gateways.templates.list({ resourceGroup });
    truncated ||= page.truncated;
    for (const t of page.templates) {
      const c = templateCoordinates(t);
      if (!c || !t.id) continue;
      if (needle && !c.name.toLowerCase().includes(needle)) continue;
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
        failureId: failed ? statusFailure(t) : undefined,
      });
    }
  }
  rows.sort((a, b) => (b.endTime ?? '').localeCompare(a.endTime ?? '') || a.name.localeCompare(b.name));
  if (rows.length > MAX_ROWS) truncated = true;
  return { templates: rows.slice(0, MAX_ROWS), truncated };
}

/** What the status alone says broke: pure and log-free, so a list of fifty failures costs no blob read. */
function statusFailure(t: ImageTemplate): string | undefined {
  const facts = templateFacts(t);
  if (!statusFailed(facts)) return undefined;
  return classify({ template: facts }).diagnosis.id;
}
