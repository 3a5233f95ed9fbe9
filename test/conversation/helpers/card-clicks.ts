import { createAuditLog, recordStoreTarget, type AuditRecord } from '../../../src/azure/records';
import { ALICE, type Harness } from './bot-harness';

export { allInputs, button } from '../../bot/helpers/card-reading';

// What a person does with a card, for the card-action tests: ask for a diagnosis card, find a button, click it on
// that card (an adaptiveCard/action invoke carrying the card's id), and read what Azure and the audit trail say.

export const SUB = '00000000-0000-4000-8000-00000000a1b0';
export const id = (name: string, rg = 'aib-sandbox') => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;

/** The helpers bound to a harness that is started in beforeAll (hence the getter). */
export function cardClicks(harness: () => Harness) {
  return {
    /** Asks for a diagnosis and returns the card's activity id and conversation, as a person clicking on it would have. */
    async diagnosisCardOf(name: string, user = ALICE) {
      const r = await harness().ask(`why did template ${name} fail?`, { user });
      return { conversationId: r.conversationId, cardId: r.replies[0].assignedId, card: r.cards[0] };
    },
    /**
     * Clicks a button on the card `at` names and returns what the person sees: the card that replaced it, or — when
     * the click was only acknowledged (a diagnosis-card button: its answer is a new reply) — that reply's card. Then
     * `at.cardId` moves to the reply: the next click (Confirm, Cancel) is on the card that answered.
     */
    async click(verb: string, data: Record<string, unknown>, at: { conversationId: string; cardId: string }, user = ALICE) {
      const h = harness();
      const before = h.capture.received.length;
      const r = await h.invoke(verb, data, { conversationId: at.conversationId, replyToId: at.cardId, user });
      expect(r.status).toBe(200);
      expect(r.body.statusCode).toBe(200);
      if (r.body.type === 'application/vnd.microsoft.card.adaptive') return r.body.value;
      const reply = h.capture.received.slice(before).find((c) => c.conversationId === at.conversationId && c.method === 'POST' && !!c.activity.attachments?.length);
      if (!reply) return r.body.value;
      at.cardId = reply.assignedId;
      return reply.activity.attachments[0].content;
    },
    async armGet(name: string, rg = 'aib-sandbox') {
      return fetch(`${harness().app.sandbox!.armEndpoint}${id(name, rg)}?api-version=2025-10-01`);
    },
    async auditFor(target: string): Promise<AuditRecord[]> {
      const sb = harness().app.sandbox!;
      const log = createAuditLog(recordStoreTarget({ kind: 'sandbox', url: sb.stateStorage.url, account: sb.stateStorage.account, key: sb.stateStorage.key }, 'audit'));
      const out: AuditRecord[] = [];
      for await (const r of log.list()) if (r.target === target) out.push(r);
      return out;
    },
    /** The card updates (PUT) the capture server received for one card. */
    updatesOf(cardId: string) {
      return harness()
        .capture.received.filter((c) => c.method === 'PUT' && c.activityId === cardId)
        .map((c) => c.activity.attachments[0].content);
    },
  };
}
