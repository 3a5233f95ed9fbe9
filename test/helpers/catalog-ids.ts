// DESIGN.md's catalog ids of the customization phase, as a literal: the locale test pins the whole list, and the
// gateway tests pick from these the scenarios whose build really ran and left a log.

export const CUSTOMIZATION_IDS = [
  'customizer-failed',
  'file-download-failed',
  'large-file-download',
  'build-timeout',
  'windows-restart-1190',
  'low-resources',
  'sysprep-timing',
  'connection-lost',
  'deprovision-failed',
] as const;
