// Synthesizes customization.log files shaped like the ones AIB writes to `packerlogs/<guid>/customization.log`:
// every packer line carries the `[<packer-run-guid>] PACKER OUT|ERR` prefix, customizers are bracketed by
// `(telemetry) Starting provisioner X` / `(telemetry) ending X`, and the usual harmless noise is there (scp
// "[ERROR] scp stderr" lines, debconf complaints, SSH retries, apt "WARNING"s) so a scanner that is fooled by
// the word "error" shows up in benchmarks. No I/O here: callers decide where the bytes go.

export type SynthOs = 'linux' | 'windows';

/** Harmless oddities a successful AIB build can print; each maps to a benign catalog id. */
export type BenignNoise = 'no-artifacts-warning' | 'image-creation-skipped' | 'resource-deletion-retry';

export interface SynthFailure {
  /** Where the lines go, as a fraction (0..1) of the generated size. */
  atFraction: number;
  /**
   * Lines written in order. A line that already starts with `[` (an AIB prefix) or `Done exporting` is kept
   * as is; any other line gets this log's `[<run>] PACKER OUT ` prefix.
   */
  lines: string[];
  /**
   * Provisioner type to open around the lines (`shell`, `powershell`, `file`, `windows-restart`…). Defaults
   * to `shell` on Linux and `powershell` on Windows. Nothing is opened when the lines carry their own
   * `(telemetry) Starting provisioner` line.
   */
  customizer?: string;
}

export interface SynthOptions {
  os: SynthOs;
  targetBytes: number;
  seed?: number;
  /** Without failures the log is a complete successful build. The last failure's customizer never ends. */
  failures?: SynthFailure[];
  packerRunId?: string;
  /** Benign warnings to weave into a successful build (ignored once a failure is present). */
  benign?: BenignNoise[];
}

const CHUNK_BYTES = 1024 * 1024;

type Rng = () => number;

// mulberry32: tiny, fast and good enough for picking templates; the point is determinism, not quality.
function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const hex = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rng() * 16)];
  return s;
};
const alnum = (rng: Rng, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rng() * 36)];
  return s;
};
const guid = (rng: Rng): string =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${pick(rng, ['8', '9', 'a', 'b'])}${hex(rng, 3)}-${hex(rng, 12)}`;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Names of the Azure resources one build touches; packer's random `pkr…` names included. */
interface BuildNames {
  runId: string;
  subscription: string;
  templateRg: string;
  template: string;
  stagingRg: string;
  location: string;
  deployment: string;
  kvDeployment: string;
  vm: string;
  nic: string;
  ip: string;
  vnet: string;
  nsg: string;
  osDisk: string;
  keyVault: string;
  publicIp: string;
  imageName: string;
}

function buildNames(rng: Rng, os: SynthOs, runId: string | undefined): BuildNames {
  const template = os === 'linux' ? pick(rng, ['ubuntu2204-cis', 'ubuntu2204-agent', 'ubuntu2004-base']) : pick(rng, ['win2022-base', 'win2022-iis', 'win2022-agent']);
  const templateRg = pick(rng, ['rg-imaging-weu', 'rg-aib-prod', 'rg-golden-images']);
  const staging = `IT_${templateRg}_${template}_${guid(rng)}`;
  const suffix = alnum(rng, 10);
  return {
    runId: runId ?? guid(rng),
    subscription: guid(rng),
    templateRg,
    template,
    stagingRg: staging,
    location: pick(rng, ['westeurope', 'northeurope', 'eastus2', 'uksouth']),
    deployment: `pkrdp${suffix}`,
    kvDeployment: `kvpkrdp${suffix}`,
    vm: `pkrvm${suffix}`,
    nic: `pkrni${suffix}`,
    ip: `pkrip${suffix}`,
    vnet: `pkrvn${suffix}`,
    nsg: `pkrsg${suffix}`,
    osDisk: `pkros${suffix}`,
    keyVault: `pkrkv${suffix}`,
    publicIp: `20.${int(rng, 50, 240)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`,
    imageName: `${template}-${hex(rng, 8)}`,
  };
}

/**
 * Writes log lines for one build. Keeps a clock so PACKER ERR timestamps move forward, and caches the
 * formatted second because most lines fall in the same one.
 */
class LineMaker {
  private ms: number;
  private cachedSecond = -1;
  private cachedStamp = '';
  readonly outPrefix: string;
  private readonly errPrefix: string;

  constructor(
    readonly rng: Rng,
    readonly names: BuildNames,
    startMs: number,
  ) {
    this.ms = startMs;
    this.outPrefix = `[${names.runId}] PACKER OUT `;
    this.errPrefix = `[${names.runId}] PACKER ERR `;
  }

  advance(minMs: number, maxMs: number): void {
    this.ms += int(this.rng, minMs, maxMs);
  }

  elapsedSince(startMs: number): number {
    return this.ms - startMs;
  }

  get now(): number {
    return this.ms;
  }

  stamp(): string {
    const second = Math.floor(this.ms / 1000);
    if (second !== this.cachedSecond) {
      const d = new Date(second * 1000);
      this.cachedSecond = second;
      this.cachedStamp = `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    }
    return this.cachedStamp;
  }

  /** Raw packer stdout. */
  out(text: string): string {
    this.advance(1, 40);
    return this.outPrefix + text;
  }
  /** Packer UI "say" line. */
  say(text: string): string {
    return this.out(`==> azure-arm: ${text}`);
  }
  /** Remote stdout relayed by packer. */
  msg(text: string): string {
    return this.out(`    azure-arm: ${text}`);
  }
  /** Packer core log (stderr of the packer process). */
  core(text: string): string {
    this.advance(1, 60);
    return `${this.errPrefix}${this.stamp()} ${text}`;
  }
  /** Plugin log forwarded through the core log: two timestamps, as packer prints it. */
  plugin(text: string): string {
    this.advance(1, 60);
    const s = this.stamp();
    return `${this.errPrefix}${s} packer: ${s} ${text}`;
  }
  telemetryStart(provisioner: string): string {
    return this.core(`[INFO] (telemetry) Starting provisioner ${provisioner}`);
  }
  telemetryEnd(provisioner: string): string {
    return this.core(`[INFO] (telemetry) ending ${provisioner}`);
  }
}

const ARM = 'https://management.azure.com';

function armRg(n: BuildNames): string {
  return `${ARM}/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}`;
}

function armRequest(m: LineMaker, method: string, url: string, body = ''): string {
  return m.plugin(`Azure request method="${method}" request="${url}?[REDACTED]" body="${body}"`);
}

function armResponse(m: LineMaker, status: string, method: string, url: string, body: string): string {
  return m.plugin(`Azure response status="${status}" method="${method}" request="${url}?[REDACTED]" x-ms-request-id="${guid(m.rng)}" body="${body}"`);
}

/** An ARM long-running operation: the request, a few "Running" polls and the final "Succeeded". */
function armLro(m: LineMaker, method: string, url: string, body: string, polls: number): string[] {
  const lines = [armRequest(m, method, url, body), armResponse(m, method === 'PUT' ? '201 Created' : '202 Accepted', method, url, '')];
  const statusUrl = `${ARM}/subscriptions/${m.names.subscription}/providers/Microsoft.Compute/locations/${m.names.location}/operations/${guid(m.rng)}`;
  for (let i = 0; i < polls; i++) {
    m.advance(4000, 15000);
    lines.push(armRequest(m, 'GET', statusUrl));
    const done = i === polls - 1;
    lines.push(armResponse(m, '200 OK', 'GET', statusUrl, `{\\"startTime\\":\\"${new Date(m.now - 30000).toISOString()}\\",\\"status\\":\\"${done ? 'Succeeded' : 'InProgress'}\\",\\"name\\":\\"${guid(m.rng)}\\"}`));
  }
  return lines;
}

function packerPreamble(m: LineMaker): string[] {
  return [
    m.core('[INFO] Packer version: 1.8.7 [go1.19.10 linux amd64]'),
    m.core("Checking 'PACKER_CONFIG' for a config file path"),
    m.core("'PACKER_CONFIG' not set; checking the default config file path"),
    m.core('Attempting to open config file: /root/.packerconfig'),
    m.core("[WARN] Config file doesn't exist: /root/.packerconfig"),
    m.core('Setting cache directory: /root/.cache/packer'),
    m.core('[INFO] Setting up 1 builders'),
    m.core('Build debug mode: false'),
    m.core('Force build: false'),
    m.core('On error: cleanup'),
    m.core('Waiting on builds to complete...'),
    m.core('Starting build run: azure-arm'),
    m.core('Running builder: azure-arm'),
    m.core('[INFO] (telemetry) Starting builder azure-arm'),
    m.out('azure-arm: output will be in this color.'),
    m.out(''),
    m.say('Running builder ...'),
    m.say('Getting tokens using Managed Identity for Azure'),
    m.msg('Creating Azure Resource Manager (ARM) client ...'),
  ];
}

function deploymentLines(m: LineMaker, deployment: string, resources: string[]): string[] {
  const n = m.names;
  const base = `${armRg(n)}/providers/Microsoft.Resources/deployments/${deployment}`;
  const lines = [
    m.say('Validating deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${deployment}'`),
    armRequest(m, 'POST', `${base}/validate`, '{\\"properties\\":{\\"mode\\":\\"Incremental\\",\\"parameters\\":{\\"adminUsername\\":{\\"value\\":\\"packer\\"}}}}'),
    armResponse(m, '200 OK', 'POST', `${base}/validate`, `{\\"id\\":\\"${base.slice(ARM.length)}\\",\\"name\\":\\"${deployment}\\",\\"properties\\":{\\"provisioningState\\":\\"Succeeded\\"}}`),
    m.say('Deploying deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${deployment}'`),
    armRequest(m, 'PUT', base, '{\\"properties\\":{\\"mode\\":\\"Incremental\\"}}'),
    armResponse(m, '201 Created', 'PUT', base, '{\\"properties\\":{\\"provisioningState\\":\\"Accepted\\"}}'),
  ];
  const polls = int(m.rng, 3, 7);
  const opId = `0858${int(m.rng, 1000000000, 9999999999)}${int(m.rng, 100000, 999999)}`;
  for (let i = 0; i < polls; i++) {
    m.advance(5000, 15000);
    const url = `${base}/operationStatuses/${opId}`;
    lines.push(armRequest(m, 'GET', url));
    lines.push(armResponse(m, '200 OK', 'GET', url, `{\\"status\\":\\"${i === polls - 1 ? 'Succeeded' : 'Running'}\\"}`));
  }
  lines.push(armRequest(m, 'GET', base));
  lines.push(armRequest(m, 'GET', `${base}/operations`));
  for (const r of resources) {
    lines.push(m.plugin(`[INFO] Deployment operation ${r}: provisioningState=Succeeded`));
  }
  return lines;
}

function linuxHeader(m: LineMaker): string[] {
  const n = m.names;
  const lines = packerPreamble(m);
  lines.push(
    armRequest(m, 'GET', armRg(n)),
    armResponse(m, '200 OK', 'GET', armRg(n), `{\\"id\\":\\"/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}\\",\\"location\\":\\"${n.location}\\",\\"properties\\":{\\"provisioningState\\":\\"Succeeded\\"}}`),
    m.say('Using existing resource group ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> Location          : '${n.location}'`),
  );
  lines.push(...deploymentLines(m, n.deployment, [`Microsoft.Network/publicIPAddresses/${n.ip}`, `Microsoft.Network/virtualNetworks/${n.vnet}`, `Microsoft.Network/networkInterfaces/${n.nic}`, `Microsoft.Compute/virtualMachines/${n.vm}`]));
  lines.push(
    m.say("Getting the VM's IP address ..."),
    m.say(` -> ResourceGroupName   : '${n.stagingRg}'`),
    m.say(` -> PublicIPAddressName : '${n.ip}'`),
    m.say(` -> NicName             : '${n.nic}'`),
    m.say(" -> Network Connection  : 'PublicEndpoint'"),
    m.say(` -> IP Address          : '${n.publicIp}'`),
    m.say('Waiting for SSH to become available...'),
    m.plugin('[INFO] Waiting for SSH, up to timeout: 20m0s'),
    m.plugin(`[INFO] Attempting SSH connection to ${n.publicIp}:22...`),
    m.plugin('[DEBUG] reconnecting to TCP connection for SSH'),
    m.plugin(`[DEBUG] Error connecting to SSH: dial tcp ${n.publicIp}:22: connect: connection refused`),
  );
  m.advance(5000, 20000);
  lines.push(
    m.plugin(`[INFO] Attempting SSH connection to ${n.publicIp}:22...`),
    m.plugin('[DEBUG] reconnecting to TCP connection for SSH'),
    m.plugin('[DEBUG] handshaking with SSH'),
    m.plugin('[DEBUG] handshake complete!'),
    m.plugin('[DEBUG] Opening new ssh session'),
    m.say('Connected to SSH!'),
    m.core('Running the provision hook'),
  );
  return lines;
}

function windowsHeader(m: LineMaker): string[] {
  const n = m.names;
  const lines = packerPreamble(m);
  const secretUrl = `https://${n.keyVault}.vault.azure.net/secrets/packerKeyVaultSecret/${hex(m.rng, 32)}`;
  lines.push(
    armRequest(m, 'GET', armRg(n)),
    armResponse(m, '200 OK', 'GET', armRg(n), `{\\"id\\":\\"/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}\\",\\"location\\":\\"${n.location}\\",\\"properties\\":{\\"provisioningState\\":\\"Succeeded\\"}}`),
    m.say('Using existing resource group ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> Location          : '${n.location}'`),
    m.say('Validating deployment template ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> DeploymentName    : '${n.deployment}'`),
    m.say('Creating a new Key Vault for the WinRM certificate ...'),
  );
  lines.push(...deploymentLines(m, n.kvDeployment, [`Microsoft.KeyVault/vaults/${n.keyVault}`]));
  lines.push(
    m.say("Getting the certificate's URL ..."),
    m.say(` -> Key Vault Name        : '${n.keyVault}'`),
    m.say(" -> Key Vault Secret Name : 'packerKeyVaultSecret'"),
    m.say(` -> Certificate URL       : '${secretUrl}'`),
    m.say('Setting the certificate\'s URL ...'),
  );
  lines.push(...deploymentLines(m, n.deployment, [`Microsoft.Network/publicIPAddresses/${n.ip}`, `Microsoft.Network/virtualNetworks/${n.vnet}`, `Microsoft.Network/networkInterfaces/${n.nic}`, `Microsoft.Compute/virtualMachines/${n.vm}`]));
  lines.push(
    m.say("Getting the VM's IP address ..."),
    m.say(` -> ResourceGroupName   : '${n.stagingRg}'`),
    m.say(` -> PublicIPAddressName : '${n.ip}'`),
    m.say(` -> NicName             : '${n.nic}'`),
    m.say(" -> Network Connection  : 'PublicEndpoint'"),
    m.say(` -> IP Address          : '${n.publicIp}'`),
    m.say('Waiting for WinRM to become available...'),
    m.plugin('[INFO] Waiting for WinRM, up to timeout: 10m0s'),
    m.plugin('[INFO] Attempting WinRM connection...'),
    m.plugin('[DEBUG] connecting to remote shell using WinRM'),
    m.plugin(`[ERROR] connection error: unknown error Post "https://${n.publicIp}:5986/wsman": dial tcp ${n.publicIp}:5986: i/o timeout`),
    m.plugin('[ERROR] WinRM connection err: unknown error Post "https://' + n.publicIp + ':5986/wsman": dial tcp ' + n.publicIp + ':5986: i/o timeout'),
  );
  m.advance(20000, 60000);
  lines.push(
    m.plugin('[INFO] Attempting WinRM connection...'),
    m.plugin('[DEBUG] connecting to remote shell using WinRM'),
    m.msg('WinRM connected.'),
    m.say('Connected to WinRM!'),
    m.core('Running the provision hook'),
  );
  return lines;
}

/** A customizer's output split so the middle can be cut when the byte budget is nearly spent. */
interface Block {
  head: string[];
  body: string[];
  tail: string[];
}

const APT_PACKAGES: ReadonlyArray<readonly [string, string, string]> = [
  ['nginx', '1.18.0-6ubuntu14.4', 'amd64'],
  ['nginx-common', '1.18.0-6ubuntu14.4', 'all'],
  ['libnginx-mod-http-geoip2', '1.18.0-6ubuntu14.4', 'amd64'],
  ['jq', '1.6-2.1ubuntu3', 'amd64'],
  ['libjq1', '1.6-2.1ubuntu3', 'amd64'],
  ['libonig5', '6.9.7.1-2build1', 'amd64'],
  ['unzip', '6.0-26ubuntu3.2', 'amd64'],
  ['auditd', '1:3.0.7-1build1', 'amd64'],
  ['libauparse0', '1:3.0.7-1build1', 'amd64'],
  ['aide', '0.17.4-1', 'amd64'],
  ['aide-common', '0.17.4-1', 'all'],
  ['chrony', '4.2-2ubuntu2', 'amd64'],
  ['libpam-pwquality', '1.4.4-1build2', 'amd64'],
  ['python3-pip', '22.0.2+dfsg-1ubuntu0.4', 'all'],
  ['python3-wheel', '0.37.1-2ubuntu0.22.04.1', 'all'],
  ['docker-ce', '5:26.1.3-1~ubuntu.22.04~jammy', 'amd64'],
  ['docker-ce-cli', '5:26.1.3-1~ubuntu.22.04~jammy', 'amd64'],
  ['containerd.io', '1.6.32-1', 'amd64'],
  ['docker-buildx-plugin', '0.14.0-1~ubuntu.22.04~jammy', 'amd64'],
  ['pigz', '2.6-1', 'amd64'],
  ['azure-cli', '2.61.0-1~jammy', 'all'],
  ['git', '1:2.34.1-1ubuntu1.11', 'amd64'],
  ['git-man', '1:2.34.1-1ubuntu1.11', 'all'],
  ['liberror-perl', '0.17029-1', 'all'],
  ['build-essential', '12.9ubuntu3', 'amd64'],
  ['gcc-11', '11.4.0-1ubuntu1~22.04', 'amd64'],
  ['libgcc-11-dev', '11.4.0-1ubuntu1~22.04', 'amd64'],
  ['make', '4.3-4.1build1', 'amd64'],
  ['dpkg-dev', '1.21.1ubuntu2.3', 'all'],
  ['fail2ban', '0.11.2-6', 'all'],
  ['python3-pyinotify', '0.9.6-1.3', 'all'],
  ['rsyslog-gnutls', '8.2112.0-2ubuntu2.2', 'amd64'],
  ['libcurl4', '7.81.0-1ubuntu1.16', 'amd64'],
  ['curl', '7.81.0-1ubuntu1.16', 'amd64'],
  ['openssl', '3.0.2-0ubuntu1.15', 'amd64'],
  ['libssl3', '3.0.2-0ubuntu1.15', 'amd64'],
  ['tzdata', '2024a-0ubuntu0.22.04', 'all'],
  ['apparmor-utils', '3.0.4-2ubuntu2.3', 'all'],
  ['nfs-common', '1:2.6.1-1ubuntu1.2', 'amd64'],
  ['cifs-utils', '2:6.14-1ubuntu0.1', 'amd64'],
];

function aptInstallBlock(m: LineMaker): Block {
  const rng = m.rng;
  const script = `/tmp/script_${int(rng, 1000, 9999)}.sh`;
  const count = int(rng, 4, APT_PACKAGES.length);
  const start = int(rng, 0, APT_PACKAGES.length - 1);
  const pkgs = Array.from({ length: count }, (_, i) => APT_PACKAGES[(start + i) % APT_PACKAGES.length] as readonly [string, string, string]);
  const head = [
    m.telemetryStart('shell'),
    m.say(`Provisioning with shell script: /tmp/packer-shell${int(rng, 100000000, 999999999)}`),
    m.plugin('[DEBUG] Opening new ssh session'),
    m.plugin('[DEBUG] Starting remote scp process:  scp -vt /tmp'),
    m.plugin('[DEBUG] Started SCP session, beginning transfers...'),
    m.plugin(`[DEBUG] scp: Uploading ${script.slice(5)}: perms=C0644 size=${int(rng, 120, 2400)}`),
    m.plugin('[DEBUG] SCP session complete, closing stdin pipe.'),
    m.plugin('[DEBUG] Waiting for SSH session to complete.'),
    m.plugin(`[ERROR] scp stderr (length ${int(rng, 20, 40)}): Sink: C0644 ${int(rng, 120, 2400)} ${script.slice(5)}`),
    m.plugin(`[INFO] starting remote command: chmod +x ${script}; PACKER_BUILDER_TYPE='azure-arm' PACKER_BUILD_NAME='azure-arm'  sudo -E sh -c '${script}'`),
  ];
  const body: string[] = [];
  const mirror = 'http://azure.archive.ubuntu.com/ubuntu';
  body.push(m.out('==> azure-arm: '), m.say('WARNING: apt does not have a stable CLI interface. Use with caution in scripts.'), m.say(''));
  body.push(m.msg(`Hit:1 ${mirror} jammy InRelease`));
  body.push(m.msg(`Get:2 ${mirror} jammy-updates InRelease [128 kB]`));
  body.push(m.msg(`Get:3 ${mirror} jammy-backports InRelease [127 kB]`));
  body.push(m.msg('Get:4 http://azure.archive.ubuntu.com/ubuntu jammy-security InRelease [129 kB]'));
  body.push(m.msg(`Get:5 ${mirror} jammy-updates/main amd64 Packages [${int(rng, 1600, 2100)} kB]`));
  body.push(m.msg(`Get:6 ${mirror} jammy-updates/universe amd64 Packages [${int(rng, 1000, 1200)} kB]`));
  m.advance(2000, 6000);
  body.push(m.msg(`Fetched ${int(rng, 4, 30)}.${int(rng, 0, 9)} MB in ${int(rng, 2, 9)}s (${int(rng, 2000, 9000)} kB/s)`));
  body.push(m.msg('Reading package lists...'), m.msg('Reading package lists...'), m.msg('Building dependency tree...'), m.msg('Reading state information...'));
  body.push(m.msg('The following additional packages will be installed:'));
  body.push(m.msg(`  ${pkgs.slice(1).map((p) => p[0]).join(' ')}`));
  body.push(m.msg('The following NEW packages will be installed:'));
  body.push(m.msg(`  ${pkgs.map((p) => p[0]).join(' ')}`));
  body.push(m.msg(`0 upgraded, ${count} newly installed, 0 to remove and ${int(rng, 0, 40)} not upgraded.`));
  body.push(m.msg(`Need to get ${int(rng, 200, 90000).toLocaleString('en-US')} kB of archives.`));
  body.push(m.msg(`After this operation, ${int(rng, 900, 300000).toLocaleString('en-US')} kB of additional disk space will be used.`));
  pkgs.forEach((p, i) => {
    const pool = p[0].startsWith('docker') || p[0] === 'containerd.io' ? 'https://download.docker.com/linux/ubuntu jammy/stable' : `${mirror} jammy-updates/main`;
    body.push(m.msg(`Get:${i + 1} ${pool} ${p[2]} ${p[0]} ${p[2]} ${p[1]} [${int(rng, 8, 9000)} kB]`));
  });
  m.advance(1000, 8000);
  body.push(m.msg(`Fetched ${int(rng, 100, 90000).toLocaleString('en-US')} kB in ${int(rng, 1, 12)}s (${int(rng, 1, 40)}.${int(rng, 0, 9)} MB/s)`));
  body.push(m.say('debconf: unable to initialize frontend: Dialog'));
  body.push(m.say('debconf: (TERM is not set, so the dialog frontend is not usable.)'));
  body.push(m.say('debconf: falling back to frontend: Readline'));
  body.push(m.say('debconf: unable to initialize frontend: Readline'));
  body.push(m.say('debconf: (This frontend requires a controlling tty.)'));
  body.push(m.say('debconf: falling back to frontend: Teletype'));
  body.push(m.say('dpkg-preconfigure: unable to re-open stdin:'));
  let files = int(rng, 60000, 120000);
  for (const p of pkgs) {
    body.push(m.msg(`Selecting previously unselected package ${p[0]}.`));
    body.push(m.msg(`(Reading database ... ${files} files and directories currently installed.)`));
    body.push(m.msg(`Preparing to unpack .../${p[0]}_${p[1].replace(/^\d+:/, '')}_${p[2]}.deb ...`));
    body.push(m.msg(`Unpacking ${p[0]} (${p[1]}) ...`));
    files += int(rng, 5, 400);
  }
  for (const p of pkgs) {
    m.advance(50, 2500);
    body.push(m.msg(`Setting up ${p[0]} (${p[1]}) ...`));
    if (rng() < 0.2) {
      body.push(m.msg(`Created symlink /etc/systemd/system/multi-user.target.wants/${p[0]}.service → /lib/systemd/system/${p[0]}.service.`));
    }
  }
  body.push(m.msg('Processing triggers for man-db (2.10.2-1) ...'));
  body.push(m.msg('Processing triggers for libc-bin (2.35-0ubuntu3.7) ...'));
  if (rng() < 0.5) {
    body.push(m.msg(''), m.msg('Running kernel seems to be up-to-date.'), m.msg(''), m.msg('No services need to be restarted.'), m.msg(''), m.msg('No containers need to be restarted.'), m.msg(''), m.msg('No user sessions are running outdated binaries.'));
  }
  const tail = [
    m.plugin(`[INFO] command 'chmod +x ${script}; PACKER_BUILDER_TYPE='azure-arm' PACKER_BUILD_NAME='azure-arm'  sudo -E sh -c '${script}'' exited with code: 0`),
    m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'),
    m.core(`[INFO] ${int(rng, 2000, 90000)} bytes written for 'stdout'`),
    m.core(`[INFO] ${int(rng, 300, 2000)} bytes written for 'stderr'`),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.core('[INFO] RPC endpoint: Communicator ended with: 0'),
    m.telemetryEnd('shell'),
  ];
  return { head, body, tail };
}

const HARDENING_STEPS: readonly string[] = [
  'Ensuring mounting of cramfs filesystems is disabled',
  'Ensuring /tmp is configured',
  'Ensuring nodev option set on /dev/shm partition',
  'Ensuring AIDE is installed',
  'Ensuring permissions on bootloader config are configured',
  'Ensuring address space layout randomization (ASLR) is enabled',
  'Ensuring time synchronization is in use',
  'Ensuring IP forwarding is disabled',
  'Ensuring source routed packets are not accepted',
  'Ensuring auditd service is enabled',
  'Ensuring rsyslog default file permissions configured',
  'Ensuring permissions on /etc/ssh/sshd_config are configured',
  'Ensuring SSH root login is disabled',
  'Ensuring SSH MaxAuthTries is set to 4 or less',
  'Ensuring password expiration is 365 days or less',
  'Ensuring default user umask is 027 or more restrictive',
];

function hardeningBlock(m: LineMaker): Block {
  const rng = m.rng;
  const index = int(rng, 1, 6);
  const scriptFile = `/tmp/${hex(rng, 8)}.${index}.customizer.fp`;
  const remote = `/tmp/script_${int(rng, 1000, 9999)}.sh`;
  const command = `chmod +x ${remote}; PACKER_BUILDER_TYPE='azure-arm' PACKER_BUILD_NAME='azure-arm'  sudo -E sh -c '${remote}'`;
  const size = int(rng, 2000, 30000);
  const head = [
    m.telemetryStart('shell'),
    m.say(`Provisioning with shell script: ${scriptFile}`),
    m.plugin('[DEBUG] Opening new ssh session'),
    m.plugin('[DEBUG] Starting remote scp process:  scp -vt /tmp'),
    m.plugin(`[DEBUG] scp: Uploading ${remote.slice(5)}: perms=C0644 size=${size}`),
    m.plugin('[DEBUG] SCP session complete, closing stdin pipe.'),
    m.plugin(`[ERROR] scp stderr (length ${28 + String(size).length}): Sink: C0644 ${size} ${remote.slice(5)}`),
    m.plugin(`[INFO] starting remote command: ${command}`),
  ];
  const body: string[] = [];
  const steps = int(rng, 4, HARDENING_STEPS.length);
  const first = int(rng, 0, HARDENING_STEPS.length - 1);
  for (let i = 0; i < steps; i++) {
    const step = HARDENING_STEPS[(first + i) % HARDENING_STEPS.length] as string;
    body.push(m.msg(`[${new Date(m.now).toISOString().slice(0, 19)}Z] ${step} ...`));
    if (step.includes('IP forwarding')) body.push(m.msg('net.ipv4.ip_forward = 0'), m.msg('net.ipv6.conf.all.forwarding = 0'));
    if (step.includes('source routed')) body.push(m.msg('net.ipv4.conf.all.accept_source_route = 0'), m.msg('net.ipv4.conf.default.accept_source_route = 0'));
    if (step.includes('ASLR')) body.push(m.msg('kernel.randomize_va_space = 2'));
    if (step.includes('auditd')) body.push(m.say('Synchronizing state of auditd.service with SysV service script with /lib/systemd/systemd-sysv-install.'), m.say('Executing: /lib/systemd/systemd-sysv-install enable auditd'));
    if (step.includes('AIDE')) {
      body.push(m.msg('Running aide --init...'));
      m.advance(20000, 90000);
      body.push(m.msg(`Start timestamp: ${new Date(m.now).toISOString().replace('T', ' ').slice(0, 19)} +0000 (AIDE 0.17.4)`), m.msg('AIDE initialized database at /var/lib/aide/aide.db.new'), m.msg(''), m.msg(`Number of entries:\t${int(rng, 100000, 200000)}`));
    }
    body.push(m.msg(`[${new Date(m.now).toISOString().slice(0, 19)}Z]   ok`));
  }
  const tail = [
    m.plugin(`[INFO] command '${command}' exited with code: 0`),
    m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'),
    m.core(`[INFO] ${int(rng, 500, 9000)} bytes written for 'stdout'`),
    m.core(`[INFO] 0 bytes written for 'stderr'`),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('shell'),
  ];
  return { head, body, tail };
}

const LINUX_FILES: ReadonlyArray<readonly [string, string]> = [
  ['/etc/nginx/sites-available/default', 'default'],
  ['/tmp/index.html', 'index.html'],
  ['/etc/ssh/sshd_config.d/50-cis.conf', '50-cis.conf'],
  ['/etc/audit/rules.d/cis.rules', 'cis.rules'],
  ['/opt/agent/config.json', 'config.json'],
];

const WINDOWS_FILES: ReadonlyArray<readonly [string, string]> = [
  ['C:\\buildArtifacts\\index.html', 'index.html'],
  ['C:\\Windows\\Temp\\bginfo.bgi', 'bginfo.bgi'],
  ['C:\\ProgramData\\agent\\settings.json', 'settings.json'],
  ['C:\\inetpub\\wwwroot\\web.config', 'web.config'],
];

function fileBlock(m: LineMaker, os: SynthOs): Block {
  const rng = m.rng;
  const [dest, name] = pick(rng, os === 'linux' ? LINUX_FILES : WINDOWS_FILES);
  const size = int(rng, 300, 90000);
  const local = `/tmp/aib/${hex(m.rng, 8)}.${int(rng, 0, 6)}.customizer.fp`;
  const head = [m.telemetryStart('file'), m.say(`Uploading ${local} => ${dest}`)];
  const body = [m.out(''), `${name} ${size} B / ${size} B  100.00%`];
  const tail = [m.plugin(`[INFO] ${os === 'linux' ? 'scp' : 'winrm'}: upload of ${dest} complete`), m.telemetryEnd('file')];
  return { head, body, tail };
}

/** Output of a long-running build step; also what an unfinished customizer keeps printing. */
function longJobLines(m: LineMaker, os: SynthOs, count: number): string[] {
  const rng = m.rng;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    if (os === 'linux') {
      const dir = pick(rng, ['src/core', 'src/net', 'src/util', 'lib/crypto', 'lib/json', 'plugins/metrics']);
      const roll = rng();
      if (roll < 0.75) lines.push(m.msg(`  CC       ${dir}/${alnum(rng, int(rng, 4, 12))}.o`));
      else if (roll < 0.9) lines.push(m.msg(`make[${int(rng, 1, 3)}]: Entering directory '/usr/src/agent-${int(rng, 1, 3)}.${int(rng, 0, 9)}/${dir}'`));
      else lines.push(m.msg(`  CCLD     ${dir}/lib${alnum(rng, 6)}.la`));
    } else {
      const roll = rng();
      if (roll < 0.6) lines.push(m.msg(`Progress: Downloading ${pick(rng, ['vscode', 'googlechrome', 'git', 'dotnet-sdk', 'sql-server-management-studio'])} ${int(rng, 1, 120)}.${int(rng, 0, 9)}.${int(rng, 0, 9)}... ${int(rng, 1, 99)}%`));
      else if (roll < 0.85) lines.push(m.msg(`[${'='.repeat(int(rng, 1, 40))}${' '.repeat(int(rng, 0, 20))}${int(rng, 1, 99)}.${int(rng, 0, 9)}%                          ]`));
      else lines.push(m.msg(`Processing ${int(rng, 1, 500)} of ${int(rng, 500, 900)} items: C:\\Program Files\\${alnum(rng, 8)}\\${alnum(rng, 10)}.dll`));
    }
  }
  return lines;
}

function longJobBlock(m: LineMaker, os: SynthOs): Block {
  const rng = m.rng;
  const type = os === 'linux' ? 'shell' : 'powershell';
  const head = [m.telemetryStart(type), os === 'linux' ? m.say(`Provisioning with shell script: /tmp/packer-shell${int(rng, 100000000, 999999999)}`) : m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(rng, 100000000, 999999999)}`)];
  const body = longJobLines(m, os, int(rng, 150, 900));
  const tail = [m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'), m.core('[INFO] RPC client: Communicator ended with: 0'), m.telemetryEnd(type)];
  return { head, body, tail };
}

const KBS: ReadonlyArray<readonly [string, string, number]> = [
  ['KB5037422', 'Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems', 324.6],
  ['KB5037930', 'Cumulative Update for .NET Framework 3.5, 4.8 and 4.8.1 for Microsoft server operating system version 21H2 for x64', 71.2],
  ['KB890830', 'Windows Malicious Software Removal Tool x64 - v5.124', 71.9],
  ['KB2267602', 'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.411.245.0)', 103.5],
  ['KB5036620', 'Servicing Stack Update for Microsoft server operating system version 21H2 for x64-based Systems', 18.3],
  ['KB4052623', 'Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.24040.4)', 12.8],
];

function windowsUpdateBlock(m: LineMaker): Block {
  const rng = m.rng;
  const head = [
    m.telemetryStart('windows-update'),
    m.say('Uploading the Windows update elevated script...'),
    m.say('Uploading the Windows update check for reboot required elevated script...'),
    m.say('Uploading the Windows update script...'),
    m.say('Running Windows update...'),
  ];
  const body: string[] = [];
  const rounds = int(rng, 1, 2);
  const ym = new Date(m.now);
  const month = `${ym.getUTCFullYear()}-${pad2(ym.getUTCMonth() + 1)}`;
  // Each round installs what the previous one did not, as a second search after a reboot would.
  let remaining = [...KBS];
  for (let r = 0; r < rounds; r++) {
    const picked = remaining.filter(() => rng() < 0.6);
    if (picked.length === 0) break;
    remaining = remaining.filter((k) => !picked.includes(k));
    body.push(m.msg('Searching for Windows updates...'));
    m.advance(20000, 90000);
    for (const [kb, title, mb] of picked) {
      body.push(m.msg(`Found Windows update (${month}-${pad2(int(rng, 1, 28))}; ${mb} MB): ${month} ${title} (${kb})`));
    }
    const total = picked.reduce((s, k) => s + k[2], 0).toFixed(1);
    body.push(m.msg(`Downloading Windows updates (${picked.length} updates; ${total} MB)...`));
    for (let i = 0; i < int(rng, 2, 8); i++) {
      m.advance(10000, 60000);
      body.push(m.msg(`Waiting for operation to complete (system performance: ${int(rng, 3, 45)}% cpu; ${int(rng, 25, 55)}% memory)...`));
    }
    body.push(m.msg('Installing Windows updates...'));
    for (let i = 0; i < int(rng, 3, 12); i++) {
      m.advance(10000, 60000);
      body.push(m.msg(`Waiting for operation to complete (system performance: ${int(rng, 5, 60)}% cpu; ${int(rng, 30, 60)}% memory)...`));
    }
    if (rng() < 0.5) body.push(m.msg('Waiting for the Windows Modules Installer to exit...'));
    body.push(m.msg('Pending reboot...'));
    body.push(
      m.plugin("[INFO] command 'PowerShell -ExecutionPolicy Bypass -OutputFormat Text -File C:/Windows/Temp/packer-windows-update-elevated.ps1' exited with code: 101"),
      m.say('Restarting the machine...'),
      m.plugin('[INFO] starting remote command: shutdown.exe -f -r -t 0 -c "packer restart"'),
      m.plugin('[INFO] command \'shutdown.exe -f -r -t 0 -c "packer restart"\' exited with code: 0'),
      m.say('Waiting for machine to become available...'),
    );
    m.advance(60000, 180000);
    body.push(
      m.plugin('[INFO] starting remote command: shutdown.exe -f -r -t 60 -c "packer restart test"'),
      m.plugin('[INFO] command \'shutdown.exe -f -r -t 60 -c "packer restart test"\' exited with code: 0'),
      m.plugin('[INFO] starting remote command: shutdown.exe -a'),
      m.say('Running Windows update...'),
    );
  }
  body.push(m.msg('Searching for Windows updates...'), m.msg('No Windows updates found.'));
  const tail = [
    m.plugin("[INFO] command 'PowerShell -ExecutionPolicy Bypass -OutputFormat Text -File C:/Windows/Temp/packer-windows-update-elevated.ps1' exited with code: 0"),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('windows-update'),
  ];
  return { head, body, tail };
}

function windowsRestartBlock(m: LineMaker): Block {
  const head = [
    m.telemetryStart('windows-restart'),
    m.say('Restarting Machine'),
    m.plugin('[INFO] starting remote command: shutdown /r /f /t 0 /c "packer restart"'),
    m.plugin('[INFO] command \'shutdown /r /f /t 0 /c "packer restart"\' exited with code: 0'),
    m.say('Waiting for machine to restart...'),
  ];
  m.advance(30000, 120000);
  const body = [
    m.plugin('[INFO] starting remote command: shutdown /r /f /t 60 /c "packer restart test"'),
    m.plugin('[INFO] command \'shutdown /r /f /t 60 /c "packer restart test"\' exited with code: 0'),
    m.plugin('Check if machine is rebooting...'),
    m.plugin('[INFO] starting remote command: shutdown /a'),
    m.msg(`${m.names.vm.toUpperCase().slice(0, 15)} restarted.`),
  ];
  const tail = [m.say('Machine successfully restarted, moving on'), m.telemetryEnd('windows-restart')];
  return { head, body, tail };
}

const CHOCO_PACKAGES: ReadonlyArray<readonly [string, string]> = [
  ['googlechrome', '125.0.6422.77'],
  ['vscode', '1.89.1'],
  ['git', '2.45.1'],
  ['7zip', '24.5.0'],
  ['notepadplusplus', '8.6.7'],
  ['azure-cli', '2.61.0'],
  ['powershell-core', '7.4.2'],
  ['dotnet-8.0-sdk', '8.0.300'],
];

const WINDOWS_FEATURES: readonly string[] = ['Web-Server', 'Web-Asp-Net45', 'NET-Framework-45-Core', 'RSAT-AD-PowerShell', 'Telnet-Client', 'Web-Mgmt-Console', 'FS-Resource-Manager'];

function powershellBlock(m: LineMaker): Block {
  const rng = m.rng;
  const scriptGuid = guid(rng);
  const command = `powershell -executionpolicy bypass "& { if (Test-Path variable:global:ProgressPreference){set-variable -name variable:global:ProgressPreference -value 'SilentlyContinue'};. c:/Windows/Temp/packer-ps-env-vars-${hex(rng, 8)}.ps1; &'c:/Windows/Temp/script-${scriptGuid}.ps1'; exit $LastExitCode }"`;
  const head = [
    m.telemetryStart('powershell'),
    m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(rng, 100000000, 999999999)}`),
    m.plugin(`[INFO] Uploading file to 'c:/Windows/Temp/script-${scriptGuid}.ps1'`),
    m.plugin(`[INFO] starting remote command: ${command}`),
  ];
  const body: string[] = [];
  const kind = int(rng, 0, 2);
  if (kind === 0) {
    body.push(m.msg('Chocolatey v2.2.2'), m.msg(`Installing the following packages:`));
    const chosen = CHOCO_PACKAGES.filter(() => rng() < 0.6);
    const list = chosen.length > 0 ? chosen : [CHOCO_PACKAGES[0] as readonly [string, string]];
    body.push(m.msg(list.map((p) => p[0]).join(';')), m.msg('By installing, you agree to the license terms of each package.'));
    for (const [name, version] of list) {
      m.advance(5000, 40000);
      body.push(
        m.msg(''),
        m.msg(`${name} v${version} [Approved]`),
        m.msg(`${name} package files install completed. Performing other installation steps.`),
        m.msg(`Downloading ${name} 64 bit`),
        m.msg(`  from 'https://community.chocolatey.org/api/v2/package/${name}/${version}'`),
      );
      for (let i = 0, n = int(rng, 5, 25); i < n; i++) body.push(m.msg(`Progress: ${Math.round(((i + 1) * 100) / n)}% - Saving ${int(rng, 1, 90)}.${int(rng, 10, 99)} MB of ${int(rng, 90, 200)}.${int(rng, 10, 99)} MB`));
      body.push(m.msg(`Installing ${name}...`), m.msg(`${name} has been installed.`));
      if (rng() < 0.3) body.push(m.say(`WARNING: No registry key found based on  '${name}*'`));
      body.push(m.msg(`  ${name} can be automatically uninstalled.`), m.msg(` The install of ${name} was successful.`), m.msg(`  Software installed to 'C:\\Program Files\\${name}'`));
    }
    body.push(m.msg(''), m.msg(`Chocolatey installed ${list.length}/${list.length} packages. `), m.msg(' See the log for details (C:\\ProgramData\\chocolatey\\logs\\chocolatey.log).'));
  } else if (kind === 1) {
    const features = WINDOWS_FEATURES.filter(() => rng() < 0.5);
    body.push(m.msg(''), m.msg('Success Restart Needed Exit Code      Feature Result'), m.msg('------- -------------- ---------      --------------'));
    m.advance(30000, 240000);
    body.push(m.msg(`True    No             Success        {${features.join(', ') || 'Telnet Client'}}`), m.msg(''));
  } else {
    body.push(m.msg('>>> Configuring the image'));
    const settings = ['Disable IE Enhanced Security Configuration', 'Set time zone to UTC', 'Disable Server Manager at logon', 'Enable RDP', 'Set power plan to High performance', 'Configure Windows Defender exclusions', 'Remove built-in AppX packages'];
    for (const s of settings.filter(() => rng() < 0.6)) {
      body.push(m.msg(`  ${s} ... done`));
    }
    if (rng() < 0.5) body.push(m.say('WARNING: The names of some imported commands from the module \'PSWindowsUpdate\' include unapproved verbs that might make them less discoverable.'));
    body.push(m.msg(`Completed in ${int(rng, 2, 90)}.${int(rng, 100, 999)} seconds`));
  }
  const tail = [
    m.plugin(`[INFO] command '${command}' exited with code: 0`),
    m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'),
    m.core(`[INFO] ${int(rng, 100, 20000)} bytes written for 'stdout'`),
    m.core(`[INFO] 0 bytes written for 'stderr'`),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('powershell'),
  ];
  return { head, body, tail };
}

function nextBlock(m: LineMaker, os: SynthOs): Block {
  const roll = m.rng();
  if (os === 'linux') {
    if (roll < 0.5) return aptInstallBlock(m);
    if (roll < 0.7) return hardeningBlock(m);
    if (roll < 0.82) return fileBlock(m, os);
    return longJobBlock(m, os);
  }
  if (roll < 0.08) return windowsUpdateBlock(m);
  if (roll < 0.55) return powershellBlock(m);
  if (roll < 0.65) return windowsRestartBlock(m);
  if (roll < 0.8) return fileBlock(m, os);
  return longJobBlock(m, os);
}

function linuxDeprovision(m: LineMaker): string[] {
  const script = `/tmp/script_${int(m.rng, 1000, 9999)}.sh`;
  return [
    m.telemetryStart('shell'),
    m.say(`Provisioning with shell script: /tmp/packer-shell${int(m.rng, 100000000, 999999999)}`),
    m.plugin(`[INFO] starting remote command: chmod +x ${script}; PACKER_BUILDER_TYPE='azure-arm' PACKER_BUILD_NAME='azure-arm'  sudo -E sh -c '${script}'`),
    m.plugin('Found command: if [ -f /tmp/DeprovisioningScript.sh ]; then sudo sh /tmp/DeprovisioningScript.sh; else echo "Deprovisioning script [/tmp/DeprovisioningScript.sh] could not be found. Image build may fail or the VM created from the Image may not boot. Please make sure the deprovisioning script is not accidentally deleted by a Customizer in the Template."; fi'),
    m.msg('+ /usr/sbin/waagent -force -deprovision+user'),
    m.msg('WARNING! The waagent service will be stopped.'),
    m.msg('WARNING! Cached DHCP leases will be deleted.'),
    m.msg('WARNING! root password will be disabled. You will not be able to login as root.'),
    m.msg('WARNING! /etc/resolv.conf will NOT be removed, this is a behavior change to earlier versions of Ubuntu.'),
    m.msg('WARNING! packer account and entire home directory will be deleted.'),
    m.msg('+ export HISTSIZE=0'),
    m.msg('+ sync'),
    m.plugin(`[INFO] command 'chmod +x ${script}; PACKER_BUILDER_TYPE='azure-arm' PACKER_BUILD_NAME='azure-arm'  sudo -E sh -c '${script}'' exited with code: 0`),
    m.core('[INFO] RPC client: Communicator ended with: 0'),
    m.telemetryEnd('shell'),
  ];
}

/** The DeprovisioningScript.ps1 AIB runs, as the powershell provisioner echoes it before running it. */
const DEPROVISION_PS1: readonly string[] = [
  "Write-Output '>>> Waiting for GA Service (RdAgent) to start ...'",
  "while ((Get-Service RdAgent) -and ((Get-Service RdAgent).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Waiting for GA Service (WindowsAzureTelemetryService) to start ...'",
  "while ((Get-Service WindowsAzureTelemetryService) -and ((Get-Service WindowsAzureTelemetryService).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Waiting for GA Service (WindowsAzureGuestAgent) to start ...'",
  "while ((Get-Service WindowsAzureGuestAgent) -and ((Get-Service WindowsAzureGuestAgent).Status -ne 'Running')) { Start-Sleep -s 5 }",
  "Write-Output '>>> Sysprepping VM ...'",
  'if( Test-Path $Env:SystemRoot\\system32\\Sysprep\\unattend.xml ) {',
  '  Remove-Item $Env:SystemRoot\\system32\\Sysprep\\unattend.xml -Force',
  '}',
  '& $Env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit',
  'while($true) {',
  '  $imageState = (Get-ItemProperty HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Setup\\State).ImageState',
  '  Write-Output $imageState',
  "  if ($imageState -eq 'IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE') { break }",
  '  Start-Sleep -s 5',
  '}',
  "Write-Output '>>> Sysprep complete ...'",
];

function windowsDeprovision(m: LineMaker): string[] {
  const lines = [
    m.telemetryStart('powershell'),
    m.plugin('Found command: if( TEST-PATH c:\\DeprovisioningScript.ps1 ){cat c:\\DeprovisioningScript.ps1} else {echo "Deprovisioning script [c:\\DeprovisioningScript.ps1] could not be found. Image build may fail or the VM created from the Image may not boot. Please make sure the deprovisioning script is not accidentally deleted by a Customizer in the Template."}'),
    m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(m.rng, 100000000, 999999999)}`),
  ];
  for (const l of DEPROVISION_PS1) lines.push(m.msg(l));
  lines.push(m.msg('>>> Waiting for GA Service (RdAgent) to start ...'), m.msg('>>> Waiting for GA Service (WindowsAzureTelemetryService) to start ...'), m.msg('>>> Waiting for GA Service (WindowsAzureGuestAgent) to start ...'), m.msg('>>> Sysprepping VM ...'));
  m.advance(5000, 15000);
  lines.push(m.msg('IMAGE_STATE_COMPLETE'));
  for (let i = 0, n = int(m.rng, 3, 9); i < n; i++) {
    m.advance(5000, 5200);
    lines.push(m.msg('IMAGE_STATE_UNDEPLOYABLE'));
  }
  m.advance(5000, 5200);
  lines.push(m.msg('IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE'), m.msg('>>> Sysprep complete ...'), m.core('[INFO] RPC client: Communicator ended with: 0'), m.telemetryEnd('powershell'));
  return lines;
}

function formatDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (min > 0) parts.push(`${min} minute${min === 1 ? '' : 's'}`);
  parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

function successFooter(m: LineMaker, os: SynthOs, benign: ReadonlySet<BenignNoise>, startMs: number): string[] {
  const n = m.names;
  const vmUrl = `${armRg(n)}/providers/Microsoft.Compute/virtualMachines/${n.vm}`;
  const diskId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Compute/disks/${n.osDisk}`;
  const imageId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Compute/images/${n.imageName}`;
  const lines = [
    m.say("Querying the machine's properties ..."),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    m.say(` -> Managed OS Disk   : '${diskId}'`),
    armRequest(m, 'GET', vmUrl),
    m.say("Querying the machine's additional disks properties ..."),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    m.say('Powering off machine ...'),
    m.say(` -> ResourceGroupName : '${n.stagingRg}'`),
    m.say(` -> ComputeName       : '${n.vm}'`),
    ...armLro(m, 'POST', `${vmUrl}/powerOff`, '', int(m.rng, 2, 4)),
  ];
  if (benign.has('image-creation-skipped')) {
    lines.push(m.say('Skipping image creation...'));
  } else {
    lines.push(
      m.say('Capturing image ...'),
      m.say(` -> Compute ResourceGroupName : '${n.stagingRg}'`),
      m.say(` -> Compute Name              : '${n.vm}'`),
      m.say(` -> Compute Location          : '${n.location}'`),
      m.say(` -> Image ResourceGroupName   : '${n.stagingRg}'`),
      m.say(` -> Image Name                : '${n.imageName}'`),
      m.say(` -> Image Location            : '${n.location}'`),
      ...armLro(m, 'POST', `${vmUrl}/generalize`, '', 1),
      ...armLro(m, 'PUT', `${ARM}${imageId}`, `{\\"location\\":\\"${n.location}\\",\\"properties\\":{\\"sourceVirtualMachine\\":{\\"id\\":\\"${vmUrl.slice(ARM.length)}\\"}}}`, int(m.rng, 2, 5)),
    );
  }
  lines.push(
    m.say(`Removing the created Deployment object: '${n.deployment}'`),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Resources/deployments/${n.deployment}`),
    m.say(''),
    m.say('The resource group was not created by Packer, deleting individual resources ...'),
    m.say(`Adding to deletion queue -> Microsoft.Compute/virtualMachines : '${n.vm}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/networkInterfaces : '${n.nic}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/virtualNetworks : '${n.vnet}'`),
    m.say(`Adding to deletion queue -> Microsoft.Network/publicIPAddresses : '${n.ip}'`),
    m.say('Waiting for deletion of all resources...'),
    armRequest(m, 'DELETE', vmUrl),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/networkInterfaces/${n.nic}`),
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`),
  );
  if (benign.has('resource-deletion-retry')) {
    const ipId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`;
    const nicId = `/subscriptions/${n.subscription}/resourceGroups/${n.stagingRg}/providers/Microsoft.Network/networkInterfaces/${n.nic}`;
    lines.push(
      m.say('Error deleting resource. Will retry.'),
      m.say(`Name: ${n.ip}`),
      m.say(`Error: network.PublicIPAddressesClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code="PublicIPAddressCannotBeDeleted" Message="Public IP address ${ipId} can not be deleted since it is still allocated to resource ${nicId}/ipConfigurations/ipconfig. In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip." Details=[]`),
      m.say(''),
    );
    m.advance(10000, 30000);
    lines.push(
      armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/virtualNetworks/${n.vnet}`),
      m.say('Error deleting resource. Will retry.'),
      m.say(`Name: ${n.vnet}`),
      m.say(`Error: network.VirtualNetworksClient#Delete: Failure sending request: StatusCode=400 -- Original Error: Code="InUseSubnetCannotBeDeleted" Message="Subnet ${n.vnet}-subnet is in use by ${nicId}/ipConfigurations/ipconfig and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet." Details=[]`),
      m.say(''),
    );
    m.advance(10000, 30000);
    lines.push(armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/publicIPAddresses/${n.ip}`));
  }
  lines.push(
    armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Network/virtualNetworks/${n.vnet}`),
    m.say(` Deleting -> Microsoft.Compute/disks : '${diskId}'`),
    armRequest(m, 'DELETE', `${ARM}${diskId}`),
  );
  if (os === 'windows') {
    lines.push(m.say(`Removing the created Deployment object: '${n.kvDeployment}'`), armRequest(m, 'DELETE', `${armRg(n)}/providers/Microsoft.Resources/deployments/${n.kvDeployment}`), m.say(` Deleting -> Microsoft.KeyVault/vaults : '${n.keyVault}'`));
  }
  const took = formatDuration(m.elapsedSince(startMs));
  lines.push(m.core('[INFO] (telemetry) ending azure-arm'), m.out(`Build 'azure-arm' finished after ${took}.`), m.out(''), m.out(`==> Wait completed after ${took}`), m.out(''));
  if (benign.has('no-artifacts-warning') || benign.has('image-creation-skipped')) {
    lines.push(m.out('==> Builds finished but no artifacts were created.'));
  } else {
    lines.push(
      m.out('==> Builds finished. The artifacts of successful builds are:'),
      m.out('--> azure-arm: Azure.ResourceManagement.VMImage:'),
      m.out(''),
      m.out(`OSType: ${os === 'linux' ? 'Linux' : 'Windows'}`),
      m.out(`ManagedImageResourceGroupName: ${n.stagingRg}`),
      m.out(`ManagedImageName: ${n.imageName}`),
      m.out(`ManagedImageId: ${imageId}`),
      m.out(`ManagedImageLocation: ${n.location}`),
      m.out(''),
    );
  }
  lines.push(m.core('[INFO] (telemetry) Finalizing.'), m.core('waiting for all plugin processes to complete...'), m.core('/usr/bin/packer: plugin process exited'), `Done exporting Packer logs to Azure for Packer prefix: [${n.runId}] PACKER OUT`);
  return lines;
}

function failureLines(m: LineMaker, os: SynthOs, failure: SynthFailure, isLast: boolean): string[] {
  const type = failure.customizer ?? (os === 'linux' ? 'shell' : 'powershell');
  const own = failure.lines.some((l) => l.includes('(telemetry) Starting provisioner'));
  const lines: string[] = own ? [] : [m.telemetryStart(type)];
  for (const l of failure.lines) {
    lines.push(l.startsWith('[') || l.startsWith('Done exporting') ? l : m.out(l));
  }
  if (!isLast && !failure.lines.some((l) => l.includes('(telemetry) ending'))) lines.push(m.telemetryEnd(type));
  return lines;
}

const byteLength = (lines: readonly string[]): number => lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);

/** Collects lines and hands them out as ~1 MiB Buffers. */
class ChunkBuffer {
  private parts: string[] = [];
  private pending = 0;
  emitted = 0;

  push(lines: readonly string[]): void {
    for (const l of lines) {
      const s = `${l}\n`;
      this.parts.push(s);
      const n = Buffer.byteLength(s);
      this.pending += n;
      this.emitted += n;
    }
  }

  get full(): boolean {
    return this.pending >= CHUNK_BYTES;
  }

  take(): Buffer {
    const b = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    return b;
  }
}

/** Trims a block's body so the whole block fits `room` bytes; null when even head and tail do not fit. */
function fitBlock(block: Block, room: number): string[] | null {
  const fixed = byteLength(block.head) + byteLength(block.tail);
  if (fixed > room) return null;
  let budget = room - fixed;
  const body: string[] = [];
  for (const l of block.body) {
    const n = Buffer.byteLength(l) + 1;
    if (n > budget) break;
    body.push(l);
    budget -= n;
  }
  return [...block.head, ...body, ...block.tail];
}

/**
 * Streams a synthetic customization.log of about `targetBytes` (±2 % above 1 MB). Without failures it is
 * a complete successful build. Each failure's lines are inserted, in order of `atFraction`, between
 * customizers at that fraction of the size; the last failure's customizer is opened and never ended,
 * and whatever follows it is that customizer's own output.
 */
export async function* synthesizeLog(opts: SynthOptions): AsyncGenerator<Buffer> {
  const seed = opts.seed ?? 1;
  const rng = createRng(seed);
  const names = buildNames(rng, opts.os, opts.packerRunId);
  const startMs = Date.UTC(2025, 2, 3, 8, 0, 0) + int(rng, 0, 60 * 24 * 3600) * 1000;
  const m = new LineMaker(rng, names, startMs);
  const failures = [...(opts.failures ?? [])].sort((a, b) => a.atFraction - b.atFraction);
  const benign = new Set<BenignNoise>(failures.length === 0 ? (opts.benign ?? []) : []);
  const out = new ChunkBuffer();
  const target = Math.max(0, opts.targetBytes);

  out.push(opts.os === 'linux' ? linuxHeader(m) : windowsHeader(m));

  // The footer is rendered once on a throwaway clock to learn its size before the body is spent.
  let reserve = 0;
  if (failures.length === 0) {
    const probe = new LineMaker(createRng(seed ^ 0x5f3759df), names, startMs);
    reserve = byteLength(opts.os === 'linux' ? linuxDeprovision(probe) : windowsDeprovision(probe)) + byteLength(successFooter(probe, opts.os, benign, startMs)) + 64;
  }
  const failureBytes = failures.map((f) => byteLength(f.lines) + 256);
  const fillerBudget = Math.max(0, target - out.emitted - reserve - failureBytes.reduce((a, b) => a + b, 0));
  const fillerStart = out.emitted;
  let insertedFailureBytes = 0;
  let next = 0;

  while (next < failures.length) {
    const f = failures[next] as SynthFailure;
    const at = fillerStart + Math.min(1, Math.max(0, f.atFraction)) * fillerBudget + insertedFailureBytes;
    if (out.emitted >= at) {
      const before = out.emitted;
      out.push(failureLines(m, opts.os, f, next === failures.length - 1));
      insertedFailureBytes += out.emitted - before;
      next++;
    } else {
      const lines = fitBlock(nextBlock(m, opts.os), at - out.emitted);
      // Too little room for one more customizer: jump straight to the failure.
      if (lines === null) {
        const before = out.emitted;
        out.push(failureLines(m, opts.os, f, next === failures.length - 1));
        insertedFailureBytes += out.emitted - before;
        next++;
      } else {
        out.push(lines);
      }
    }
    if (out.full) yield out.take();
  }

  if (failures.length > 0) {
    // The failing customizer keeps talking until the log stops: no telemetry, no footer.
    while (out.emitted < target) {
      out.push(longJobLines(m, opts.os, Math.min(200, Math.max(1, Math.ceil((target - out.emitted) / 60)))));
      if (out.full) yield out.take();
    }
  } else {
    const end = target - reserve;
    for (;;) {
      const lines = fitBlock(nextBlock(m, opts.os), end - out.emitted);
      if (lines === null) break;
      out.push(lines);
      if (out.full) yield out.take();
    }
    out.push(opts.os === 'linux' ? linuxDeprovision(m) : windowsDeprovision(m));
    out.push(successFooter(m, opts.os, benign, startMs));
  }
  const last = out.take();
  if (last.length > 0) yield last;
}
