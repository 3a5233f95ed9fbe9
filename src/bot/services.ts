import type { CloudAdapter } from 'botbuilder';
import type { AzureGateways } from '../azure';
import type { AuditLog, RecordStore } from '../azure/records';
import type { SupportGateway } from '../azure/support';
import type { Logger } from '../logger';
import type { ScanPool } from '../usecases/scan-pool';
import type { SupportMode } from '../usecases/support-case';
import type { TemplateLocator } from '../usecases/resolve-template';
import type { Policy } from './policy';
import type { RateLimiter } from './rate-limit';
import type { BotState } from './state';

// Everything a handler may use, built once at start-up. Handlers get it through the turn, never from globals.

export interface ActionServices {
  state: BotState;
  claims: RecordStore;
  audit: AuditLog;
}

export interface BotServices {
  gateways: AzureGateways;
  policy: Policy;
  locator: TemplateLocator;
  scans: ScanPool;
  limiter: RateLimiter;
  logger: Logger;
  /** Undefined when no storage for state and audit is configured: then nothing is changed in Azure. */
  actions?: ActionServices;
  support: { mode: SupportMode; gateway?: SupportGateway };
  delivery: { adapter: CloudAdapter; appId: string };
  limits: {
    tailBytes: number;
    maxBytes: number;
    maxPasteChars: number;
    confirmationTtlMs: number;
    /** How often a running build is polled for its progress card. */
    pollMs: number;
    /** At most one update of a card per this while a build runs (Teams: 30 s; the newest waiting update wins). */
    cardUpdateMs: number;
    /** How long an answer may take before the typing indicator is shown (botbuilder's ShowTypingMiddleware: 500 ms). */
    typingDelayMs: number;
  };
  /** Background work (full scans, followed builds) the process lets finish; tests await it. */
  track(work: Promise<unknown>): void;
}
