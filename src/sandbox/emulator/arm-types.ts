import type { LogSink } from './log-sink';
import type { OperationBook } from './operations';
import type { RunMachine } from './run-machine';
import type { TemplateStore } from './template-store';

// What every ARM route handler receives and returns. In a module of its own so that route families (templates in
// arm-router.ts, support in support-routes.ts) can share it without importing each other.

export interface ArmContext {
  store: TemplateStore;
  runs: RunMachine;
  operations: OperationBook;
  logs: LogSink;
  subscriptionId: string;
  stepMs: number;
  blobEndpoint: () => string;
}

export interface ArmRequest {
  method: string;
  url: URL;
  /** The endpoint as the caller reached it, for URLs handed back (nextLink, operation URLs). */
  base: string;
  body: () => Promise<unknown>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
