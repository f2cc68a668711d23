import { readFileSync, writeFileSync } from 'node:fs';

/** The environment variable through which the orchestrator tells a child where to write its result. */
export const RESULT_ENV = 'BENCH_RESULT_FILE';

/** Writes a child's result as JSON for the orchestrator (or prints it when run by hand). */
export function writeResult(result: unknown): void {
  const file = process.env[RESULT_ENV];
  const text = JSON.stringify(result, null, 2);
  if (file) writeFileSync(file, text);
  else console.log(text);
}

/** Collects garbage when the process runs with --expose-gc, so one measurement does not pay for the last. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

/** The peak resident set size of this process so far (VmHWM), in MiB; NaN where /proc is missing. */
export function peakRssMiB(): number {
  return readStatusKb('VmHWM') / 1024;
}

/** The current resident set size (VmRSS), in MiB. */
export function rssMiB(): number {
  return readStatusKb('VmRSS') / 1024;
}

/** Resets the peak RSS of this process to its current RSS (Linux: /proc/self/clear_refs). False where not allowed. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function readStatusKb(field: string): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Milliseconds of CPU (user + system) this process has used. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
