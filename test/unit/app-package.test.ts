import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAppPackage, readInputs } from '../../src/tools/app-package/build';
import { PackageError } from '../../src/tools/app-package/errors';
import { drawColorIcon, drawOutlineIcon } from '../../src/tools/app-package/icons';
import { ICONS, iconProblems } from '../../src/tools/app-package/icon-check';
import { APP_PACKAGE_DIR } from '../../src/tools/app-package/paths';
import { placeholdersIn } from '../../src/tools/app-package/placeholders';
import { decodePng, encodePng } from '../../src/tools/app-package/png';
import { schemaProblems } from '../../src/tools/app-package/schema';
import { readZip, writeZip } from '../../src/tools/app-package/zip';
import { packageApp } from '../../src/tools/package-app';

const ENV = {
  TEAMS_APP_ID: '6d1f2c3b-8e0a-4f5e-9b7a-1c2d3e4f5a6b',
  BOT_ID: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
  BOT_DOMAIN: 'app-aibchat-test.azurewebsites.net',
  DEVELOPER_NAME: 'Contoso Platform Team',
  DEVELOPER_WEBSITE_URL: 'https://intranet.contoso.example/aib-chatops',
  PRIVACY_URL: 'https://intranet.contoso.example/privacy',
  TERMS_OF_USE_URL: 'https://intranet.contoso.example/terms',
};

const packageVersion = (JSON.parse(readFileSync(join(APP_PACKAGE_DIR, '..', 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-package-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function build(env: Record<string, string | undefined>, extraArgs: string[] = []) {
  const out = join(dir, 'aib-chatops.zip');
  return { out, result: packageApp(['--out', out, ...extraArgs], env) };
}

function entriesOf(zipPath: string): Map<string, Buffer> {
  return new Map(readZip(readFileSync(zipPath)).map((e) => [e.name, Buffer.from(e.data)]));
}

function errorOf(fn: () => unknown): PackageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PackageError) return err;
    throw err;
  }
  throw new Error('expected a PackageError');
}

describe('npm run package', () => {
  it('writes a zip with the manifest and both icons at its root', () => {
    const { out, result } = build(ENV);
    expect(result.path).toBe(out);
    const entries = entriesOf(out);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(result.bytes).toBe(readFileSync(out).length);
  });

  it('fills every placeholder, takes the version from package.json, and the result validates against the Teams schema', () => {
    const { out } = build(ENV);
    const text = entriesOf(out).get('manifest.json')!.toString('utf8');
    expect(text).not.toContain('${{');
    const manifest = JSON.parse(text);
    expect(schemaProblems(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe('1.23');
    expect(manifest.$schema).toContain('/v1.23/');
    expect(manifest.version).toBe(packageVersion);
    expect(manifest.id).toBe(ENV.TEAMS_APP_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(ENV.BOT_ID);
    expect([...manifest.bots[0].scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    const listed = manifest.bots[0].commandLists.flatMap((l: { scopes: string[] }) => l.scopes).sort();
    expect(listed).toEqual(['groupChat', 'personal', 'team']);
    const titles = manifest.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) => l.commands.map((c) => c.title));
    expect(titles).toEqual(expect.arrayContaining(['help', 'list failed templates']));
    expect(titles.some((t: string) => t.startsWith('why did '))).toBe(true);
    expect(manifest.validDomains).toEqual([ENV.BOT_DOMAIN]);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('puts icons of the right size into the zip, the outline one white on transparent', () => {
    const entries = entriesOf(build(ENV).out);
    const color = decodePng(entries.get('color.png')!);
    const outline = decodePng(entries.get('outline.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.hasAlphaChannel).toBe(true);
    const alphas = Array.from({ length: 32 * 32 }, (_, i) => outline.pixels[i * 4 + 3]);
    expect(alphas[0]).toBe(0);
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(32 * 32 * 0.4);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(32 * 32 * 0.15);
    for (let i = 0; i < 32 * 32; i++) {
      if (alphas[i] > 0) expect(Array.from(outline.pixels.subarray(i * 4, i * 4 + 3))).toEqual([255, 255, 255]);
    }
    for (const spec of ICONS) expect(iconProblems(spec, entries.get(spec.file)!)).toEqual([]);
  });

  it('builds the same bytes twice from the same inputs', () => {
    const first = readFileSync(build(ENV).out);
    const second = packageApp(['--out', join(dir, 'again.zip')], ENV);
    expect(readFileSync(second.path).equals(first)).toBe(true);
  });

  it('names the missing variable and writes no zip', () => {
    const err = errorOf(() => build({ ...ENV, BOT_DOMAIN: undefined }));
    expect(err.code).toBe('placeholder-missing');
    expect(err.variables).toEqual(['BOT_DOMAIN']);
    expect(err.message).toContain('BOT_DOMAIN');
    expect(existsSync(join(dir, 'aib-chatops.zip'))).toBe(false);
  });

  it('treats a blank variable as missing and lists every missing one', () => {
    const err = errorOf(() => build({ ...ENV, BOT_ID: '  ', PRIVACY_URL: '' }));
    expect(err.code).toBe('placeholder-missing');
    expect(err.variables).toEqual(['BOT_ID', 'PRIVACY_URL']);
  });

  it.each([
    ['BOT_DOMAIN', 'https://app-aibchat-test.azurewebsites.net/api/messages'],
    ['BOT_ID', 'not-a-guid'],
    ['BOT_ID', '00000000-0000-0000-0000-000000000000'],
    ['PRIVACY_URL', 'http://intranet.contoso.example/privacy'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    const err = errorOf(() => build({ ...ENV, [name]: value }));
    expect(err.code).toBe('placeholder-invalid');
    expect(err.variables).toEqual([name]);
    expect(existsSync(join(dir, 'aib-chatops.zip'))).toBe(false);
  });

  it('reads values from --env-file, the environment winning over the file', () => {
    const envFile = join(dir, '.env.test');
    const otherBot = '11111111-2222-4333-8444-555555555555';
    writeFileSync(envFile, `# test values\n${Object.entries(ENV).map(([k, v]) => `${k}="${v}"`).join('\n')}\nexport BOT_ID=${otherBot}\n`);
    const fromFile = JSON.parse(entriesOf(build({}, ['--env-file', envFile]).out).get('manifest.json')!.toString('utf8'));
    expect(fromFile.bots[0].botId).toBe(otherBot);
    const overridden = JSON.parse(entriesOf(build({ BOT_ID: ENV.BOT_ID }, ['--env-file', envFile]).out).get('manifest.json')!.toString('utf8'));
    expect(overridden.bots[0].botId).toBe(ENV.BOT_ID);
  });

  it('JSON-escapes values, so a quote in a name cannot break the manifest', () => {
    const name = 'Contoso "Images"';
    const manifest = JSON.parse(entriesOf(build({ ...ENV, DEVELOPER_NAME: name }).out).get('manifest.json')!.toString('utf8'));
    expect(manifest.developer.name).toBe(name);
  });

  it('rejects unknown arguments', () => {
    expect(errorOf(() => packageApp(['--outt', 'x.zip'], ENV)).code).toBe('usage');
  });
});

describe('manifest source', () => {
  it('uses only the placeholders the deployment guide documents', () => {
    const text = readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
    expect(placeholdersIn(text)).toEqual(['APP_VERSION', ...Object.keys(ENV)].sort());
    const example = readFileSync(join(APP_PACKAGE_DIR, '.env.example'), 'utf8');
    for (const name of Object.keys(ENV)) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('fails schema validation when the manifest breaks the schema', () => {
    const inputs = readInputs();
    const broken = { ...inputs, manifestText: inputs.manifestText.replace('"accentColor": "#0078D4"', '"accentColor": "blue"') };
    const err = errorOf(() => buildAppPackage(broken, ENV));
    expect(err.code).toBe('manifest-invalid');
    expect(err.message).toContain('/accentColor');
    const extra = { ...inputs, manifestText: inputs.manifestText.replace('"accentColor"', '"colour": 1, "accentColor"') };
    expect(errorOf(() => buildAppPackage(extra, ENV)).message).toContain('"colour"');
  });

  it('refuses a command title Teams would cut', () => {
    const inputs = readInputs();
    const long = { ...inputs, manifestText: inputs.manifestText.replace('"title": "help"', '"title": "help me understand every single failure"') };
    expect(errorOf(() => buildAppPackage(long, ENV)).message).toContain('longer than 32 characters');
  });
});

describe('icons', () => {
  it('committed PNGs are what the drawing code draws', () => {
    for (const [file, drawn] of [['color.png', drawColorIcon()], ['outline.png', drawOutlineIcon()]] as const) {
      const committed = decodePng(readFileSync(join(APP_PACKAGE_DIR, file)));
      expect([committed.width, committed.height]).toEqual([drawn.width, drawn.height]);
      expect(Buffer.from(committed.pixels).equals(Buffer.from(drawn.pixels))).toBe(true);
    }
  });

  it('the check rejects a wrong size, a coloured outline and an opaque background', () => {
    const outline = ICONS.find((i) => i.file === 'outline.png')!;
    const color = ICONS.find((i) => i.file === 'color.png')!;
    expect(iconProblems(color, encodePng(drawOutlineIcon(32))).join()).toContain('Teams needs 192x192');
    const red = drawOutlineIcon();
    for (let i = 0; i < red.pixels.length; i += 4) if (red.pixels[i + 3] > 0) red.pixels[i + 1] = 0;
    expect(iconProblems(outline, encodePng(red)).join()).toContain('not white');
    const filled = drawOutlineIcon();
    for (let i = 3; i < filled.pixels.length; i += 4) filled.pixels[i] = 255;
    expect(iconProblems(outline, encodePng(filled)).join()).toContain('opaque corner');
    expect(iconProblems(outline, Buffer.from('not a png')).join()).toContain('not a PNG');
  });
});

describe('zip and png codecs', () => {
  it('round-trip, and corruption is detected', () => {
    const data = Buffer.from('x'.repeat(1000));
    const zip = writeZip([{ name: 'a.txt', data }, { name: 'b.bin', data: Buffer.from([1, 2, 3]) }]);
    expect(readZip(zip).map((e) => [e.name, Buffer.from(e.data).toString('hex')])).toEqual([
      ['a.txt', data.toString('hex')],
      ['b.bin', '010203'],
    ]);
    const damaged = Buffer.from(zip);
    damaged[40] ^= 0xff; // inside a.txt's compressed data
    expect(() => readZip(damaged)).toThrow();
    expect(() => writeZip([{ name: '../evil', data }])).toThrow(/refusing/);

    const image = drawOutlineIcon(8);
    const png = encodePng(image);
    expect(Buffer.from(decodePng(png).pixels).equals(Buffer.from(image.pixels))).toBe(true);
    const badCrc = Buffer.from(png);
    badCrc[20] ^= 0x01; // inside IHDR
    expect(() => decodePng(badCrc)).toThrow(/CRC/);
  });

  it('stamps every entry 1980-01-01 00:00 whatever the clock says, and stores data deflate would grow', () => {
    const noise = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 151 + 7) & 0xff));
    const zip = writeZip([{ name: 'noise.bin', data: noise }]);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt16LE(8)).toBe(0); // method: stored
    expect(zip.readUInt16LE(10)).toBe(0); // DOS time 00:00:00
    expect(zip.readUInt16LE(12)).toBe((1 << 5) | 1); // DOS date 1980-01-01
    expect(Buffer.from(readZip(zip)[0]!.data).equals(noise)).toBe(true);
  });

  it('reports a stored entry whose bytes changed as a CRC mismatch', () => {
    const noise = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff));
    const zip = writeZip([{ name: 'n.bin', data: noise }]);
    zip[30 + 'n.bin'.length + 3] ^= 0x01;
    expect(() => readZip(zip)).toThrow(/CRC mismatch/);
  });
});
