/**
 * What people type, per language, as data. Placeholders expanded by `rules.ts`:
 *   {A} the articles, possessives and "template" word that may precede a name (per language)
 *   {T} the "template" word when it follows the name (per language)
 *   {N} the name slot            {R} a resource-group name
 *   \b  a Unicode word boundary (JavaScript's own \b stops at "é" and "è")
 * Rules without {N} are keyword rules: the name is the first token that can be one (how CJK questions are read).
 * A rule marked `withoutName` applies only when the message names no template ("失败的模板" lists, "模板 X" doesn't).
 * Patterns are matched case-insensitively against text whose quotes, full-width punctuation and spaces were unified.
 */

export type Rule = string | { readonly pattern: string; readonly withoutName: true };

export interface LanguageRules {
  readonly lang: 'en' | 'zh-CN' | 'pt-BR' | 'it-IT' | 'fr-FR' | 'ja-JP';
  /** Keyword rules would read any Latin word as a name, so CJK tables only see text that contains CJK. */
  readonly appliesTo?: RegExp;
  readonly lead: string;
  readonly templateWord: string;
  /** Whole-message requests for help (after greetings and end punctuation are removed). */
  readonly help: readonly string[];
  readonly showLog: readonly Rule[];
  readonly list: readonly Rule[];
  readonly status: readonly Rule[];
  readonly diagnose: readonly Rule[];
  /** "list templates in R" when the words "resource group" were left out; matched at the end of the request. */
  readonly listScope?: string;
}

const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;

const EN: LanguageRules = {
  lang: 'en',
  lead: String.raw`(?:(?:the|my|our|your|this|that)\s+)?(?:(?:failed|failing|broken|new|latest|nightly|current)\s+)?(?:(?:image|vm|aib)\s+)?(?:templates?(?:\s*[:=]\s*|\s+))?(?:(?:[\p{L}-]+\s+)?(?:build|run|deployment)\s+(?:of|for)\s+(?:the\s+)?(?:(?:image\s+)?template\s+)?)?`,
  templateWord: String.raw`(?:image\s+)?templates?`,
  help: [
    String.raw`/?(?:help|h|commands?|usage|menu|what can you do|what do you do|what are you|who are you|how do i use (?:you|this|this bot|it)|how does (?:this|it) work|help me|i need help|get started|start)`,
  ],
  showLog: [
    String.raw`\blogs?\s+(?:file\s+)?(?:of|for|from|on)\s+{A}{N}`,
    // "X log", but not "log para X" read by this rule before the Portuguese one has its turn.
    String.raw`\b{N}(?:\s+{T})?\s+(?:(?:build|customi[sz]ation|packer|last|latest)\s+)?logs?\b(?!\s+(?:of|for|from|para|de|do|da|di|del|du|des|pour|per)\b)`,
    String.raw`\blogs?\s*[:=]\s*{A}{N}`,
    String.raw`^(?:(?:show|get|open|fetch|print)\s+(?:me\s+)?)?(?:the\s+)?logs?\s+{A}{N}`,
    String.raw`\btail\s+{A}{N}`,
  ],
  list: [
    String.raw`^(?:list|ls|enumerate)\b`,
    String.raw`\b(?:list|show|display|get|give|enumerate|see|view|find|which|what|all|any|how|status|state)\b.*\btemplates\b`,
    String.raw`^(?:(?:all|my|our|the|failed|failing|broken|recent|image)\s+)*templates\b`,
    String.raw`^(?:what|which\s+ones?|anything)\s+(?:has\s+|have\s+)?failed(?:\s+(?:today|recently|lately|yesterday))?$`,
    String.raw`\bwhich\s+(?:builds|images|ones)\b.*\bfail`,
  ],
  listScope: String.raw`\b(?:in|from|under|within|inside)\s+{R}\s*$`,
  status: [
    String.raw`\b(?:status|state|progress|condition)\s+(?:of|for|on)\s+{A}{N}`,
    String.raw`\b{N}(?:\s+{T})?\s+(?:(?:current|last|latest|build|run)\s+)?(?:status|state)\b`,
    String.raw`\bhow(?:'s|\s+is|\s+are)\s+{A}{N}(?:\s+{T})?\s+(?:doing|going|looking|coming\s+along)`,
    String.raw`\bis\s+{A}{N}(?:\s+{T})?\s+(?:still\s+)?(?:running|done|finished|complete|completed|ready|building|succeeded|ok|okay|healthy)\b`,
    String.raw`\b(?:status|state)\s*[:=]?\s+{A}{N}`,
    String.raw`\b(?:check(?:\s+on)?|describe|inspect)\s+{A}{N}`,
    String.raw`^(?:show|get)\s+(?:me\s+)?{A}{N}$`,
  ],
  diagnose: [
    String.raw`\bwhy\s+(?:did|does|do|has|have|is|was|are|were|would|could)\s+{A}{N}(?:\s+{T})?(?:\s+\S+){0,3}?\s+(?:fail|break|broke|error|crash|go\s+wrong|not\s+(?:build|work|succeed|finish))`,
    String.raw`\bwhy\s+{A}{N}(?:\s+{T})?\s+(?:failed|fails|is\s+failing|broke|is\s+broken|errored)`,
    String.raw`\bwhat(?:'s|\s+is|\s+was|\s+went|\s+has\s+gone)?\s+(?:wrong|broken|up|the\s+(?:problem|issue|matter|error|deal))\s+(?:with|in|on|for|about)\s+{A}{N}`,
    String.raw`\bwhat\s+happened\s+(?:to|with|in)\s+{A}{N}`,
    String.raw`\b(?:diagnose|diag|troubleshoot|debug|analy[sz]e|investigate|explain)\s+(?:the\s+)?(?:(?:failure|error|problem)\s+(?:of|in|with)\s+)?{A}{N}`,
    String.raw`\b(?:failure|error|problem|issue)s?\s+(?:of|on|with|in|for)\s+{A}{N}`,
    String.raw`^{A}{N}(?:\s+{T})?\s+(?:failed|fails|is\s+failing|keeps\s+failing|broke|is\s+broken|errored|has\s+failed)`,
    String.raw`\bhelp\s+(?:me\s+)?(?:with|fix|on)\s+{A}{N}`,
    String.raw`\bhow\s+(?:do\s+i|to|can\s+i|should\s+i)\s+fix\s+{A}{N}`,
    String.raw`\b(?:did|has)\s+{A}{N}(?:\s+{T})?\s+fail`,
  ],
};

const PT: LanguageRules = {
  lang: 'pt-BR',
  lead: String.raw`(?:(?:o|a|os|as)\s+)?(?:(?:meu|minha|nosso|nossa|este|esse|esta|essa)\s+)?(?:(?:template|modelo)(?:\s+de\s+imagem)?(?:\s*[:=]\s*|\s+))?(?:(?:compila[cç][aã]o|build|cria[cç][aã]o|constru[cç][aã]o|execu[cç][aã]o)\s+d[oae]\s+(?:(?:template|modelo)\s+)?)?`,
  templateWord: String.raw`(?:template|modelo)`,
  help: [
    String.raw`(?:ajuda|ajude(?:-me)?|me ajud[ae]|socorro|comandos?|o que (?:você|voce|vc) (?:pode|sabe|consegue) fazer|como (?:usar|funciona|te uso|eu uso|usar você)|menu)`,
  ],
  showLog: [
    String.raw`\b(?:logs?|registros?)\s+(?:de\s+(?:compila[cç][aã]o|build|customiza[cç][aã]o)\s+)?(?:d[oae]s?|para|no|na)\s+{A}{N}`,
  ],
  list: [
    String.raw`^(?:listar|liste|lista|listagem)\b`,
    String.raw`\b(?:listar|liste|lista|mostrar|mostre|mostra|exibir|exiba|ver|veja|quais|todos)\b.*\b(?:templates|modelos)\b`,
    String.raw`^(?:(?:os|todos\s+os|meus|nossos)\s+)?(?:templates|modelos)\b`,
    String.raw`\b(?:status|estado|situa[cç][aã]o)\s+d[oa]s\s+(?:templates|modelos)\b`,
    String.raw`\bquais\b.*\bfalh`,
  ],
  listScope: String.raw`\b(?:em|no|na)\s+{R}\s*$`,
  status: [
    String.raw`\b(?:status|estado|situa[cç][aã]o|andamento|progresso)\s+(?:atual\s+)?(?:d[oae]s?|para|no|na)\s+{A}{N}`,
    String.raw`\bcomo\s+(?:est[aá]|vai|anda|ficou)\s+{A}{N}`,
    String.raw`\b{A}{N}(?:\s+{T})?\s+(?:ainda\s+)?(?:est[aá]\s+(?:rodando|executando|em\s+execu[cç][aã]o|pronto|ok)|terminou|concluiu|acabou)`,
    String.raw`\b(?:verificar|verifique|verifica|checar|cheque|consultar|consulte)\s+(?:o\s+)?{A}{N}`,
  ],
  diagnose: [
    String.raw`\bpor\s*qu[eê]\s+(?:[eé]\s+que\s+)?{A}{N}(?:\s+{T})?(?:\s+\S+){0,3}?\s+(?:falh|deu\s+erro|quebr|n[aã]o\s+(?:funcion|compil|foi|rod|termin))`,
    String.raw`\bo\s+que\s+(?:h[aá]|tem|est[aá]|houve)\s+(?:de\s+)?errado\s+(?:com|n[oa]|em)\s+{A}{N}`,
    String.raw`\bo\s+que\s+(?:aconteceu|deu\s+errado|houve)\s+(?:com|n[oa]|em)\s+{A}{N}`,
    String.raw`\bqual\s+(?:[eé]\s+|foi\s+)?o\s+(?:problema|erro)\s+(?:com|d[oae]|n[oa])\s+{A}{N}`,
    String.raw`\b(?:diagnosticar|diagnostique|diagnostica|analisar|analise|analisa|investigar|investigue|investiga|depurar)\s+{A}{N}`,
    String.raw`^{A}{N}(?:\s+{T})?\s+(?:falhou|est[aá]\s+falhando|deu\s+erro|quebrou|n[aã]o\s+funciona)`,
    String.raw`\b(?:falha|erro|problema)s?\s+(?:d[oae]|n[oa]|com|em)\s+{A}{N}`,
  ],
};

const IT: LanguageRules = {
  lang: 'it-IT',
  lead: String.raw`(?:l'|(?:il|lo|la|i|gli|le)\s+)?(?:(?:mio|mia|nostro|nostra|questo|questa)\s+)?(?:(?:template|modello)(?:\s+(?:di\s+)?immagine)?(?:\s*[:=]\s*|\s+))?(?:(?:build|compilazione|creazione|esecuzione)\s+(?:di|del|dello)\s+(?:(?:template|modello)\s+)?)?`,
  templateWord: String.raw`(?:template|modello)`,
  help: [
    String.raw`(?:aiuto|aiutami|help|comandi|(?:che\s+)?cosa (?:sai|puoi) fare|come (?:si usa|funziona|ti uso|funzioni)|menu|istruzioni)`,
  ],
  showLog: [
    String.raw`\b(?:log|registro)\s+(?:di\s+(?:build|compilazione)\s+)?(?:di|del|dello|della|per|dei)\s+{A}{N}`,
  ],
  list: [
    String.raw`^(?:elenca|elencami|elenco|elencare|lista)\b`,
    String.raw`\bquali\s+(?:template|modelli)\b`,
    String.raw`\b(?:i|gli|dei|tutti\s+i|miei)\s+(?:template|modelli)\b`,
    String.raw`\bmodelli\b`,
  ],
  listScope: String.raw`\b(?:in|nel|nella)\s+{R}\s*$`,
  status: [
    String.raw`\b(?:stato|status|situazione|avanzamento)\s+(?:attuale\s+)?(?:di|del|dello|della|per)\s+{A}{N}`,
    String.raw`\bcome\s+(?:sta|va|procede|stanno)\s+{A}{N}`,
    String.raw`\b{A}{N}(?:\s+{T})?\s+(?:è\s+)?(?:ancora\s+)?(?:in\s+esecuzione|in\s+corso|finito|terminato|completato|pronto)`,
    String.raw`\b(?:controlla|verifica|controllare|verificare)\s+(?:lo\s+stato\s+(?:di|del|della)\s+)?{A}{N}`,
  ],
  diagnose: [
    String.raw`\bperch[ée]\s+(?:mai\s+)?{A}{N}(?:\s+{T})?(?:\s+\S+){0,3}?\s+(?:fallit|fallisc|fallend|errore|riuscit|funzion|rott|andat[oa]\s+(?:male|storto))`,
    String.raw`\b(?:che\s+)?cosa\s+(?:c'è\s+che\s+)?non\s+va\s+(?:con|in|nel|nella|nello|col)\s+{A}{N}`,
    String.raw`\b(?:che\s+)?(?:cosa\s+|cos')(?:è\s+|e\s+)?(?:successo|andato\s+storto)\s+(?:a|al|allo|alla|con|col|nel|nella|in|per)\s+{A}{N}`,
    String.raw`\bche\s+problem[ai]\s+(?:ha|c'è\s+con|ci\s+sono\s+con)\s+{A}{N}`,
    String.raw`\bproblema\s+(?:con|di|del|nel)\s+{A}{N}`,
    String.raw`\b(?:diagnostica|diagnosticare|analizza|analizzare|esamina|esaminare|indaga\s+su)\s+{A}{N}`,
    String.raw`^{A}{N}(?:\s+{T})?\s+(?:è\s+fallit[oa]|ha\s+fallito|non\s+funziona|fallisce|è\s+in\s+errore)`,
    String.raw`\b(?:errore|errori|fallimento)\s+(?:di|del|dello|della|nel|in|su)\s+{A}{N}`,
  ],
};

const FR: LanguageRules = {
  lang: 'fr-FR',
  lead: String.raw`(?:l'|(?:le|la|les|mon|ma|notre|votre|ce|cet|cette)\s+)?(?:(?:modèle|template)(?:\s+d'image)?(?:\s*[:=]\s*|\s+))?(?:(?:build|génération|construction|création|exécution)\s+(?:de\s+l'|du\s+|de\s+(?:la\s+)?)(?:(?:modèle|template)\s+)?)?`,
  templateWord: String.raw`(?:modèle|template)`,
  help: [
    String.raw`(?:aide|aidez-moi|aide-moi|à l'aide|de l'aide|besoin d'aide|j'ai besoin d'aide|commandes|que (?:sais|peux)-tu faire|qu'est-ce que tu (?:sais|peux) faire|que pouvez-vous faire|comment (?:ça marche|ca marche|t'utiliser|vous utiliser|utiliser ce bot)|menu)`,
  ],
  showLog: [
    String.raw`\b(?:journal|journaux|logs?)\s+(?:de\s+(?:build|génération|personnalisation)\s+)?(?:(?:de|du|des|pour)\s+|d'){A}{N}`,
  ],
  list: [
    String.raw`^(?:liste|lister|listez|énumère|énumérer)\b`,
    String.raw`\b(?:liste|lister|listez|affiche|afficher|affichez|montre|montrer|montrez|voir|quels|quelles|tous)\b.*\b(?:modèles|templates)\b`,
    String.raw`^(?:(?:les|mes|tous\s+les)\s+)?(?:modèles|templates)\b`,
    String.raw`\b(?:état|etat|statut|status)\s+des\s+(?:modèles|templates)\b`,
  ],
  listScope: String.raw`\bdans\s+{R}\s*$`,
  status: [
    String.raw`\b(?:état|etat|statut|status|situation|avancement)\s+(?:actuel\s+)?(?:(?:de|du|des|pour)\s+|d'){A}{N}`,
    String.raw`\bo[uù]\s+en\s+est\s+{A}{N}`,
    String.raw`\bcomment\s+(?:va|se\s+passe|avance)\s+{A}{N}`,
    String.raw`\b{A}{N}(?:\s+{T})?\s+(?:est[\s-]il\s+|est[\s-]elle\s+|est\s+)?(?:encore\s+|toujours\s+)?(?:en\s+cours|terminé|fini|prêt)`,
    String.raw`\b(?:vérifie|vérifier|vérifiez|consulte|consulter|consultez)\s+{A}{N}`,
  ],
  diagnose: [
    String.raw`\bpourquoi\s+(?:est-ce\s+qu(?:e\s+|'))?{A}{N}(?:\s+{T})?(?:\s+\S+){0,3}?\s+(?:échou|echou|échec|echec|planté|raté|cass|erreur|ne\s+(?:marche|fonctionne)|n'a\s+pas)`,
    String.raw`\bqu'est[\s-]ce\s+qui\s+(?:ne\s+va\s+pas|cloche|coince|a\s+échoué|s'est\s+passé|ne\s+marche\s+pas|ne\s+fonctionne\s+pas)\s+(?:avec|dans|sur|pour)\s+{A}{N}`,
    String.raw`\bque\s+s'est[\s-]il\s+passé\s+(?:avec|pour|sur|dans)\s+{A}{N}`,
    String.raw`\b(?:problème|souci)\s+(?:avec|de|du|sur|dans)\s+{A}{N}`,
    String.raw`\b(?:diagnostique|diagnostiquer|diagnostiquez|analyse|analyser|analysez|examine|examiner|examinez|dépanne|dépanner)\s+{A}{N}`,
    String.raw`^{A}{N}(?:\s+{T})?\s+(?:a\s+échoué|est\s+en\s+échec|échoue|a\s+planté|ne\s+marche\s+pas)`,
    String.raw`\b(?:échec|erreur)s?\s+(?:(?:de|du|sur|dans)\s+|d'){A}{N}`,
  ],
};

// Chinese and Japanese need no name slot: the name is the Latin run in a CJK sentence, wherever it sits.
const ZH: LanguageRules = {
  lang: 'zh-CN',
  appliesTo: CJK,
  lead: '',
  templateWord: '模板',
  help: [String.raw`(?:帮助|幫助|帮忙|求助|救命|命令|指令|用法|使用说明|说明|怎么用|如何使用|你能做什么|你可以做什么|你会什么|能做什么|功能|菜单)`],
  showLog: [String.raw`日志|日誌|(?<![A-Za-z])logs?(?![A-Za-z])`],
  list: [{ pattern: String.raw`列出|列表|清单|哪些|模板|所有|全部`, withoutName: true }],
  status: [String.raw`状态|狀態|情况|情況|进度|進度|怎么样|怎麼樣|如何了|完成了吗|(?<![A-Za-z])status(?![A-Za-z])`],
  diagnose: [
    String.raw`为什么|為什麼|为啥|為啥|为何|為何|怎么了|怎麼了|怎么回事|怎麼回事|咋了|问题|問題|失败|失敗|出错|出錯|错误|錯誤|报错|報錯|诊断|診斷|分析|原因|坏了|挂了`,
  ],
};

const JA: LanguageRules = {
  lang: 'ja-JP',
  appliesTo: CJK,
  lead: '',
  templateWord: 'テンプレート',
  help: [
    String.raw`(?:ヘルプ(?:を(?:表示|見せ|出)?(?:して)?)?|助けて|たすけて|使い方(?:を教えて)?|(?:何|なに)ができ(?:る|るの|ます|ますか)?|できること(?:は)?|コマンド(?:一覧)?|メニュー)`,
  ],
  showLog: [String.raw`ログ|(?<![A-Za-z])logs?(?![A-Za-z])`],
  list: [{ pattern: String.raw`一覧|リスト|列挙|テンプレート|テンプレ|すべて|全部|全て|どれ`, withoutName: true }],
  status: [String.raw`ステータス|状態|状況|進捗|どうなって|どんな感じ|終わった|完了した`],
  diagnose: [String.raw`なぜ|何故|どうして|なんで|原因|失敗|エラー|問題|おかしい|診断|どうした|何が(?:悪|起き|あっ)|ダメ|だめ|うまくいか|壊れ|調べて`],
};

/** Order matters only between tables of the same intent: the first rule that yields a name wins. */
export const LANGUAGE_TABLES: readonly LanguageRules[] = [EN, PT, IT, FR, ZH, JA];

/** "in resource group R" in any of the six languages; removed from the text before the intent rules run. */
export const RESOURCE_GROUP_CLAUSES: readonly string[] = [
  String.raw`(?:\b(?:in|from|under|within|inside|for|on|no|na|do|da|em|nel|del|dal|dans|du|de|pour|sur)\s+(?:(?:the|o|il|le)\s+)?)?\b(?:resource[\s-]?groups?|grupo\s+de\s+recursos|gruppo\s+(?:di\s+)?risorse|groupe\s+de\s+ressources|rg)(?:\s+(?:named|called|chamado|chiamato|nommé))?(?:\s*[:=]\s*|\s+){R}`,
  String.raw`(?:在\s*)?(?:资源组|資源組|资源群组|リソース\s?グループ)\s*[:=]?\s*{R}\s*(?:中的|里的|内的|中|里|内|下|の中の|の中|内の|の|で|にある)?`,
  String.raw`{R}\s*(?:这个|という)?\s*(?:资源组|資源組|リソース\s?グループ)\s*(?:中的|里的|中|里|内|の中の|の中|内の|の|で|にある)?`,
  String.raw`(?:\b(?:in|from)\s+(?:the\s+)?){R}\s+(?:resource[\s-]?group|rg)\b`,
];

/**
 * "list templates named X" / "whose name contains X" in the six languages: narrows a list by name. {F} is the
 * filter (a name fragment, or quoted). Looked for only once a list rule matched, in the text after it.
 */
export const NAME_FILTER_CLAUSES: readonly string[] = [
  String.raw`\b(?:named|called|matching|containing|like|with\s+names?\s+(?:containing|like|matching))\s+{F}`,
  String.raw`\b(?:chamad[oa]s?|com\s+(?:o\s+)?nome|contendo|que\s+cont[eê]m)\s+{F}`,
  String.raw`\b(?:chiamati|con\s+(?:il\s+)?nome|che\s+contengono|contenenti)\s+{F}`,
  String.raw`\b(?:nommés|appelés|contenant|dont\s+le\s+nom\s+contient)\s+{F}`,
  String.raw`(?:名称包含|名字包含|名称含有)\s*{F}`,
  String.raw`名前に\s*{F}\s*(?:を|が)?含む`,
];

/** A list of only the failed templates, in any language. */
export const FAILED_ONLY = String.raw`fail|broken|errored|\bin\s+error\b|unsuccessful|falh|com\s+erro|quebrad|fallit|non\s+riuscit|in\s+errore|non\s+andat|échou|echou|échec|echec|en\s+erreur|失败|失敗|出错|エラー|うまくいかな`;
