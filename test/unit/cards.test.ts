import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntry, classify, scanText, templateFacts, type Diagnosis, type StatusFacts } from '../../src/diagnosis';
import { catalogText, t, type Locale } from '../../src/i18n';
import {
  choiceCard,
  diagnosisCard,
  errorCard,
  helpCard,
  listCard,
  logCard,
  statusCard,
  welcomeCard,
  CardRenderError,
  CARD_BYTE_BUDGET,
  DIAGNOSIS_TEAMS_BYTES,
  ERROR_CARD_CODES,
  EVIDENCE_LINE_CHARS,
  MAX_EVIDENCE_LINES,
  type CardAttachment,
  type ErrorCardInput,
  type TemplateRef,
} from '../../src/cards';
import { bindCard, teamsBytes } from '../../src/cards/bind';
import { clipLine } from '../../src/cards/text';
import en from '../../locales/en.json';
import { cardElements, isCardObject, type CardObject } from '../bot/helpers/card-reading';

// Every card is rendered in several locales and read back: structure (version, actions, data), content (the words
// and values a person sees) and the guarantees (no SAS, no unbound binding, no English leaking into other locales,
// under Teams' 28 KB limit).

const LOCALES: Locale[] = ['en', 'ja-JP', 'zh-CN', 'fr-FR', 'pt-BR', 'it-IT'];
const TEAMS_CARD_LIMIT = 28 * 1024;
/** Teams shows this many buttons and hides the rest unless they are `mode: secondary` (then in the "…" menu). */
const TEAMS_VISIBLE_BUTTONS = 3;
const CJK = /[\u3040-\u30ff\u4e00-\u9fff]/;
const FIXTURES = join(__dirname, '..', 'fixtures');

// ------------------------------------------------------------------------------------------------ reading cards

type Obj = CardObject;

const actionsOf = (card: Obj) => cardElements(card).filter((e) => String(e.type).startsWith('Action.'));
const executes = (card: Obj) => actionsOf(card).filter((a) => a.type === 'Action.Execute');
const textBlocks = (card: Obj) => cardElements(card).filter((e) => e.type === 'TextBlock').map((e) => String(e.text));
const runs = (card: Obj) => cardElements(card).filter((e) => e.type === 'TextRun');
const factsOf = (card: Obj) =>
  cardElements(card)
    .filter((e) => e.type === 'FactSet')
    .flatMap((e) => e.facts as Array<{ title: string; value: string }>);
const fact = (card: Obj, label: string) => factsOf(card).find((f) => f.title === label)?.value;
/** The card's own buttons (not the Details toggle or a link inside the card); Teams hides `secondary` ones in "…". */
const buttons = (card: Obj) => (card.actions as Obj[] | undefined) ?? [];
const visibleButtons = (card: Obj) => buttons(card).filter((a) => a.mode !== 'secondary');
/** A bold-labelled line ("Failing step: …") as one string. */
const labeledLine = (card: Obj, label: string) =>
  cardElements(card)
    .filter((e) => e.type === 'RichTextBlock' && String((e.inlines as Obj[])[0].text).trim() === label)
    .map((e) => (e.inlines as Obj[])[1].text as string)[0];
const monospaceLines = (card: Obj) => cardElements(card).filter((e) => e.type === 'RichTextBlock' && (e.inlines as Obj[])[0].fontType === 'Monospace');

/** What a person can read on the card. */
function visibleTexts(card: Obj): string[] {
  return [
    ...textBlocks(card),
    ...runs(card).map((r) => String(r.text)),
    ...factsOf(card).flatMap((f) => [f.title, f.value]),
    ...actionsOf(card).map((a) => String(a.title)),
  ];
}

/** The checks every card must pass, whatever it shows; returns the card content for further reading. */
function checked(attachment: CardAttachment): Obj {
  expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = attachment.content;
  const json = JSON.stringify(card);
  expect(card.type).toBe('AdaptiveCard');
  expect(card.version).toBe('1.5');
  expect(card.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
  expect(card.msteams).toEqual({ width: 'Full' });
  expect(json).not.toContain('${');
  expect(json).not.toMatch(/sig=/i);
  // A `{placeholder}` left by a message whose parameter was not passed.
  expect(visibleTexts(card).filter((text) => /\{[A-Za-z]\w*\}/.test(text))).toEqual([]);
  expect(Buffer.byteLength(json, 'utf8')).toBeLessThan(TEAMS_CARD_LIMIT);
  for (const action of actionsOf(card)) expect(String(action.title).trim()).not.toBe('');
  return card;
}

/**
 * English message fragments (split at placeholders) of two or more words. Finding one on a card rendered in
 * another language means a string fell back to English or was never localized.
 */
const ENGLISH_FRAGMENTS: string[] = (() => {
  const texts: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (isCardObject(v)) Object.values(v).forEach(collect);
  };
  collect({ card: en.card, bot: en.bot, phase: en.phase, confidence: en.confidence, action: en.action, catalog: en.catalog });
  return texts
    .flatMap((text) => text.split(/\{\w+\}/))
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).filter((word) => /[A-Za-z]{2,}/.test(word)).length >= 2);
})();

/** Our own words on the card: what is not log or message content (monospace) and not an identifier-only value. */
function ownTexts(card: Obj): string[] {
  const prose = cardElements(card).filter((e) => (e.type === 'TextBlock' || e.type === 'TextRun') && e.fontType !== 'Monospace');
  return [...prose.map((e) => String(e.text)), ...factsOf(card).flatMap((f) => [f.title, f.value]), ...actionsOf(card).map((a) => String(a.title))];
}

function englishLeftovers(card: Obj): string[] {
  const texts = ownTexts(card);
  return ENGLISH_FRAGMENTS.filter((fragment) => texts.some((text) => text.includes(fragment)));
}

// ------------------------------------------------------------------------------------------------ real inputs

const SUB = '3f2b6a1e-9c41-4d7a-8e0b-5a6c7d8e9f01';
const templateId = (rg: string, name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.VirtualMachineImages/imageTemplates/${name}`;

function armTemplate(name: string, properties: Obj, rg = 'rg-images'): Obj {
  return {
    id: templateId(rg, name),
    name,
    properties: {
      source: { type: 'PlatformImage', publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter' },
      ...properties,
    },
  };
}

const refOf = (facts: StatusFacts): TemplateRef => ({ name: facts.name!, resourceGroup: facts.resourceGroup!, id: facts.id! });

const RUN = '[922bdf36-b53c-4e78-9cd8-6b70b9674685]';
const packerLog = (lines: string[]) => scanText(lines.map((l) => `${RUN} ${l}`).join('\n') + '\n', 'log');

const PACKER_FAILED =
  'Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when executing packerizer: Packer build command has failed: exit status 1. Image Build log location: https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log?sv=2023-01-03&sig=LeakMe%2Bfake%3D. OperationId: 45f485cf-5a8c-4379-9937-8d85493bc791. Use this operationId to search packer logs.';

/** A Windows template whose second customizer (PowerShell "install-agent") failed; the log says so. */
function customizerFailure() {
  const facts = templateFacts(
    armTemplate('win2022-base', {
      customize: [
        { type: 'WindowsRestart', name: 'restart-1' },
        { type: 'PowerShell', name: 'install-agent' },
      ],
      provisioningState: 'Succeeded',
      buildTimeoutInMinutes: 90,
      lastRunStatus: {
        runState: 'Failed',
        runSubState: 'Customizing',
        startTime: '2026-11-20T10:00:07Z',
        endTime: '2026-11-20T10:42:37Z',
        message: PACKER_FAILED,
      },
    }),
  );
  const log = packerLog([
    'PACKER ERR 2026/11/20 10:01:00 [INFO] (telemetry) Starting provisioner windows-restart',
    'PACKER OUT ==> azure-arm: Restarting Machine',
    'PACKER ERR 2026/11/20 10:03:00 [INFO] (telemetry) ending windows-restart',
    'PACKER ERR 2026/11/20 10:03:01 [INFO] (telemetry) Starting provisioner powershell',
    'PACKER OUT     azure-arm: Installing agent from https://stagent.blob.core.windows.net/bin/agent.msi?sv=2023&sig=SecretInLog%3D',
    'PACKER OUT ==> azure-arm: Script exited with non-zero exit status: 1603. Allowed exit codes are: [0]',
  ]);
  const diagnosis = classify({ template: facts, log });
  return { facts, diagnosis, template: refOf(facts) };
}

function templateExists() {
  const facts = templateFacts(
    armTemplate('win2022-base', {
      provisioningState: 'Failed',
      provisioningError: {
        provisioningErrorCode: 'Conflict',
        message:
          "'Conflict'. Details: Update/Upgrade of image templates is currently not supported. Please change the name of the template you are submitting.",
      },
    }),
  );
  return { facts, diagnosis: classify({ template: facts }), template: refOf(facts) };
}

function sample(file: string): { facts?: StatusFacts; diagnosis: Diagnosis } {
  const text = readFileSync(join(FIXTURES, 'samples', file), 'utf8');
  if (file.endsWith('.json')) {
    const facts = templateFacts(JSON.parse(text));
    return { facts, diagnosis: classify({ template: facts }) };
  }
  if (file.endsWith('.log')) return { diagnosis: classify({ log: scanText(text, 'log') }) };
  return { diagnosis: classify({ texts: [text] }) };
}

// ------------------------------------------------------------------------------------------------ diagnosis card

describe('diagnosis card', () => {
  test.each(LOCALES)('%s: a failed customizer with its step, evidence, cause, fix, ids and buttons', (locale) => {
    const { facts, diagnosis, template } = customizerFailure();
    expect(diagnosis.diagnosis.id).toBe('customizer-failed');
    const card = checked(diagnosisCard({ template, diagnosis, facts, scan: 'complete', log: { partial: false, size: 3000, bytesRead: 3000 } }, locale));
    const text = catalogText(locale, 'customizer-failed');
    const blocks = textBlocks(card);

    expect(blocks[0]).toContain('win2022-base');
    expect(blocks).toContain(text.title);
    expect(blocks).toContain(text.cause);
    expect(fact(card, t(locale, 'card.common.resourceGroup'))).toBe('rg-images');
    expect(fact(card, t(locale, 'card.common.runState'))).toBe(`${t(locale, 'card.state.Failed')} · ${t(locale, 'card.state.Customizing')}`);
    expect(fact(card, t(locale, 'card.common.started'))).toBe('2026-11-20 10:00 UTC');
    expect(fact(card, t(locale, 'card.common.ended'))).toBe('2026-11-20 10:42 UTC');
    expect(fact(card, t(locale, 'card.common.duration'))).toBe(t(locale, 'card.common.durationOf', { minutes: '42.5', timeout: '90' }));
    expect(fact(card, t(locale, 'card.diagnosis.phase'))).toBe(t(locale, 'phase.customization'));
    expect(fact(card, t(locale, 'card.diagnosis.confidence'))).toBe(t(locale, 'confidence.high'));
    const step = labeledLine(card, t(locale, 'card.diagnosis.lineLabel', { label: t(locale, 'card.diagnosis.customizer') }));
    expect(step).toContain(t(locale, 'card.diagnosis.customizerNamed', { type: 'powershell', name: 'install-agent', index: 2 }));
    expect(step).toContain(t(locale, 'card.diagnosis.customizerStart', { line: 4 }));
    expect(factsOf(card).find((f) => f.title.startsWith(t(locale, 'card.diagnosis.operationId')))?.value).toBe('45f485cf-5a8c-4379-9937-8d85493bc791');
    // The URL gets zero-width break points so it wraps; it reads (and copies) the same.
    expect(fact(card, t(locale, 'card.common.logLocation'))?.replace(/\u200b/g, '')).toBe(
      'https://q7x2lmn4p0rstuvw8yz1ab3c.blob.core.windows.net/packerlogs/0b8c6f1e-2d3a-4e5f-9a7b-1c2d3e4f5a6b/customization.log',
    );
    expect(blocks).toContain(t(locale, 'card.diagnosis.scanComplete', { size: '2.9 KB' }));

    // Fix steps, the catalog's own words: the card names the failing step, so "find the failing customizer" is
    // skipped; the first step to take is above the fold, the next ones numbered behind Details.
    expect(labeledLine(card, t(locale, 'card.diagnosis.lineLabel', { label: t(locale, 'card.diagnosis.fix') }))).toBe(text.fix[1]);
    const fixBlocks = cardElements(card).filter((e) => e.type === 'RichTextBlock' && /^\d+\.\u00a0$/.test(String((e.inlines as Obj[])[0].text)));
    expect(fixBlocks.map((b) => (b.inlines as Obj[]).map((r) => r.text).join(''))).toEqual(text.fix.slice(2).map((s, i) => `${i + 2}.\u00a0${s}`));

    // Buttons: the catalog's actions in its order, each carrying the ids the action handlers need.
    const verbs = executes(card).map((a) => a.verb);
    expect(verbs.slice(0, diagnosis.actions.length)).toEqual(diagnosis.actions);
    for (const action of executes(card)) {
      expect(action.data).toEqual({ templateId: template.id, diagnosisId: 'customizer-failed' });
      expect(action.title).toBe(t(locale, `action.${String(action.verb)}`));
      // No Action.Submit fallback: a client that renders a 1.5 card knows Action.Execute (1.4), and the bytes go to
      // evidence instead.
      expect(action.fallback).toBeUndefined();
    }
    const guide = buttons(card).find((a) => a.type === 'Action.OpenUrl');
    expect(guide).toMatchObject({ title: t(locale, 'card.common.guide'), url: diagnosis.docUrl });
    expect(visibleButtons(card).length).toBeLessThanOrEqual(TEAMS_VISIBLE_BUTTONS);
  });

  test.each(LOCALES)('%s: evidence is monospace, numbered by log line, and free of SAS tokens', (locale) => {
    const { facts, diagnosis, template } = customizerFailure();
    const card = checked(diagnosisCard({ template, diagnosis, facts, scan: 'complete' }, locale));
    const evidence = monospaceLines(card);
    // Each line of the diagnosis is on the card once, labelled with its line number (identical lines share one).
    for (const e of diagnosis.evidence) {
      const shown = evidence.filter((b) => (b.inlines as Obj[])[1].text === clipLine(e.text, EVIDENCE_LINE_CHARS));
      expect(shown).toHaveLength(1);
      const [where, line] = shown[0].inlines as Obj[];
      expect(line.fontType).toBe('Monospace');
      const labels = String(where.text).replace(/[\u2007\u00a0│…]/g, '').trim().split(', ');
      expect(labels).toContain(e.source === 'log' ? String(e.line) : t(locale, `card.common.source${e.source === 'status' ? 'Status' : 'Text'}`));
    }
    const joined = evidence.map((b) => (b.inlines as Obj[])[1].text).join('\n');
    expect(joined).toContain('Script exited with non-zero exit status: 1603');
    expect(joined).toContain('[SAS redacted]');
  });

  test('a sig= that reached the diagnosis unredacted still never reaches the card', () => {
    const { facts, diagnosis, template } = customizerFailure();
    // As if an upstream change forgot to redact: raw SAS in evidence, in the log location and in a customizer name.
    const leaky: Diagnosis = {
      ...diagnosis,
      evidence: [
        { source: 'log', line: 7, text: 'curl https://acct.blob.core.windows.net/c/app.zip?sv=2023-01-03&sp=r&sig=Raw%2BSecret%3D failed' },
        { source: 'text', line: 1, text: 'AccountKey=abc123== sig=Another' },
        ...diagnosis.evidence,
      ],
      ids: { ...diagnosis.ids, logUrl: 'https://acct.blob.core.windows.net/packerlogs/x/customization.log?sig=LogSecret' },
      customizer: diagnosis.customizer && { ...diagnosis.customizer, name: 'step?sig=NameSecret' },
    };
    for (const locale of LOCALES) {
      const json = JSON.stringify(checked(diagnosisCard({ template, diagnosis: leaky, facts, scan: 'tail' }, locale)).body);
      for (const secret of ['Raw%2BSecret', 'Another', 'LogSecret', 'NameSecret', 'abc123']) expect(json).not.toContain(secret);
      expect(json).toContain('[SAS redacted]');
    }
  });

  test.each(['en', 'ja-JP'] as Locale[])('%s: 12 long evidence lines: at most 8 behind Details, ~200 characters each, as many as fit 16 KB', (locale) => {
    const { facts, diagnosis, template } = customizerFailure();
    const long = (i: number) => `PACKER OUT azure-arm: ${'エラー詳細 error detail '.repeat(60)} #${i}`;
    const noisy: Diagnosis = { ...diagnosis, decisive: undefined, evidence: Array.from({ length: 12 }, (_, i) => ({ source: 'log' as const, line: 1000 + i, text: long(i) })) };
    const attachment = diagnosisCard({ template, diagnosis: noisy, facts, scan: 'partial', log: { partial: true, size: 80 * 1024 * 1024, bytesRead: 64 * 1024 * 1024 } }, locale);
    const card = checked(attachment);
    const lines = monospaceLines(card).map((e) => (e.inlines as Obj[])[1].text as string);
    // The latest line above the fold; behind Details the earlier ones, at most eight, fewer when 16 KB is reached.
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThanOrEqual(MAX_EVIDENCE_LINES + 1);
    for (const line of lines) {
      expect([...line].length).toBeLessThanOrEqual(EVIDENCE_LINE_CHARS);
      expect(line.endsWith('…')).toBe(true);
    }
    const cut = MAX_EVIDENCE_LINES + 1 - lines.length;
    if (cut > 0) expect(textBlocks(card)).toContain(t(locale, 'card.diagnosis.evidenceCut', { count: cut }));
    expect(textBlocks(card)).toContain(t(locale, 'card.diagnosis.scanPartial', { size: '64 MB', total: '80 MB' }));
    expect(teamsBytes(attachment)).toBeLessThanOrEqual(DIAGNOSIS_TEAMS_BYTES);
  });

  test('the fit drops evidence lines, one per step, only while the card is over its 16 KB', () => {
    const { facts, diagnosis, template } = customizerFailure();
    const lines = (n: number, chars: number) => Array.from({ length: n }, (_, i) => ({ source: 'log' as const, line: 10 + i, text: `${String(i).padStart(3, '0')} ${'x'.repeat(chars)}` }));
    const shown = (evidence: Diagnosis['evidence']) => monospaceLines(diagnosisCard({ template, diagnosis: { ...diagnosis, decisive: undefined, evidence }, facts, scan: 'complete' }, 'en').content).length;
    expect(shown(lines(9, 20))).toBe(MAX_EVIDENCE_LINES + 1);
    expect(shown(lines(9, 190))).toBeLessThan(MAX_EVIDENCE_LINES + 1);
  });

  test.each(LOCALES)('%s: template-exists leads with Delete; at most 3 visible buttons, the rest in the overflow', (locale) => {
    const { facts, diagnosis, template } = templateExists();
    expect(diagnosis.diagnosis.id).toBe('template-exists');
    const card = checked(diagnosisCard({ template, diagnosis, facts, scan: 'none' }, locale));
    expect(visibleButtons(card).map((a) => a.verb ?? a.type)).toEqual(['delete-template', 'open-support-case', 'Action.OpenUrl']);
    expect(executes(card)[0].data).toMatchObject({ templateId: template.id, diagnosisId: 'template-exists' });
    expect(textBlocks(card)).toContain(t(locale, 'card.diagnosis.scanNone'));
  });

  test('three catalog actions fill the visible slots; delete (not the fix) and the guide go to the overflow', () => {
    const { facts, diagnosis } = sample('identity-not-authorized--arm-template.json');
    expect(diagnosis.diagnosis.id).toBe('identity-not-authorized');
    expect(diagnosis.actions).toHaveLength(3);
    const card = checked(diagnosisCard({ template: refOf(facts!), diagnosis, facts, scan: 'none' }, 'fr-FR'));
    const visible = visibleButtons(card);
    const overflow = buttons(card).filter((a) => a.mode === 'secondary');
    expect(visible.map((a) => a.verb)).toEqual(['grant-permissions', 'rerun', 'open-support-case']);
    expect(overflow.map((a) => a.verb ?? a.type)).toEqual(['delete-template', 'Action.OpenUrl']);
    // The fixture's status message carries a SAS URL: the card must not.
    expect(JSON.stringify(card)).not.toContain('fake0Sig1For2Redaction3Tests4xYz');
  });

  test.each(LOCALES)('%s: a pasted message keeps only the template-free action and says what it rests on', (locale) => {
    const diagnosis = classify({ texts: [readFileSync(join(FIXTURES, 'samples', 'customizer-failed--devops.txt'), 'utf8')] });
    expect(catalogEntry(diagnosis.diagnosis.id).actions.length).toBeGreaterThan(1);
    const card = checked(diagnosisCard({ diagnosis, scan: 'none' }, locale));
    expect(textBlocks(card)[0]).toBe(t(locale, 'card.diagnosis.headingText'));
    expect(textBlocks(card)).toContain(t(locale, 'card.diagnosis.scanNoneText'));
    const actions = executes(card);
    expect(actions.map((a) => a.verb)).toEqual(diagnosis.actions.includes('open-support-case') ? ['open-support-case'] : []);
    for (const action of actions) expect(action.data).toEqual({ diagnosisId: diagnosis.diagnosis.id });
  });

  test.each(LOCALES)('%s: the scan line says tail, partial, or why the log was not read', (locale) => {
    const { facts, diagnosis, template } = customizerFailure();
    const note = (input: Partial<Parameters<typeof diagnosisCard>[0]>) =>
      textBlocks(checked(diagnosisCard({ template, diagnosis, facts, scan: 'none', ...input }, locale)));
    expect(note({ scan: 'tail', log: { partial: true, size: 9 * 1024 * 1024, bytesRead: 1024 * 1024 } })).toContain(
      t(locale, 'card.diagnosis.scanTail', { size: '1 MB' }),
    );
    expect(note({ scan: 'partial' })).toContain(t(locale, 'card.diagnosis.scanPartialNoSize'));
    const forbidden = note({
      scan: 'none',
      log: {
        partial: false,
        location: { account: 'stg1', container: 'packerlogs', blobPath: 'x/customization.log', source: 'staging-group', stagingResourceGroup: 'IT_rg-images_win2022-base_1234' },
        error: { code: 'log-forbidden', message: '403' },
      },
    });
    expect(forbidden).toContain(t(locale, 'card.diagnosis.scanNoneForbidden', { role: 'Storage Blob Data Reader', group: 'IT_rg-images_win2022-base_1234' }));
    expect(note({ scan: 'none', log: { partial: false, error: { code: 'log-not-found', message: '404' } } })).toContain(
      t(locale, 'card.diagnosis.scanNoneNotFound'),
    );
  });

  test('an unknown failure shows its last error lines under a heading that says so', () => {
    const diagnosis = classify({ texts: ['ERROR: something nobody has catalogued yet went wrong\nexit status 3'] });
    expect(diagnosis.diagnosis.id).toBe('unknown');
    const card = checked(diagnosisCard({ diagnosis, scan: 'none' }, 'ja-JP'));
    expect(textBlocks(card)).toContain(catalogText('ja-JP', 'unknown').title);
    // The latest error line is the one shown at a glance; the earlier ones sit behind Details under a heading
    // that says they are only the last error lines.
    const lines = monospaceLines(card).map((b) => (b.inlines as Obj[])[1].text as string);
    expect(lines[0]).toBe(diagnosis.evidence.at(-1)!.text);
    if (diagnosis.evidence.length > 1) expect(textBlocks(card)).toContain(t('ja-JP', 'card.diagnosis.evidenceUnknown'));
  });

  test('a benign-only diagnosis says the message is harmless', () => {
    const { diagnosis } = sample('no-artifacts-warning--success-tail.log');
    expect(diagnosis.diagnosis.benign).toBe(true);
    const card = checked(diagnosisCard({ diagnosis, scan: 'complete' }, 'it-IT'));
    expect(textBlocks(card)).toContain(t('it-IT', 'card.diagnosis.benign'));
  });

  const SAMPLES = (JSON.parse(readFileSync(join(FIXTURES, 'samples', 'index.json'), 'utf8')) as Array<{ file: string }>).map((s) => s.file);
  test.each(SAMPLES)('every fixture sample renders in every locale: %s', (file) => {
    const { facts, diagnosis } = sample(file);
    const template = facts?.id && facts.name && facts.resourceGroup ? refOf(facts) : undefined;
    for (const locale of LOCALES) {
      const card = checked(diagnosisCard({ template, diagnosis, facts, scan: template ? 'none' : 'complete' }, locale));
      expect(visibleButtons(card).length).toBeLessThanOrEqual(TEAMS_VISIBLE_BUTTONS);
      for (const action of executes(card)) expect((action.data as Obj).diagnosisId).toBe(diagnosis.diagnosis.id);
      if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
    }
  });

  test('the English-leftover check does find English (it is not vacuous)', () => {
    const { facts, diagnosis, template } = customizerFailure();
    const english = checked(diagnosisCard({ template, diagnosis, facts, scan: 'complete' }, 'en'));
    expect(englishLeftovers(english)).toEqual(expect.arrayContaining([en.card.diagnosis.fix, catalogText('en', 'customizer-failed').title]));
  });

  test.each(['ja-JP', 'zh-CN'] as Locale[])('%s: labels and buttons are in the locale script, no English sentence left', (locale) => {
    const { facts, diagnosis, template } = customizerFailure();
    const card = checked(diagnosisCard({ template, diagnosis, facts, scan: 'tail', log: { partial: true, bytesRead: 1024 * 1024, size: 4e6 } }, locale));
    const labels = [...factsOf(card).map((f) => f.title), ...actionsOf(card).map((a) => String(a.title)), textBlocks(card)[0]];
    expect(labels.filter((label) => !CJK.test(label))).toEqual([]);
    expect(englishLeftovers(card)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------ status card

describe('status card', () => {
  test.each(LOCALES)('%s: a failed run with states, times, duration, scrubbed message, Diagnose and Refresh', (locale) => {
    const { facts, template } = customizerFailure();
    const card = checked(statusCard({ template, facts }, locale));
    expect(textBlocks(card)[0]).toBe(t(locale, 'card.status.heading', { name: 'win2022-base' }));
    expect(textBlocks(card)).toContain(t(locale, 'card.status.stateFailed'));
    expect(fact(card, t(locale, 'card.common.provisioningState'))).toBe(t(locale, 'card.state.Succeeded'));
    expect(fact(card, t(locale, 'card.common.runState'))).toBe(t(locale, 'card.state.Failed'));
    expect(fact(card, t(locale, 'card.common.runSubState'))).toBe(t(locale, 'card.state.Customizing'));
    expect(fact(card, t(locale, 'card.common.duration'))).toBe(t(locale, 'card.common.durationOf', { minutes: '42.5', timeout: '90' }));
    const message = runs(card).map((r) => String(r.text)).find((text) => text.includes('Packer build command has failed'));
    expect(message).toContain('customization.log?[SAS redacted]');
    expect(message).not.toContain('LeakMe');
    const actions = executes(card);
    expect(actions.map((a) => a.verb)).toEqual(['diagnose', 'refresh']);
    expect(actions[0].data).toEqual({ templateId: template.id, resourceGroup: 'rg-images', name: 'win2022-base' });
    expect(actions[1].data).toMatchObject({ templateId: template.id, card: 'status' });
    if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
  });

  test('a running build offers Refresh and Cancel, says it is running and how long it has run against the timeout', () => {
    const facts = templateFacts(armTemplate('ubuntu-golden', { provisioningState: 'Succeeded', lastRunStatus: { runState: 'Running', runSubState: 'Building', startTime: '2026-11-20T09:00:00Z' } }));
    const card = checked(statusCard({ template: refOf(facts), facts, now: new Date('2026-11-20T09:42:30Z') }, 'pt-BR'));
    expect(textBlocks(card)).toContain(t('pt-BR', 'card.status.stateRunning'));
    expect(executes(card).map((a) => a.verb)).toEqual(['refresh', 'cancel-run']);
    expect(fact(card, t('pt-BR', 'card.common.ended'))).toBeUndefined();
    expect(fact(card, t('pt-BR', 'card.common.elapsed'))).toBe(t('pt-BR', 'card.common.elapsedOf', { minutes: '42', timeout: String(facts.effectiveTimeoutMinutes) }));
  });

  test('a template that never ran and one that reached its timeout', () => {
    const fresh = templateFacts(armTemplate('new-one', { provisioningState: 'Succeeded' }));
    expect(textBlocks(checked(statusCard({ template: refOf(fresh), facts: fresh }, 'zh-CN')))).toContain(t('zh-CN', 'card.status.stateNoRun'));
    const slow = templateFacts(
      armTemplate('slow-one', {
        provisioningState: 'Succeeded',
        buildTimeoutInMinutes: 60,
        lastRunStatus: { runState: 'Failed', runSubState: 'Customizing', startTime: '2026-11-20T09:00:00Z', endTime: '2026-11-20T10:00:30Z', message: 'timeout' },
      }),
    );
    const card = checked(statusCard({ template: refOf(slow), facts: slow }, 'en'));
    expect(fact(card, 'Duration')).toBe('60.5 min: the 60 min timeout was reached');
  });
});

// ------------------------------------------------------------------------------------------------ list and choice

const listed = (name: string, rg: string, extra: Obj = {}) => ({ name, resourceGroup: rg, id: templateId(rg, name), ...extra });

describe('list card', () => {
  test.each(LOCALES)('%s: a row per template with its state and a Diagnose button carrying its id', (locale) => {
    const templates = [
      listed('win2022-base', 'rg-images', { runState: 'Failed', runSubState: 'Customizing', endTime: '2026-11-20T10:42:37Z' }),
      listed('ubuntu-golden', 'rg-linux', { provisioningState: 'Succeeded', runState: 'Succeeded' }),
      listed('fresh', 'rg-images', {}),
    ];
    const card = checked(listCard({ templates, failedOnly: false, truncated: false }, locale));
    expect(textBlocks(card)[0]).toBe(t(locale, 'card.list.heading'));
    const buttons = executes(card);
    expect(buttons.map((b) => b.verb)).toEqual(['diagnose', 'diagnose', 'diagnose']);
    expect(buttons.map((b) => b.data)).toEqual(templates.map((x) => ({ templateId: x.id })));
    expect(buttons.every((b) => b.title === t(locale, 'card.common.diagnose'))).toBe(true);
    // One ActionSet per row, so each button sits next to its template.
    expect(cardElements(card).filter((e) => e.type === 'ActionSet')).toHaveLength(3);
    const blocks = textBlocks(card);
    expect(blocks).toContain(t(locale, 'card.list.range', { from: 1, to: 3, total: 3 }));
    expect(blocks).toContain(`${t(locale, 'card.state.Failed')} · ${t(locale, 'card.state.Customizing')} · ${t(locale, 'card.common.endedAt', { time: '2026-11-20 10:42 UTC' })}`);
    expect(blocks).toContain(t(locale, 'card.common.stateUnknown'));
    expect(blocks).toContain(`${t(locale, 'card.common.resourceGroup')}: rg-linux`);
    if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
  });

  test.each(LOCALES)('%s: an empty list of failed templates in a group is a friendly line, not an empty card', (locale) => {
    const card = checked(listCard({ templates: [], failedOnly: true, resourceGroup: 'rg-images', truncated: false }, locale));
    expect(textBlocks(card)).toEqual([
      t(locale, 'card.list.headingFailedGroup', { group: 'rg-images' }),
      t(locale, 'card.list.emptyFailedGroup', { group: 'rg-images' }),
    ]);
    // Only the way out: narrowing to another group (or all of them).
    expect(executes(card).map((a) => a.verb)).toEqual(['list']);
    expect(executes(card)[0].data).toEqual({ failedOnly: true, narrow: true });
  });

  test('a page of ten rows with the total, the failure titles and Show more', () => {
    const templates = Array.from({ length: 43 }, (_, i) => listed(`win2022-build-${i}`, 'aib-sandbox', { runState: 'Failed', runSubState: 'Distributing', endTime: '2026-11-20T10:42:37Z', failureId: 'distribution-failed' }));
    const card = checked(listCard({ templates, failedOnly: true, truncated: false }, 'fr-FR'));
    // Teams counts a card in UTF-16 against its 28 KB; the issue's 21-row card was 48 KB of it.
    expect(JSON.stringify(card).length * 2).toBeLessThanOrEqual(27 * 1024);
    expect(textBlocks(card)).toContain(`${t('fr-FR', 'card.common.resourceGroup')}: aib-sandbox`);
    const rows = executes(card).filter((a) => a.verb === 'diagnose');
    expect(rows.map((r) => (r.data as Obj).templateId)).toEqual(templates.slice(0, 10).map((x) => x.id));
    expect(textBlocks(card)).toContain(t('fr-FR', 'card.list.range', { from: 1, to: 10, total: 43 }));
    expect(textBlocks(card).filter((x) => x === catalogText('fr-FR', 'distribution-failed').title)).toHaveLength(10);
    const more = executes(card).find((a) => a.title === t('fr-FR', 'card.list.showMore'))!;
    expect(more).toMatchObject({ verb: 'list', associatedInputs: 'none', data: { failedOnly: true, offset: 10 } });
  });

  test('a page of names at their Azure maximum shrinks to the size budget, and Show more goes on from there', () => {
    // Names and groups at their Azure maximum (64 and 90 characters): the worst case per row.
    const templates = Array.from({ length: 60 }, (_, i) => listed(`t${String(i).padStart(2, '0')}`.padEnd(64, 'x'), 'rg-'.padEnd(90, 'y'), { runState: 'Failed', runSubState: 'Distributing', endTime: '2026-11-20T10:42:37Z', failureId: 'distribution-failed' }));
    const card = checked(listCard({ templates, failedOnly: true, truncated: false }, 'fr-FR'));
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    const rows = executes(card).filter((a) => a.verb === 'diagnose');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThanOrEqual(10);
    expect(textBlocks(card)).toContain(t('fr-FR', 'card.list.range', { from: 1, to: rows.length, total: 60 }));
    expect(executes(card).find((a) => a.title === t('fr-FR', 'card.list.showMore'))!.data).toEqual({ failedOnly: true, offset: rows.length });
  });

  test('the last page has no Show more; the narrowing inputs keep the current filter', () => {
    const templates = Array.from({ length: 23 }, (_, i) => listed(`win-${i}`, i % 2 ? 'rg-a' : 'rg-b'));
    const card = checked(listCard({ templates, failedOnly: false, truncated: false, offset: 20, nameContains: 'win', groups: ['rg-c'] }, 'en'));
    expect(executes(card).filter((a) => a.verb === 'diagnose')).toHaveLength(3);
    expect(textBlocks(card)).toContain(t('en', 'card.list.range', { from: 21, to: 23, total: 23 }));
    expect(textBlocks(card)).toContain(t('en', 'card.list.filteredName', { text: 'win' }));
    expect(executes(card).map((a) => a.title)).not.toContain(t('en', 'card.list.showMore'));
    const inputs = cardElements(card).filter((e) => String(e.type).startsWith('Input.'));
    expect(inputs.map((e) => [e.id, e.value])).toEqual([['listName', 'win'], ['listGroup', '']]);
    expect(((inputs[1] as Obj).choices as Array<{ value: string }>).map((c) => c.value)).toEqual(['', 'rg-c', 'rg-b', 'rg-a']);
  });

  test('a short list that the caller already cut says the total is a lower bound', () => {
    const card = checked(listCard({ templates: [listed('a', 'rg')], failedOnly: false, truncated: true }, 'en'));
    expect(textBlocks(card)).toContain(t('en', 'card.list.rangeMore', { from: 1, to: 1, total: 1 }));
  });
});

describe('choice card', () => {
  test.each(LOCALES)('%s: asks which template and answers with the original purpose as the verb', (locale) => {
    const candidates = [listed('win2022-base', 'rg-images', { runState: 'Failed' }), listed('win2022-base', 'rg-images-test')];
    for (const purpose of ['diagnose', 'status', 'show-log'] as const) {
      const card = checked(choiceCard({ name: 'win2022-base', purpose, candidates }, locale));
      expect(textBlocks(card)[0]).toBe(t(locale, 'card.choice.heading', { name: 'win2022-base' }));
      expect(textBlocks(card)[1]).toBe(t(locale, `card.choice.prompt.${purpose}`));
      const buttons = executes(card);
      expect(buttons.map((b) => b.verb)).toEqual([purpose, purpose]);
      expect(buttons.map((b) => b.data)).toEqual(candidates.map((c) => ({ templateId: c.id })));
      expect(cardElements(card).map((e) => String(e.text ?? ''))).toContainEqual(expect.stringContaining(t(locale, 'card.state.Failed')));
      if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
    }
  });
});

// ------------------------------------------------------------------------------------------------ log card

describe('log card', () => {
  test.each(LOCALES)('%s: the decisive lines, numbered and monospace, and where the full log is', (locale) => {
    const { diagnosis, template } = customizerFailure();
    const excerpt = diagnosis.evidence.filter((e) => e.source === 'log');
    expect(excerpt.length).toBeGreaterThan(1);
    const location = 'https://stg1.blob.core.windows.net/packerlogs/0b8c/customization.log?sv=2023&sig=Nope%3D';
    const card = checked(logCard({ template, excerpt, location, size: 3 * 1024 * 1024, partial: true }, locale));
    expect(textBlocks(card)[0]).toBe(t(locale, 'card.log.heading', { name: 'win2022-base' }));
    expect(fact(card, t(locale, 'card.common.size'))).toBe('3 MB');
    expect(textBlocks(card)).toContain(t(locale, 'card.log.partial'));
    const numbered = cardElements(card).filter((e) => e.type === 'RichTextBlock' && (e.inlines as Obj[]).length === 2);
    expect(numbered).toHaveLength(excerpt.length);
    for (const block of numbered) for (const run of block.inlines as Obj[]) expect(run.fontType).toBe('Monospace');
    expect(numbered.map((b) => String((b.inlines as Obj[])[0].text).replace(/[^0-9]/g, ''))).toEqual(excerpt.map((e) => String(e.line)));
    expect(runs(card).map((r) => r.text)).toContain('https://stg1.blob.core.windows.net/packerlogs/0b8c/customization.log?[SAS redacted]');
    expect(textBlocks(card)).toContain(t(locale, 'card.log.portalHint'));
  });

  test('no excerpt: says so instead of showing an empty heading', () => {
    const { template } = customizerFailure();
    const card = checked(logCard({ template, excerpt: [], partial: false }, 'en'));
    expect(textBlocks(card)).toContain(t('en', 'card.log.noExcerpt'));
    expect(textBlocks(card)).not.toContain(t('en', 'card.log.excerpt'));
  });
});

// ------------------------------------------------------------------------------------------------ help, welcome

describe('help and welcome cards', () => {
  test.each(LOCALES)('%s: what the bot does, with example questions in the language, two of them as buttons', (locale) => {
    for (const render of [helpCard, welcomeCard]) {
      const card = checked(render(locale));
      const examples = cardElements(card)
        .filter((e) => e.type === 'TextBlock' && e.fontType === 'Monospace')
        .map((e) => String(e.text));
      expect(examples.length).toBeGreaterThanOrEqual(4);
      expect(examples.length).toBeLessThanOrEqual(6);
      expect(examples).toContain(t(locale, 'bot.examples.why'));
      const buttons = actionsOf(card);
      expect(buttons).toHaveLength(2);
      for (const button of buttons) {
        expect(button.type).toBe('Action.Submit');
        const data = button.data as { msteams: { type: string; value: string } };
        expect(data.msteams.type).toBe('imBack');
        expect(data.msteams.value).toBe(button.title);
      }
      if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
    }
  });

  test('the Japanese examples are Japanese questions', () => {
    const card = checked(helpCard('ja'));
    expect(textBlocks(card)).toContain('テンプレート win2019-minimal が失敗したのはなぜ？');
    const examples = cardElements(card).filter((e) => e.fontType === 'Monospace').map((e) => String(e.text));
    expect(examples.filter((e) => !CJK.test(e))).toEqual([]);
  });

  test('an unsupported locale tag falls back to English as a whole', () => {
    const card = checked(welcomeCard('de-DE'));
    expect(textBlocks(card)[0]).toBe(en.card.welcome.heading);
  });
});

// ------------------------------------------------------------------------------------------------ error card

const ERROR_INPUTS: ErrorCardInput[] = [
  { code: 'template-not-found', params: { name: 'win2022-bsae', suggestions: [listed('win2022-base', 'rg-images'), listed('win2022-base', 'rg-images-test')] } },
  { code: 'invalid-name', params: { name: 'bad name!' } },
  { code: 'forbidden', params: { action: 'Microsoft.VirtualMachineImages/imageTemplates/run/action', scope: '/subscriptions/x/resourceGroups/rg-images' } },
  { code: 'log-forbidden', params: { stagingResourceGroup: 'IT_rg-images_win2022-base_1234' } },
  { code: 'log-not-found', params: { name: 'win2022-base' } },
  { code: 'log-location-unknown', params: { name: 'win2022-base' } },
  { code: 'throttled', params: { retryAfterSeconds: 17.2 } },
  { code: 'service-unavailable', params: {} },
  { code: 'empty-message' },
  { code: 'unrecognized' },
  { code: 'not-supported-activity', params: { kind: 'image' } },
  { code: 'internal', params: { correlationId: 'c0ffee12' } },
  // Gateway errors passed through as they come from src/azure.
  { code: 'not-found', params: { resource: 'rg-images/win2022-base' } },
  { code: 'conflict', params: { message: 'Another operation is in progress on ?sv=1&sig=ConflictSecret' } },
  { code: 'unauthenticated', params: {} },
  { code: 'operation-not-allowed', params: { message: 'OperationNotAllowed: template is running' } },
  { code: 'operation-failed', params: { errorId: 'deadbeef' } },
  { code: 'misconfigured', params: {} },
  { code: 'unexpected', params: { message: 'HTTP 500' } },
  { code: 'unknown-action', params: { verb: 'launch-rockets' } },
  // The bot's own refusals (src/model BotError, through the bot's code → card table).
  { code: 'invalid-card-data' },
  { code: 'foreign-subscription', params: { invalidValue: '99999999-0000-4000-8000-000000000000' } },
  { code: 'rate-limited', params: { retryAfterSeconds: 12 } },
  { code: 'audit-unavailable' },
  { code: 'not-allowed', params: { resourceGroup: 'rg-images', message: 'no rule grants it' } },
];

describe('error card', () => {
  test('covers every error code', () => {
    expect(ERROR_INPUTS.map((e) => e.code).sort()).toEqual([...ERROR_CARD_CODES].sort());
  });

  test.each(LOCALES)('%s: every error renders with its own title and text, in the language', (locale) => {
    const titles = new Set<string>();
    for (const input of ERROR_INPUTS) {
      const card = checked(errorCard(input, locale));
      const [heading, text] = textBlocks(card);
      expect(heading).toBe(t(locale, `card.error.${input.code}.title`));
      expect(text.length).toBeGreaterThan(10);
      titles.add(heading);
      if (locale !== 'en') expect(englishLeftovers(card)).toEqual([]);
    }
    expect(titles.size).toBe(ERROR_INPUTS.length);
  });

  test.each(LOCALES)('%s: the parameters reach the words', (locale) => {
    const body = (input: ErrorCardInput) => textBlocks(checked(errorCard(input, locale))).join('\n');
    expect(body(ERROR_INPUTS[3])).toContain(
      t(locale, 'card.error.log-forbidden.text', { role: 'Storage Blob Data Reader', group: 'IT_rg-images_win2022-base_1234' }),
    );
    expect(body(ERROR_INPUTS[6])).toContain(t(locale, 'card.error.throttled.text', { seconds: 18 }));
    expect(body(ERROR_INPUTS[7])).toContain(t(locale, 'card.error.service-unavailable.textNoDelay'));
    expect(body(ERROR_INPUTS[11])).toContain('c0ffee12');
    expect(body(ERROR_INPUTS[1])).toContain('bad name!');
    expect(body(ERROR_INPUTS[2])).toContain('Microsoft.VirtualMachineImages/imageTemplates/run/action');
  });

  test.each(LOCALES)('%s: "did you mean" offers a Diagnose button per suggestion', (locale) => {
    const card = checked(errorCard(ERROR_INPUTS[0], locale));
    expect(textBlocks(card)).toContain(t(locale, 'card.error.template-not-found.suggest'));
    const buttons = executes(card);
    expect(buttons.map((b) => b.verb)).toEqual(['diagnose', 'diagnose']);
    expect(buttons.map((b) => b.title)).toEqual(['win2022-base (rg-images)', 'win2022-base (rg-images-test)']);
    expect(buttons.map((b) => (b.data as Obj).templateId)).toEqual([templateId('rg-images', 'win2022-base'), templateId('rg-images-test', 'win2022-base')]);
  });

  test.each(LOCALES)('%s: gateway-style params work too, and the service message is shown as scrubbed detail', (locale) => {
    const body = (input: ErrorCardInput) => {
      const card = checked(errorCard(input, locale));
      return [...textBlocks(card), ...runs(card).map((r) => String(r.text))].join('\n');
    };
    expect(body({ code: 'forbidden', params: { missingAction: 'Microsoft.Storage/x/read', scope: '/s/rg', requiredRole: 'Reader' } })).toContain(
      t(locale, 'card.error.forbidden.hintRole', { role: 'Reader' }),
    );
    expect(body({ code: 'log-forbidden', params: { requiredRole: 'Storage Blob Data Reader' } })).toContain(
      t(locale, 'card.error.log-forbidden.textNoGroup', { role: 'Storage Blob Data Reader' }),
    );
    expect(body({ code: 'invalid-name', params: { invalidValue: 'bad/name' } })).toContain('bad/name');
    expect(body({ code: 'internal', params: { errorId: 'ab12cd34' } })).toContain('ab12cd34');
    const conflict = body(ERROR_INPUTS[13]);
    expect(conflict).toContain(t(locale, 'card.error.details'));
    expect(conflict).toContain('Another operation is in progress on ?[SAS redacted]');
    expect(body(ERROR_INPUTS[19])).toContain('launch-rockets');
  });

  test('bare-name suggestions become Diagnose buttons that carry the name and group', () => {
    const card = checked(errorCard({ code: 'template-not-found', params: { name: 'win2022-bsae', resourceGroup: 'rg-images', suggestions: ['win2022-base'] } }, 'en'));
    expect(executes(card).map((b) => [b.verb, b.title, b.data])).toEqual([
      ['diagnose', 'win2022-base (rg-images)', { name: 'win2022-base', resourceGroup: 'rg-images' }],
    ]);
  });

  test('a code from outside the type system still gets a readable card', () => {
    const card = checked(errorCard({ code: 'no-such-code' } as unknown as ErrorCardInput, 'ja-JP'));
    expect(textBlocks(card)[0]).toBe(t('ja-JP', 'card.error.internal.title'));
  });

  test('without suggestions it tells how to list templates; unrecognized gives example questions', () => {
    const lost = checked(errorCard({ code: 'template-not-found', params: { name: 'x', resourceGroup: 'rg-a' } }, 'fr-FR'));
    expect(textBlocks(lost)).toEqual([
      t('fr-FR', 'card.error.template-not-found.title'),
      t('fr-FR', 'card.error.template-not-found.textGroup', { name: 'x', group: 'rg-a' }),
      t('fr-FR', 'card.error.template-not-found.hint'),
    ]);
    const puzzled = checked(errorCard({ code: 'unrecognized' }, 'ja-JP'));
    const examples = cardElements(puzzled).filter((e) => e.fontType === 'Monospace').map((e) => String(e.text));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    expect(examples.every((e) => CJK.test(e))).toBe(true);
  });

  test('a 10 kB name is cut, not echoed whole', () => {
    const card = checked(errorCard({ code: 'invalid-name', params: { name: 'a'.repeat(10_000) } }, 'en'));
    expect(JSON.stringify(card).length).toBeLessThan(2000);
  });
});

// ------------------------------------------------------------------------------------------------ binding guard

describe('binding', () => {
  const template = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${heading}' }, { type: 'TextBlock', $data: '${items}', $when: '${shown}', text: '${text}' }] };

  test('a field missing from the view model is an error, not a "${field}" on the card', () => {
    expect(() => bindCard('probe-a', template, { items: [] })).toThrow(CardRenderError);
    try {
      bindCard('probe-b', template, { items: [] });
    } catch (e) {
      expect((e as CardRenderError).code).toBe('unbound-field');
    }
  });

  test('a complete view model binds, and SAS values are scrubbed on the way out', () => {
    const card = bindCard('probe-d', template, { heading: 'see ?sv=1&sig=abc', items: [{ shown: true, text: 'a' }, { shown: false, text: 'b' }] });
    expect(card.content.body).toEqual([
      { type: 'TextBlock', text: 'see ?[SAS redacted]' },
      { type: 'TextBlock', text: 'a' },
    ]);
  });
});
