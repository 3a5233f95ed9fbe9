import { decideAfterSendFailure, type RetryOptions, type SendFailure } from './delivery-policy';

// One message to one conversation, following the delivery policy: the chat seam does the sending and says what a
// failure was; this decides to wait and retry, to drop the subscription, or to give up.

export type SendOutcome =
  | { kind: 'sent'; attempts: number }
  | { kind: 'dropped'; reason: string }
  /** `retryable`: Teams was throttling or unavailable to the last attempt, so the message is worth sending later. */
  | { kind: 'failed'; reason: string; attempts: number; retryable: boolean };

export interface SendWithPolicyOptions extends RetryOptions {
  /** The send failure as Teams answered it; undefined for an error that is not a send failure (a bug): no retry. */
  failureOf: (e: unknown) => SendFailure | undefined;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function sendWithPolicy(send: () => Promise<void>, options: SendWithPolicyOptions): Promise<SendOutcome> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return { kind: 'sent', attempts: attempt };
    } catch (e) {
      const failure = options.failureOf(e);
      if (!failure) return { kind: 'failed', reason: (e as Error).message, attempts: attempt, retryable: false };
      const decision = decideAfterSendFailure(failure, attempt, options);
      if (decision.action === 'drop-subscription') return { kind: 'dropped', reason: decision.reason };
      if (decision.action === 'give-up') {
        // Given up only for running out of attempts (a first attempt would have been retried): worth a later try.
        const retryable = decideAfterSendFailure(failure, 1, { ...options, maxAttempts: Infinity }).action === 'retry';
        return { kind: 'failed', reason: decision.reason, attempts: attempt, retryable };
      }
      await sleep(decision.delayMs);
    }
  }
}
