import type { Request, RequestHandler, Response } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The states of the render queue that are counted (BullMQ's names). */
export const JOB_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;

/** What the metrics read from outside the API on each scrape. */
export interface MetricsOptions {
  /** The render queue's jobs by state (BullMQ getJobCounts); without it, no job metrics. */
  readonly jobCounts?: () => Promise<Partial<Record<string, number>>>;
  /** How long a scrape waits for the job counts (Redis may be down). */
  readonly jobCountsTimeoutMs?: number;
  /** Node's process metrics (memory, event loop lag, GC); default true. */
  readonly processMetrics?: boolean;
  /** How many render children the workers lost and started again (a count the workers keep in Redis). */
  readonly childRestarts?: () => Promise<number>;
}

/** The Prometheus metrics of an API process, served at GET /metrics (an admin route). */
export interface Metrics {
  readonly registry: Registry;
  /** Observes the latency of every answer by method, route (the access table's path) and status. */
  readonly observeHttp: RequestHandler;
  /** Answers the scrape in Prometheus's text format. */
  readonly serve: RequestHandler;
  /** Observes the seconds of each step of a completed render job (its result's `stepSeconds`). */
  observeRenderSteps(result: { readonly stepSeconds?: Readonly<Record<string, number | undefined>> }): void;
}

function routeOf(res: Response): string {
  const route = (res.locals.auth as { route?: { path?: unknown } } | undefined)?.route?.path;
  return typeof route === 'string' ? route : 'unmatched';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}

/** Creates the metrics on a registry of their own (so several apps in one process, as in tests, do not clash). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Latency of the API answers by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const steps = new Histogram({
    name: 'render_step_duration_seconds',
    help: 'Seconds spent in each step of a completed render job (validate, tables, pdf, xlsx, erratum, store), by any worker.',
    labelNames: ['step'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const { childRestarts } = options;
  if (childRestarts) {
    new Counter({
      name: 'render_child_restarts_total',
      help: 'Render child processes the workers lost (killed, crashed, stopped at the time limit) and started again (absent when Redis does not answer).',
      registers: [registry],
      async collect() {
        const now = await withTimeout(childRestarts(), options.jobCountsTimeoutMs ?? 1_000).catch(() => undefined);
        this.reset();
        if (now !== undefined) this.inc(now);
      },
    });
  }
  const { jobCounts } = options;
  if (jobCounts) {
    const timeoutMs = options.jobCountsTimeoutMs ?? 1_000;
    let last: Promise<Partial<Record<string, number>> | undefined> | undefined;
    // Both gauges read one count per scrape.
    const counts = () => {
      last ??= withTimeout(jobCounts(), timeoutMs)
        .catch(() => undefined)
        .finally(() => setImmediate(() => (last = undefined)));
      return last;
    };
    new Gauge({
      name: 'render_jobs',
      help: 'Render jobs in the queue by state (absent when Redis does not answer).',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const now = await counts();
        this.reset();
        if (now) for (const state of JOB_STATES) this.set({ state }, now[state] ?? 0);
      },
    });
    new Gauge({
      name: 'render_queue_depth',
      help: 'Render jobs waiting for a worker (waiting, prioritized and delayed).',
      registers: [registry],
      async collect() {
        const now = await counts();
        this.reset();
        if (now) this.set((now.waiting ?? 0) + (now.prioritized ?? 0) + (now.delayed ?? 0));
      },
    });
  }
  return {
    registry,
    observeHttp: (req: Request, res: Response, next) => {
      const end = http.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeOf(res), status: String(res.statusCode) }));
      next();
    },
    serve: async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    },
    observeRenderSteps(result) {
      for (const [step, seconds] of Object.entries(result.stepSeconds ?? {})) {
        if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) steps.observe({ step }, seconds);
      }
    },
  };
}
