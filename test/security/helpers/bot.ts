import { startApp, type RunningApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import type { Logger } from '../../../src/logger';

// The bot as `npm start` runs it (startApp, embedded sandbox unless the env names Azure), with its log lines kept so
// a test can read what the operator would see.

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export interface SecurityBot {
  app: RunningApp;
  lines: LoggedLine[];
  stop(): Promise<void>;
}

export function recordingLogger(lines: LoggedLine[]): Logger {
  const at = (level: LoggedLine['level']) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export async function startSecurityBot(env: Record<string, string> = {}, options: { host?: string } = {}): Promise<SecurityBot> {
  const lines: LoggedLine[] = [];
  const config = loadConfig({ PORT: '1', ...env });
  const app = await startApp(
    { ...config, port: 0 },
    {
      logger: recordingLogger(lines),
      host: options.host,
      sandbox: { bigLog: false, stepMs: 50 },
      gatewayOptions: { tuning: { retryDelayMs: 10, maxRetryDelayMs: 50, pollIntervalMs: 20 } },
    },
  );
  return {
    app,
    lines,
    stop: async () => {
      await app.idle();
      await app.stop();
    },
  };
}

/** A minimal message activity as a channel would send it. */
export function messageActivity(serviceUrl: string, text = 'help'): Record<string, unknown> {
  return {
    type: 'message',
    id: `in-${Math.random().toString(36).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    locale: 'en-US',
    text,
    from: { id: '29:mallory', name: 'Mallory', aadObjectId: '6a1f0c3e-1b2d-4c5e-8f90-a1b2c3d4e5f6' },
    recipient: { id: '28:aib-chatops-bot', name: 'AIB Bot' },
    conversation: { id: `a:${Math.random().toString(36).slice(2)}`, conversationType: 'personal', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
  };
}
