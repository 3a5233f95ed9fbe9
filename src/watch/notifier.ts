import type { AzureGateways } from '../azure';
import { createBlobLease, type RecordStoreTarget } from '../azure/records';
import type { WatchConfig } from '../config';
import { openBlobWatchState } from './blob-state';
import { NoiseGate, type Mute, type SendFailure } from './delivery-policy';
import { sendWithPolicy } from './delivery';
import type { LeaseLike } from './leader';
import type { DetectedEvent } from './pass';
import { WatchService, type DeliveryResult } from './service';
import { notifyClaimKey, type WatchState } from './state';
import { recipientsFor, scopesFor, type WatchSubscription } from './subscriptions';

// The watcher as the bot runs it: subscriptions and mutes from bot state, the noise gate in front of every post,
// the delivery policy around every send, and subscriptions dropped when Teams says the bot is gone. What a post
// looks like (the diagnosis card, its thread) is the chat side's business, behind NotificationPoster.

export interface SubscriptionSource {
  subscriptions(): Promise<WatchSubscription[]>;
  mutes(): Promise<Mute[]>;
  /** The conversation is gone for the bot (403 BotNotInConversationRoster, 404): forget it and audit that. */
  drop(conversationId: string, reason: string): Promise<void>;
}

export interface NotificationPoster {
  /** Posts (or, for a later run of the same template, replies in its thread) one notification. */
  post(event: DetectedEvent, conversationId: string): Promise<void>;
  /** One card for the failures the noise gate held back. */
  postDigest(conversationId: string, events: DetectedEvent[]): Promise<void>;
  /** What a thrown send error was, as the policy needs it; undefined for anything that is not a send failure. */
  failureOf(e: unknown): SendFailure | undefined;
}

export interface NotifierOptions {
  config: WatchConfig;
  gateways: Pick<AzureGateways, 'templates' | 'subscriptionId'>;
  subscriptions: SubscriptionSource;
  poster: NotificationPoster;
  /** The bot's state account; state and lease are built from it unless given (tests). */
  stateTarget?: RecordStoreTarget;
  state?: WatchState;
  lease?: LeaseLike;
  log?: (line: string) => void;
  /** How often held-back failures are checked for a due digest. */
  digestCheckMs?: number;
}

export class Notifier {
  readonly service: WatchService;
  private readonly gate: NoiseGate<DetectedEvent>;
  private readonly state: WatchState;
  private digestTimer?: NodeJS.Timeout;

  constructor(private readonly o: NotifierOptions) {
    const state = o.state ?? (o.stateTarget && openBlobWatchState(o.stateTarget));
    const lease = o.lease ?? (o.stateTarget && createBlobLease(o.stateTarget, 'watch/leader', o.config.leaseSeconds));
    if (!state || !lease) throw new TypeError('Notifier needs a state target, or a state and a lease');
    this.state = state;
    this.gate = new NoiseGate({ threshold: o.config.digestThreshold, windowMs: o.config.digestWindowMs });
    this.service = new WatchService({
      templates: o.gateways.templates,
      subscriptionId: o.gateways.subscriptionId,
      state,
      lease,
      leaseMs: o.config.leaseSeconds * 1000,
      intervalMs: o.config.intervalMs,
      catchUpMs: o.config.catchUpMs,
      log: o.log,
      scopes: async () => scopesFor(await o.subscriptions.subscriptions()),
      recipients: async ({ event }) => recipientsFor(await o.subscriptions.subscriptions(), await o.subscriptions.mutes(), event, Date.now()),
      deliver: (detected, conversationId) => this.deliver(detected, conversationId),
      claimHoldMs: o.config.leaseSeconds * 1000,
    });
  }

  start(): void {
    this.service.start();
    const every = this.o.digestCheckMs ?? 30_000;
    const tick = () => {
      void this.flushDigests(Date.now()).finally(() => {
        this.digestTimer = setTimeout(tick, every);
      });
    };
    this.digestTimer = setTimeout(tick, every);
  }

  async stop(): Promise<void> {
    if (this.digestTimer) clearTimeout(this.digestTimer);
    await this.service.stop();
  }

  /**
   * Sends the digests that are due and finishes the claims of the failures in them (held until now, so a process
   * that dies with a digest waiting leaves them to be taken over); exposed so tests need no timers.
   */
  async flushDigests(nowMs: number): Promise<void> {
    for (const digest of this.gate.flush(nowMs)) {
      const result = await this.send(digest.conversationId, () => this.o.poster.postDigest(digest.conversationId, digest.items));
      for (const { event } of digest.items) {
        const key = notifyClaimKey(digest.conversationId, event.templateId, event.runKey);
        await this.state.claims
          .finish(key, result.status === 'delivered' ? 'delivered' : 'failed', result.status === 'delivered' ? 'digest' : result.detail)
          .catch((e: Error) => this.o.log?.(`watch: could not finish the claim of ${event.templateName}: ${e.message}`));
      }
    }
  }

  private async deliver(detected: DetectedEvent, conversationId: string): Promise<DeliveryResult> {
    const now = Date.now();
    // Held for the digest: the claim stays pending (and held) until the digest is sent, at most one window from now.
    if (this.gate.admit(conversationId, detected, now) === 'held') return { status: 'deferred', untilMs: now + this.o.config.digestWindowMs + (this.o.digestCheckMs ?? 30_000) };
    const result = await this.send(conversationId, () => this.o.poster.post(detected, conversationId));
    // Still throttled (or Teams still down) after every attempt: the card must not be lost with a `failed` claim.
    // Throwing leaves the claim pending and the cursor where it is; the next pass after the hold sends it again.
    if (result.retryable) throw new Error(`Teams kept refusing (${result.detail}); sent again once the claim's hold lapses`);
    return result;
  }

  private async send(conversationId: string, send: () => Promise<void>): Promise<{ status: 'delivered' | 'failed'; detail?: string; retryable?: boolean }> {
    const result = await sendWithPolicy(send, { failureOf: (e) => this.o.poster.failureOf(e) });
    if (result.kind === 'dropped') {
      this.o.log?.(`watch: ${conversationId} is gone for the bot (${result.reason}); its subscriptions are dropped`);
      await this.o.subscriptions.drop(conversationId, result.reason);
      return { status: 'failed', detail: `dropped: ${result.reason}` };
    }
    if (result.kind === 'failed') {
      this.o.log?.(`watch: a notification to ${conversationId} was not delivered: ${result.reason}`);
      return { status: 'failed', detail: result.reason, retryable: result.retryable };
    }
    return { status: 'delivered' };
  }
}
