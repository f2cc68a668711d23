import http from 'node:http';
import type { Express } from 'express';
import type { AccessControlOptions, AuditLog, Role } from '../../src/api/index.js';
import type { Database } from '../../src/db/database.js';
import type { RenderWorker } from '../../src/jobs/index.js';
import {
  type ApiStack,
  type JobBody,
  makeStorageDir,
  obliterateQueue,
  removeDir,
  type StackOptions,
  startApi,
  startWorker,
  uniqueQueueName,
} from '../integration/helpers.js';

/** A job as the API shows it, with its release moment. */
export type Job = JobBody & { releaseAt: string | null };

/** Who a test request is: nobody, or a token of a role. */
export type Who = 'none' | Role;

/** A clock the tests move by hand. */
export interface TestClock {
  readonly now: () => Date;
  set(iso: string): void;
}

/** Creates a clock standing at `iso`. */
export function createTestClock(iso: string): TestClock {
  let current = new Date(iso);
  return {
    now: () => new Date(current.getTime()),
    set(next) {
      current = new Date(next);
    },
  };
}

/** An API with tokens of every role, a worker and a clock: the service as it runs behind tokens. */
export interface SecureStack {
  readonly api: ApiStack;
  readonly baseUrl: string;
  readonly storageDir: string;
  readonly queueName: string;
  readonly clock: TestClock;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly tokenIds: Readonly<Record<Role, string>>;
  /** A second editor, who reviews the drafts of "editor" (nobody approves their own). */
  readonly reviewerToken: string;
  /** A fetch as `who` (Bearer token). */
  request(who: Who, urlPath: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Options of a secure stack. */
export interface SecureStackOptions {
  readonly label: string;
  readonly clock?: string;
  readonly worker?: boolean;
  readonly access?: Partial<AccessControlOptions>;
  readonly storageDir?: string;
  readonly maxBodyBytes?: number;
  /** The record; default an in-memory PGlite database of the stack's own. */
  readonly db?: Database;
  /** The API's current templates; default the project's templates/. */
  readonly templates?: StackOptions['templates'];
  readonly wrapStorage?: StackOptions['wrapStorage'];
}

/** Starts an API behind tokens (one per role, made through the token store as the CLI does) and, by default, a worker. */
export async function startSecureStack(options: SecureStackOptions): Promise<SecureStack> {
  const queueName = uniqueQueueName(options.label);
  const storageDir = options.storageDir ?? (await makeStorageDir());
  const clock = createTestClock(options.clock ?? '2020-01-01T00:00:00Z');
  const api = await startApi({
    queueName,
    storageDir,
    clock: clock.now,
    access: options.access,
    maxBodyBytes: options.maxBodyBytes,
    ...(options.db ? { db: options.db } : {}),
    ...(options.templates ? { templates: options.templates } : {}),
    ...(options.wrapStorage ? { wrapStorage: options.wrapStorage } : {}),
  });
  const tokens = {} as Record<Role, string>;
  const tokenIds = {} as Record<Role, string>;
  for (const role of ['reader', 'editor', 'admin'] as const) {
    const made = await api.access.tokens.create({ name: `test ${role}`, role, createdBy: 'test' });
    tokens[role] = made.token;
    tokenIds[role] = made.info.id;
  }
  const reviewerToken = (await api.access.tokens.create({ name: 'test reviewer', role: 'editor', createdBy: 'test' })).token;
  let worker: RenderWorker | undefined;
  if (options.worker !== false) worker = startWorker({ queueName, storageDir });
  return {
    api,
    baseUrl: api.baseUrl,
    storageDir,
    queueName,
    clock,
    tokens,
    tokenIds,
    reviewerToken,
    request(who, urlPath, init = {}) {
      const headers = new Headers(init.headers);
      if (who !== 'none') headers.set('authorization', `Bearer ${tokens[who]}`);
      return fetch(`${api.baseUrl}${urlPath}`, { ...init, headers, redirect: 'manual' });
    },
    async close() {
      await worker?.close();
      await api.close();
      await obliterateQueue(queueName);
      if (!options.storageDir) await removeDir(storageDir);
    },
  };
}

/** Posts a render request as `who`. */
export function postJob(stack: SecureStack, who: Who, body: unknown): Promise<Response> {
  return stack.request(who, '/api/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Polls a job as an editor until it is completed or failed. */
export async function waitForJobAs(stack: SecureStack, id: string, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.request('editor', `/api/jobs/${id}`);
    if (res.status === 200) {
      const job = (await res.json()) as Job;
      if (job.state === 'completed' || job.state === 'failed') return job;
    } else {
      await res.body?.cancel();
    }
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One line of the audit log. */
export interface AuditLine {
  at: string;
  actor: { id: string; name: string; role: string | null } | null;
  action: string;
  object: Record<string, unknown>;
  ip: string | null;
  reason?: string;
}

/** Reads the audit log from the record, oldest first (waiting briefly for entries written when answers finished). */
export async function readAudit(
  audit: Pick<AuditLog, 'list'>,
  until?: (lines: AuditLine[]) => boolean,
): Promise<{ text: string; lines: AuditLine[] }> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const lines = (await audit.list({ limit: 1000 })).reverse() as AuditLine[];
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    if (!until || until(lines) || Date.now() > deadline) return { text, lines };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A route the app's router declares. */
export interface DeclaredRoute {
  readonly method: string;
  readonly path: string;
}

interface LayerLike {
  readonly rawPath?: unknown;
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly LayerLike[] };
}

/** Every route the app's router (and the routers mounted in it) declares: derived, so a new route cannot be forgotten. */
export function listDeclaredRoutes(app: Express): DeclaredRoute[] {
  const out: DeclaredRoute[] = [];
  const walk = (stack: readonly LayerLike[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}` });
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}

/** A request through node:http, which sends every header as given (fetch replaces Host). */
export function httpRequest(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Publishes an edition as the service does: "editor" makes a draft of `body`, the second editor
 * approves it once it is rendered, and the final files are rendered. Returns the final job (as an
 * editor sees it). `body` is a draft request: dataset, and for a correction erratum (no previous).
 */
export async function publishEdition(stack: SecureStack, body: Record<string, unknown>, timeoutMs = 90_000): Promise<Job> {
  const send = (token: string, method: string, url: string, payload?: unknown) =>
    fetch(`${stack.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
  const made = await send(stack.tokens.editor, 'POST', '/api/drafts', body);
  const draft = (await made.json()) as { id: string; jobId?: string };
  if (made.status !== 201) throw new Error(`the draft was refused: ${made.status} ${JSON.stringify(draft)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = ((await (await send(stack.tokens.editor, 'GET', `/api/drafts/${draft.id}`)).json()) as { render: { state: string } })
      .render.state;
    if (state === 'completed') break;
    if (state === 'failed' || Date.now() > deadline) throw new Error(`the draft's render ended ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const approved = await send(stack.reviewerToken, 'POST', `/api/drafts/${draft.id}/reviews`, { decision: 'approve', comment: 'Akkoord.' });
  const answer = (await approved.json()) as { edition: number; publicationId: string };
  if (approved.status !== 201) throw new Error(`the approval was refused: ${approved.status} ${JSON.stringify(answer)}`);
  const editions = (await (await send(stack.tokens.editor, 'GET', `/api/publications/${answer.publicationId}/editions`)).json()) as {
    editions: { edition: number; jobId: string }[];
  };
  const jobId = editions.editions.find((e) => e.edition === answer.edition)?.jobId as string;
  return waitForJobAs(stack, jobId, timeoutMs);
}
