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
  private names: string[] = [];
  private builtAt = 0;

  constructor(
    private readonly gateways: AzureGateways,
    private readonly ttlMs = INDEX_TTL_MS,
  ) {}

  async resolve(name: string, resourceGroup?: string): Promise<Resolution> {
    checkTemplateName(name);
    const fresh = !resourceGroup && this.fresh();
    const groups = resourceGroup ? [resourceGroup] : fresh ? this.index.get(name.toLowerCase()) : undefined;
    // A name the last whole-scope listing did not have is answered from it: a stream of unknown names (typos, or
    // someone probing) costs one listing a minute, not one each.
    if (fresh && !groups) return { kind: 'not-found', suggestions: nearMisses(name, [...this.names]) };
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
    const result = await this.gateways.templates.findByName(name, {
      resourceGroups: resourceGroup ? [resourceGroup] : undefined,
      // A whole-scope listing is the index: it answers the next questions about any name for a minute.
      onListed: resourceGroup ? undefined : (all) => this.remember(all),
    });
    if (result.kind === 'not-found') return { kind: 'not-found', suggestions: result.nearMisses };
    if (result.kind === 'ambiguous') {
      return {
        kind: 'ambiguous',
        candidates: result.candidates.flatMap((t) => {
          const c = templateCoordinates(t);
          return c ? [{ name: c.name, resourceGroup: c.resourceGroup, id: t.id!, runState: t.lastRunStatus?.runState }] : [];
        }),
      };
    }
    return found(result.template, result.resourceGroup, name);
  }

  private remember(all: readonly ImageTemplate[]): void {
    const index = new Map<string, string[]>();
    for (const t of all) {
      const c = templateCoordinates(t);
      if (c) index.set(c.name.toLowerCase(), [...(index.get(c.name.toLowerCase()) ?? []), c.resourceGroup]);
    }
    this.index = index;
    this.names = all.flatMap((t) => templateCoordinates(t)?.name ?? []);
    this.builtAt = Date.now();
  }
}

function found(template: ImageTemplate, resourceGroup: string, typed: string): Resolution {
  const c = templateCoordinates(template);
  return { kind: 'found', template, resourceGroup: c?.resourceGroup ?? resourceGroup, name: c?.name ?? template.name ?? typed, id: template.id ?? '' };
}
