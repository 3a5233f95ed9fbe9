// The pure diagnosis core: no I/O, no Azure, no Bot Framework. The CLI and the bot call these.
export * from './types';
export * from './catalog';
export * from './status';
export * from './log-scan';
export * from './classify';
export * from './errors';
export * from './distribution';
export { redact } from './redact';
export { unwrapEscapes } from './text';
