import RE2 from 're2';

// The one place that decides what counts as a secret. Cards, log lines, audit records, support tickets and error
// messages all pass through `redact` (strings) or `redactDeep` (objects), so a rule added here covers every exit.
//
// Every pattern is RE2: matching is linear in the input whatever it holds, so a hostile paste cannot stall the event
// loop the way a backtracking V8 regex can. Two markers say what was removed: `[SAS redacted]` where a storage
// signature (a URL's whole query string, or a lone `sig=`) was, `[redacted]` for every other credential. Neither
// marker contains `sig=`, so people searching a channel for `sig=` find nothing, and redacting twice changes nothing.

export const REDACTED = '[redacted]';
export const SAS_REDACTED = '[SAS redacted]';

const FLAGS = 'giu';

/** Characters that end a token inside prose, JSON, XML or a quoted command line. */
const END = `\\s"'<>`;

/** Key names whose value is a credential, matched at the end of the key (`MicrosoftAppPassword`, `clientSecret` in any case or spelling). */
const SECRET_KEY_TAIL = '(?:password|passwd|pwd|secret|token|api[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|shared[_-]?access[_-]?signature|credentials?)';

/** Bytes of `%XX` that are not `%26` (an encoded `&`, which ends an encoded query parameter). */
const ENCODED_NOT_AMP = '%(?:[013-9a-f][0-9a-f]|2[0-57-9a-f])';

interface Rule {
  pattern: RE2;
  replacement: string;
}

const RULES: Rule[] = [
  // A URL query carrying a signature: the whole query goes (sv, se, sp and skoid say too much about the grant).
  { pattern: new RE2(`\\?[^${END}]*?\\bsig(?:=|%3d)[^${END}]*`, FLAGS), replacement: `?${SAS_REDACTED}` },
  // A signature outside a query string (a connection string, a header, a URL-encoded redirect), empty ones too.
  { pattern: new RE2(`\\bsig=[^&${END}]*`, FLAGS), replacement: SAS_REDACTED },
  // URL-encoded: `%26sig%3D…` up to the next encoded `&` (the `6` of `%26` is a word character, hence no `\b`).
  { pattern: new RE2(`(\\b|%26|%3f)sig%3d(?:[^%&${END}]|${ENCODED_NOT_AMP})*`, FLAGS), replacement: `$1${SAS_REDACTED}` },
  // HTTP credentials. After "bearer", a token is long or has a digit in it (a short word is prose: "a bearer token");
  // `Basic` only counts after `Authorization:`, because "Basic" alone is a SKU name.
  {
    pattern: new RE2('\\b(bearer\\s+)(?:[a-z0-9\\-._~+/]{16,}|[a-z\\-._~+/]*[0-9][a-z0-9\\-._~+/]*)=*', FLAGS),
    replacement: `$1${REDACTED}`,
  },
  { pattern: new RE2('\\b(authorization"?\\s*[:=]\\s*"?basic\\s+)[a-z0-9+/]+=*', FLAGS), replacement: `$1${REDACTED}` },
  // A JWT on its own (an access token quoted in an error, an id_token in a URL fragment).
  { pattern: new RE2('\\beyJ[a-z0-9_-]{6,}\\.[a-z0-9_-]{6,}\\.[a-z0-9_-]*', FLAGS), replacement: REDACTED },
  // `scheme://user:password@host`: the user stays (it helps diagnosis), the password goes.
  { pattern: new RE2(`\\b([a-z][a-z0-9+.-]*://[^:/?#@${END}]*):[^/?#@${END}]+@`, FLAGS), replacement: `$1:${REDACTED}@` },
  // `password=…`, `"clientSecret": "…"`, `AccountKey=…;` in connection strings, `?token=…` in URLs.
  {
    // The value stops before JSON punctuation so `"credentials": {…}` keeps its structure (redactDeep handles objects).
    pattern: new RE2(`([a-z0-9_-]*${SECRET_KEY_TAIL}"?\\s*[=:]\\s*"?)[^;&,{}\\[\\]${END}]+`, FLAGS),
    replacement: `$1${REDACTED}`,
  },
  // Entra client secrets have a recognisable shape (three characters, a digit, `Q~`, then 31-34 more).
  { pattern: new RE2('\\b[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}', 'gu'), replacement: REDACTED },
  // A storage account key on its own: 64 random bytes in base64 are 88 characters ending in `==`.
  { pattern: new RE2('[a-z0-9+/]{86}==', FLAGS), replacement: REDACTED },
];

/** One linear pass that tells whether any rule could apply; most text (log lines, names) has nothing to redact. */
const ANY = new RE2(
  [
    'sig(?:=|%3d)',
    '\\bbearer\\s',
    '\\bbasic\\s',
    'eyJ',
    '://[^:/?#@\\s]*:',
    `${SECRET_KEY_TAIL}"?\\s*[=:]`,
    '[0-9]Q~',
    '[a-z0-9+/]{86}==',
  ].join('|'),
  'iu',
);

/** `text` with every credential the rules know replaced by a marker. Pure and linear in the length of `text`. */
export function redact(text: string): string {
  if (typeof text !== 'string') return text;
  if (!ANY.test(text)) return text;
  let out = text;
  for (const rule of RULES) out = rule.pattern.replace(out, rule.replacement);
  return out;
}

/** Endings of normalised key names (lowercase, no `_`/`-`) whose value is dropped whatever it looks like. */
const SECRET_KEY_ENDINGS = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'apikey',
  'accountkey',
  'sharedaccesskey',
  'sharedaccesssignature',
  'connectionstring',
  'credential',
  'credentials',
  'authorization',
  'sasurl',
  'sas',
  'sig',
  'signature',
];

/** Whether an object key names a credential (`MicrosoftAppPassword`, `clientSecret` in any case or spelling, `sasToken`, `sig`). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEY_ENDINGS.some((ending) => k.endsWith(ending));
}

/** Objects nested deeper than this are cut: nothing we log, store or render is legitimately that deep. */
const MAX_DEPTH = 32;

/**
 * A copy of `value` as JSON would see it, with every string redacted and the value of every credential-named key
 * (`password`, `clientSecret`, `sasUrl`…) replaced by the marker. Cycles and absurd depth become `[cut]`.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(input: unknown, depth: number, seen: WeakSet<object>): unknown {
  // What JSON.stringify would write: dates become strings, errors with toJSON their plain data.
  const value = typeof (input as { toJSON?: unknown } | null)?.toJSON === 'function' ? (input as { toJSON(): unknown }).toJSON() : input;
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[cut]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSecretKey(key) && child !== undefined && child !== null && child !== '' ? REDACTED : walk(child, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
