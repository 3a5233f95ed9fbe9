import { createHash } from 'node:crypto';
import type { ConversationReference, Storage, StoreItem } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { botStorageConnection, type RecordStoreTarget } from '../azure/records';
import type { ActionName } from '../diagnosis/types';

// What the bot must remember between turns and across restarts: confirmations waiting for a click, the cards it
// may update later, and how to reach a conversation proactively. Everything goes through botbuilder's Storage, so
// a BlobsStorage in the app and a MemoryStorage in unit tests behave the same.

export interface PendingConfirmation {
  id: string;
  action: ActionName;
  templateId: string;
  parameters: Record<string, unknown>;
  requestedBy: { name?: string; aadObjectId?: string };
  requestedAt: string;
  conversationId: string;
  cardActivityId?: string;
  /** What the template looked like when the card was shown: lastRunStatus.startTime/runState/provisioningState/etag-ish. */
  snapshot: Record<string, string | undefined>;
}

export interface CardRef {
  activityId: string;
  conversation: Partial<ConversationReference>;
  templateId: string;
  /** `notification`: the root of a template's notification thread in a channel. */
  purpose: 'diagnosis' | 'progress' | 'confirmation' | 'notification';
}

/** Card references kept per template; older ones are dropped (a template rarely has more live cards than this). */
export const MAX_CARD_REFS = 20;

const OPTIMISTIC_TRIES = 8;

interface PendingItem extends StoreItem {
  /** Absent once taken: the tombstone keeps no parameters. */
  pending?: PendingConfirmation;
  takenAt?: string;
}

interface CardRefsItem extends StoreItem {
  templateId: string;
  refs: CardRef[];
}

/** A build the bot is following for a card: kept so a restarted bot picks the card up where the old one left it. */
export interface RunWatch {
  templateId: string;
  activityId: string;
  conversation: Partial<ConversationReference>;
  startedAt: string;
  startedBy?: string;
  locale: string;
  which: 'new-run' | 'current-run';
  claimKey?: string;
  /** Set by a rerun: whether the run before it had failed, and the class the clicked card showed (as the card sent it). */
  rerunOf?: { failed: boolean; diagnosisId?: string };
}

interface WatchesItem extends StoreItem {
  watches: RunWatch[];
}

/**
 * A recreate in progress: the template's full definition, saved before it is deleted, so neither a failed create
 * nor a process dying between delete and create loses it.
 */
export interface RecreateRecord {
  templateId: string;
  action: ActionName;
  /** `saved`: nothing deleted yet; `deleted`: the template is gone and `body` must be created again. */
  stage: 'saved' | 'deleted';
  /** What is submitted again (read-only fields dropped, the change applied). */
  body: Record<string, unknown>;
  /** The template exactly as it was read before anything was done. */
  original: Record<string, unknown>;
  changes: Array<{ field: string; before: string; after: string }>;
  startedBy?: string;
  startedAt: string;
  activityId?: string;
  conversation: Partial<ConversationReference>;
  locale: string;
}

interface RecreatesItem extends StoreItem {
  recreates: RecreateRecord[];
}

/** A conversation's request for failure notifications (src/watch reads these). */
export interface StoredSubscription {
  conversationId: string;
  resourceGroup?: string;
  templateGlob?: string;
  outcomes: 'failures' | 'all';
  locale: string;
  by?: string;
  at: string;
}

/**
 * A subscription's id: its conversation, scope and glob, which is what makes two subscriptions the same. Derived,
 * never stored, so subscriptions saved before ids existed have one too; a card button carries it.
 */
export function subscriptionIdOf(s: Pick<StoredSubscription, 'conversationId' | 'resourceGroup' | 'templateGlob'>): string {
  const what = `${s.conversationId}|${(s.resourceGroup ?? '').toLowerCase()}|${s.templateGlob ?? ''}`;
  return createHash('sha256').update(what, 'utf8').digest('hex').slice(0, 16);
}

export interface StoredMute {
  conversationId: string;
  template: string;
  until: string;
}

interface SubscriptionsItem extends StoreItem {
  subscriptions: StoredSubscription[];
  mutes?: StoredMute[];
}

const SUBSCRIPTIONS_KEY = 'watch-subscriptions';

interface ConversationItem extends StoreItem {
  ref: Partial<ConversationReference>;
}

export class BotState {
  constructor(private readonly storage: Storage) {}

  async savePending(p: PendingConfirmation): Promise<void> {
    const item: PendingItem = { pending: p, eTag: '*' };
    await this.storage.write({ [pendingKey(p.conversationId, p.id)]: item });
  }

  async getPending(conversationId: string, id: string): Promise<PendingConfirmation | undefined> {
    const item = await this.read<PendingItem>(pendingKey(conversationId, id));
    return item && !item.takenAt ? item.pending : undefined;
  }

  /**
   * Removes and returns a pending confirmation; of several concurrent callers (other bot instances included)
   * exactly one gets it. Storage.delete takes no eTag, so a delete cannot decide a race. Instead the item is
   * replaced by a tombstone with an eTag-conditional write (If-Match on Blob Storage): the first write wins, every
   * rival's write fails with an eTag conflict, and later readers find the tombstone. The tombstone is never deleted,
   * because a write with a stale eTag on a deleted item would, in MemoryStorage, simply recreate it; tombstones are a
   * few bytes each (a lifecycle rule on the `pending-` prefix can expire them).
   */
  async takePending(conversationId: string, id: string): Promise<PendingConfirmation | undefined> {
    const key = pendingKey(conversationId, id);
    const item = await this.read<PendingItem>(key);
    if (!item?.pending || item.takenAt || !item.eTag || item.eTag === '*') return undefined;
    const tombstone: PendingItem = { takenAt: new Date().toISOString(), eTag: item.eTag };
    try {
      await this.storage.write({ [key]: tombstone });
    } catch (e) {
      if (isLostRace(e)) return undefined;
      throw e;
    }
    return item.pending;
  }

  /** Remembers a card for later updates; the same activity saved again replaces its older entry. */
  async saveCardRef(r: CardRef): Promise<void> {
    await this.updateList<CardRefsItem>(
      cardsKey(r.templateId),
      (current) => ({ templateId: r.templateId, refs: [...(current?.refs ?? []).filter((x) => !sameCard(x, r)), r].slice(-MAX_CARD_REFS) }),
      (item) => item.refs.some((x) => sameCard(x, r)),
      `the card reference for ${r.templateId}`,
    );
  }

  /** Builds being followed for cards, across all conversations (few at a time: one per running build). */
  async watches(): Promise<RunWatch[]> {
    return (await this.read<WatchesItem>(WATCHES_KEY))?.watches ?? [];
  }

  async saveWatch(w: RunWatch): Promise<void> {
    await this.updateList<WatchesItem>(
      WATCHES_KEY,
      (current) => ({ watches: [...(current?.watches ?? []).filter((x) => x.activityId !== w.activityId), w] }),
      (item) => item.watches.some((x) => x.activityId === w.activityId),
      'a run watch',
    );
  }

  async removeWatch(activityId: string): Promise<void> {
    await this.updateList<WatchesItem>(
      WATCHES_KEY,
      (current) => ({ watches: (current?.watches ?? []).filter((x) => x.activityId !== activityId) }),
      (item) => !item.watches.some((x) => x.activityId === activityId),
      'a run watch',
    );
  }

  async recreates(): Promise<RecreateRecord[]> {
    return (await this.read<RecreatesItem>(RECREATES_KEY))?.recreates ?? [];
  }

  /** Saves (or moves to a new stage) the recreate of one template; one per template at a time. */
  async saveRecreate(r: RecreateRecord): Promise<void> {
    const same = (x: RecreateRecord) => x.templateId.toLowerCase() === r.templateId.toLowerCase();
    await this.updateList<RecreatesItem>(
      RECREATES_KEY,
      (current) => ({ recreates: [...(current?.recreates ?? []).filter((x) => !same(x)), r] }),
      (item) => item.recreates.some((x) => same(x) && x.stage === r.stage),
      'the definition of a template being recreated',
    );
  }

  async removeRecreate(templateId: string): Promise<void> {
    const same = (x: RecreateRecord) => x.templateId.toLowerCase() === templateId.toLowerCase();
    await this.updateList<RecreatesItem>(
      RECREATES_KEY,
      (current) => ({ recreates: (current?.recreates ?? []).filter((x) => !same(x)) }),
      (item) => !item.recreates.some(same),
      'the definition of a template being recreated',
    );
  }

  /**
   * Read-modify-write of one item with eTag concurrency, retried when another writer got there first. Creating the
   * item cannot be made conditional through Storage (it has no If-None-Match), so two first writers may overwrite each
   * other: the write is read back and redone if `landed` says ours was lost.
   */
  private async updateList<T extends StoreItem>(key: string, next: (current: T | undefined) => Omit<T, 'eTag'>, landed: (item: T) => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
      const current = await this.read<T>(key);
      const item = { ...next(current), eTag: current?.eTag ?? '*' } as T;
      try {
        await this.storage.write({ [key]: item });
      } catch (e) {
        if (!isLostRace(e)) throw e;
        // A short random pause keeps instances that collided once from colliding again in lockstep.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25 * (attempt + 1)));
        continue;
      }
      if (current) return;
      const check = await this.read<T>(key);
      if (check && landed(check)) return;
    }
    throw new BotStateError('state-contention', `Could not save ${what}: too many concurrent writers.`);
  }

  /** Every conversation's notification subscriptions (one item: they are few, and the watcher reads them all). */
  async subscriptions(): Promise<StoredSubscription[]> {
    return (await this.read<SubscriptionsItem>(SUBSCRIPTIONS_KEY))?.subscriptions ?? [];
  }

  async mutes(): Promise<StoredMute[]> {
    return (await this.read<SubscriptionsItem>(SUBSCRIPTIONS_KEY))?.mutes ?? [];
  }

  /** Adds a subscription; the same scope and glob asked again in one conversation replace the old one. */
  async saveSubscription(sub: StoredSubscription): Promise<void> {
    const same = (x: StoredSubscription) => subscriptionIdOf(x) === subscriptionIdOf(sub);
    await this.updateList<SubscriptionsItem>(
      SUBSCRIPTIONS_KEY,
      (current) => ({ subscriptions: [...(current?.subscriptions ?? []).filter((x) => !same(x)), sub], mutes: current?.mutes ?? [] }),
      (item) => item.subscriptions.some((x) => same(x) && x.at === sub.at),
      'a notification subscription',
    );
  }

  /** Ends every subscription (and mute) of a conversation; returns how many subscriptions there were. */
  async removeSubscriptions(conversationId: string): Promise<number> {
    const before = (await this.subscriptions()).filter((x) => x.conversationId === conversationId).length;
    await this.updateList<SubscriptionsItem>(
      SUBSCRIPTIONS_KEY,
      (current) => ({
        subscriptions: (current?.subscriptions ?? []).filter((x) => x.conversationId !== conversationId),
        mutes: (current?.mutes ?? []).filter((x) => x.conversationId !== conversationId),
      }),
      (item) => !item.subscriptions.some((x) => x.conversationId === conversationId),
      'the end of a notification subscription',
    );
    return before;
  }

  /** Ends one subscription of a conversation (the Unsubscribe button of its row); returns it, or undefined. */
  async removeSubscription(conversationId: string, id: string): Promise<StoredSubscription | undefined> {
    const mine = (x: StoredSubscription) => x.conversationId === conversationId && subscriptionIdOf(x) === id;
    const found = (await this.subscriptions()).find(mine);
    if (!found) return undefined;
    await this.updateList<SubscriptionsItem>(
      SUBSCRIPTIONS_KEY,
      (current) => ({ subscriptions: (current?.subscriptions ?? []).filter((x) => !mine(x)), mutes: current?.mutes ?? [] }),
      (item) => !item.subscriptions.some(mine),
      'the end of a notification subscription',
    );
    return found;
  }

  /** Adds a mute; expired mutes are dropped on the way. */
  async saveMute(m: StoredMute): Promise<void> {
    const now = Date.now();
    await this.updateList<SubscriptionsItem>(
      SUBSCRIPTIONS_KEY,
      (current) => ({
        subscriptions: current?.subscriptions ?? [],
        mutes: [...(current?.mutes ?? []).filter((x) => Date.parse(x.until) > now && !(x.conversationId === m.conversationId && x.template === m.template)), m],
      }),
      (item) => (item.mutes ?? []).some((x) => x.conversationId === m.conversationId && x.template === m.template && x.until === m.until),
      'a notification mute',
    );
  }

  async cardRefs(templateId: string): Promise<CardRef[]> {
    return (await this.read<CardRefsItem>(cardsKey(templateId)))?.refs ?? [];
  }

  async saveConversationRef(ref: Partial<ConversationReference>): Promise<void> {
    const conversationId = ref.conversation?.id;
    if (!conversationId) throw new BotStateError('state-invalid', 'A conversation reference needs conversation.id.');
    const item: ConversationItem = { ref, eTag: '*' };
    await this.storage.write({ [conversationKey(conversationId)]: item });
  }

  async conversationRef(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.read<ConversationItem>(conversationKey(conversationId)))?.ref;
  }

  private async read<T extends StoreItem>(key: string): Promise<T | undefined> {
    const items = await this.storage.read([key]);
    return items[key] as T | undefined;
  }
}

export type BotStateErrorCode = 'state-invalid' | 'state-contention';

export class BotStateError extends Error {
  constructor(
    readonly code: BotStateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BotStateError';
  }
}

/**
 * BlobsStorage over the bot's state container: Azurite with the sandbox key (connection string) or, in Azure, the
 * container URL with the managed identity's token (BlobsStorage 4.23 accepts `url` + `TokenCredential`), so no
 * account key is needed in production. Creates the container first, so a missing role stops start-up.
 */
export async function createBotStorage(target: RecordStoreTarget): Promise<Storage> {
  const c = await botStorageConnection(target);
  return c.kind === 'connection-string'
    ? new BlobsStorage(c.connectionString, c.container, c.options)
    : new BlobsStorage('', c.container, c.options, c.containerUrl, c.credential);
}

// Keys: BlobsStorage URL-encodes a key into a blob name and cuts it at 1024 characters, so ids of unknown length
// (Teams conversation ids, ARM resource ids) are hashed; a prefix keeps the kinds apart when browsing the container.

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n'), 'utf8').digest('hex').slice(0, 40);
}

const WATCHES_KEY = 'run-watches';
const RECREATES_KEY = 'recreates';

function pendingKey(conversationId: string, id: string): string {
  return `pending-${digest(conversationId, id)}`;
}

function cardsKey(templateId: string): string {
  // ARM resource ids are case-insensitive: the same template must not get two lists.
  return `cards-${digest(templateId.toLowerCase())}`;
}

function conversationKey(conversationId: string): string {
  return `conversation-${digest(conversationId)}`;
}

function sameCard(a: CardRef, b: CardRef): boolean {
  return a.activityId === b.activityId && a.conversation.conversation?.id === b.conversation.conversation?.id;
}

/**
 * An eTag-conditional write that lost: MemoryStorage and BlobsStorage both say "eTag conflict" (BlobsStorage turns
 * the 412 into that message); a 404/412 status covers the item vanishing under an If-Match.
 */
function isLostRace(e: unknown): boolean {
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (status === 412 || status === 404) return true;
  return e instanceof Error && /eTag conflict/i.test(e.message);
}
