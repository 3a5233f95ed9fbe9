import { performance } from 'node:perf_hooks';
import { cardActions } from '../../test/bot/helpers/card-reading';
import { activity } from '../../test/conversation/helpers/bot-harness';
import { startCaptureServer, type Captured } from '../../test/conversation/helpers/capture-server';
import type { Answer, SayOptions } from './bot-under-test';

// The people asking and the Teams connector answering the bot, in a process of their own (forked by
// bot-under-test.ts): the client that POSTs each question to /api/messages and the capture server that takes the
// bot's replies. Out of the bot's process, their CPU and their callbacks are not counted as the bot's, as neither
// would be in Teams. Each question is one IPC message; the answer (times taken here) is the reply.

export interface SayRequest {
  id: number;
  botUrl: string;
  text: string;
  options: SayOptions;
}

export type SayReply = { id: number; answer: Answer } | { id: number; error: string };

async function main(): Promise<void> {
  const capture = await startCaptureServer();

  async function say({ botUrl, text, options }: SayRequest): Promise<Answer> {
    const act = activity(text, capture);
    const conversationId = (act.conversation as { id: string }).id;
    const timeoutMs = options.timeoutMs ?? 60000;
    const isCard = (c: Captured) => c.conversationId === conversationId && !!c.activity.attachments?.length;
    const isReply = (c: Captured) => c.conversationId === conversationId && c.activity.type === 'message';
    const started = performance.now();
    const first = capture.waitFor((c) => (options.anyReply ? isReply(c) : isCard(c)) && c.method === 'POST', 1, timeoutMs).then((hits) => ({ at: performance.now(), card: hits[0] }));
    const update = options.waitForUpdate
      ? capture.waitFor((c) => isCard(c) && c.method === 'PUT', 1, timeoutMs).then((hits) => ({ at: performance.now(), card: hits[0] }))
      : undefined;
    // Nobody awaits these when the POST fails; keep their timeouts from becoming unhandled rejections.
    first.catch(() => undefined);
    update?.catch(() => undefined);
    const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(act) });
    await res.arrayBuffer();
    if (res.status >= 300) return { conversationId, status: res.status, firstCardMs: Number.NaN };
    const f = await first;
    const u = update ? await update : undefined;
    // What was captured for this conversation is not needed again: the capture server stays small over a long run.
    forget(conversationId);
    return {
      conversationId,
      status: res.status,
      firstCardMs: f.at - started,
      updateMs: u ? u.at - started : undefined,
      firstDiagnosisId: diagnosisIdOf(f.card),
      firstWasCard: !!f.card.activity.attachments?.length,
      updateDiagnosisId: u ? diagnosisIdOf(u.card) : undefined,
    };
  }

  function forget(conversationId: string): void {
    for (let i = capture.received.length - 1; i >= 0; i--) if (capture.received[i].conversationId === conversationId) capture.received.splice(i, 1);
  }

  process.on('message', (request: SayRequest) => {
    say(request).then(
      (answer) => process.send!({ id: request.id, answer } satisfies SayReply),
      (e: unknown) => process.send!({ id: request.id, error: (e as Error).message } satisfies SayReply),
    );
  });
  // The bench went away: so does its driver.
  process.on('disconnect', () => void capture.close().finally(() => process.exit(0)));
  process.send!({ ready: true });
}

/** The catalog id a diagnosis card is about (its actions carry it); undefined for any other card. */
function diagnosisIdOf(c: Captured): string | undefined {
  const card = c.activity.attachments?.[0]?.content;
  return cardActions(card).find((a) => typeof a.data?.diagnosisId === 'string')?.data.diagnosisId;
}

main().catch((e: unknown) => {
  process.stderr.write(`driver-process: ${(e as Error).message}\n`);
  process.exit(1);
});
