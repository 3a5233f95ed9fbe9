import { decideAfterSendFailure, type RetryOptions, type SendFailure } from './delivery-policy';

// One message to one conversation, following the delivery policy: the chat seam does the sending and says what a
// failure was; this decides to wait and retry, to drop the subscription, or to give up.

export type SendOutcome = { kind: 'sent'; attempts: number } | { kind: 'dropped'; reason: string } | { kind: 'failed'; reason: string; attempts: number };

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
      if (!failure) return { kind: 'failed', reason: (e as Error).message, attempts: attempt };
      const decision = decideAfterSendFailure(failure, attempt, options);
      if (decision.action === 'drop-subscription') return { kind: 'dropped', reason: decision.reason };
      if (decision.action === 'give-up') return { kind: 'failed', reason: decision.reason, attempts: attempt };
      await sleep(decision.delayMs);
    }
  }
}
