import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GATEWAY_PERMISSIONS, IMAGE_BUILDER_ACTIONS, STORAGE_ACTIONS } from '../../src/azure/permissions';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

// No Bicep compiler here, so the files are read by the small parser below: enough of the language for
// conventional, one-declaration-per-line Bicep (objects, arrays, strings, conditions, loops; any other expression
// is kept as its source text).

type Value = string | number | boolean | Expr | Cond | Loop | Value[] | { [key: string]: Value };
interface Expr { expr: string }
interface Cond { if: string; then: Value }
interface Loop { for: string; body: Value }

interface Declaration {
  keyword: 'targetScope' | 'param' | 'var' | 'resource' | 'module' | 'output';
  name: string;
  /** Resource type with api version, module path, or param/output type. */
  kind: string;
  value?: Value;
  decorators: string[];
  /** The `//` comment lines right above the declaration (after its decorators are skipped). */
  comment: string;
}

class BicepParser {
  private at = 0;
  constructor(private readonly src: string) {}

  parseFile(): Declaration[] {
    const out: Declaration[] = [];
    let decorators: string[] = [];
    let comment: string[] = [];
    for (;;) {
      this.skipSpaces();
      if (this.at >= this.src.length) return out;
      const ch = this.src[this.at];
      if (ch === '\n' || ch === '\r') {
        this.at++;
        if (this.peekBlankLine()) comment = [];
        continue;
      }
      if (this.src.startsWith('//', this.at)) {
        const end = this.lineEnd();
        comment.push(this.src.slice(this.at + 2, end).trim());
        this.at = end;
        continue;
      }
      if (ch === '@') {
        const start = this.at;
        this.at = this.scanExpressionEnd();
        decorators.push(this.src.slice(start, this.at).trim());
        continue;
      }
      const keyword = this.ident() as Declaration['keyword'];
      let name = '';
      let kind = '';
      let value: Value | undefined;
      if (keyword === 'targetScope') {
        this.expect('=');
        value = this.value();
      } else if (keyword === 'param' || keyword === 'output') {
        name = this.ident();
        kind = this.ident();
        this.skipSpaces();
        if (this.src[this.at] === '=') {
          this.at++;
          value = this.value();
        }
      } else if (keyword === 'var') {
        name = this.ident();
        this.expect('=');
        value = this.value();
      } else if (keyword === 'resource' || keyword === 'module') {
        name = this.ident();
        this.skipSpaces();
        kind = this.stringLiteral();
        this.skipSpaces();
        if (this.src.startsWith('existing', this.at)) this.ident();
        this.expect('=');
        value = this.value();
      } else {
        throw new Error(`unexpected "${keyword}" at ${this.where()}`);
      }
      out.push({ keyword, name, kind, value, decorators, comment: comment.join(' ') });
      decorators = [];
      comment = [];
    }
  }

  private value(): Value {
    this.skipSpaces();
    const ch = this.src[this.at];
    if (this.src.startsWith('if', this.at) && /^if\s*\(/.test(this.src.slice(this.at, this.at + 8))) {
      this.at += 2;
      this.skipSpaces();
      const start = this.at;
      this.at = this.matchClose(this.at);
      const condition = this.src.slice(start + 1, this.at - 1).trim();
      return { if: condition, then: this.value() };
    }
    if (ch === '{') return this.object();
    if (ch === '[') {
      const after = this.src.slice(this.at + 1).trimStart();
      return after.startsWith('for ') ? this.loop() : this.array();
    }
    const start = this.at;
    const end = this.scanExpressionEnd();
    const text = this.src.slice(start, end).trim();
    this.at = end;
    if (/^'(?:[^'\\]|\\.)*'$/.test(text)) return text.slice(1, -1).replace(/\\(.)/g, '$1');
    if (text === 'true' || text === 'false') return text === 'true';
    if (/^-?\d+$/.test(text)) return Number(text);
    return { expr: text };
  }

  private object(): Record<string, Value> {
    const obj: Record<string, Value> = {};
    this.at++; // {
    for (;;) {
      this.skipTrivia();
      if (this.src[this.at] === '}') {
        this.at++;
        return obj;
      }
      const key = this.src[this.at] === "'" ? this.stringLiteral() : this.ident();
      this.expect(':');
      obj[key] = this.value();
    }
  }

  private array(): Value[] {
    const items: Value[] = [];
    this.at++; // [
    for (;;) {
      this.skipTrivia();
      if (this.src[this.at] === ']') {
        this.at++;
        return items;
      }
      items.push(this.value());
    }
  }

  private loop(): Loop {
    this.at++; // [
    const colon = this.topLevelColon();
    const header = this.src.slice(this.at, colon).trim().replace(/^for\s+/, '');
    this.at = colon + 1;
    const body = this.value();
    this.skipTrivia();
    this.expect(']');
    return { for: header, body };
  }

  /** The `:` that ends a `for x in y:` header, skipping any inside brackets or strings. */
  private topLevelColon(): number {
    let depth = 0;
    for (let i = this.at; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "'") i = this.stringEnd(i) - 1;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (c === ':' && depth === 0) return i;
    }
    throw new Error(`for loop without ":" at ${this.where()}`);
  }

  /** End of an expression: a newline, comma or closing bracket at depth 0, or a trailing comment. */
  private scanExpressionEnd(): number {
    let depth = 0;
    let i = this.at;
    for (; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "'") {
        i = this.stringEnd(i) - 1;
      } else if (this.src.startsWith('//', i)) {
        if (depth === 0) return i;
        i = this.src.indexOf('\n', i) - 1;
      } else if ('([{'.includes(c)) {
        depth++;
      } else if (')]}'.includes(c)) {
        if (depth === 0) return i;
        depth--;
      } else if ((c === '\n' || c === ',') && depth === 0) {
        return i;
      }
    }
    return i;
  }

  private stringEnd(open: number): number {
    for (let i = open + 1; i < this.src.length; i++) {
      if (this.src[i] === '\\') i++;
      else if (this.src[i] === "'") return i + 1;
    }
    throw new Error(`unterminated string at ${open}`);
  }

  private matchClose(open: number): number {
    const saved = this.at;
    this.at = open + 1;
    const end = this.scanExpressionEnd();
    this.at = saved;
    return end + 1;
  }

  private stringLiteral(): string {
    if (this.src[this.at] !== "'") throw new Error(`expected a string at ${this.where()}`);
    const end = this.stringEnd(this.at);
    const text = this.src.slice(this.at + 1, end - 1).replace(/\\(.)/g, '$1');
    this.at = end;
    return text;
  }

  private ident(): string {
    this.skipSpaces();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.at, this.at + 200));
    if (!m) throw new Error(`expected a name at ${this.where()}`);
    this.at += m[0].length;
    return m[0];
  }

  private expect(token: string): void {
    this.skipSpaces();
    if (!this.src.startsWith(token, this.at)) throw new Error(`expected "${token}" at ${this.where()}`);
    this.at += token.length;
  }

  private skipSpaces(): void {
    while (this.src[this.at] === ' ' || this.src[this.at] === '\t') this.at++;
  }

  /** Whitespace, newlines, commas and comments between object members or array items. */
  private skipTrivia(): void {
    for (;;) {
      const c = this.src[this.at];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') this.at++;
      else if (this.src.startsWith('//', this.at)) this.at = this.lineEnd();
      else if (this.src.startsWith('/*', this.at)) this.at = this.src.indexOf('*/', this.at) + 2;
      else return;
    }
  }

  private lineEnd(): number {
    const end = this.src.indexOf('\n', this.at);
    return end < 0 ? this.src.length : end;
  }

  private peekBlankLine(): boolean {
    let i = this.at;
    while (this.src[i] === ' ' || this.src[i] === '\t' || this.src[i] === '\r') i++;
    return this.src[i] === '\n';
  }

  private where(): string {
    const line = this.src.slice(0, this.at).split('\n').length;
    return `line ${line}: ${JSON.stringify(this.src.slice(this.at, this.at + 40))}`;
  }
}

function parseBicep(text: string): Declaration[] {
  return new BicepParser(text).parseFile();
}

// ---------------------------------------------------------------------------------------------------------------

const INFRA = resolve(__dirname, '..', '..', 'infra');
const read = (rel: string) => readFileSync(join(INFRA, rel), 'utf8');
const main = parseBicep(read('main.bicep'));
const rolesModule = parseBicep(read('modules/image-builder-roles.bicep'));
const accessModule = parseBicep(read('modules/image-builder-access.bicep'));

const ROLE = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  supportRequestContributor: 'cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e',
};
/** What the built-in roles the Bicep assigns grant, as far as the bot's gateway calls are concerned. */
const BUILT_IN_DATA_ACTIONS: Record<string, string[]> = {
  [ROLE.storageBlobDataReader]: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
};

function find(decls: Declaration[], keyword: Declaration['keyword'], name: string): Declaration {
  const d = decls.find((x) => x.keyword === keyword && x.name === name);
  if (!d) throw new Error(`no ${keyword} ${name}`);
  return d;
}

function resourcesOfType(decls: Declaration[], type: string): Declaration[] {
  return decls.filter((d) => d.keyword === 'resource' && d.kind.split('@')[0] === type);
}

/** A resource's body, looking through `if (...)`. */
function body(d: Declaration): Record<string, Value> {
  const v = d.value as Value;
  const inner = typeof v === 'object' && v !== null && 'if' in v ? (v as Cond).then : v;
  return inner as Record<string, Value>;
}

function condition(d: Declaration): string | undefined {
  const v = d.value as Value;
  return typeof v === 'object' && v !== null && 'if' in v ? (v as Cond).if : undefined;
}

const props = (d: Declaration) => body(d).properties as Record<string, Value>;
const exprOf = (v: Value | undefined) => (typeof v === 'object' && v !== null && 'expr' in v ? (v as Expr).expr : undefined);

/** Resolves `var x = '...'` references so a role id held in a variable compares as its value. */
function varValue(decls: Declaration[], v: Value | undefined): string {
  const text = typeof v === 'string' ? v : exprOf(v) ?? '';
  return text.replace(/\b([A-Za-z_][A-Za-z0-9_]*)\b/g, (word) => {
    const hit = decls.find((d) => d.keyword === 'var' && d.name === word);
    return hit && typeof hit.value === 'string' ? hit.value : word;
  });
}

describe('Bicep parser used by these tests', () => {
  it('reads declarations, nested values, conditions, loops and comments', () => {
    const decls = parseBicep(
      [
        "@description('x')",
        "param names array = []",
        '// why this exists',
        "resource r 'A.B/c@2020-01-01' = if (flag == 'on') {",
        "  name: 'n-${x}' // trailing",
        '  properties: {',
        "    list: [\n      'a'\n      // inside\n      'b'\n    ]",
        '    on: true',
        "    nested: empty(y) ? [] : [\n      { k: 'v' }\n    ]",
        '  }',
        '}',
        "module m 'mod.bicep' = [for rg in names: {",
        '  scope: resourceGroup(rg)',
        '}]',
      ].join('\n'),
    );
    expect(decls.map((d) => `${d.keyword}:${d.name}`)).toEqual(['param:names', 'resource:r', 'module:m']);
    expect(decls[0].decorators).toEqual(["@description('x')"]);
    const r = decls[1];
    expect(r.comment).toBe('why this exists');
    expect(condition(r)).toBe("flag == 'on'");
    expect(body(r).name).toBe('n-${x}');
    expect(props(r).list).toEqual(['a', 'b']);
    expect(props(r).on).toBe(true);
    expect(exprOf(props(r).nested)).toContain("k: 'v'");
    expect((decls[2].value as Loop).for).toBe('rg in names');
    expect(exprOf(((decls[2].value as Loop).body as Record<string, Value>).scope)).toBe('resourceGroup(rg)');
    expect(() => parseBicep("resource r 'A' = {\n  name 'x'\n}")).toThrow(/expected ":"/);
  });
});

describe('infra/main.bicep', () => {
  it('deploys to a resource group and declares the expected resources', () => {
    expect(find(main, 'targetScope', '').value).toBe('resourceGroup');
    const types = main.filter((d) => d.keyword === 'resource').map((d) => d.kind.split('@')[0]).sort();
    expect(types).toEqual(
      [
        'Microsoft.Authorization/roleAssignments',
        'Microsoft.BotService/botServices',
        'Microsoft.BotService/botServices/channels',
        'Microsoft.ManagedIdentity/userAssignedIdentities',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Storage/storageAccounts/blobServices',
        'Microsoft.Storage/storageAccounts/blobServices/containers',
        'Microsoft.Storage/storageAccounts/blobServices/containers',
        'Microsoft.Web/serverfarms',
        'Microsoft.Web/sites',
      ].sort(),
    );
    for (const m of main.filter((d) => d.keyword === 'module')) expect(existsSync(join(INFRA, m.kind))).toBe(true);
  });

  it('runs a Linux Node 20 web app with npm start, HTTPS only, as the user-assigned identity', () => {
    const [site] = resourcesOfType(main, 'Microsoft.Web/sites');
    const siteConfig = props(site).siteConfig as Record<string, Value>;
    expect(siteConfig.linuxFxVersion).toBe('NODE|20-lts');
    expect(siteConfig.appCommandLine).toBe('npm start');
    expect(siteConfig.alwaysOn).toBe(true);
    expect(siteConfig.healthCheckPath).toBe('/healthz');
    expect(props(site).httpsOnly).toBe(true);
    const identity = body(site).identity as Record<string, Value>;
    expect(identity.type).toBe('UserAssigned');
    expect(Object.keys(identity.userAssignedIdentities as object)).toEqual(['${identity.id}']);
    const [plan] = resourcesOfType(main, 'Microsoft.Web/serverfarms');
    expect(props(plan).reserved).toBe(true);
  });

  const settings = (() => {
    const base = find(main, 'var', 'baseAppSettings').value as Record<string, Value>[];
    const policy = exprOf(find(main, 'var', 'policySetting').value) ?? '';
    const extra = [...policy.matchAll(/name:\s*'([^']+)'\s*\n\s*value:\s*([^\n]+)/g)].map((m) => ({ name: m[1], value: { expr: m[2].trim() } as Value }));
    return [...base, ...extra].map((s) => ({ name: s.name as string, value: s.value }));
  })();

  it('sets app settings only under names src/config.ts reads (platform settings aside)', () => {
    const appOwned = settings.map((s) => s.name).filter((n) => !/^(SCM_|WEBSITE_|WEBSITES_)/.test(n));
    expect(appOwned.filter((n) => !CONFIG_VARIABLES.includes(n))).toEqual([]);
    expect(appOwned).toEqual(
      expect.arrayContaining([
        'NODE_ENV', 'MicrosoftAppType', 'MicrosoftAppId', 'MicrosoftAppTenantId', 'AZURE_CLIENT_ID',
        'AZURE_SUBSCRIPTION_ID', 'ACTION_POLICY', 'BOT_STORAGE_ACCOUNT_URL', 'SUPPORT_MODE',
      ]),
    );
    expect(appOwned).not.toContain('MicrosoftAppPassword');
    expect(new Set(appOwned).size).toBe(appOwned.length);
    const byName = Object.fromEntries(settings.map((s) => [s.name, s.value]));
    expect(byName.NODE_ENV).toBe('production');
    expect(byName.MicrosoftAppType).toBe('UserAssignedMSI');
    expect(exprOf(byName.MicrosoftAppId)).toBe('identity.properties.clientId');
    expect(exprOf(byName.AZURE_CLIENT_ID)).toBe('identity.properties.clientId');
    expect(exprOf(byName.MicrosoftAppTenantId)).toBe('identity.properties.tenantId');
    const [site] = resourcesOfType(main, 'Microsoft.Web/sites');
    expect(exprOf((props(site).siteConfig as Record<string, Value>).appSettings)).toBe('concat(baseAppSettings, policySetting)');
  });

  it('app settings, with deployment-time values filled in, load as a valid production configuration', () => {
    const sample: Record<string, string> = {
      'identity.properties.clientId': '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
      'identity.properties.tenantId': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'subscription().subscriptionId': '11111111-2222-4333-8444-555555555555',
      "join(imageBuilderResourceGroups, ',')": 'rg-images,rg-images-staging',
      supportMode: 'api',
      logLevel: 'info',
      actionPolicyPath: '/home/site/wwwroot/action-policy.json',
    };
    const env: Record<string, string> = {};
    for (const { name, value } of settings) {
      if (typeof value === 'string') {
        env[name] = value.replace(/\$\{stateStorage\.name\}/g, 'staibchatx').replace(/\$\{environment\(\)\.suffixes\.storage\}/g, 'core.windows.net');
      } else {
        const e = exprOf(value)!;
        const resolved = sample[e] ?? varValue(main, value);
        env[name] = resolved;
      }
    }
    const config = loadConfig(env);
    expect(config.production).toBe(true);
    expect(config.bot).toMatchObject({ appType: 'UserAssignedMSI', appId: sample['identity.properties.clientId'] });
    expect(config.bot.appPassword).toBeUndefined();
    expect(config.azure).toMatchObject({ kind: 'azure', clientId: sample['identity.properties.clientId'], resourceGroups: ['rg-images', 'rg-images-staging'] });
    expect(config.stateStorageUrl).toBe('https://staibchatx.blob.core.windows.net');
    expect(config.actionPolicyPath).toBe(sample.actionPolicyPath);
    expect(config.supportMode).toBe('api');
  });

  it('keeps state and audit in an account without shared keys, in the containers the code defaults to', () => {
    const [account] = resourcesOfType(main, 'Microsoft.Storage/storageAccounts');
    expect(props(account)).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', supportsHttpsTrafficOnly: true });
    const containers = resourcesOfType(main, 'Microsoft.Storage/storageAccounts/blobServices/containers').map((c) => varValue(main, body(c).name));
    const defaults = loadConfig({});
    expect(containers.sort()).toEqual([defaults.auditContainer, defaults.stateContainer].sort());
    const [assignment] = resourcesOfType(main, 'Microsoft.Authorization/roleAssignments');
    expect(exprOf(body(assignment).scope)).toBe(account.name);
    expect(varValue(main, props(assignment).roleDefinitionId)).toContain(ROLE.storageBlobDataContributor);
    expect(exprOf(props(assignment).principalId)).toBe('identity.properties.principalId');
  });

  it('registers the bot with the managed identity and turns on the Teams channel', () => {
    const [bot] = resourcesOfType(main, 'Microsoft.BotService/botServices');
    expect(body(bot)).toMatchObject({ kind: 'azurebot', location: 'global' });
    expect(props(bot).msaAppType).toBe('UserAssignedMSI');
    expect(exprOf(props(bot).msaAppId)).toBe('identity.properties.clientId');
    expect(exprOf(props(bot).msaAppMSIResourceId)).toBe('identity.id');
    expect(exprOf(props(bot).msaAppTenantId)).toBe('identity.properties.tenantId');
    expect(props(bot).endpoint).toBe('https://${webApp.properties.defaultHostName}/api/messages');
    const [channel] = resourcesOfType(main, 'Microsoft.BotService/botServices/channels');
    expect(body(channel).name).toBe('MsTeamsChannel');
    expect(exprOf(body(channel).parent)).toBe(bot.name);
    expect(props(channel).channelName).toBe('MsTeamsChannel');
  });

  it('assigns the image builder roles per listed resource group, or subscription-wide when none is listed', () => {
    const roles = main.find((d) => d.keyword === 'module' && d.kind === 'modules/image-builder-roles.bicep')!;
    expect(exprOf(body(roles).scope)).toBe('subscription()');
    const params = body(roles).params as Record<string, Value>;
    expect(exprOf(params.assignAtSubscription)).toBe('empty(imageBuilderResourceGroups)');
    expect(exprOf(params.supportMode)).toBe('supportMode');
    const access = main.find((d) => d.keyword === 'module' && d.kind === 'modules/image-builder-access.bicep')!;
    const loop = access.value as Loop;
    expect(loop.for).toBe('rg in imageBuilderResourceGroups');
    expect(exprOf((loop.body as Record<string, Value>).scope)).toBe('resourceGroup(rg)');
    expect(find(rolesModule, 'targetScope', '').value).toBe('subscription');
    expect(find(accessModule, 'targetScope', '').value).toBe('resourceGroup');
  });

  it('outputs what packaging and the deployment guide use', () => {
    const outputs = main.filter((d) => d.keyword === 'output').map((d) => d.name);
    expect(outputs).toEqual(expect.arrayContaining(['botId', 'botDomain', 'botEndpoint', 'webAppName', 'identityPrincipalId', 'stateStorageUrl']));
    expect(exprOf(find(main, 'output', 'botId').value)).toBe('identity.properties.clientId');
    expect(exprOf(find(main, 'output', 'botDomain').value)).toBe('webApp.properties.defaultHostName');
  });
});

describe('roles and the code stay in step', () => {
  const customRole = (roleNamePrefix: string) => {
    const role = resourcesOfType(rolesModule, 'Microsoft.Authorization/roleDefinitions').find((r) =>
      String(props(r).roleName).startsWith(roleNamePrefix),
    );
    if (!role) throw new Error(`no custom role "${roleNamePrefix}"`);
    const [permissions] = props(role).permissions as Record<string, Value>[];
    return { role, permissions: permissions as Record<string, string[]> };
  };

  it('"Image Builder Operator" lists exactly IMAGE_BUILDER_ACTIONS', () => {
    const { role, permissions } = customRole('Image Builder Operator');
    expect(props(role).roleName).toBe('Image Builder Operator${roleNameSuffix}');
    expect([...permissions.actions].sort()).toEqual([...IMAGE_BUILDER_ACTIONS].sort());
    expect(new Set(permissions.actions).size).toBe(permissions.actions.length);
    expect(permissions.dataActions).toEqual([]);
    expect(permissions.notActions).toEqual([]);
    expect(exprOf((props(role).assignableScopes as Value[])[0])).toBe('subscription().id');
  });

  it('the log locator role lists exactly STORAGE_ACTIONS', () => {
    const { permissions } = customRole('Image Builder Log Locator');
    expect([...permissions.actions].sort()).toEqual([...STORAGE_ACTIONS].sort());
    expect(permissions.dataActions).toEqual([]);
  });

  it('everything assigned together covers what the gateways call, and the custom roles add nothing else', () => {
    const custom = resourcesOfType(rolesModule, 'Microsoft.Authorization/roleDefinitions').flatMap(
      (r) => ((props(r).permissions as Record<string, string[]>[])[0].actions),
    );
    const assignedBuiltIns = [rolesModule, accessModule].flatMap((decls) =>
      resourcesOfType(decls, 'Microsoft.Authorization/roleAssignments').map((d) => varValue(decls, props(d).roleDefinitionId)),
    );
    const dataActions = Object.entries(BUILT_IN_DATA_ACTIONS)
      .filter(([id]) => assignedBuiltIns.some((ref) => ref.includes(id)))
      .flatMap(([, actions]) => actions);
    expect(new Set(custom)).toEqual(new Set(GATEWAY_PERMISSIONS.actions));
    for (const needed of GATEWAY_PERMISSIONS.dataActions) expect(dataActions).toContain(needed);
  });

  it('both assignment modules give the same three roles; only the subscription one is conditional', () => {
    const roleRefs = (decls: Declaration[]) =>
      resourcesOfType(decls, 'Microsoft.Authorization/roleAssignments')
        .filter((d) => !varValue(decls, props(d).roleDefinitionId).includes(ROLE.supportRequestContributor))
        .map((d) => varValue(decls, props(d).roleDefinitionId));
    const atSubscription = roleRefs(rolesModule);
    expect(atSubscription).toEqual(expect.arrayContaining(['operatorRole.id', 'logLocatorRole.id']));
    expect(atSubscription.some((r) => r.includes(ROLE.storageBlobDataReader))).toBe(true);
    expect(atSubscription).toHaveLength(3);
    const inGroup = roleRefs(accessModule);
    expect(inGroup).toEqual(expect.arrayContaining(['operatorRoleDefinitionId', 'logLocatorRoleDefinitionId']));
    expect(inGroup.some((r) => r.includes(ROLE.storageBlobDataReader))).toBe(true);
    expect(inGroup).toHaveLength(3);
    for (const d of resourcesOfType(rolesModule, 'Microsoft.Authorization/roleAssignments')) {
      expect(condition(d)).toMatch(/^assignAtSubscription$|^supportMode == 'api'$/);
    }
    for (const d of resourcesOfType(accessModule, 'Microsoft.Authorization/roleAssignments')) expect(condition(d)).toBeUndefined();
  });

  it('assigns Support Request Contributor only when support cases go through the API', () => {
    const support = [main, rolesModule, accessModule].flatMap((decls) =>
      resourcesOfType(decls, 'Microsoft.Authorization/roleAssignments').filter((d) =>
        varValue(decls, props(d).roleDefinitionId).includes(ROLE.supportRequestContributor),
      ),
    );
    expect(support).toHaveLength(1);
    expect(rolesModule).toContain(support[0]);
    expect(condition(support[0])).toBe("supportMode == 'api'");
  });

  it('justifies every role assignment and custom role in a comment, and uses the service-principal type', () => {
    for (const decls of [main, rolesModule, accessModule]) {
      for (const d of decls.filter((x) => /^Microsoft\.Authorization\/role(Assignments|Definitions)@/.test(x.kind))) {
        expect({ name: d.name, comment: d.comment.length > 20 }).toEqual({ name: d.name, comment: true });
        if (d.kind.startsWith('Microsoft.Authorization/roleAssignments')) expect(props(d).principalType).toBe('ServicePrincipal');
      }
    }
  });
});

describe('infra files', () => {
  it('hold no secrets and no key listing', () => {
    for (const file of readdirSync(INFRA, { recursive: true }).map(String).filter((f) => /\.(bicep|json)$/.test(f))) {
      const text = read(file);
      expect(text).not.toMatch(/listKeys\(|MicrosoftAppPassword|AccountKey=|sig=/);
    }
  });

  it('the parameters file sets only declared parameters, with allowed values', () => {
    const file = JSON.parse(read('main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
    const params = main.filter((d) => d.keyword === 'param');
    const declared = new Map(params.map((p) => [p.name, p]));
    for (const [name, { value }] of Object.entries(file.parameters)) {
      const p = declared.get(name);
      expect({ name, declared: Boolean(p) }).toEqual({ name, declared: true });
      const allowed = p!.decorators.find((d) => d.startsWith('@allowed'));
      if (allowed) {
        const options = [...allowed.matchAll(/'([^']*)'/g)].map((m) => m[1]);
        expect(options).toContain(value);
      }
    }
    for (const p of params) if (p.value === undefined) expect(Object.keys(file.parameters)).toContain(p.name);
  });
});
