import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  model: string;
  node: string;
  /** Total memory in GiB. */
  mem: number;
  /** Load average when the benchmark started: these machines are shared, so a high figure explains noise. */
  load1: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    mem: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    load1: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
