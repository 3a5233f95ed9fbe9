import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { POLICY_ACTIONS, parsePolicy } from '../../src/bot/policy';
import { CONFIG_VARIABLES } from '../../src/config';
import { placeholdersIn } from '../../src/tools/app-package/placeholders';

// The deployment guide is written for people, but the parts that mirror code are checked against the code: the
// configuration reference against CONFIG_VARIABLES, the policy example against the policy parser, the parameter and
// placeholder tables against the Bicep and the manifest. The guide is the README's "Configuration for real Azure and
// Teams" and "Deploying" sections.

const ROOT = resolve(__dirname, '..', '..');
const GUIDE = join(ROOT, 'README.md');
const hasReference = (markdown: string) => prose(markdown).some((l) => /^#{2,3} Configuration reference\s*$/.test(l));

/** Lines outside fenced code blocks keep their text; inside, they become empty, so `# comments` are not headings. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** The text under a heading, up to the next heading of the same or a higher level (code blocks included). */
function section(markdown: string, title: string): string {
  const lines = markdown.split('\n');
  const visible = prose(markdown);
  const start = visible.findIndex((l) => new RegExp(`^#{2,4} ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`).test(l));
  if (start < 0) throw new Error(`no "${title}" heading`);
  const level = /^#+/.exec(visible[start])![0].length;
  const end = visible.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

interface Row {
  name: string;
  cells: string[];
}

/** Table rows whose first cell starts with a `code` name; the cells are split on unescaped pipes. */
function tableRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      return { name: /`([^`]+)`/.exec(cells[0])![1], cells };
    });
}

const documents = [GUIDE]
  .filter((path) => existsSync(path))
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
  .filter((doc) => hasReference(doc.text));

const guide = readFileSync(GUIDE, 'utf8');

describe('configuration reference', () => {
  it('is in README.md', () => {
    expect(documents.map((d) => d.path)).toContain(GUIDE);
  });

  it.each(documents.map((d) => [d.path.slice(ROOT.length + 1), d.text]))('%s documents exactly the variables src/config.ts reads', (_, text) => {
    const rows = tableRows(section(text, 'Configuration reference'));
    const names = rows.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect({ undocumented: CONFIG_VARIABLES.filter((v) => !names.includes(v)), unknown: names.filter((n) => !CONFIG_VARIABLES.includes(n)) }).toEqual({
      undocumented: [],
      unknown: [],
    });
    for (const row of rows) {
      expect({ name: row.name, columns: row.cells.length, empty: row.cells.filter((c) => !c).length }).toEqual({ name: row.name, columns: 4, empty: 0 });
    }
  });

  it('marks with ⚙ exactly the variables the Bicep deployment sets', () => {
    const bicep = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    const setByBicep = [...bicep.matchAll(/name:\s*'([A-Za-z_]+)'/g)].map((m) => m[1]).filter((n) => CONFIG_VARIABLES.includes(n));
    const marked = tableRows(section(guide, 'Configuration reference')).filter((r) => r.cells[0].includes('⚙')).map((r) => r.name);
    expect(marked.sort()).toEqual([...new Set(setByBicep)].sort());
  });
});

describe('README.md deployment guide', () => {
  it('has the sections a newcomer needs, in the order the house rules give', () => {
    const order = prose(guide).filter((l) => /^## /.test(l)).map((l) => l.slice(3).trim());
    expect(order).toEqual(['Quick start', 'Talking to it', 'Configuration for real Azure and Teams', 'Deploying', 'Security', 'Developing']);
    for (const title of ['Deploying', 'Configuration reference', 'Action policy', 'Running against real Azure from a laptop', 'Troubleshooting the bot']) {
      expect(() => section(guide, title)).not.toThrow();
    }
    expect(section(guide, 'Deploying')).toMatch(/az deployment group create[^\n]*infra\/main\.bicep[^\n]*@infra\/main\.parameters\.json/);
    expect(section(guide, 'Deploying')).toMatch(/No Bicep compiler/);
    expect(section(guide, 'Running against real Azure from a laptop')).toMatch(/az login[\s\S]*AZURE_SUBSCRIPTION_ID/);
  });

  it('lists every Bicep parameter and nothing else', () => {
    const bicep = readFileSync(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    const declared = [...bicep.matchAll(/^param (\w+)/gm)].map((m) => m[1]).sort();
    const documented = tableRows(section(guide, '1. Deploy the infrastructure')).map((r) => r.name).sort();
    expect(documented).toEqual(declared);
  });

  it('lists every manifest placeholder the environment must supply', () => {
    const manifest = readFileSync(join(ROOT, 'appPackage', 'manifest.json'), 'utf8');
    const needed = placeholdersIn(manifest).filter((p) => p !== 'APP_VERSION');
    const documented = tableRows(section(guide, '3. Build the Teams app package')).flatMap((r) => [...r.cells[0].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
    expect(documented.sort()).toEqual(needed.sort());
  });

  describe('action policy', () => {
    const text = section(guide, 'Action policy');
    const example = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(text)![1]) as unknown;
    const policy = parsePolicy(example, 'docs example');
    const team = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2';
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const production = '11111111-2222-4333-8444-555555555555';

    it('the example is a valid policy that does what the text says', () => {
      const inTeam = { tenantId: tenant, teamId: team, conversationId: `${team};messageid=1`, userAadObjectId: '0a1b2c3d-0000-4000-8000-000000000001' };
      expect(policy.can(inTeam, { subscriptionId: production, resourceGroup: 'rg-images-dev' }, 'delete-template').allowed).toBe(true);
      expect(policy.can(inTeam, { subscriptionId: production, resourceGroup: 'rg-network' }, 'delete-template').allowed).toBe(false);
      const onCall = { conversationId: 'a:personal', userAadObjectId: '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f' };
      expect(policy.can(onCall, { subscriptionId: production, resourceGroup: 'rg-anything' }, 'rerun').allowed).toBe(true);
      expect(policy.can(onCall, { subscriptionId: production, resourceGroup: 'rg-anything' }, 'delete-template').allowed).toBe(false);
      const anyone = { conversationId: 'a:personal', userAadObjectId: '0a1b2c3d-0000-4000-8000-000000000009' };
      expect(policy.can(anyone, { subscriptionId: production, resourceGroup: 'rg-images' }, 'read').allowed).toBe(true);
      expect(policy.can(anyone, { subscriptionId: production, resourceGroup: 'rg-images' }, 'rerun').allowed).toBe(false);
    });

    it('names every action the policy accepts', () => {
      const row = tableRows(text).find((r) => r.name === 'rules[].actions')!;
      const listed = [...new Set([...row.cells[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1]))];
      expect(listed.sort()).toEqual([...POLICY_ACTIONS].sort());
    });
  });
});
