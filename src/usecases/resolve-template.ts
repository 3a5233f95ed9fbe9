import type { AzureGateways, ImageTemplate } from '../azure';
import { templateCoordinates } from '../azure';

// A name as a person typed it → one template, a choice between several, or the nearest names we know.

export type Resolution =
  | { kind: 'found'; template: ImageTemplate; resourceGroup: string; name: string; id: string }
  | { kind: 'ambiguous'; candidates: Array<{ name: string; resourceGroup: string; id: string; runState?: string }> }
  | { kind: 'not-found'; suggestions: string[] };

export async function resolveTemplate(gateways: AzureGateways, name: string, resourceGroup?: string): Promise<Resolution> {
  const scope = resourceGroup ? { resourceGroups: [resourceGroup] } : undefined;
  const found = await gateways.templates.findByName(name, scope);
  if (found.kind === 'not-found') return { kind: 'not-found', suggestions: found.nearMisses };
  if (found.kind === 'ambiguous') {
    return {
      kind: 'ambiguous',
      candidates: found.candidates.flatMap((t) => {
        const c = templateCoordinates(t);
        return c ? [{ name: c.name, resourceGroup: c.resourceGroup, id: t.id!, runState: t.lastRunStatus?.runState }] : [];
      }),
    };
  }
  const c = templateCoordinates(found.template);
  return {
    kind: 'found',
    template: found.template,
    resourceGroup: c?.resourceGroup ?? found.resourceGroup,
    name: c?.name ?? found.template.name ?? name,
    id: found.template.id ?? '',
  };
}
