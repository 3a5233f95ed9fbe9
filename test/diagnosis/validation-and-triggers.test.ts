import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogEntry, classify, scanText, templateFacts } from '../../src/diagnosis';
import { buildValidationLog } from '../../src/sandbox/log/validation';

// validation-failed and trigger-disabled (API 2022-02-14 and 2022-07-01): the validator that failed is named (not
// the first one), a run that failed while validating is a validation failure from its status alone, a disabled
// trigger is raised from the trigger facts, and none of it comes from a successful validation or a healthy trigger.

const samples = join(__dirname, '..', 'fixtures', 'samples');
const template = () => templateFacts(JSON.parse(readFileSync(join(samples, 'validation-failed--arm-template.json'), 'utf8')));
const failedLog = () => scanText(readFileSync(join(samples, 'validation-failed--validation.log'), 'utf8'), 'log');
const start = new Date('2026-03-11T04:12:00Z');

describe('validation-failed', () => {
  test('validation.log with the template names the failing (second) validator, its exit code and its lines', () => {
    const d = classify({ template: template(), log: failedLog() });
    expect(d.diagnosis).toMatchObject({ id: 'validation-failed', phase: 'validation' });
    expect(d.customizer).toEqual({ type: 'Shell', index: 1, name: 'check-cis-score', finished: true, validator: true });
    // The check's own verdict: no Win32 reading ("path not found") for a Shell validator's 3.
    expect(d.exitCode).toEqual({ value: 3 });
    const lines = d.evidence.map((e) => e.text).join('\n');
    expect(lines).toContain('FAILED 5.2.4');
    expect(lines).not.toContain('check-services passed');
  });

  test('the status alone (failed in Validating) is a validation failure; with two validators none is guessed', () => {
    const d = classify({ template: template() });
    expect(d.diagnosis.id).toBe('validation-failed');
    expect(d.customizer).toBeNull();
  });

  test('with exactly one validator the status alone names it', () => {
    const raw = JSON.parse(readFileSync(join(samples, 'validation-failed--arm-template.json'), 'utf8'));
    raw.properties.validate.inVMValidations = [raw.properties.validate.inVMValidations[0]];
    expect(classify({ template: templateFacts(raw) }).customizer).toMatchObject({ name: 'check-services', index: 0, validator: true });
  });

  test('the template facts carry the validate switches the card explains', () => {
    expect(template().validation).toEqual({
      validators: [
        { type: 'Shell', name: 'check-services' },
        { type: 'Shell', name: 'check-cis-score' },
      ],
      continueDistributeOnFailure: false,
      sourceValidationOnly: false,
    });
  });

  test('negative: a validation.log where every validator passed trips nothing that is not benign', () => {
    const ok = buildValidationLog({ validators: [{ type: 'Shell', name: 'check-services' }, { type: 'PowerShell', name: 'check-iis' }] }, 'run-1', start);
    const scan = scanText(ok, 'log');
    expect(scan.hits.filter((h) => !catalogEntry(h.entryId).benign).map((h) => h.entryId)).toEqual([]);
  });

  test('negative: a run that failed while customizing is not a validation failure', () => {
    const raw = JSON.parse(readFileSync(join(samples, 'validation-failed--arm-template.json'), 'utf8'));
    raw.properties.lastRunStatus.runSubState = 'Customizing';
    raw.properties.lastRunStatus.message = 'Packer build command has failed.';
    expect(classify({ template: templateFacts(raw) }).diagnosis.id).not.toBe('validation-failed');
  });

  test('attack: a forged validator name is bounded and a quote-less one names nothing', () => {
    const long = 'x'.repeat(100_000);
    const forged = buildValidationLog({ validators: [{ type: 'Shell', name: long }], failure: { validator: long, lines: ['boom'], exitCode: 1 } }, 'r', start);
    const d = classify({ log: scanText(forged, 'log') });
    expect(d.diagnosis.id).toBe('validation-failed');
    expect((d.customizer?.name ?? '').length).toBeLessThanOrEqual(128);
    const unterminated = scanText(`[r] PACKER 2026/03/11 04:12:37 ui error: Build 'azure-arm' errored: validator '${long}\n`, 'log');
    expect(classify({ log: unterminated }).customizer?.name).toBeUndefined();
  });
});

describe('trigger-disabled', () => {
  const failedRun = () => {
    const raw = JSON.parse(readFileSync(join(samples, 'validation-failed--arm-template.json'), 'utf8'));
    delete raw.properties.validate;
    raw.properties.lastRunStatus = { runState: 'Failed', runSubState: 'Customizing', message: 'Packer build command has failed.' };
    return templateFacts(raw);
  };
  const disabled = { name: 'source-image-updates', statusCode: 'Disabled', statusMessage: 'The trigger was disabled after 3 consecutive failed builds.' };

  test('a disabled trigger outranks "a customizer failed", which stays beside it', () => {
    const d = classify({ template: failedRun(), triggers: [disabled] });
    expect(d.diagnosis.id).toBe('trigger-disabled');
    expect(d.actions).toContain('rerun');
    expect(d.others.map((o) => o.id)).toContain('customizer-failed');
    expect(d.evidence[0].text).toContain("trigger 'source-image-updates' is disabled");
  });

  test('a specific cause of the failed builds still wins over the disabled trigger', () => {
    const facts = failedRun();
    facts.lastRun!.message = 'Build failed: Please wait for the Windows Modules Installer';
    const d = classify({ template: facts, triggers: [disabled] });
    expect(d.diagnosis.id).not.toBe('trigger-disabled');
    expect(d.others.map((o) => o.id)).toContain('trigger-disabled');
  });

  test('negative: healthy, unknown and missing status codes raise nothing', () => {
    for (const statusCode of ['Healthy', 'Unknown', undefined]) {
      const d = classify({ template: failedRun(), triggers: [{ name: 'nightly', statusCode, statusMessage: 'ok' }] });
      expect([d.diagnosis.id, ...d.others.map((o) => o.id)]).not.toContain('trigger-disabled');
    }
  });

  test('attack: forged names and oversized messages are cut; a thousand triggers are read as a hundred', () => {
    const forged = { name: "x'\n(ResourceGroupNotFound) forged", statusCode: 'Disabled', statusMessage: `StatusCode=500 (AuthorizationFailed) ${'m'.repeat(50_000)}` };
    const d = classify({ template: failedRun(), triggers: [forged] });
    expect(d.diagnosis.id).toBe('trigger-disabled');
    // Neither the name nor the message is read for other failures' signatures.
    expect(d.others.map((o) => o.id)).toEqual(['customizer-failed']);
    expect(d.evidence[0].text).toContain("trigger 'xResourceGroupNotFoundforged' is disabled");
    expect(Math.max(...d.evidence.map((e) => e.text.length))).toBeLessThan(1000);
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...disabled, name: `t${i}` }));
    expect(classify({ template: failedRun(), triggers: many }).diagnosis.id).toBe('trigger-disabled');
  });
});
