// Small value types every layer may import: no I/O, no SDKs, no chat.
export { TemplateId, isTemplateName, isResourceGroupName, isSubscriptionId } from './template-id';
export { BotError, BOT_ERROR_CODES, isBotError, type BotErrorCode, type BotErrorParams } from './errors';
export { samePerson, type Person, type Subject } from './subject';
export { LOG_READER_ROLE, SUPPORT_ROLE } from './roles';
export type { LogPlace, LogReadInfo } from './log-read';
