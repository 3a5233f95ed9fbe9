import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_MESSAGE_CHARS, parseIntent, stripMentions, type Intent } from '../../src/bot/intents';

// Expected-intent builders keep the tables below readable.
const ref = (name: string, resourceGroup?: string) => (resourceGroup ? { name, resourceGroup } : { name });
const diagnose = (name: string, rg?: string): Intent => ({ kind: 'diagnose', target: ref(name, rg) });
const status = (name: string, rg?: string): Intent => ({ kind: 'status', target: ref(name, rg) });
const log = (name: string, rg?: string): Intent => ({ kind: 'show-log', target: ref(name, rg) });
const list = (failedOnly: boolean, resourceGroup?: string): Intent =>
  resourceGroup ? { kind: 'list', failedOnly, resourceGroup } : { kind: 'list', failedOnly };
const HELP: Intent = { kind: 'help' };

type Lang = 'en' | 'zh-CN' | 'pt-BR' | 'it-IT' | 'fr-FR' | 'ja-JP';
type Kind = 'diagnose' | 'status' | 'list' | 'show-log' | 'help';
type Case = readonly [text: string, expected: Intent];

const PHRASINGS: Record<Lang, Record<Kind, readonly Case[]>> = {
  en: {
    diagnose: [
      ['why did template win2022-base fail?', diagnose('win2022-base')],
      ['why did win2022-base fail', diagnose('win2022-base')],
      ["what's wrong with ubuntu2204-cis", diagnose('ubuntu2204-cis')],
      ['diagnose win2022-base', diagnose('win2022-base')],
      ['Why has the image template Win2022-Base failed again?', diagnose('Win2022-Base')],
      ['what went wrong with the ubuntu2204-cis template?', diagnose('ubuntu2204-cis')],
      ['why is rhel9_hardened failing', diagnose('rhel9_hardened')],
      ["troubleshoot 'win11.avd' please", diagnose('win11.avd')],
      ['win2022-base failed, why?', diagnose('win2022-base')],
      ['what is the problem with “ubuntu2204-cis”?', diagnose('ubuntu2204-cis')],
      ['why did the build of win2022-base fail in resource group rg-images', diagnose('win2022-base', 'rg-images')],
      ['what happened to `win2022-base`?', diagnose('win2022-base')],
      ['can you explain why template win2022-base failed?', diagnose('win2022-base')],
      ['why did my nightly build of win2022-base fail', diagnose('win2022-base')],
      ['why did template: win2022-base fail', diagnose('win2022-base')],
      ["hey bot, what's up with win2022-base?", diagnose('win2022-base')],
    ],
    status: [
      ['status of win2022-base', status('win2022-base')],
      ['what is the status of win2022-base in resource group rg-images', status('win2022-base', 'rg-images')],
      ["what's the status of template ubuntu2204-cis?", status('ubuntu2204-cis')],
      ['win2022-base status', status('win2022-base')],
      ['how is win2022-base doing?', status('win2022-base')],
      ['is ubuntu2204-cis still running?', status('ubuntu2204-cis')],
      ['status: rhel9_hardened', status('rhel9_hardened')],
      ['check on win11.avd please', status('win11.avd')],
      ['Status of "Win2022-Base"', status('Win2022-Base')],
      ["what's the current state of the rhel9_hardened template?", status('rhel9_hardened')],
      ["What's the status of the failed template win2022-base?", status('win2022-base')],
      ['status for template=win2022-base', status('win2022-base')],
    ],
    list: [
      ['list templates', list(false)],
      ['list failed templates in resource group aib-sandbox', list(true, 'aib-sandbox')],
      ['show failed templates', list(true)],
      ['list', list(false)],
      ['which templates failed?', list(true)],
      ['show me all templates in rg-images', list(false, 'rg-images')],
      ['failed templates?', list(true)],
      ['list templates in rg aib-sandbox', list(false, 'aib-sandbox')],
      ['what templates do we have in the resource group rg-images', list(false, 'rg-images')],
      ['list broken templates please', list(true)],
      ['what failed?', list(true)],
      ['what failed in resource group rg-images?', list(true, 'rg-images')],
      ['how are my templates doing?', list(false)],
    ],
    'show-log': [
      ['show the log of win2022-base', log('win2022-base')],
      ['log for win2022-base', log('win2022-base')],
      ['show me the customization log for ubuntu2204-cis', log('ubuntu2204-cis')],
      ['win2022-base logs', log('win2022-base')],
      ['get logs from template rhel9_hardened', log('rhel9_hardened')],
      ['logs: win11.avd', log('win11.avd')],
      ["can you show me win2022-base's build log?", log('win2022-base')],
      ["show the customization.log of 'ubuntu2204-cis'", log('ubuntu2204-cis')],
      ['tail win2022-base', log('win2022-base')],
      ['show the log of win2022-base in resource group rg-images', log('win2022-base', 'rg-images')],
    ],
    help: [
      ['help', HELP],
      ['?', HELP],
      ['Help!', HELP],
      ['help please', HELP],
      ['/help', HELP],
      ['what can you do?', HELP],
      ['commands', HELP],
      ['hi', HELP],
      ['how do I use this bot?', HELP],
      ['??', HELP],
    ],
  },
  'zh-CN': {
    diagnose: [
      ['为什么模板 win2022-base 失败了？', diagnose('win2022-base')],
      ['win2022-base 怎么了', diagnose('win2022-base')],
      ['win2022-base 为什么失败', diagnose('win2022-base')],
      ['为什么 ubuntu2204-cis 构建失败了', diagnose('ubuntu2204-cis')],
      ['模板「rhel9_hardened」出了什么问题？', diagnose('rhel9_hardened')],
      ['帮我诊断一下 win2022-base', diagnose('win2022-base')],
      ['win2022-base 失败的原因是什么', diagnose('win2022-base')],
      ['请问 Win11.AVD 为啥报错了', diagnose('Win11.AVD')],
      ['资源组 rg-images 里的 win2022-base 为什么失败了？', diagnose('win2022-base', 'rg-images')],
      ['“ubuntu2204-cis” 怎么回事', diagnose('ubuntu2204-cis')],
      ['为什么模板win2022-base失败了', diagnose('win2022-base')],
    ],
    status: [
      ['win2022-base 的状态', status('win2022-base')],
      ['win2022-base 现在是什么状态？', status('win2022-base')],
      ['模板 ubuntu2204-cis 的状态是什么', status('ubuntu2204-cis')],
      ['查看 rhel9_hardened 的状态', status('rhel9_hardened')],
      ['win2022-base 进度怎么样了', status('win2022-base')],
      ['Win11.AVD 状态', status('Win11.AVD')],
      ['win2022-base 的 status', status('win2022-base')],
      ['资源组 rg-images 中 win2022-base 的状态', status('win2022-base', 'rg-images')],
      ['「ubuntu2204-cis」的情况如何', status('ubuntu2204-cis')],
    ],
    list: [
      ['列出失败的模板', list(true)],
      ['列出所有模板', list(false)],
      ['列出模板', list(false)],
      ['有哪些模板失败了？', list(true)],
      ['显示失败的模板', list(true)],
      ['模板列表', list(false)],
      ['列出资源组 aib-sandbox 中失败的模板', list(true, 'aib-sandbox')],
      ['所有模板的状态', list(false)],
      ['哪些模板构建失败了', list(true)],
    ],
    'show-log': [
      ['显示 win2022-base 的日志', log('win2022-base')],
      ['win2022-base 的日志', log('win2022-base')],
      ['查看模板 ubuntu2204-cis 的构建日志', log('ubuntu2204-cis')],
      ['给我看看 rhel9_hardened 的日志', log('rhel9_hardened')],
      ['win2022-base 的 log', log('win2022-base')],
      ['日志：Win11.AVD', log('Win11.AVD')],
      ['请显示「win2022-base」的日志', log('win2022-base')],
      ['打开 ubuntu2204-cis 日志', log('ubuntu2204-cis')],
      ['资源组 rg-images 中 win2022-base 的日志', log('win2022-base', 'rg-images')],
    ],
    help: [
      ['帮助', HELP],
      ['帮助？', HELP],
      ['帮忙', HELP],
      ['你能做什么？', HELP],
      ['你可以做什么', HELP],
      ['命令', HELP],
      ['怎么用', HELP],
      ['使用说明', HELP],
      ['请帮助', HELP],
      ['你好', HELP],
    ],
  },
  'pt-BR': {
    diagnose: [
      ['por que o template win2022-base falhou?', diagnose('win2022-base')],
      ['o que há de errado com ubuntu2204-cis', diagnose('ubuntu2204-cis')],
      ['porque win2022-base falhou', diagnose('win2022-base')],
      ['por que o modelo rhel9_hardened está falhando?', diagnose('rhel9_hardened')],
      ['diagnosticar Win11.AVD', diagnose('Win11.AVD')],
      ['o que aconteceu com o template win2022-base?', diagnose('win2022-base')],
      ['qual é o problema com ubuntu2204-cis?', diagnose('ubuntu2204-cis')],
      ['win2022-base falhou, por quê?', diagnose('win2022-base')],
      ['por que a compilação do win2022-base deu erro?', diagnose('win2022-base')],
      ['por que o template win2022-base falhou no grupo de recursos rg-images?', diagnose('win2022-base', 'rg-images')],
      ['por que o meu template win2022-base falhou?', diagnose('win2022-base')],
    ],
    status: [
      ['status do win2022-base', status('win2022-base')],
      ['qual é o status do template ubuntu2204-cis?', status('ubuntu2204-cis')],
      ['estado de rhel9_hardened', status('rhel9_hardened')],
      ['como está o win2022-base?', status('win2022-base')],
      ['situação do modelo Win11.AVD', status('Win11.AVD')],
      ['o win2022-base ainda está rodando?', status('win2022-base')],
      ['verificar ubuntu2204-cis', status('ubuntu2204-cis')],
      ['status do win2022-base no grupo de recursos rg-images', status('win2022-base', 'rg-images')],
      ["me diga o status do 'rhel9_hardened', por favor", status('rhel9_hardened')],
    ],
    list: [
      ['listar templates', list(false)],
      ['listar templates com falha no grupo de recursos aib-sandbox', list(true, 'aib-sandbox')],
      ['mostrar templates com falha', list(true)],
      ['quais templates falharam?', list(true)],
      ['liste os modelos', list(false)],
      ['lista', list(false)],
      ['os templates com erro', list(true)],
      ['ver todos os templates em rg-images', list(false, 'rg-images')],
      ['quais falharam?', list(true)],
      ['status dos templates', list(false)],
    ],
    'show-log': [
      ['mostrar o log de win2022-base', log('win2022-base')],
      ['log do ubuntu2204-cis', log('ubuntu2204-cis')],
      ['mostre os logs do template rhel9_hardened', log('rhel9_hardened')],
      ['quero ver o log de compilação do Win11.AVD', log('Win11.AVD')],
      ['registro do win2022-base', log('win2022-base')],
      ['log de customização do ubuntu2204-cis', log('ubuntu2204-cis')],
      ['exibir log para win2022-base', log('win2022-base')],
      ['me mostra o log do "rhel9_hardened"', log('rhel9_hardened')],
      ['log do win2022-base no grupo de recursos rg-images', log('win2022-base', 'rg-images')],
    ],
    help: [
      ['ajuda', HELP],
      ['ajuda!', HELP],
      ['ajuda por favor', HELP],
      ['o que você pode fazer?', HELP],
      ['comandos', HELP],
      ['como usar?', HELP],
      ['socorro', HELP],
      ['me ajuda', HELP],
      ['olá', HELP],
    ],
  },
  'it-IT': {
    diagnose: [
      ['perché il template win2022-base è fallito?', diagnose('win2022-base')],
      ['cosa non va con ubuntu2204-cis', diagnose('ubuntu2204-cis')],
      ['perché win2022-base è fallito', diagnose('win2022-base')],
      ['perche rhel9_hardened non funziona?', diagnose('rhel9_hardened')],
      ['che cosa non va nel template Win11.AVD?', diagnose('Win11.AVD')],
      ["cos'è successo a win2022-base?", diagnose('win2022-base')],
      ['diagnostica ubuntu2204-cis', diagnose('ubuntu2204-cis')],
      ['perché la build di win2022-base è fallita?', diagnose('win2022-base')],
      ['win2022-base è fallito, perché?', diagnose('win2022-base')],
      ['perché il template win2022-base è fallito nel gruppo di risorse rg-images?', diagnose('win2022-base', 'rg-images')],
      ['perché il mio template win2022-base non è riuscito?', diagnose('win2022-base')],
    ],
    status: [
      ['stato di win2022-base', status('win2022-base')],
      ['qual è lo stato del template ubuntu2204-cis?', status('ubuntu2204-cis')],
      ['stato del modello rhel9_hardened', status('rhel9_hardened')],
      ['come sta Win11.AVD?', status('Win11.AVD')],
      ['win2022-base è ancora in esecuzione?', status('win2022-base')],
      ['controlla lo stato di ubuntu2204-cis', status('ubuntu2204-cis')],
      ['status di "rhel9_hardened"', status('rhel9_hardened')],
      ['stato di win2022-base nel gruppo di risorse rg-images', status('win2022-base', 'rg-images')],
      ['come va il template win2022-base?', status('win2022-base')],
    ],
    list: [
      ['elenca i template non riusciti', list(true)],
      ['elenca i template', list(false)],
      ['mostra i template falliti', list(true)],
      ['quali template sono falliti?', list(true)],
      ['elenco dei modelli', list(false)],
      ['mostrami tutti i template nel gruppo di risorse aib-sandbox', list(false, 'aib-sandbox')],
      ['lista', list(false)],
      ['elenca i template in errore', list(true)],
      ['i template in rg-images', list(false, 'rg-images')],
    ],
    'show-log': [
      ['mostra il log di win2022-base', log('win2022-base')],
      ['log di ubuntu2204-cis', log('ubuntu2204-cis')],
      ['fammi vedere il log del template rhel9_hardened', log('rhel9_hardened')],
      ['registro di Win11.AVD', log('Win11.AVD')],
      ['mostra il log di build di win2022-base', log('win2022-base')],
      ['il log del modello ubuntu2204-cis', log('ubuntu2204-cis')],
      ['log per "rhel9_hardened"', log('rhel9_hardened')],
      ['mostra il log di win2022-base nel gruppo di risorse rg-images', log('win2022-base', 'rg-images')],
      ['dammi il log dello win2022-base', log('win2022-base')],
    ],
    help: [
      ['aiuto', HELP],
      ['aiuto!', HELP],
      ['aiuto per favore', HELP],
      ['cosa sai fare?', HELP],
      ['cosa puoi fare', HELP],
      ['comandi', HELP],
      ['come si usa?', HELP],
      ['aiutami', HELP],
      ['ciao', HELP],
    ],
  },
  'fr-FR': {
    diagnose: [
      ['pourquoi le modèle win2022-base a-t-il échoué ?', diagnose('win2022-base')],
      ["qu'est-ce qui ne va pas avec ubuntu2204-cis", diagnose('ubuntu2204-cis')],
      ['pourquoi win2022-base a échoué', diagnose('win2022-base')],
      ['pourquoi rhel9_hardened échoue ?', diagnose('rhel9_hardened')],
      ['qu’est-ce qui ne va pas avec le modèle Win11.AVD ?', diagnose('Win11.AVD')],
      ['diagnostique win2022-base', diagnose('win2022-base')],
      ['quel est le problème avec ubuntu2204-cis ?', diagnose('ubuntu2204-cis')],
      ['win2022-base a échoué, pourquoi ?', diagnose('win2022-base')],
      ['pourquoi la build de win2022-base est en échec ?', diagnose('win2022-base')],
      ['pourquoi le modèle win2022-base a-t-il échoué dans le groupe de ressources rg-images ?', diagnose('win2022-base', 'rg-images')],
    ],
    status: [
      ['état de win2022-base', status('win2022-base')],
      ["quel est l'état du modèle ubuntu2204-cis ?", status('ubuntu2204-cis')],
      ['statut de rhel9_hardened', status('rhel9_hardened')],
      ['où en est Win11.AVD ?', status('Win11.AVD')],
      ['win2022-base est-il terminé ?', status('win2022-base')],
      ['état de « ubuntu2204-cis »', status('ubuntu2204-cis')],
      ['comment va le modèle rhel9_hardened ?', status('rhel9_hardened')],
      ['état de win2022-base dans le groupe de ressources rg-images', status('win2022-base', 'rg-images')],
      ['vérifie win2022-base', status('win2022-base')],
    ],
    list: [
      ['liste des modèles en échec dans le groupe de ressources aib-sandbox', list(true, 'aib-sandbox')],
      ['liste des modèles', list(false)],
      ['affiche les modèles en échec', list(true)],
      ['quels modèles ont échoué ?', list(true)],
      ['lister les templates', list(false)],
      ['montre-moi tous les modèles dans rg-images', list(false, 'rg-images')],
      ['les modèles en erreur', list(true)],
      ['liste', list(false)],
      ['tous les modèles qui ont échoué', list(true)],
      ['état des modèles', list(false)],
    ],
    'show-log': [
      ['affiche le journal de win2022-base', log('win2022-base')],
      ['journal de ubuntu2204-cis', log('ubuntu2204-cis')],
      ['montre-moi le journal du modèle rhel9_hardened', log('rhel9_hardened')],
      ['les logs de Win11.AVD', log('Win11.AVD')],
      ['journal de build de win2022-base', log('win2022-base')],
      ["affiche le log d'ubuntu2204-cis", log('ubuntu2204-cis')],
      ['journal pour «rhel9_hardened»', log('rhel9_hardened')],
      ['affiche le journal de win2022-base dans le groupe de ressources rg-images', log('win2022-base', 'rg-images')],
      ['je veux voir le journal de personnalisation de win2022-base', log('win2022-base')],
    ],
    help: [
      ['aide', HELP],
      ['aide !', HELP],
      ["de l'aide svp", HELP],
      ['que sais-tu faire ?', HELP],
      ["qu'est-ce que tu peux faire", HELP],
      ['commandes', HELP],
      ['comment ça marche ?', HELP],
      ['aidez-moi', HELP],
      ['bonjour', HELP],
    ],
  },
  'ja-JP': {
    diagnose: [
      ['テンプレート win2022-base が失敗したのはなぜ？', diagnose('win2022-base')],
      ['win2022-base はなぜ失敗したの？', diagnose('win2022-base')],
      ['なぜ ubuntu2204-cis は失敗した？', diagnose('ubuntu2204-cis')],
      ['rhel9_hardened のビルドが失敗した原因を教えて', diagnose('rhel9_hardened')],
      ['Win11.AVD のエラーを診断して', diagnose('Win11.AVD')],
      ['「win2022-base」はどうして失敗したんですか', diagnose('win2022-base')],
      ['ubuntu2204-cis で何が起きた？', diagnose('ubuntu2204-cis')],
      ['win2022-base がおかしい', diagnose('win2022-base')],
      ['リソースグループ rg-images の win2022-base が失敗した理由は？', diagnose('win2022-base', 'rg-images')],
      ['テンプレートwin2022-baseが失敗したのはなぜ', diagnose('win2022-base')],
    ],
    status: [
      ['win2022-base のステータス', status('win2022-base')],
      ['win2022-base のステータスを教えて', status('win2022-base')],
      ['テンプレート ubuntu2204-cis の状態は？', status('ubuntu2204-cis')],
      ['rhel9_hardened はどうなっている？', status('rhel9_hardened')],
      ['Win11.AVD の進捗', status('Win11.AVD')],
      ['「win2022-base」の状況を教えてください', status('win2022-base')],
      ['ステータス win2022-base', status('win2022-base')],
      ['win2022-base のビルドは終わった？', status('win2022-base')],
      ['リソースグループ rg-images の win2022-base の状態', status('win2022-base', 'rg-images')],
    ],
    list: [
      ['失敗したテンプレートを一覧表示', list(true)],
      ['テンプレートの一覧', list(false)],
      ['テンプレート一覧を見せて', list(false)],
      ['失敗したテンプレートを見せて', list(true)],
      ['全部のテンプレートを表示して', list(false)],
      ['リソースグループ aib-sandbox の失敗したテンプレート', list(true, 'aib-sandbox')],
      ['どれが失敗した？', list(true)],
      ['テンプレートをリストして', list(false)],
      ['エラーになったテンプレートの一覧', list(true)],
    ],
    'show-log': [
      ['win2022-base のログを見せて', log('win2022-base')],
      ['ubuntu2204-cis のログ', log('ubuntu2204-cis')],
      ['テンプレート rhel9_hardened のビルドログを表示して', log('rhel9_hardened')],
      ['Win11.AVD のカスタマイズ ログ', log('Win11.AVD')],
      ['ログ win2022-base', log('win2022-base')],
      ['「ubuntu2204-cis」のログを見たい', log('ubuntu2204-cis')],
      ['win2022-base の log を出して', log('win2022-base')],
      ['リソースグループ rg-images の win2022-base のログ', log('win2022-base', 'rg-images')],
      ['rhel9_hardened のログを教えてください', log('rhel9_hardened')],
    ],
    help: [
      ['ヘルプ', HELP],
      ['ヘルプ！', HELP],
      ['ヘルプをお願いします', HELP],
      ['使い方', HELP],
      ['使い方を教えて', HELP],
      ['何ができる？', HELP],
      ['何ができますか', HELP],
      ['コマンド一覧', HELP],
      ['こんにちは', HELP],
    ],
  },
};

const LANGS = Object.keys(PHRASINGS) as Lang[];
const KINDS: readonly Kind[] = ['diagnose', 'status', 'list', 'show-log', 'help'];
const ALL_CASES: ReadonlyArray<readonly [Lang, Kind, string, Intent]> = LANGS.flatMap((lang) =>
  KINDS.flatMap((kind) => PHRASINGS[lang][kind].map(([text, expected]) => [lang, kind, text, expected] as const)),
);

describe('parseIntent: phrasings in six languages', () => {
  it('has at least eight phrasings per intent per language', () => {
    for (const lang of LANGS) for (const kind of KINDS) expect([lang, kind, PHRASINGS[lang][kind].length >= 8]).toEqual([lang, kind, true]);
    expect(ALL_CASES.length).toBeGreaterThan(250);
  });

  it.each(ALL_CASES)('[%s %s] %s', (_lang, _kind, text, expected) => {
    expect(parseIntent(text)).toEqual(expected);
  });

  it('reads every language whatever the chat locale: the same message always gives the same intent', () => {
    // No locale goes in: a Japanese question in an English chat parses exactly as in a Japanese one.
    expect(parseIntent('テンプレート win2022-base が失敗したのはなぜ？')).toEqual(diagnose('win2022-base'));
    expect(parseIntent('win2022-base 的 status')).toEqual(status('win2022-base'));
  });
});

describe('parseIntent: template and resource-group names', () => {
  it.each([
    ['"win2022-base"'],
    ["'win2022-base'"],
    ['“win2022-base”'],
    ['«win2022-base»'],
    ['« win2022-base »'],
    ['「win2022-base」'],
    ['『win2022-base』'],
    ['`win2022-base`'],
    ['‘win2022-base’'],
  ])('takes the name out of the quotes %s', (quoted) => {
    expect(parseIntent(`status of ${quoted}`)).toEqual(status('win2022-base'));
    expect(parseIntent(`why did ${quoted} fail?`)).toEqual(diagnose('win2022-base'));
  });

  it.each([
    ['why did template win2022-base fail', 'win2022-base'],
    ['why did the win2022-base template fail', 'win2022-base'],
    ['status of image template ubuntu2204-cis', 'ubuntu2204-cis'],
    ['为什么模板 win2022-base 失败了', 'win2022-base'],
    ['win2022-base 模板的状态', 'win2022-base'],
    ['テンプレート win2022-base のステータス', 'win2022-base'],
    ['win2022-base テンプレートのステータス', 'win2022-base'],
    ['status do modelo win2022-base', 'win2022-base'],
    ['por que o win2022-base template falhou', 'win2022-base'],
    ['stato del modello win2022-base', 'win2022-base'],
    ['perché win2022-base modello è fallito', 'win2022-base'],
    ['état du modèle win2022-base', 'win2022-base'],
    ['pourquoi win2022-base modèle a échoué', 'win2022-base'],
  ])('never takes the word "template" for the name: %s', (text, name) => {
    const intent = parseIntent(text);
    expect(intent).toMatchObject({ target: { name } });
  });

  it('keeps the name as typed, case included (resolution is case-insensitive, later)', () => {
    expect(parseIntent('status of WIN2022-Base')).toEqual(status('WIN2022-Base'));
    expect(parseIntent('Win2022-Base 的状态')).toEqual(status('Win2022-Base'));
  });

  it('still returns the intent when the name breaks the naming rules, for the caller to report invalid-name', () => {
    expect(parseIntent('status of win2022+base')).toEqual(status('win2022+base'));
    expect(parseIntent('diagnose Überbild-2022')).toEqual(diagnose('Überbild-2022'));
    const tooLong = `t${'x'.repeat(80)}`;
    expect(parseIntent(`why did ${tooLong} fail?`)).toEqual(diagnose(tooLong));
    expect(parseIntent('show the log of foo/bar/baz')).toEqual(log('foo/bar/baz'));
  });

  it('never puts whitespace in a name, even a quoted one', () => {
    expect(parseIntent('why did "win 2022 base" fail?')).toEqual(diagnose('win2022base'));
    for (const [, , , expected] of ALL_CASES) {
      if ('target' in expected) expect(expected.target.name).not.toMatch(/\s/);
    }
    for (const [, , text] of ALL_CASES) {
      const intent = parseIntent(text);
      if ('target' in intent) expect(intent.target.name).not.toMatch(/\s/);
    }
  });

  it('reads the resource group from a full ARM id or from rg/name', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/Microsoft.VirtualMachineImages/imageTemplates/win2022-base';
    expect(parseIntent(`status of ${id}`)).toEqual(status('win2022-base', 'rg-images'));
    expect(parseIntent('why did rg-images/win2022-base fail?')).toEqual(diagnose('win2022-base', 'rg-images'));
  });

  it('reads resource groups with brackets and dots, quoted ones, and drops the closing sentence dot', () => {
    expect(parseIntent('list templates in resource group rg.images(prod).')).toEqual(list(false, 'rg.images(prod)'));
    expect(parseIntent('status of win2022-base (rg rg-images)')).toEqual(status('win2022-base', 'rg-images'));
    expect(parseIntent('list failed templates in resource group "aib-sandbox"')).toEqual(list(true, 'aib-sandbox'));
    expect(parseIntent('status of win2022-base in resource group: rg-images')).toEqual(status('win2022-base', 'rg-images'));
  });

  it('does not read a resource group named like a failure as a request for failed templates', () => {
    expect(parseIntent('list templates in resource group failed-builds')).toEqual(list(false, 'failed-builds'));
    expect(parseIntent('list templates in failed-builds')).toEqual(list(false, 'failed-builds'));
  });

  it('answers unrecognized, not a made-up name, when a question names no template', () => {
    for (const text of ['why did it fail?', 'show the log', 'status', 'what is wrong with it', 'pourquoi a-t-il échoué ?', 'なぜ失敗した？', '为什么失败了']) {
      expect(parseIntent(text)).toEqual({ kind: 'unrecognized', text });
    }
  });

  it('does not take a long template name in a question for a paste', () => {
    const name = `win2022-${'a'.repeat(56)}`;
    expect(name).toHaveLength(64);
    const rg = `rg-${'b'.repeat(87)}`;
    expect(parseIntent(`what is the status of template ${name} in resource group ${rg} please?`)).toEqual(status(name, rg));
    expect(parseIntent(`why did template ${name} fail?`)).toEqual(diagnose(name));
  });

  it('keeps a question longer than 300 characters a question when it asks for something', () => {
    const text = `why did win2022-base fail? ${'It worked yesterday and nobody changed anything in the template since. '.repeat(6)}`;
    expect(text.length).toBeGreaterThan(300);
    expect(parseIntent(text)).toEqual(diagnose('win2022-base'));
  });

  it('reads a short question split over lines with Shift+Enter', () => {
    expect(parseIntent('why did template\nwin2022-base fail?')).toEqual(diagnose('win2022-base'));
    expect(parseIntent('list failed templates\r\nin resource group aib-sandbox')).toEqual(list(true, 'aib-sandbox'));
  });
});

describe('parseIntent: pasted errors', () => {
  const DEVOPS = [
    '2024-05-05T18:28:24.9280196Z ##[section]Starting: Azure VM Image Builder Task',
    '2024-05-05T18:41:02.1100000Z ##[error]Build failed: template t_171493 ended in runState Failed',
  ].join('\n');
  const CLI = [
    'ERROR: (InvalidTemplate) Update/Upgrade of image templates is currently not supported.',
    'Code: InvalidTemplate',
    'Message: Update/Upgrade of image templates is currently not supported.',
  ].join('\n');
  const STATUS_JSON = JSON.stringify({ properties: { lastRunStatus: { runState: 'Failed', message: 'Packer build command has failed' } } }, null, 2);
  const ERROR_JSON = '{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization"}}';
  const PACKER = '[45f485cf] PACKER OUT ==> azure-arm: Waiting for the Windows Modules Installer to exit...';
  const DEPLOYMENT = "Deployment failed. Correlation ID: 1b2c3d4e. Failed in building/customizing image: Timeout waiting for microservice to complete: 'context deadline exceeded'";
  const TELEMETRY = '(telemetry) Starting provisioner powershell';
  const STACK = ['TypeError: Cannot read properties of undefined', '    at build (/home/vsts/work/task/index.js:41:17)', '    at main (/home/vsts/work/task/index.js:9:3)'].join('\n');
  const CODE_LINE = 'Code: ResourceDeploymentFailure Message: The resource operation completed with terminal provisioning state Failed.';

  it.each([
    ['DevOps task output', DEVOPS],
    ['Azure CLI error', CLI],
    ['template status JSON', STATUS_JSON],
    ['ARM error JSON on one line', ERROR_JSON],
    ['a customization.log line', PACKER],
    ['a Deployment failed line', DEPLOYMENT],
    ['a telemetry line', TELEMETRY],
    ['a stack trace', STACK],
    ['a Code: line', CODE_LINE],
    ['a lone error code', 'AuthorizationFailed'],
    ['an error sentence', 'Error: the storage account could not be reached'],
    // Recognised by content whatever the length and the case (issue 16).
    ['an ARM error ending in (CODE: 409)', 'The template deployment failed because of policy violation. Please see details for more information. (CODE: 409)'],
    ['the same in lower case', 'the template deployment failed because of policy violation. (code: 409)'],
    ['a lower-case Code: line', 'code: invalidtemplate'],
    ['an ErrorCode= line', 'ErrorCode=ImageTemplateProvisioningFailed'],
    ['the az form of the same error', '(RequestDisallowedByPolicy) Resource was disallowed by policy.'],
    ['a Packer line without the log prefix', '==> azure-arm: Deleting the temporary resource group'],
    ['a Packer errored line', "Build 'azure-arm' errored after 12 minutes: unexpected EOF"],
    ['a lower-case packer out line', 'packer out azure-arm: provisioning with powershell script'],
  ])('treats %s as a paste to diagnose, text kept whole', (_what, text) => {
    expect(parseIntent(text)).toEqual({ kind: 'diagnose-text', text });
  });

  it('keeps a question that names a code a question', () => {
    expect(parseIntent('why did win2022-base fail with QuotaExceeded?')).toEqual(diagnose('win2022-base'));
    expect(parseIntent('what is wrong with win2022-base')).toEqual(diagnose('win2022-base'));
  });

  it('keeps the paste even when a question comes with it', () => {
    const text = `why did win2022-base fail? ${DEPLOYMENT}`;
    expect(parseIntent(text)).toEqual({ kind: 'diagnose-text', text });
    const multiline = `why did win2022-base fail?\n${PACKER}`;
    expect(parseIntent(multiline)).toEqual({ kind: 'diagnose-text', text: multiline });
  });

  it('passes a 10 kB paste on whole, beyond the characters read for intents', () => {
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 10_000; i += 1) lines.push(`[a170b40d] PACKER ERR 2024/04/30 22:29:${String(i % 60).padStart(2, '0')} [INFO] RPC client: Communicator ended with: 1115`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(MAX_MESSAGE_CHARS);
    const intent = parseIntent(text);
    expect(intent.kind).toBe('diagnose-text');
    expect(intent.kind === 'diagnose-text' && intent.text).toBe(text);
  });

  it('treats long text with no request in it as a paste, and long multi-line text too', () => {
    const prose = 'The image build stopped half way and the pipeline went red after the customizer ran for a while. '.repeat(4);
    expect(prose.trim().length).toBeGreaterThan(300);
    expect(parseIntent(prose)).toEqual({ kind: 'diagnose-text', text: prose.trim() });
    const unrecognizedLines = 'the build went red\nafter the last change\nto the script\nno idea why';
    expect(parseIntent(unrecognizedLines)).toEqual({ kind: 'diagnose-text', text: unrecognizedLines });
  });

  it('keeps MAX_MESSAGE_CHARS above the paste threshold, so a long question can still be read', () => {
    expect(MAX_MESSAGE_CHARS).toBeGreaterThanOrEqual(500);
  });

  // The troubleshooting guide's examples and the catalog samples are the errors people will paste.
  const fixtureDirs = [join(__dirname, '..', 'fixtures', 'samples'), join(__dirname, '..', 'fixtures', 'seed-examples')];
  const fixtures = fixtureDirs.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((file) => file.endsWith('.txt')).map((file) => [file, readFileSync(join(dir, file), 'utf8')] as const);
    } catch {
      return [];
    }
  });

  it('finds the sample pastes', () => {
    expect(fixtures.length).toBeGreaterThan(10);
  });

  it.each(fixtures)('treats the sample %s as a paste', (_file, content) => {
    expect(parseIntent(content)).toEqual({ kind: 'diagnose-text', text: content.trim() });
  });
});

describe('parseIntent: empty and odd input', () => {
  it.each([[''], ['   '], ['\n\t'], ['<at>AIB Bot</at>'], ['\u200B\u200D\uFEFF'], ['&nbsp;'], ['\u00A0\u3000']])('is empty for %j', (text) => {
    expect(parseIntent(text)).toEqual({ kind: 'empty' });
  });

  it('is empty, not a crash, for values that are not strings', () => {
    expect(parseIntent(undefined as unknown as string)).toEqual({ kind: 'empty' });
    expect(parseIntent(null as unknown as string)).toEqual({ kind: 'empty' });
    expect(parseIntent(42 as unknown as string)).toEqual({ kind: 'empty' });
  });

  it.each([
    ['only punctuation', '!!! ... ,,,'],
    ['emoji', '🔥🚀💥'],
    ['Arabic', 'لماذا فشل القالب'],
    ['Hebrew', 'מה המצב'],
    ['HTML', '<script>alert(1)</script>'],
    ['a greeting to someone else', 'good morning team'],
    ['lone surrogates', '\uD800\uDFFF\uDC00 status'],
    ['an emoji where the name should be', '🔥 status'],
  ])('answers unrecognized for %s', (_what, text) => {
    expect(parseIntent(text)).toEqual({ kind: 'unrecognized', text });
  });

  it('understands a request wrapped in emoji, RTL marks or zero-width characters', () => {
    expect(parseIntent('🔥 why did win2022-base fail? 🔥')).toEqual(diagnose('win2022-base'));
    expect(parseIntent('\u200Fstatus of win2022-base\u200F')).toEqual(status('win2022-base'));
    expect(parseIntent('status\u200B of win2022\u200B-base')).toEqual(status('win2022-base'));
    expect(parseIntent('status of\u00A0win2022-base')).toEqual(status('win2022-base'));
  });

  it('treats 100 kB of one letter as a paste without choking', () => {
    const text = 'a'.repeat(100_000);
    const intent = parseIntent(text);
    expect(intent).toEqual({ kind: 'diagnose-text', text });
  });

  it('survives inputs shaped to make regular expressions backtrack', () => {
    const nasty = [
      `why did ${'a '.repeat(5000)}`,
      `status of ${'"'.repeat(5000)}`,
      `${'resource group '.repeat(2000)}x`,
      `${' \t'.repeat(20000)}at x:1`,
      `${'{'.repeat(20000)}`,
      `${'AaBb'.repeat(20000)}`,
      `${"l'".repeat(10000)}`,
      `${'日志'.repeat(20000)} win`,
      `\n${'   at '.repeat(5000)}`,
      `${'log of '.repeat(3000)}`,
    ];
    for (const text of nasty) {
      const intent = parseIntent(text);
      expect(['diagnose-text', 'unrecognized', 'show-log', 'status', 'diagnose', 'list', 'help']).toContain(intent.kind);
    }
  });

  it('never throws and always returns a well-formed intent on random input', () => {
    // Deterministic generator: a failure reproduces with the same seed.
    let seed = 20240605;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = [
      'why', 'did', 'fail', 'status', 'of', 'log', 'list', 'templates', 'resource group', 'rg', '"', "'", '「', '」', '«', '»', '`', '?', '？', '!', '.',
      '\n', ' ', '\u200B', '\u00A0', '<at>', '</at>', '&nbsp;', '模板', '失败', 'ログ', 'état', 'de', "l'", 'perché', '(', ')', '/', 'win2022-base',
      '🔥', '\uD800', 'Code: ', '##[error]', 'a', 'é', '-', '_',
    ];
    for (let i = 0; i < 3000; i += 1) {
      const parts: string[] = [];
      const length = Math.floor(next() * 14);
      for (let j = 0; j < length; j += 1) parts.push(alphabet[Math.floor(next() * alphabet.length)]);
      const text = parts.join(next() < 0.5 ? ' ' : '');
      let intent: Intent | undefined;
      expect(() => {
        intent = parseIntent(text);
      }).not.toThrow();
      if (intent && 'target' in intent) {
        expect(intent.target.name.length).toBeGreaterThan(0);
        expect(intent.target.name).not.toMatch(/\s/);
      }
    }
  });
});

describe('stripMentions', () => {
  const botId = '28:11111111-2222-3333-4444-555555555555';
  const botMention = { type: 'mention', text: '<at>AIB Bot</at>', mentioned: { id: botId, name: 'AIB Bot' } };

  it('removes the <at> tag of a channel message', () => {
    expect(stripMentions('<at>AIB Bot</at> why did win2022-base fail?', [botMention], botId)).toBe('why did win2022-base fail?');
  });

  it('removes <at> tags even without entities, and every mention in a group chat', () => {
    expect(stripMentions('<at>AIB Bot</at> status of win2022-base')).toBe('status of win2022-base');
    expect(stripMentions('<at>AIB Bot</at> ask <at>Alice Martin</at>: list failed templates')).toBe('ask : list failed templates');
  });

  it('removes the mention text of the bot entity when a client sends it without tags', () => {
    const plain = { type: 'mention', text: '@AIB Bot', mentioned: { id: botId, name: 'AIB Bot' } };
    expect(stripMentions('@AIB Bot list templates', [plain], botId)).toBe('list templates');
  });

  it('leaves another person’s plain-text mention when it is not the bot', () => {
    const alice = { type: 'mention', text: '@Alice', mentioned: { id: '29:alice', name: 'Alice' } };
    expect(stripMentions('@Alice said status of win2022-base', [alice], botId)).toBe('@Alice said status of win2022-base');
  });

  it('removes a leading bot name typed as plain text', () => {
    expect(stripMentions('AIB Bot status of win2022-base', [botMention], botId)).toBe('status of win2022-base');
    expect(stripMentions('@aib bot, help', [botMention], botId)).toBe('help');
    expect(stripMentions('AIB Botanist status', [botMention], botId)).toBe('AIB Botanist status');
  });

  it('drops the comma or colon that followed the mention', () => {
    expect(stripMentions('<at>AIB Bot</at>, why did win2022-base fail?', [botMention], botId)).toBe('why did win2022-base fail?');
    expect(stripMentions('<at>AIB Bot</at>: help', [botMention], botId)).toBe('help');
  });

  it('turns &nbsp; into spaces and removes zero-width characters', () => {
    expect(stripMentions('<at>AIB Bot</at>&nbsp;status&nbsp;of win\u200B2022-base\uFEFF', [botMention], botId)).toBe('status of win2022-base');
  });

  it('removes formatting HTML, keeps line breaks and decodes entities, but keeps placeholders like <rgName>', () => {
    expect(stripMentions('<p><at>AIB Bot</at> status of <b>win2022-base</b></p>', [botMention], botId)).toBe('status of win2022-base');
    expect(stripMentions('<div>line one</div><div>line two</div>')).toBe('line one\nline two');
    expect(stripMentions('{&quot;code&quot;: &quot;Conflict&quot;} &amp; &#39;x&#39; &#x41;')).toBe('{"code": "Conflict"} & \'x\' A');
    expect(stripMentions('resourceGroups/<rgName>/providers')).toBe('resourceGroups/<rgName>/providers');
  });

  it('leaves text without mentions as it was, apart from trimming', () => {
    expect(stripMentions('  why did win2022-base fail?  ')).toBe('why did win2022-base fail?');
  });

  it('never throws on odd entities or text', () => {
    const odd = [
      null,
      42,
      {},
      { type: 'clientInfo', locale: 'en-US' },
      { type: 'mention' },
      { type: 'mention', text: '' },
      { type: 'mention', text: 7, mentioned: { id: botId, name: 42 } },
      { type: 'mention', mentioned: 'bot' },
    ] as unknown as Parameters<typeof stripMentions>[1];
    expect(stripMentions('<at>AIB Bot</at> help', odd, botId)).toBe('help');
    expect(stripMentions(undefined as unknown as string)).toBe('');
    expect(stripMentions('&#xD800; &#99999999;')).toBe('&#xD800; &#99999999;');
    expect(stripMentions('<at>unclosed help')).toBe('<at>unclosed help');
  });

  it('feeds parseIntent: a channel question ends up as the right intent', () => {
    const text = stripMentions('<at>AIB Bot</at> 为什么模板 win2022-base 失败了？', [botMention], botId);
    expect(parseIntent(text)).toEqual(diagnose('win2022-base'));
    expect(parseIntent(stripMentions('<at>AIB Bot</at>', [botMention], botId))).toEqual({ kind: 'empty' });
  });
});

describe('parseIntent: lists narrowed by name (issue 16)', () => {
  it.each([
    ['list templates named win2022', { kind: 'list', failedOnly: false, nameContains: 'win2022' }],
    ['list failed templates containing ubuntu', { kind: 'list', failedOnly: true, nameContains: 'ubuntu' }],
    ['list templates matching "win-*" in resource group aib-sandbox', { kind: 'list', failedOnly: false, resourceGroup: 'aib-sandbox', nameContains: 'win-' }],
    ['listar templates com falha chamados win2022', { kind: 'list', failedOnly: true, nameContains: 'win2022' }],
    ['elenca i modelli chiamati win2022', { kind: 'list', failedOnly: false, nameContains: 'win2022' }],
    ['liste des modèles en échec contenant ubuntu', { kind: 'list', failedOnly: true, nameContains: 'ubuntu' }],
    ['列出名称包含 win2022 的模板', { kind: 'list', failedOnly: false, nameContains: 'win2022' }],
    ['名前に win2022 を含むテンプレートの一覧', { kind: 'list', failedOnly: false, nameContains: 'win2022' }],
  ])('%s', (text, expected) => {
    expect(parseIntent(text)).toEqual(expected);
  });

  it('a name filter called "failed" does not make the list failed-only', () => {
    expect(parseIntent('list templates named failed-nightly')).toEqual({ kind: 'list', failedOnly: false, nameContains: 'failed-nightly' });
  });
});
