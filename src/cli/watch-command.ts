import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAzureGateways, isAzureGatewayError, type AzureGateways } from '../azure';
import { loadConfig } from '../config';
import { diagnoseFetchedTemplate } from '../usecases/diagnose-template';
import { parseDuration } from '../watch/duration';
import { openLocalWatchState, WatchStateError } from '../watch/local-state';
import { DEFAULT_CATCH_UP_MS, isFailureOutcome, type OutcomeEvent } from '../watch/outcomes';
import { passScope } from '../watch/pass';
import { notifyClaimKey, type WatchState } from '../watch/state';
import type { CliIO } from './diagnose-command';
import { UsageError } from './usage-error';

// `aib-chatops watch --once`: one notifier pass from a terminal. It reads the scopes the bot would (Azure, or the
// sandbox named by AIB_SANDBOX_*), prints each new run outcome once, and keeps its cursor and claims in a local
// folder, so the next pass prints only what happened since.

export const WATCH_USAGE = 'aib-chatops watch --once [--json] [--state DIR] [--window DURATION] [--all] [--resource-group R]...';

/** The claims of the CLI are its own "conversation": a terminal pass never hides an event from a Teams channel. */
const CLI_CONVERSATION = 'cli';
/** A pass that dies between claiming and printing leaves its claim to the next pass after this long. */
const CLI_CLAIM_HOLD_MS = 60_000;

export interface WatchArgs {
  json: boolean;
  stateDir: string;
  catchUpMs: number;
  all: boolean;
  resourceGroups: string[];
}

export interface WatchCommandDeps {
  /** Tests pass gateways of their own; otherwise they are built from the configuration. */
  gateways?: AzureGateways;
  now?: () => Date;
}

export interface WatchLine {
  templateId: string;
  runStart: string | null;
  outcome: OutcomeEvent['outcome'];
  diagnosisId: string | null;
  at: string | null;
}

/** Exit 0 after a pass (no events is fine), 2 on bad input, 1 when Azure or the state folder fails. */
export async function runWatchCommand(argv: string[], io: CliIO, deps: WatchCommandDeps = {}): Promise<number> {
  try {
    const args = parseWatchArgs(argv, io.env);
    const config = loadConfig(io.env);
    let gateways = deps.gateways;
    if (!gateways) {
      if (config.azure.kind === 'sandbox' && config.azure.origin === 'embedded') {
        // A sandbox started for one pass would be gone (and reseeded with new times) by the next, so its cursor would mean nothing.
        throw new UsageError('no Azure configured and no sandbox running: run `aib-chatops sandbox` and export the "env" it prints, or set AZURE_SUBSCRIPTION_ID');
      }
      gateways = createAzureGateways(config.azure);
    }
    const state = await openLocalWatchState(args.stateDir);
    await watchOnce(args, io, gateways, state, config.logTailBytes, config.logMaxBytes, deps.now);
    return 0;
  } catch (e) {
    io.stderr.write(`aib-chatops watch: ${oneLine(e)}\n`);
    if (e instanceof UsageError || e instanceof WatchStateError) return 2;
    if ((e as { code?: unknown }).code === 'config-invalid') return 2;
    if (isAzureGatewayError(e) && (e.code === 'not-found' || e.code === 'invalid-name')) return 2;
    return 1;
  }
}

async function watchOnce(
  args: WatchArgs,
  io: CliIO,
  gateways: AzureGateways,
  state: WatchState,
  tailBytes: number,
  maxBytes: number,
  now?: () => Date,
): Promise<void> {
  const groups = args.resourceGroups.length ? args.resourceGroups : gateways.resourceGroups;
  const scopes: (string | undefined)[] = groups.length ? groups : [undefined];
  for (const rg of scopes) {
    const pass = await passScope(
      { templates: gateways.templates, cursors: state.cursors, subscriptionId: gateways.subscriptionId, now, catchUpMs: args.catchUpMs },
      rg,
    );
    let unsent = 0;
    for (const { event, template } of pass.events) {
      if (!args.all && !isFailureOutcome(event.outcome)) continue;
      const key = notifyClaimKey(CLI_CONVERSATION, event.templateId, event.runKey);
      const take = await state.claims.begin(key, CLI_CLAIM_HOLD_MS);
      if (take.kind === 'settled' || take.kind === 'unreadable') continue; // unreadable: a forged claim file is never printed twice
      if (take.kind === 'held') {
        unsent++; // another pass is printing it right now; this one leaves the cursor for it
        continue;
      }
      let diagnosisId: string | null = null;
      if (isFailureOutcome(event.outcome)) {
        try {
          // The tail is what the first card shows; the same classification the bot posts.
          diagnosisId = (await diagnoseFetchedTemplate(gateways, template, { read: 'tail', tailBytes, maxBytes })).diagnosis.diagnosis.id;
        } catch (e) {
          io.stderr.write(`aib-chatops watch: could not diagnose ${event.templateName}: ${oneLine(e)}\n`);
        }
      }
      const line: WatchLine = { templateId: event.templateId, runStart: event.runStart ?? null, outcome: event.outcome, diagnosisId, at: event.at ?? null };
      io.stdout.write(args.json ? `${JSON.stringify(line)}\n` : `${humanLine(line, event)}\n`);
      await state.claims.finish(key, 'delivered');
    }
    if (unsent === 0) await pass.commit();
  }
}

function humanLine(line: WatchLine, event: OutcomeEvent): string {
  const when = line.runStart ?? line.at ?? '';
  return [line.outcome.padEnd(18), event.templateName, when && `run ${when}`, line.diagnosisId && `→ ${line.diagnosisId}`].filter(Boolean).join('  ');
}

export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'aib-chatops', 'watch');
}

export function parseWatchArgs(argv: string[], env: NodeJS.ProcessEnv = {}): WatchArgs {
  let values: { once?: boolean; json?: boolean; state?: string; window?: string; all?: boolean; 'resource-group'?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        once: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        state: { type: 'string' },
        window: { type: 'string' },
        all: { type: 'boolean', default: false },
        'resource-group': { type: 'string', multiple: true },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (usage: ${WATCH_USAGE})`);
  }
  if (!values.once) {
    throw new UsageError(`only one pass is supported from the terminal: add --once (the continuous watcher runs beside the bot) (usage: ${WATCH_USAGE})`);
  }
  if (values.state !== undefined && !values.state.trim()) throw new UsageError('--state needs a folder');
  let catchUpMs = DEFAULT_CATCH_UP_MS;
  if (values.window !== undefined) {
    const ms = parseDuration(values.window);
    if (ms === undefined) throw new UsageError(`--window expects a duration like 24h, 90m or 7d, got "${values.window}"`);
    catchUpMs = ms;
  }
  return {
    json: !!values.json,
    stateDir: resolve(values.state ?? defaultStateDir(env)),
    catchUpMs,
    all: !!values.all,
    resourceGroups: values['resource-group'] ?? [],
  };
}

function oneLine(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ');
}
