import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromWireError, type WireError } from '../error-wire.js';
import { AppError } from '../errors.js';
import type { ErratumInput, RenderStep } from '../render/types.js';
import type { ChangedCellsRecord } from './storage.js';

/** What the sandbox renders: dataset bytes (JSON), and for a corrected edition the previous ones. */
export interface SandboxRenderInput {
  readonly dataset: Buffer;
  /**
   * The sha256 under which the dataset is stored: the API stores a dataset only once it has
   * validated it, so bytes with this hash need not have their JSON text scanned again. The child
   * verifies the hash; bytes that do not match it are refused.
   */
  readonly datasetHash?: string;
  readonly previous?: Buffer;
  /** The sha256 of the previous dataset, as datasetHash. */
  readonly previousHash?: string;
  readonly previousEdition?: number;
  readonly erratum?: ErratumInput;
  /** The edition number the record assigned (final renders of approved drafts). */
  readonly edition?: number;
  /** Render a draft, marked "CONCEPT". */
  readonly draft?: boolean;
  /** The templates to render with (kept with the job's templatesHash); default the child's own. */
  readonly templates?: Readonly<Record<string, string>>;
}

/** One rendered file as it comes back from the sandbox. */
export interface SandboxArtifact {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** The result of a render in the sandbox, with the identity of the templates and code that made it. */
export interface SandboxRenderOutput {
  readonly publicationId: string;
  readonly edition: number;
  readonly correctedOn: string | undefined;
  readonly artifacts: readonly SandboxArtifact[];
  /** For a corrected edition, the figures that changed (a small list); null for a first edition. */
  readonly changedCells: ChangedCellsRecord | null;
  readonly templatesHash: string;
  readonly rendererVersion: string;
}

/** Messages from the parent to a render child. */
export type ToChildMessage = { readonly type: 'render'; readonly id: number; readonly input: SandboxRenderInput };

/** Messages from a render child to the parent. */
export type FromChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'step'; readonly id: number; readonly step: RenderStep }
  | { readonly type: 'done'; readonly id: number; readonly output: SandboxRenderOutput }
  | { readonly type: 'failed'; readonly id: number; readonly error: WireError };

/** Options of the render sandbox. */
export interface RenderSandboxOptions {
  /** The hard time limit of one render; the child is killed when it is exceeded. */
  readonly timeoutMs: number;
  /** A child is replaced after this many renders, to bound memory growth. */
  readonly maxRendersPerChild?: number;
  /** How long a new child may take to load the renderer. */
  readonly startTimeoutMs?: number;
  /** Called with the raw message of an unexpected (non-AppError) failure, which is not shown to clients. */
  readonly onInternalError?: (message: string) => void;
  /**
   * Children kept started and warm ahead of the jobs (the worker's concurrency): started at once,
   * and a new one started as soon as one is retired or dies. 0 (the default): children start on demand.
   */
  readonly warmChildren?: number;
  /** Each child renders the 2019 example once before it says it is ready, so its first job runs warm. */
  readonly warmUp?: boolean;
  /** False: the children render workbooks inline, never in a workbook thread (RENDER_WORKBOOK_THREAD, one core). */
  readonly workbookThread?: boolean;
  /** Called when a child exits that the sandbox did not stop (killed, crashed, stopped at the time limit); it is replaced. */
  readonly onChildLost?: () => void;
}

/** Options of one render. */
export interface SandboxRenderOptions {
  readonly onStep?: (step: RenderStep) => void;
}

/** Runs renders in child processes, one render per child at a time, with a hard time limit. */
export interface RenderSandbox {
  render(input: SandboxRenderInput, options?: SandboxRenderOptions): Promise<SandboxRenderOutput>;
  /** Stops idle children and refuses new renders; kills children still rendering. */
  close(): Promise<void>;
}

/**
 * The child entry. Compiled (dist/), render-child.js itself; from the sources (tests, development),
 * render-child.mjs, a plain .mjs file that registers tsx and loads render-child.ts.
 */
const CHILD_FILE = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './render-child.mjs' : './render-child.js', import.meta.url));

/** The child's argument that asks it to warm up before it says it is ready (see render-child.ts). */
export const WARM_UP_ARG = '--warm-up';
/** The child's argument that keeps its workbooks out of the workbook thread. */
export const NO_WORKBOOK_THREAD_ARG = '--no-workbook-thread';

function exitedBeforeReady(code: number | null, signal: NodeJS.Signals | null): AppError {
  return new AppError('RENDER_FAILED', `the render process exited while starting (${signal ?? `exit code ${code}`})`);
}

/**
 * A pool of render child processes. pdfmake blocks the event loop for the length of a render, so
 * the render runs in a child: the worker's own event loop stays free to renew the job lock, and a
 * render that overruns its time limit is stopped for sure by killing its process.
 */
export function createRenderSandbox(options: RenderSandboxOptions): RenderSandbox {
  const maxRenders = options.maxRendersPerChild ?? 50;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const warmChildren = options.warmChildren ?? 0;
  const idle: ChildProcess[] = [];
  const busy = new Set<ChildProcess>();
  /** Children being started ahead of the jobs; a render takes the first of them when none is idle. */
  const starting: Promise<ChildProcess | undefined>[] = [];
  /** Children forked that have not said they are ready (close() kills them: a warm-up has no value then). */
  const launching = new Set<ChildProcess>();
  const renders = new WeakMap<ChildProcess, number>();
  let closed = false;
  let nextId = 1;
  /** Children the sandbox itself retires or stops: their exit is no loss. */
  const retiring = new WeakSet<ChildProcess>();

  function stopChild(child: ChildProcess): Promise<void> {
    retiring.add(child);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      // The child exits when its IPC channel closes; it ignores SIGINT/SIGTERM so that a signal to
      // the whole process group does not cut a render short before the worker has stored it.
      if (child.connected) child.disconnect();
      else child.kill('SIGKILL');
    });
  }

  function spawnChild(): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const args = [...(options.warmUp ? [WARM_UP_ARG] : []), ...(options.workbookThread === false ? [NO_WORKBOOK_THREAD_ARG] : [])];
      const child = fork(CHILD_FILE, args, { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      launching.add(child);
      const timer = setTimeout(() => {
        cleanup();
        child.kill('SIGKILL');
        reject(new AppError('RENDER_FAILED', `the render process did not start within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      const onMessage = (message: FromChildMessage): void => {
        if (message.type !== 'ready') return;
        cleanup();
        resolve(child);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanup();
        reject(exitedBeforeReady(code, signal));
      };
      const onError = (error: Error): void => {
        cleanup();
        child.kill('SIGKILL');
        reject(new AppError('RENDER_FAILED', 'the render process could not be started', { cause: error }));
      };
      function cleanup(): void {
        launching.delete(child);
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
      }
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.on('error', onError);
      // An idle child that dies is simply forgotten.
      child.once('exit', () => {
        if (!retiring.has(child) && !closed) options.onChildLost?.();
        const at = idle.indexOf(child);
        if (at >= 0) idle.splice(at, 1);
        busy.delete(child);
        topUp();
      });
    });
  }

  /** Starts children until `warmChildren` are idle, busy or starting (nothing when closed). */
  function topUp(): void {
    while (!closed && idle.length + busy.size + starting.length < warmChildren) {
      const start: Promise<ChildProcess | undefined> = spawnChild().then(
        (child) => {
          forget(start);
          return closed ? stopChild(child).then(() => undefined) : child;
        },
        (error: unknown) => {
          forget(start);
          if (!closed)
            options.onInternalError?.(
              `a render process could not be started ahead: ${error instanceof Error ? error.message : String(error)}`,
            );
          return undefined;
        },
      );
      // Until a render takes it, a child started ahead waits in `idle`.
      void start.then((child) => {
        if (child && !taken.has(start)) idle.push(child);
      });
      starting.push(start);
    }
  }
  /** Children started ahead that a render took while they were starting. */
  const taken = new WeakSet<Promise<ChildProcess | undefined>>();

  function forget(start: Promise<ChildProcess | undefined>): void {
    const at = starting.indexOf(start);
    if (at >= 0) starting.splice(at, 1);
  }

  /** An idle child, else one being started ahead, else a new one. */
  async function acquire(): Promise<ChildProcess> {
    const ready = idle.pop();
    if (ready) return ready;
    const start = starting[0];
    if (start) {
      taken.add(start);
      starting.shift();
      const child = await start;
      if (child) return child;
    }
    if (closed) throw new AppError('RENDER_FAILED', 'the worker is shutting down');
    return spawnChild();
  }

  function release(child: ChildProcess): void {
    busy.delete(child);
    const count = (renders.get(child) ?? 0) + 1;
    renders.set(child, count);
    if (closed || count >= maxRenders || !child.connected) void stopChild(child);
    else idle.push(child);
    topUp();
  }

  function fromWire(error: WireError): AppError {
    const known = fromWireError(error);
    if (known) return known;
    options.onInternalError?.(error.message);
    return new AppError('RENDER_FAILED', 'rendering failed for a reason outside the dataset (see the worker log)');
  }

  async function render(input: SandboxRenderInput, renderOptions: SandboxRenderOptions = {}): Promise<SandboxRenderOutput> {
    if (closed) throw new AppError('RENDER_FAILED', 'the worker is shutting down');
    const child = await acquire();
    if (closed) {
      void stopChild(child);
      throw new AppError('RENDER_FAILED', 'the worker is shutting down');
    }
    busy.add(child);
    const id = nextId++;
    return new Promise<SandboxRenderOutput>((resolve, reject) => {
      let settled = false;
      const settle = (then: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        then();
      };
      const timer = setTimeout(() => {
        settle(() => {
          busy.delete(child);
          child.kill('SIGKILL');
          reject(new AppError('JOB_TIMEOUT', `the rendering took longer than the limit of ${options.timeoutMs} ms and was stopped`));
        });
      }, options.timeoutMs);
      const onMessage = (message: FromChildMessage): void => {
        if (message.type === 'ready' || message.id !== id) return;
        if (message.type === 'step') {
          renderOptions.onStep?.(message.step);
          return;
        }
        settle(() => {
          release(child);
          if (message.type === 'done') resolve(message.output);
          else reject(fromWire(message.error));
        });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        settle(() =>
          reject(new AppError('RENDER_FAILED', `the render process exited in the middle of a render (${signal ?? `exit code ${code}`})`)),
        );
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      const message: ToChildMessage = { type: 'render', id, input };
      child.send(message, (error) => {
        if (error) {
          settle(() => {
            busy.delete(child);
            child.kill('SIGKILL');
            reject(new AppError('RENDER_FAILED', 'the render could not be handed to its process', { cause: error }));
          });
        }
      });
    });
  }

  topUp();
  return {
    render,
    async close() {
      closed = true;
      const children = [...idle.splice(0), ...busy];
      for (const child of [...busy, ...launching]) child.kill('SIGKILL');
      busy.clear();
      await Promise.all([...children.map(stopChild), ...starting.splice(0)]);
    },
  };
}
