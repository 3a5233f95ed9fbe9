import type { AzureGateways, ImageTemplate } from '../azure';
import { checkTemplateName, isAzureGatewayError, nearMisses, templateCoordinates } from '../azure';

// A name as a person typed it → one template, a choice between several, or the nearest names we know.
//
// Finding a bare name means listing the whole scope (ARM has no "find by name"), which costs more than everything
// else in an answer. So the bot remembers where each name lives for a minute and then GETs the one template; a
// miss, a deleted template or an old index falls back to a full listing. What is shown always comes from a fresh
// GET or listing, never from the index.

export type Resolution =
  | { kind: 'found'; template: ImageTemplate; resourceGroup: string; name: string; id: string }
  | { kind: 'ambiguous'; candidates: Array<{ name: string; resourceGroup: string; id: string; runState?: string }> }
  | { kind: 'not-found'; suggestions: string[] };

const INDEX_TTL_MS = 60_000;

export class TemplateLocator {
  private index = new Map<string, string[]>(); // lower-case name → resource groups
  private builtAt = 0;

  constructor(
    private readonly gateways: AzureGateways,
    private readonly ttlMs = INDEX_TTL_MS,
  ) {}

  async resolve(name: string, resourceGroup?: string): Promise<Resolution> {
    checkTemplateName(name);
    const groups = resourceGroup ? [resourceGroup] : this.fresh() ? this.index.get(name.toLowerCase()) : undefined;
    if (groups?.length === 1) {
      const direct = await this.getIfExists(groups[0], name);
      if (direct) return found(direct, groups[0], name);
    }
    return this.byListing(name, resourceGroup);
  }

  private fresh(): boolean {
    return Date.now() - this.builtAt < this.ttlMs;
  }

  private async getIfExists(resourceGroup: string, name: string): Promise<ImageTemplate | undefined> {
    try {
      return await this.gateways.templates.get(resourceGroup, name);
    } catch (e) {
      if (isAzureGatewayError(e) && e.code === 'not-found') return undefined;
      throw e;
    }
  }

  private async byListing(name: string, resourceGroup?: string): Promise<Resolution> {
    const wanted = name.toLowerCase();
    const groups = resourceGroup ? [resourceGroup] : this.gateways.resourceGroups.length ? this.gateways.resourceGroups : [undefined];
    const all: ImageTemplate[] = [];
    for (const rg of groups) for await (const page of this.gateways.templates.pages({ resourceGroup: rg })) all.push(...page);
    // The listing is the index: a whole-scope listing refreshes it for the next questions.
    if (!resourceGroup) {
      this.index = new Map();
      for (const t of all) {
        const c = templateCoordinates(t);
        if (c) this.index.set(c.name.toLowerCase(), [...(this.index.get(c.name.toLowerCase()) ?? []), c.resourceGroup]);
      }
      this.builtAt = Date.now();
    }
    const exact = all.filter((t) => t.name?.toLowerCase() === wanted);
    if (exact.length === 1) return found(exact[0], resourceGroup ?? '', name);
    if (exact.length > 1) {
      return {
        kind: 'ambiguous',
        candidates: exact.flatMap((t) => {
          const c = templateCoordinates(t);
          return c ? [{ name: c.name, resourceGroup: c.resourceGroup, id: t.id!, runState: t.lastRunStatus?.runState }] : [];
        }),
      };
    }
    return { kind: 'not-found', suggestions: nearMisses(name, all.map((t) => t.name ?? '')) };
  }
}

function found(template: ImageTemplate, resourceGroup: string, typed: string): Resolution {
  const c = templateCoordinates(template);
  return { kind: 'found', template, resourceGroup: c?.resourceGroup ?? resourceGroup, name: c?.name ?? template.name ?? typed, id: template.id ?? '' };
}
