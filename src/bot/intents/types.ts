/** The contract the bot glue and the use cases code against. */

export type TemplateRef = { name: string; resourceGroup?: string };

export type Intent =
  | { kind: 'diagnose'; target: TemplateRef }
  | { kind: 'status'; target: TemplateRef }
  | { kind: 'list'; failedOnly: boolean; resourceGroup?: string }
  | { kind: 'show-log'; target: TemplateRef }
  | { kind: 'diagnose-text'; text: string }
  | { kind: 'help' }
  | { kind: 'empty' }
  | { kind: 'unrecognized'; text: string };
