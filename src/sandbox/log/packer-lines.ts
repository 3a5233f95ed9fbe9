import { alnum, guid, hex, int, pad2, pick, type Rng } from './random';
import type { LogLine, SynthOs } from './types';

// The two line writers. Both print Packer's shapes — `[<run id>] PACKER OUT <text>` for packer's stdout and
// `[<run id>] PACKER ERR <yyyy/mm/dd hh:mm:ss> <text>` for its core log — on a clock that only moves forward.
// LineMaker drives synthesized logs (names of the build's resources, millisecond steps drawn per line); LogWriter
// renders scenario LogSpecs (lines tagged OUT/ERR/RAW, a few seconds between lines).

/** Packer's core-log timestamp, UTC, to the second. */
export function packerTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Names of the Azure resources one build touches; packer's random `pkr…` names included. */
export interface BuildNames {
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

export function buildNames(rng: Rng, os: SynthOs, runId: string | undefined): BuildNames {
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
export class LineMaker {
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
      this.cachedSecond = second;
      this.cachedStamp = packerTimestamp(second * 1000);
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

export interface LogContext {
  /** Prefix of every Packer line: AIB prints the run's id in brackets. */
  runId: string;
  start: Date;
  templateName: string;
  stagingGroup: string;
  location: string;
}

export class LogWriter {
  readonly lines: string[] = [];
  private clock: number;

  constructor(
    private readonly ctx: LogContext,
    readonly rnd: () => number,
  ) {
    this.clock = ctx.start.getTime();
  }

  tick(maxSeconds: number): void {
    this.clock += Math.floor(this.rnd() * maxSeconds * 1000);
  }

  elapsed(): string {
    const s = Math.max(1, Math.round((this.clock - this.ctx.start.getTime()) / 1000));
    return `${Math.floor(s / 60)} minutes ${s % 60} seconds`;
  }

  private stamp(): string {
    return packerTimestamp(this.clock);
  }

  write(line: LogLine): void {
    const prefix = `[${this.ctx.runId}] PACKER`;
    if (line.startsWith('RAW ')) this.lines.push(line.slice(4));
    else if (line.startsWith('ERR ')) this.lines.push(`${prefix} ERR ${this.stamp()} ${line.slice(4)}`);
    else if (line.startsWith('OUT ')) this.lines.push(`${prefix} OUT ${line.slice(4)}`);
    else this.lines.push(`${prefix} OUT ${line}`);
  }

  all(lines: LogLine[]): void {
    for (const l of lines) {
      this.tick(3);
      this.write(l);
    }
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)];
  }
}
