import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/resources.js';
import { RESULT_ENV } from './child-io.js';

const GNU_TIME = '/usr/bin/time';

/** A finished process: wall time, peak RSS and output. */
export interface ProcessRun {
  readonly wallMs: number;
  /** Peak resident set size in MiB (GNU time's "Maximum resident set size", else polled VmHWM). */
  readonly peakRssMiB: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a measured process. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

const hasGnuTime = existsSync(GNU_TIME);

function readHwmKb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs a command to its end and measures it: the wall time from spawn to exit, and the peak RSS
 * through `/usr/bin/time -v` where present (else by polling /proc/<pid>/status every 10 ms, which
 * can miss a short peak).
 */
export function runMeasured(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessRun> {
  const argv = hasGnuTime ? ['-v', command, ...args] : [...args];
  const program = hasGnuTime ? GNU_TIME : command;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(program, argv, { cwd: PROJECT_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledKb = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const poll = hasGnuTime
      ? undefined
      : setInterval(() => {
          if (child.pid) polledKb = Math.max(polledKb, readHwmKb(child.pid));
        }, 10);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          if (child.pid) child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (poll) clearInterval(poll);
      if (timer) clearTimeout(timer);
      let peakKb = polledKb;
      if (hasGnuTime) {
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        peakKb = match ? Number(match[1]) : Number.NaN;
        const at = stderr.lastIndexOf('\tCommand being timed:');
        if (at >= 0) stderr = stderr.slice(0, at);
        // GNU time reports a non-zero exit as "Command exited with non-zero status N".
        stderr = stderr.replace(/Command exited with non-zero status \d+\n?$/, '');
      }
      resolve({ wallMs, peakRssMiB: peakKb / 1024, code, stdout, stderr });
    });
  });
}

/** The arguments that run a bench/ TypeScript file with node (tsx loader). */
export function nodeTsArgs(
  file: string,
  args: readonly string[] = [],
  options: { exposeGc?: boolean; cpuProfDir?: string } = {},
): string[] {
  return [
    ...(options.exposeGc ? ['--expose-gc'] : []),
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    '--import',
    'tsx',
    file,
    ...args,
  ];
}

/** Runs a bench child (a TypeScript file in bench/) and returns its JSON result with the measured process. */
export async function runChild<T>(
  file: string,
  args: readonly string[] = [],
  options: RunOptions & { exposeGc?: boolean; cpuProfDir?: string } = {},
): Promise<{ result: T; run: ProcessRun }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-result-'));
  const resultFile = path.join(dir, 'result.json');
  try {
    const run = await runMeasured(process.execPath, nodeTsArgs(path.join('bench', file), args, options), {
      ...options,
      env: { ...options.env, [RESULT_ENV]: resultFile },
    });
    if (run.code !== 0 || !existsSync(resultFile)) {
      throw new Error(`bench/${file} ${args.join(' ')} failed (exit ${run.code}):\n${run.stderr.slice(-3000)}`);
    }
    return { result: JSON.parse(readFileSync(resultFile, 'utf8')) as T, run };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Stops a process this bench started: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
