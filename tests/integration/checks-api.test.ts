import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/checks/index.js';
import { ERRATUM, originalJson, post, type ServiceStack, startStack, uniqueQueueName, waitForJob } from './helpers.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string }[];
}

type Raw = { publication: Record<string, unknown>; tables: { id: string; rows: Record<string, unknown>[] }[] };

/** The example with one kerncijfers cell changed. */
function withKerncijfer(regio: string, measure: string, value: number): Raw {
  const raw = originalJson() as unknown as Raw;
  const row = raw.tables[0]?.rows.find((r) => r.Regio === regio);
  if (!row) throw new Error(regio);
  row[measure] = value;
  return raw;
}

describe('the checks before publishing in the service', () => {
  let stack: ServiceStack;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ queueName: uniqueQueueName('checks'), worker: true });
    base = stack.api.baseUrl;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('the validate endpoint carries the findings with their cells', async () => {
    const res = await fetch(`${base}/api/datasets/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(withKerncijfer('VT05', 'GestarteAdviezen', 3_000)),
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { valid: boolean; checks: CheckReport };
    expect(report.valid).toBe(true);
    expect(report.checks.errors).toBe(1);
    expect(report.checks.findings[0]).toMatchObject({
      ruleId: 'kerncijfers-nederland-som-regios',
      severity: 'error',
      tableId: 'kerncijfers',
      measure: { key: 'GestarteAdviezen' },
    });
    expect(report.checks.findings[0]?.cells).toHaveLength(27);
  });

  it('refuses a dataset with errors as a dataset problem listing the findings, and queues nothing', async () => {
    const res = await post(base, { dataset: withKerncijfer('NL01', 'GestarteCasussen', 99_995) });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('DATASET_IMPLAUSIBLE');
    expect(problem.errors).toContainEqual({
      path: 'dataset.tables[kerncijfers].rows[Regio=NL01,Perioden=2019HJ01].GestarteCasussen',
      message: expect.stringContaining('[waarvan-hoogstens-geheel]'),
    });
  });

  it('refuses a correction without changes ("geen wijzigingen")', async () => {
    const res = await post(base, { dataset: originalJson(), previous: originalJson(), erratum: ERRATUM });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('DATASET_IMPLAUSIBLE');
    expect(problem.errors[0]).toMatchObject({ path: 'dataset.publication', message: expect.stringContaining('Geen wijzigingen') });
  });

  it('refuses the very dataset of an edition sent again as its correction ("geen wijzigingen")', async () => {
    const first = await post(base, { dataset: originalJson() });
    expect([200, 202]).toContain(first.status);
    const job = (await first.json()) as { id: string };
    expect((await waitForJob(base, job.id)).state).toBe('completed');
    const again = await post(base, { dataset: originalJson(), erratum: ERRATUM });
    expect(again.status).toBe(422);
    const problem = (await again.json()) as Problem;
    expect(problem.code).toBe('DATASET_IMPLAUSIBLE');
    expect(problem.errors[0]).toMatchObject({ path: 'dataset.publication', message: expect.stringContaining('Geen wijzigingen') });
  });

  it('renders a dataset with warnings only when they are accepted, and records who accepted which and when', async () => {
    const dataset = withKerncijfer('VT03', 'Overdrachten', 1_331);
    const refused = await post(base, { dataset });
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as Problem;
    expect(problem.code).toBe('WARNINGS_NOT_ACCEPTED');
    expect(problem.errors).toEqual([
      {
        path: 'dataset.tables[kerncijfers].rows[Regio=VT03,Perioden=2019HJ01].Overdrachten',
        message: expect.stringContaining('[aantallen-afgerond-op-5]'),
      },
    ]);

    const accepted = await post(base, { dataset, acceptWarnings: true });
    expect(accepted.status).toBe(202);
    const job = (await accepted.json()) as { id: string; checks: { acceptance: { by: string; at: string; findings: string[] } } };
    const id = 'aantallen-afgerond-op-5|kerncijfers|Regio=VT03,Perioden=2019HJ01|Overdrachten';
    expect(job.checks.acceptance).toMatchObject({ by: expect.any(String), findings: [id] });
    const done = await waitForJob(base, job.id);
    expect(done.state).toBe('completed');

    // A draft (what becomes an edition once another editor approves it) keeps the findings and the acceptance.
    const made = await fetch(`${base}/api/drafts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset, acceptWarnings: true }),
    });
    expect(made.status).toBe(201);
    const draft = (await made.json()) as {
      findings: { warnings: number; acceptance: { findings: string[] } };
      acceptedWarnings: { by: string; at: string; findings: string[] };
    };
    expect(draft.findings.warnings).toBe(1);
    expect(draft.acceptedWarnings).toMatchObject({ by: expect.any(String), at: expect.any(String), findings: [id] });
    const unaccepted = await fetch(`${base}/api/drafts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataset }),
    });
    expect(unaccepted.status).toBe(422);
    expect(((await unaccepted.json()) as Problem).code).toBe('WARNINGS_NOT_ACCEPTED');
  });
});
