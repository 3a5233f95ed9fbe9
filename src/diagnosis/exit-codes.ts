// What a customizer's exit code means. Windows tools exit with MSI and Win32 codes, PowerShell prints HRESULTs
// as negative decimals, and the Task Scheduler (packer's elevated shell) adds its own SCHED_* values. Small
// codes are looked up; HRESULTs are decoded by their layout (severity, facility, code), so any HRESULT gets a
// reading even when its exact value is not listed. The meaning keys are texts in locales/ (exitCode.*).

export interface ExitCodeMeaning {
  value: number;
  /** `0x80070005` for an HRESULT or a value ≥ 0x10000, else undefined. */
  hex?: string;
  /** Key under `exitCode.` in the locales, when the value (or the Win32 code inside an HRESULT) is known. */
  meaning?: string;
  /** For an HRESULT: its facility name (WIN32, WINDOWSUPDATE, SERVICING, ITF, NULL…) and the code inside it. */
  hresult?: { facility: string; facilityNumber: number; code: number };
  /** Whether a success code (3010, 1641) that the template should list in validExitCodes. */
  success?: boolean;
}

// Exit codes whose meaning we can name: MSI, Win32, Task Scheduler, packer's own, and the Unix shell's.
const KNOWN: Record<number, { meaning: string; success?: boolean }> = {
  1: { meaning: 'generic' },
  2: { meaning: 'fileNotFound' },
  3: { meaning: 'pathNotFound' },
  5: { meaning: 'accessDenied' },
  87: { meaning: 'invalidParameter' },
  126: { meaning: 'notExecutable' },
  127: { meaning: 'commandNotFound' },
  1115: { meaning: 'shutdownInProgress' },
  1190: { meaning: 'shutdownScheduled' },
  1602: { meaning: 'msiUserExit' },
  1603: { meaning: 'msiInstallFailure' },
  1618: { meaning: 'msiAlreadyRunning' },
  1619: { meaning: 'msiPackageOpenFailed' },
  1620: { meaning: 'msiPackageOpenFailed' },
  1625: { meaning: 'msiBlockedByPolicy' },
  1638: { meaning: 'msiOtherVersion' },
  1639: { meaning: 'msiBadCommandLine' },
  1641: { meaning: 'msiRebootInitiated', success: true },
  3010: { meaning: 'msiRebootRequired', success: true },
  3017: { meaning: 'failRebootRequired' },
  // SCHED_S_TASK_TERMINATED (0x41306): the scheduled task packer runs elevated scripts in was ended.
  267014: { meaning: 'taskTerminated' },
  // packer-plugin-sdk's CmdDisconnect: the remote command lost its connection (often a reboot).
  2300218: { meaning: 'disconnected' },
};

// Specific HRESULTs outside facility WIN32 whose meaning matters for image builds.
const KNOWN_HRESULTS: Record<number, string> = {
  0x80004005: 'unspecified',
  0x800f081f: 'sourceMissing',
  0x800f0920: 'servicingHang',
  0x800f0831: 'storeCorrupt',
  0x80240016: 'wuInstallNotAllowed',
  0x80240438: 'wuNetwork',
  0x8024402c: 'wuNetwork',
  0x80073cf9: 'appxDeploymentFailed',
  0x8a150011: 'wingetHashMismatch',
};

const FACILITIES: Record<number, string> = {
  0: 'NULL',
  4: 'ITF',
  7: 'WIN32',
  15: 'SERVICING',
  36: 'WINDOWSUPDATE',
  0x215: 'APPINSTALLER',
};

const TWO_32 = 4294967296;

export function describeExitCode(value: number): ExitCodeMeaning {
  const out: ExitCodeMeaning = { value };
  const known = KNOWN[value];
  if (known) {
    out.meaning = known.meaning;
    if (known.success) out.success = true;
  }
  const unsigned = value < 0 ? value + TWO_32 : value;
  if (unsigned >= 0x10000) out.hex = `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
  // An HRESULT has its severity bit set; small and positive values are plain exit codes.
  if (unsigned >= 0x80000000 && unsigned < TWO_32) {
    const facilityNumber = (unsigned >>> 16) & 0x7ff;
    const code = unsigned & 0xffff;
    out.hresult = { facility: FACILITIES[facilityNumber] ?? `0x${facilityNumber.toString(16).toUpperCase()}`, facilityNumber, code };
    const specific = KNOWN_HRESULTS[unsigned];
    if (specific) out.meaning = specific;
    else if (facilityNumber === 7 && KNOWN[code]) {
      out.meaning = KNOWN[code].meaning;
      if (KNOWN[code].success) out.success = true;
    }
  }
  return out;
}

// `exited with code: N`, `non-zero exit status: N`, `returned with exit code N`, `exit status N`, `exit code: N`.
const EXIT_CODE = /(?:exited with code|exit status|returned with exit code|failed with exit code|exit code):?\s*(-?\d{1,11})\b/i;

/** The exit code a line reports, if it reports one (and it is not 0). */
export function exitCodeIn(line: string): number | undefined {
  const m = EXIT_CODE.exec(line.length > 2000 ? line.slice(0, 2000) : line);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n !== 0 ? n : undefined;
}
