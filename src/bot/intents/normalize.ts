/**
 * One spelling for punctuation, quotes and whitespace, so the rule tables only need to know `?`, `"` and a single
 * space. Only punctuation changes: the characters of a template name come out exactly as they were typed.
 */

// Full-width and CJK punctuation as typed with a Chinese or Japanese input method.
const PUNCTUATION: ReadonlyArray<readonly [RegExp, string]> = [
  [/[？]/g, '?'],
  [/[！]/g, '!'],
  [/[：]/g, ':'],
  [/[，、]/g, ','],
  [/[。｡]/g, '.'],
  [/[；]/g, ';'],
  [/[（]/g, '('],
  [/[）]/g, ')'],
  [/[＝]/g, '='],
  [/[＠]/g, '@'],
  [/[¿¡]/g, ''],
];

// Every quoting style people use around a name becomes "…". The content is bounded so a stray quote mark in a long
// message cannot pair up with one far away.
const QUOTE_PAIRS: ReadonlyArray<RegExp> = [
  /“([^”\n]{1,200})”/g,
  /„([^“”\n]{1,200})[“”]/g,
  /«\s*([^»\n]{1,200}?)\s*»/g,
  /‹\s*([^›\n]{1,200}?)\s*›/g,
  /「([^」\n]{1,200})」/g,
  /『([^』\n]{1,200})』/g,
  /‘([^’\n]{1,200})’/g,
  /＂([^＂\n]{1,200})＂/g,
  /`([^`\n]{1,200})`/g,
];

// Single quotes double as apostrophes ("what's", "l'état", "dell'immagine"), so they count as quotes only when they
// open after a space or bracket and close before a space or punctuation.
const SINGLE_QUOTED = /(^|[\s(:,=])'([^'\n]{1,200})'(?=$|[\s?.!,:;)])/g;

export function normalizePunctuation(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PUNCTUATION) out = out.replace(pattern, replacement);
  for (const pattern of QUOTE_PAIRS) out = out.replace(pattern, '"$1"');
  out = out.replace(/[’ʼ＇]/g, "'");
  out = out.replace(SINGLE_QUOTED, '$1"$2"');
  return out.replace(/\s+/g, ' ').trim();
}

// Greetings and courtesy around a request carry no meaning for the bot. They are peeled off both ends so anchored
// rules ("help", "list …", "X failed") still see the request itself.
const COURTESY_PREFIX = new RegExp(
  '^(?:' +
    [
      'hi', 'hello', 'hey', 'yo', 'please', 'pls', 'plz', 'kindly', 'bot',
      'can you', 'could you', 'would you', 'will you', 'can u', 'could u',
      'olá', 'ola', 'oi', 'bom dia', 'boa tarde', 'boa noite', 'por favor', 'você pode', 'voce pode', 'vc pode', 'pode', 'poderia', 'podes',
      'ciao', 'salve', 'buongiorno', 'buonasera', 'per favore', 'per piacere', 'mi puoi', 'puoi', 'potresti',
      'bonjour', 'bonsoir', 'salut', 'coucou', "s'il te plaît", "s'il vous plaît", "s'il te plait", "s'il vous plait", 'svp', 'stp',
      'peux-tu', 'pouvez-vous', 'tu peux', 'vous pouvez', 'pourrais-tu', 'pourriez-vous',
    ].join('|') +
    ")(?![\\p{L}\\p{N}_'-])[\\s,!.:;]*" +
    '|^(?:你好|您好|请问|请|麻烦你|麻烦|帮我|能不能|可以|こんにちは|すみません|すいません)[\\s,!.:;]*',
  'iu',
);

const COURTESY_SUFFIX = new RegExp(
  '(?:^|[\\s,])(?:' +
    [
      'please', 'pls', 'plz', 'thanks', 'thank you', 'thx', 'for me',
      'por favor', 'pfv', 'pf', 'obrigado', 'obrigada', 'valeu',
      'per favore', 'per piacere', 'grazie',
      "s'il te plaît", "s'il vous plaît", "s'il te plait", "s'il vous plait", 'svp', 'stp', 'merci',
    ].join('|') +
    ')[\\s!.?]*$' +
    '|(?:谢谢|谢了|一下|お願いします|おねがいします|お願い|ください|下さい)[\\s!.?]*$',
  'iu',
);

/** Removes greetings and courtesy words from both ends, a few rounds so "hi, can you please …" peels fully. */
export function stripCourtesy(text: string): string {
  let out = text;
  for (let round = 0; round < 4; round += 1) {
    const next = out.replace(COURTESY_PREFIX, '').replace(COURTESY_SUFFIX, '').trim();
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Sentence punctuation at the ends, for rules that compare the whole message. */
export function trimSentencePunctuation(text: string): string {
  return text.replace(/^[\s,;:.!]+/, '').replace(/[\s?!.,;:~…]+$/, '');
}
