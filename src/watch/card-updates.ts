import { CARD_UPDATE_MIN_INTERVAL_MS, UpdateCoalescer } from './delivery-policy';

// Updates of one card while a build runs, within Teams' limit: at most one per card per interval. An update offered
// too soon waits, and a newer one replaces it, so the card skips stale states and always ends on the newest. Sends
// of one card never overlap, so they reach Teams in order.

export interface CardUpdatesOptions {
  minIntervalMs?: number;
  /** A failed send is reported here and not retried: the next update, or the final one, replaces it anyway. */
  onError?: (cardId: string, e: unknown) => void;
}

export class CoalescedCardUpdates<T> {
  private readonly coalescer: UpdateCoalescer<T>;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly idle = new Map<string, Array<() => void>>();

  constructor(
    private readonly send: (cardId: string, update: T) => Promise<void>,
    private readonly options: CardUpdatesOptions = {},
  ) {
    this.coalescer = new UpdateCoalescer<T>(options.minIntervalMs ?? CARD_UPDATE_MIN_INTERVAL_MS);
  }

  /** Sends now if the card's interval has passed, else keeps this as the card's newest waiting update. */
  offer(cardId: string, update: T): void {
    const decision = this.coalescer.offer(cardId, update, Date.now());
    if ('send' in decision) {
      this.enqueue(cardId, decision.send);
      return;
    }
    if (this.timers.has(cardId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(cardId);
      // due() hands over every card whose time has come (and counts them sent): send them all, not only this one.
      for (const due of this.coalescer.due(Date.now())) this.enqueue(due.cardId, due.update);
      this.settleIfIdle(cardId);
    }, Math.max(0, decision.waitUntil - Date.now()));
    this.timers.set(cardId, timer);
  }

  /** Resolves once the card has nothing waiting and nothing in flight (its last update was sent or failed). */
  drained(cardId: string): Promise<void> {
    if (!this.timers.has(cardId) && !this.chains.has(cardId)) return Promise.resolve();
    return new Promise((resolve) => this.idle.set(cardId, [...(this.idle.get(cardId) ?? []), resolve]));
  }

  /** The card reached its final state and was drained: forget its interval. */
  forget(cardId: string): void {
    const timer = this.timers.get(cardId);
    if (timer) clearTimeout(timer);
    this.timers.delete(cardId);
    this.coalescer.forget(cardId);
    this.settleIfIdle(cardId);
  }

  private enqueue(cardId: string, update: T): void {
    const previous = this.chains.get(cardId) ?? Promise.resolve();
    const next = previous
      .then(() => this.send(cardId, update))
      .catch((e: unknown) => this.options.onError?.(cardId, e))
      .finally(() => {
        if (this.chains.get(cardId) === next) this.chains.delete(cardId);
        this.settleIfIdle(cardId);
      });
    this.chains.set(cardId, next);
  }

  private settleIfIdle(cardId: string): void {
    if (this.timers.has(cardId) || this.chains.has(cardId)) return;
    const waiting = this.idle.get(cardId);
    this.idle.delete(cardId);
    for (const resolve of waiting ?? []) resolve();
  }
}
