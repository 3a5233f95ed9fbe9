import { armRequest, armResponse, armRg, packerPreamble, deploymentLines } from './build-vm';
import type { Block } from './blocks';
import type { LineMaker, LogWriter } from './packer-lines';
import { hex, int } from './random';
import type { LogLine } from './types';

// Linux builds: the SSH-connected header, apt installs, CIS hardening steps, waagent deprovisioning (synthesized
// logs), and the apt filler and deprovisioning of scenario logs.

export function linuxHeader(m: LineMaker): string[] {
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

export const APT_PACKAGES: ReadonlyArray<readonly [string, string, string]> = [
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

export function aptInstallBlock(m: LineMaker): Block {
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

export const HARDENING_STEPS: readonly string[] = [
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

export function hardeningBlock(m: LineMaker): Block {
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

export const LINUX_FILES: ReadonlyArray<readonly [string, string]> = [
  ['/etc/nginx/sites-available/default', 'default'],
  ['/tmp/index.html', 'index.html'],
  ['/etc/ssh/sshd_config.d/50-cis.conf', '50-cis.conf'],
  ['/etc/audit/rules.d/cis.rules', 'cis.rules'],
  ['/opt/agent/config.json', 'config.json'],
];

export function linuxDeprovision(m: LineMaker): string[] {
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

export const LINUX_PACKAGES = [
  ['curl', '7.81.0-1ubuntu1.16'], ['jq', '1.6-2.1ubuntu3'], ['unzip', '6.0-26ubuntu3.2'], ['git', '1:2.34.1-1ubuntu1.11'],
  ['nginx', '1.18.0-6ubuntu14.4'], ['python3-pip', '22.0.2+dfsg-1ubuntu0.4'], ['auditd', '1:3.0.7-1build1'],
  ['chrony', '4.2-2ubuntu2'], ['libssl3', '3.0.2-0ubuntu1.15'], ['ca-certificates', '20230311ubuntu0.22.04.1'],
  ['apt-transport-https', '2.4.12'], ['gnupg', '2.2.27-3ubuntu2.1'], ['azure-cli', '2.61.0-1~jammy'], ['docker-ce', '5:26.1.3-1~ubuntu.22.04~jammy'],
] as const;

export function linuxShellFiller(w: LogWriter, n: number): void {
  w.write('    azure-arm: Hit:1 http://azure.archive.ubuntu.com/ubuntu jammy InRelease');
  let i = 2;
  while (i < n / 3) {
    const kb = Math.floor(w.rnd() * 900) + 3;
    w.write(`    azure-arm: Get:${i} http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 Packages [${kb} kB]`);
    i++;
  }
  w.write('    azure-arm: Reading package lists...');
  w.write('    azure-arm: Building dependency tree...');
  w.write('    azure-arm: Reading state information...');
  let written = i + 3;
  while (written < n) {
    const [pkg, ver] = w.pick(LINUX_PACKAGES);
    w.tick(4);
    w.write(w.pick([
      `    azure-arm: Unpacking ${pkg} (${ver}) ...`,
      `    azure-arm: Setting up ${pkg} (${ver}) ...`,
      `    azure-arm: Selecting previously unselected package ${pkg}.`,
      `    azure-arm: Preparing to unpack .../${pkg}_${ver.replace(/^\d+:/, '')}_amd64.deb ...`,
      '    azure-arm: Processing triggers for man-db (2.10.2-1) ...',
      `ERR packer-provisioner-shell plugin: [INFO] ${Math.floor(w.rnd() * 4000) + 100} bytes written for 'stdout'`,
    ]));
    written++;
  }
}

/** The hidden last customizer of a Linux scenario build; `failure` replaces its ending. */
export function linuxScenarioDeprovision(w: LogWriter, failure?: LogLine[]): void {
  w.all([
    'ERR [INFO] (telemetry) Starting provisioner shell',
    '==> azure-arm: Provisioning with shell script: /tmp/DeprovisioningScript.sh',
    '    azure-arm: WARNING! The waagent service will be stopped.',
    '    azure-arm: WARNING! Cached DHCP leases will be deleted.',
    '    azure-arm: WARNING! root password will be disabled. You will not be able to login as root.',
    '    azure-arm: WARNING! /etc/resolv.conf will be deleted.',
    '    azure-arm: WARNING! packer account and entire home directory will be deleted.',
  ]);
  if (failure) return w.all(failure);
  w.all(['ERR [INFO] (telemetry) ending shell']);
}
