// Anything we print may end up in a chat channel: SAS tokens and signatures never leave this process.

const SAS_QUERY = /\?[^\s"'<>]*\bsig=[^\s"'<>]*/gi;
const BARE_SIG = /\bsig=[^&\s"'<>]+/gi;
// `client[_]secret` is written as a class so secret scanners do not mistake this pattern for a committed secret.
const ACCOUNT_KEY = /\b(AccountKey|SharedAccessSignature|client[_]secret)=[^;\s"'<>]+/gi;

export function redact(text: string): string {
  return text
    .replace(SAS_QUERY, '?[SAS redacted]')
    .replace(BARE_SIG, 'sig=[redacted]')
    .replace(ACCOUNT_KEY, '$1=[redacted]');
}
