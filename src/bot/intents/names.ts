/**
 * From the token a rule captured to the template reference the use cases resolve. Names are kept as typed (case,
 * even invalid characters): resolution and the `invalid-name` reply happen later, with the live list at hand.
 */

export type CapturedRef = { name: string; resourceGroup?: string };

/** A bare name: anything up to whitespace, sentence punctuation or a CJK character (CJK text has no spaces). */
export const NAME_TOKEN = String.raw`"[^"\n]{1,200}"|[^\s"?!,;:()\[\]{}<>\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC\u3000-\u303F]+`;

/** A resource-group name as Azure allows it (ASCII word characters, `-`, `.`, `(`, `)`), or quoted. */
export const RESOURCE_GROUP_TOKEN = String.raw`"[^"\n]{1,120}"|[-\w.()]+`;

// Words that fill a name slot when the sentence has no name ("why did it fail", "show the log", "status do X" read
// by the English rule). Lower case; one set for every language because rules of one language see the others' text.
const NOT_A_NAME = new Set(
  [
    // en
    'a', 'an', 'the', 'my', 'our', 'your', 'this', 'that', 'these', 'those', 'it', 'its', "it's", 'them', 'they', 'me',
    'us', 'you', 'i', 'we', 'he', 'she', 'template', 'templates', 'image', 'images', 'vm', 'aib', 'azure', 'build',
    'builds', 'run', 'runs', 'packer', 'devops', 'of', 'for', 'with', 'in', 'on', 'to', 'from', 'at', 'by', 'about',
    'under', 'within', 'into', 'do', 'does', 'did', 'is', 'are', 'was', 'were', 'has', 'have', 'had', 'be', 'been',
    'will', 'would', 'can', 'could', 'should', 'what', 'why', 'how', 'which', 'who', 'where', 'when', 'whats',
    "what's", 'log', 'logs', 'status', 'state', 'progress', 'failed', 'fail', 'fails', 'failing', 'failure', 'error',
    'errors', 'wrong', 'broken', 'please', 'all', 'any', 'some', 'one', 'ones', 'and', 'or', 'not', 'no', 'yes', 'ok',
    'okay', 'still', 'just', 'again', 'now', 'there', 'here', 'last', 'latest', 'current', 'show', 'list', 'get',
    // verbs that precede "log"/"status" in every language ("exibir log para X")
    'display', 'see', 'view', 'open', 'fetch', 'print', 'tail', 'check', 'exibir', 'exiba', 'mostrar', 'mostre',
    'mostra', 'ver', 'veja', 'mostrami', 'fammi', 'vedere', 'affiche', 'afficher', 'montre', 'montre-moi', 'voir',
    // pt
    'o', 'os', 'as', 'um', 'uma', 'da', 'dos', 'das', 'de', 'no', 'na', 'nos', 'nas', 'em', 'com', 'para', 'por',
    'pelo', 'pela', 'ao', 'meu', 'minha', 'meus', 'nosso', 'nossa', 'este', 'esse', 'esta', 'essa', 'isso', 'isto',
    'ele', 'ela', 'que', 'qual', 'quais', 'porque', 'porquê', 'modelo', 'modelos', 'imagem', 'estado', 'registro',
    'falhou', 'falha', 'erro', 'e', 'é', 'está', 'compilação',
    // it
    'il', 'lo', 'la', 'l', 'gli', 'le', 'una', 'di', 'del', 'dello', 'della', 'dei', 'degli', 'delle', 'nel', 'nello',
    'nella', 'con', 'col', 'per', 'al', 'allo', 'alla', 'dal', 'mio', 'mia', 'questo', 'questa', 'che', 'cosa',
    'perché', 'perche', 'modello', 'modelli', 'immagine', 'stato', 'ha', 'non', 'è', 'errore',
    // fr
    'les', 'un', 'une', 'du', 'des', 'd', 'avec', 'dans', 'pour', 'sur', 'au', 'aux', 'mon', 'ma', 'mes', 'notre',
    'votre', 'ce', 'cet', 'cette', 'ces', 'qui', 'quoi', 'pourquoi', 'elle', 'modèle', 'modèles', 'état', 'statut',
    'journal', 'journaux', 'est', 'a-t-il', 'a-t-elle', 'échoué', 'en', 'erreur',
  ].map((word) => word.toLowerCase()),
);

// The ARM id of a template, pasted instead of its name: the resource group comes with it.
const TEMPLATE_RESOURCE_ID = /\/resourceGroups\/([^/\s]+)\/providers\/Microsoft\.VirtualMachineImages\/imageTemplates\/([^/\s?#]+)/i;
const RESOURCE_GROUP_PATTERN = /^[-\w.()]{1,90}$/;

function unquote(token: string): { text: string; quoted: boolean } {
  if (token.length >= 2 && token.startsWith('"') && token.endsWith('"')) {
    // Names never contain whitespace; "win 2022" typed in quotes still resolves (nearest match) without it.
    return { text: token.slice(1, -1).replace(/\s+/g, ''), quoted: true };
  }
  return { text: token.replace(/\s+/g, ''), quoted: false };
}

/** Sentence decoration around a bare token: possessive 's, closing dots, markdown emphasis, stray apostrophes. */
function trimBareToken(token: string): string {
  return token
    .replace(/^[*_'~]+/, '')
    .replace(/(?:'s)$/i, '')
    .replace(/[*_'~]+$/, '')
    .replace(/\.+$/, '');
}

export function isFillerWord(token: string): boolean {
  return NOT_A_NAME.has(token.toLowerCase());
}

export function cleanResourceGroup(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const { text, quoted } = unquote(token);
  let rg = quoted ? text : text.replace(/\.+$/, '');
  // "(rg aib-sandbox)" leaves the closing bracket on the name; Azure names may hold brackets, but balanced.
  while (rg.endsWith(')') && (rg.match(/\)/g)?.length ?? 0) > (rg.match(/\(/g)?.length ?? 0)) rg = rg.slice(0, -1);
  if (!rg || (!quoted && isFillerWord(rg))) return undefined;
  return rg;
}

/**
 * The reference a captured token stands for, or undefined when the token is a filler word (the sentence had no
 * name). `rg/name` and full ARM ids carry their own resource group.
 */
export function toTemplateRef(token: string | undefined, resourceGroup?: string): CapturedRef | undefined {
  if (!token) return undefined;
  const { text, quoted } = unquote(token);
  const name = quoted ? text : trimBareToken(text);
  if (!name || (!quoted && isFillerWord(name))) return undefined;
  // "🔥 status" or "-- log": a token without a letter or digit was never meant as a name.
  if (!/[\p{L}\p{N}]/u.test(name)) return undefined;
  const id = TEMPLATE_RESOURCE_ID.exec(name);
  if (id) return { name: id[2], resourceGroup: id[1] };
  const slash = /^([^/]+)\/([^/]+)$/.exec(name);
  if (slash && RESOURCE_GROUP_PATTERN.test(slash[1])) return { name: slash[2], resourceGroup: resourceGroup ?? slash[1] };
  return resourceGroup ? { name, resourceGroup } : { name };
}

/**
 * For keyword-only rules (Chinese, Japanese): the first token in the text that can be a name. In CJK sentences the
 * name is the only Latin run besides a few loan words (log, status), which are filler words.
 */
const NAME_TOKENS = new RegExp(NAME_TOKEN, 'gu');

export function firstNameToken(text: string): string | undefined {
  for (const match of text.matchAll(NAME_TOKENS)) {
    if (toTemplateRef(match[0])) return match[0];
  }
  return undefined;
}
