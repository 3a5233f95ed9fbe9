import type { Block } from './blocks';
import { aptInstallBlock, hardeningBlock, LINUX_FILES, linuxShellFiller } from './linux';
import type { LineMaker, LogWriter } from './packer-lines';
import { alnum, hex, int, pick } from './random';
import type { CustomizerLog, Os, ProvisionerType, SynthOs } from './types';
import { powershellBlock, WINDOWS_FILES, windowsPowerShellFiller, windowsRestartBlock, windowsUpdateBlock } from './windows';

// Choosing and rendering customizers: the next block of a synthesized log (weighted by OS), the file and long-job
// blocks both OSes share, and the start/filler/end of each customizer in a scenario log.

export function fileBlock(m: LineMaker, os: SynthOs): Block {
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
export function longJobLines(m: LineMaker, os: SynthOs, count: number): string[] {
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

export function longJobBlock(m: LineMaker, os: SynthOs): Block {
  const rng = m.rng;
  const type = os === 'linux' ? 'shell' : 'powershell';
  const head = [m.telemetryStart(type), os === 'linux' ? m.say(`Provisioning with shell script: /tmp/packer-shell${int(rng, 100000000, 999999999)}`) : m.say(`Provisioning with powershell script: /tmp/powershell-provisioner${int(rng, 100000000, 999999999)}`)];
  const body = longJobLines(m, os, int(rng, 150, 900));
  const tail = [m.plugin('[INFO] RPC endpoint: Communicator ended with: 0'), m.core('[INFO] RPC client: Communicator ended with: 0'), m.telemetryEnd(type)];
  return { head, body, tail };
}

export function nextBlock(m: LineMaker, os: SynthOs): Block {
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

export function startCustomizer(w: LogWriter, os: Os, c: CustomizerLog, index: number): void {
  w.write(`ERR [INFO] (telemetry) Starting provisioner ${c.type}`);
  const label = c.name ?? `customizer-${index}`;
  switch (c.type) {
    case 'shell':
      w.write(`==> azure-arm: Provisioning with shell script: /tmp/packer-shell${Math.floor(w.rnd() * 9e8) + 1e8}`);
      w.write(`ERR packer-provisioner-shell plugin: [INFO] '${label}' uploading to /tmp/script_${Math.floor(w.rnd() * 9000) + 1000}.sh`);
      break;
    case 'powershell':
      w.write(`==> azure-arm: Provisioning with powershell script: C:/Windows/Temp/script-${Math.floor(w.rnd() * 9e8) + 1e8}.ps1`);
      w.write(`ERR packer-provisioner-powershell plugin: [INFO] '${label}' elevated execution: ${w.rnd() > 0.5}`);
      break;
    case 'file':
      w.write(`==> azure-arm: Uploading ${label} => ${os === 'windows' ? 'C:\\buildArtifacts\\' : '/tmp/'}${label}`);
      break;
    case 'windows-restart':
      w.write('==> azure-arm: Restarting Machine');
      w.write('==> azure-arm: Waiting for machine to restart...');
      break;
    case 'windows-update':
      w.write("    azure-arm: Searching for Windows updates using the criteria 'IsInstalled=0'...");
      break;
  }
}

export function fillCustomizer(w: LogWriter, os: Os, type: ProvisionerType, n: number): void {
  switch (type) {
    case 'shell':
      linuxShellFiller(w, n);
      break;
    case 'powershell':
      windowsPowerShellFiller(w, n);
      break;
    case 'file': {
      const bytes = Math.floor(w.rnd() * 4e6) + 2048;
      w.write(`    azure-arm: ${bytes} bytes`);
      w.write(`ERR packer-provisioner-file plugin: [INFO] upload finished, ${bytes} bytes`);
      break;
    }
    case 'windows-restart':
      w.write(`    azure-arm: ${os === 'windows' ? 'WIN-' : ''}${'ABCDEFGH'[Math.floor(w.rnd() * 8)]}${Math.floor(w.rnd() * 9e5) + 1e5} restarted.`);
      break;
    case 'windows-update':
      for (let i = 0; i < Math.max(3, Math.floor(n / 3)); i++) {
        w.tick(30);
        const kb = 5030000 + Math.floor(w.rnd() * 9999);
        w.write(w.pick([
          `    azure-arm: Found Windows update (2024-05-14; ${(w.rnd() * 800 + 1).toFixed(1)} MB): 2024-05 Cumulative Update for Microsoft server operating system (KB${kb})`,
          `    azure-arm: Downloading Windows update (KB${kb})...`,
          `    azure-arm: Installing Windows update (KB${kb})...`,
          '    azure-arm: Waiting for operation to complete (system performance: 38% cpu; 41% memory)...',
        ]));
      }
      break;
  }
}

export function endCustomizer(w: LogWriter, c: CustomizerLog): void {
  if (c.type === 'windows-restart') w.write('==> azure-arm: Machine successfully restarted, moving on');
  w.write(`ERR [INFO] (telemetry) ending ${c.type}`);
}
