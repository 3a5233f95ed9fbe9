import { ArmError } from './arm-errors';
import type { GalleryVersionRecord, TemplateRecord } from './template-record';

// Templates, resource groups and the pool of storage accounts Azurite was started with. ARM names are
// case-insensitive, so lookups fold case while records keep the caller's spelling.

export const NAME_PATTERN = /^[A-Za-z0-9-_.]{1,64}$/;

function key(rg: string, name: string): string {
  return `${rg.toLowerCase()}/${name.toLowerCase()}`;
}

export class TemplateStore {
  private readonly templates = new Map<string, TemplateRecord>();
  private readonly groups = new Map<string, string>();
  private readonly freeAccounts: string[];

  constructor(userGroups: string[], spareAccounts: string[]) {
    for (const g of userGroups) this.groups.set(g.toLowerCase(), g);
    this.freeAccounts = [...spareAccounts];
  }

  hasGroup(rg: string): boolean {
    return this.groups.has(rg.toLowerCase()) || this.stagingOwner(rg) !== undefined;
  }

  get(rg: string, name: string): TemplateRecord | undefined {
    return this.templates.get(key(rg, name));
  }

  add(record: TemplateRecord): void {
    this.templates.set(key(record.resourceGroup, record.name), record);
  }

  remove(record: TemplateRecord): void {
    this.templates.delete(key(record.resourceGroup, record.name));
    this.freeAccounts.push(record.storageAccount);
  }

  /** Sorted by group then name so paging is stable while templates come and go. */
  list(rg?: string): TemplateRecord[] {
    const all = [...this.templates.values()].filter((t) => rg === undefined || t.resourceGroup.toLowerCase() === rg.toLowerCase());
    return all.sort((a, b) => key(a.resourceGroup, a.name).localeCompare(key(b.resourceGroup, b.name)));
  }

  /** The template whose staging group this is, if any. */
  stagingOwner(rg: string): TemplateRecord | undefined {
    const lower = rg.toLowerCase();
    for (const t of this.templates.values()) if (t.stagingGroup.toLowerCase() === lower) return t;
    return undefined;
  }

  /** A gallery image version some template's run produced (or a scenario seeded). */
  galleryVersion(id: string): GalleryVersionRecord | undefined {
    const lower = id.toLowerCase();
    for (const t of this.templates.values()) {
      const v = t.galleryVersions?.get(lower);
      if (v) return v;
    }
    return undefined;
  }

  /**
   * Azurite learns its accounts once, from AZURITE_ACCOUNTS at start-up, so templates created later take a
   * pre-registered spare account instead of a fresh random name.
   */
  takeAccount(): string {
    const account = this.freeAccounts.shift();
    if (!account) {
      throw new ArmError(409, 'StorageAccountPoolExhausted', 'The sandbox has no free staging storage account left; delete a template first.');
    }
    return account;
  }
}
