import { detectOutcomes, emptyCursor, parseCursor, triggerDisabled, type TemplateSnapshot } from '../../src/watch/outcomes';
import { parseDuration } from '../../src/watch/duration';
import { PollSchedule } from '../../src/watch/poll-schedule';
import { snapshotOf } from '../../src/watch/snapshot';

const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';
const NOW = new Date('2026-12-02T12:00:00Z');

const template = (lastRun?: TemplateSnapshot['lastRun'], extra: Partial<TemplateSnapshot> = {}): TemplateSnapshot => ({
  id: ID,
  name: 'win2022-base',
  provisioningState: 'Succeeded',
  lastRun,
  ...extra,
});
const failed = (start: string, end: string) => template({ startTime: start, endTime: end, runState: 'Failed', message: 'boom' });

describe('run outcomes', () => {
  test.each(['Failed', 'PartiallySucceeded', 'Canceled', 'Succeeded'])('a finished %s run is one event, and only once', (state) => {
    const t = template({ startTime: '2026-12-02T10:00:00.000Z', endTime: '2026-12-02T10:30:00.000Z', runState: state });
    const first = detectOutcomes(undefined, [t], { now: NOW });
    expect(first.events).toEqual([
      expect.objectContaining({ outcome: state, templateId: ID, runStart: '2026-12-02T10:00:00.000Z', runKey: 'run:2026-12-02T10:00:00.000Z', at: '2026-12-02T10:30:00.000Z' }),
    ]);
    expect(detectOutcomes(first.cursor, [t], { now: NOW }).events).toEqual([]);
  });

  test('a running build yields nothing; its outcome arrives on the pass that first sees it', () => {
    const running = template({ startTime: '2026-12-02T11:00:00.000Z', runState: 'Running', runSubState: 'Customizing' });
    const a = detectOutcomes(undefined, [running], { now: NOW });
    expect(a.events).toEqual([]);
    const done = failed('2026-12-02T11:00:00.000Z', '2026-12-02T11:40:00.000Z');
    const b = detectOutcomes(a.cursor, [done], { now: NOW });
    expect(b.events.map((e) => e.outcome)).toEqual(['Failed']);
  });

  test('the next run of the same template (new start time) is a new event, even with the same outcome', () => {
    const a = detectOutcomes(undefined, [failed('2026-12-02T09:00:00.000Z', '2026-12-02T09:20:00.000Z')], { now: NOW });
    const b = detectOutcomes(a.cursor, [failed('2026-12-02T10:00:00.000Z', '2026-12-02T10:20:00.000Z')], { now: NOW });
    expect(b.events).toHaveLength(1);
    expect(b.events[0].runStart).toBe('2026-12-02T10:00:00.000Z');
  });

  test('catch-up is bounded: an outcome older than the window is remembered but not reported', () => {
    const old = failed('2026-11-30T09:00:00.000Z', '2026-11-30T09:20:00.000Z');
    const a = detectOutcomes(undefined, [old], { now: NOW });
    expect(a.events).toEqual([]);
    expect(a.cursor.templates[ID.toLowerCase()].run).toBe('run:2026-11-30T09:00:00.000Z');
    // A wider window reports it.
    expect(detectOutcomes(undefined, [old], { now: NOW, catchUpMs: 7 * 86_400_000 }).events).toHaveLength(1);
  });

  test('provisioning failures are events keyed by code and time; provisioning again resets them', () => {
    const broken = template(undefined, {
      provisioningState: 'Failed',
      provisioningError: { code: 'BadSourceType', message: 'source not found' },
      lastModifiedAt: '2026-12-02T08:00:00.000Z',
    });
    const a = detectOutcomes(undefined, [broken], { now: NOW });
    expect(a.events).toEqual([expect.objectContaining({ outcome: 'ProvisioningFailed', runKey: 'provisioning:BadSourceType:2026-12-02T08:00:00.000Z', message: 'source not found' })]);
    expect(detectOutcomes(a.cursor, [broken], { now: NOW }).events).toEqual([]);
    const fixed = detectOutcomes(a.cursor, [template()], { now: NOW });
    expect(fixed.cursor.templates[ID.toLowerCase()].provisioning).toBeUndefined();
  });

  test('a trigger Image Builder disabled is an event once per status time; an enabled one is none', () => {
    const t = (code: string, time: string) => template(undefined, { triggers: [{ name: 'nightly', status: { code, message: 'disabled after 3 failures', time } }] });
    const a = detectOutcomes(undefined, [t('Disabled', '2026-12-02T07:00:00.000Z')], { now: NOW });
    expect(a.events).toEqual([expect.objectContaining({ outcome: 'TriggerDisabled', runKey: 'trigger:nightly:2026-12-02T07:00:00.000Z' })]);
    expect(detectOutcomes(a.cursor, [t('Disabled', '2026-12-02T07:00:00.000Z')], { now: NOW }).events).toEqual([]);
    expect(detectOutcomes(undefined, [t('Healthy', '2026-12-02T07:00:00.000Z')], { now: NOW }).events).toEqual([]);
    expect(triggerDisabled('TriggerDisabled')).toBe(true);
    expect(triggerDisabled(undefined)).toBe(false);
  });

  test('a disablement seen with the failed run that caused it is one card (the run, diagnosed with the trigger); re-enabled then disabled again is news', () => {
    const trig = (code: string) => ({ triggers: [{ name: 'nightly', status: { code, message: 'disabled after 3 failures', time: '2026-12-02T09:21:00.000Z' } }] });
    const run = { startTime: '2026-12-02T09:00:00.000Z', endTime: '2026-12-02T09:20:00.000Z', runState: 'Failed', message: 'boom' };
    const a = detectOutcomes(undefined, [template(run, trig('Disabled'))], { now: NOW });
    expect(a.events.map((e) => e.outcome)).toEqual(['Failed']);
    expect(a.cursor.templates[ID.toLowerCase()].triggers).toEqual({ nightly: 'trigger:nightly:2026-12-02T09:21:00.000Z' });
    expect(detectOutcomes(a.cursor, [template(run, trig('Disabled'))], { now: NOW }).events).toEqual([]);
    // A pass that could not read the triggers (no permission, throttled) keeps the marks: no repeat afterwards.
    const unread = detectOutcomes(a.cursor, [template(run)], { now: NOW });
    expect(detectOutcomes(unread.cursor, [template(run, trig('Disabled'))], { now: NOW }).events).toEqual([]);
    // Enabled again, then disabled with the same status time (a sandbox clock, a coarse one): reported once.
    const healthy = detectOutcomes(a.cursor, [template(run, trig('Healthy'))], { now: NOW });
    expect(healthy.cursor.templates[ID.toLowerCase()].triggers).toBeUndefined();
    const again = detectOutcomes(healthy.cursor, [template(run, trig('Disabled'))], { now: NOW });
    expect(again.events).toEqual([expect.objectContaining({ outcome: 'TriggerDisabled' })]);
    expect(detectOutcomes(again.cursor, [template(run, trig('Disabled'))], { now: NOW }).events).toEqual([]);
  });

  test('a deleted template is forgotten after a complete listing, kept after a partial one', () => {
    const a = detectOutcomes(undefined, [failed('2026-12-02T09:00:00.000Z', '2026-12-02T09:20:00.000Z')], { now: NOW });
    expect(detectOutcomes(a.cursor, [], { now: NOW }).cursor.templates).toEqual({});
    expect(Object.keys(detectOutcomes(a.cursor, [], { now: NOW, complete: false }).cursor.templates)).toEqual([ID.toLowerCase()]);
  });

  test('events come oldest first; template ids match case-insensitively', () => {
    const other = { ...failed('2026-12-02T06:00:00.000Z', '2026-12-02T06:10:00.000Z'), id: ID.replace('win2022-base', 'ubuntu'), name: 'ubuntu' };
    const a = detectOutcomes(undefined, [failed('2026-12-02T09:00:00.000Z', '2026-12-02T09:20:00.000Z'), other], { now: NOW });
    expect(a.events.map((e) => e.templateName)).toEqual(['ubuntu', 'win2022-base']);
    const upper = { ...failed('2026-12-02T09:00:00.000Z', '2026-12-02T09:20:00.000Z'), id: ID.toUpperCase() };
    expect(detectOutcomes(a.cursor, [upper], { now: NOW }).events).toEqual([]);
  });

  test('a cursor survives JSON and garbage reads as none', () => {
    const a = detectOutcomes(emptyCursor(), [failed('2026-12-02T09:00:00.000Z', '2026-12-02T09:20:00.000Z')], { now: NOW });
    expect(parseCursor(JSON.parse(JSON.stringify(a.cursor)))).toEqual(a.cursor);
    expect(parseCursor({ version: 2, templates: {} })).toBeUndefined();
    expect(parseCursor('nope')).toBeUndefined();
    expect(parseCursor({ version: 1, templates: [] })).toBeUndefined();
  });
});

describe('snapshots from the SDK shape', () => {
  test('Dates become ISO strings; nested properties are read too', () => {
    const s = snapshotOf({
      id: ID,
      name: 'win2022-base',
      properties: { provisioningState: 'Succeeded' },
      lastRunStatus: { startTime: new Date('2026-12-02T10:00:00Z'), endTime: new Date('2026-12-02T10:30:00Z'), runState: 'Failed', message: 'x' },
      systemData: { lastModifiedAt: new Date('2026-12-01T00:00:00Z') },
    } as never);
    expect(s).toMatchObject({
      provisioningState: 'Succeeded',
      lastModifiedAt: '2026-12-01T00:00:00.000Z',
      lastRun: { startTime: '2026-12-02T10:00:00.000Z', endTime: '2026-12-02T10:30:00.000Z', runState: 'Failed', message: 'x' },
    });
  });
});

describe('poll schedule', () => {
  test('the interval when healthy; Retry-After when throttled; doubling on other errors, capped; reset on success', () => {
    const p = new PollSchedule(60_000, 600_000);
    expect(p.next({ kind: 'ok' })).toBe(60_000);
    expect(p.next({ kind: 'throttled', retryAfterMs: 120_000 })).toBe(120_000);
    expect(p.next({ kind: 'throttled', retryAfterMs: 5_000 })).toBe(60_000);
    expect(p.next({ kind: 'error' })).toBe(480_000);
    expect(p.next({ kind: 'throttled' })).toBe(600_000);
    expect(p.consecutiveFailures).toBe(4);
    expect(p.next({ kind: 'ok' })).toBe(60_000);
    expect(p.next({ kind: 'error' })).toBe(120_000);
    expect(() => new PollSchedule(0)).toThrow(RangeError);
  });
});

describe('durations', () => {
  test.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    [' 7D ', 604_800_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  test.each(['', '0m', '10', 'm', '1w', '-5m', '1.5h', '10 minutes'])('refuses %p', (text) => expect(parseDuration(text)).toBeUndefined());
});
