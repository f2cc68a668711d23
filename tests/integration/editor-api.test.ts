import { importEditions } from '../../src/record/import-editions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditionManifest } from '../../src/jobs/index.js';
import { type ApiStack, originalJson, readExample, type ServiceStack, startStack, uniqueQueueName } from './helpers.js';

// The API routes the editor's page uses besides rendering: checking a dataset file, the list of
// publications, and the changed cells of a corrected edition.

function validate(baseUrl: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${baseUrl}/api/datasets/validate`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('editor API: validate a dataset, list publications, changed cells of an edition', () => {
  const queueName = uniqueQueueName('editor-api');
  let stack: ServiceStack | undefined;
  let api: ApiStack;

  beforeAll(async () => {
    stack = await startStack({ queueName });
    api = stack.api;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when the 2019 example file is sent as it is, answers that it is valid and what it holds', async () => {
    const res = await validate(api.baseUrl, readExample('beleidsinformatie-2019-hj1/dataset.json'));
    expect(res.status).toBe(200);
    const report = (await res.json()) as { valid: boolean; publication: { id: string }; tables: unknown[]; errors: unknown[] };
    expect(report.valid).toBe(true);
    expect(report.publication.id).toBe('beleidsinformatie-veilig-thuis-2019-hj1');
    expect(report.tables).toHaveLength(8);
    expect(report.errors).toEqual([]);
  });

  it('when a cell is wrong, answers 200 with the problem and its table, row and cell', async () => {
    const dataset = originalJson() as { tables: { rows: Record<string, unknown>[] }[] };
    dataset.tables[0]!.rows[3]!.GestarteAdviezen = -5;
    const res = await validate(api.baseUrl, JSON.stringify(dataset));
    expect(res.status).toBe(200);
    const report = (await res.json()) as { valid: boolean; code: string; errors: { path: string; message: string; place: unknown }[] };
    expect(report).toMatchObject({ valid: false, code: 'DATASET_INVALID' });
    expect(report.errors).toEqual([
      {
        path: 'tables[0].rows[3].GestarteAdviezen',
        message: expect.stringContaining('a count cannot be negative (-5)'),
        place: expect.objectContaining({ tableId: 'kerncijfers', row: 4, cell: 'GestarteAdviezen', cellTitle: 'Gestarte adviezen' }),
      },
    ]);
  });

  it('when the file is not JSON, says so with line and column; an empty body or another content type is refused', async () => {
    const broken = await validate(api.baseUrl, '{"formatVersion": 1,,}');
    expect(broken.status).toBe(200);
    expect(await broken.json()).toMatchObject({ valid: false, code: 'DATASET_UNREADABLE', errors: [{ path: '(root)', place: null }] });

    const empty = await validate(api.baseUrl, '');
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await empty.json()) as { code: string }).code).toBe('REQUEST_INVALID');

    const text = await validate(api.baseUrl, readExample('beleidsinformatie-2019-hj1/dataset.json'), 'text/plain');
    expect(text.status).toBe(415);
    await text.body?.cancel();
  });

  it('lists the publications with their latest edition, and gives each edition its changed cells', async () => {
    expect(await (await fetch(`${api.baseUrl}/api/publications`)).json()).toEqual({
      publications: [],
      links: { self: '/api/publications' },
    });

    // Two recorded editions, as a worker records them (no render needed to read them back).
    const bytes = Buffer.from(JSON.stringify(originalJson()), 'utf8');
    const datasetHash = await api.storage.putDataset(bytes);
    const base = {
      publicationId: 'beleidsinformatie-veilig-thuis-2019-hj1',
      datasetHash,
      templatesHash: 'a'.repeat(64),
      rendererVersion: 'test',
      artifacts: [],
    };
    const cell = {
      tableId: 'kerncijfers',
      tableTitle: 'Kerncijfers per Veilig Thuis-regio',
      rowLabel: 'Totaal',
      columnTitle: 'Actieve casussen',
      oldText: '64 040',
      newText: '73 820',
      kind: 'value' as const,
      movedFromLabel: null,
    };
    const first: EditionManifest = {
      ...base,
      jobId: `r-${'1'.repeat(64)}`,
      edition: 1,
      correctedOn: null,
      previous: null,
      erratum: null,
      createdAt: '2026-01-01T10:00:00.000Z',
      changedCells: null,
    };
    const second: EditionManifest = {
      ...base,
      jobId: `r-${'2'.repeat(64)}`,
      edition: 2,
      correctedOn: '2020-04-28',
      previous: { datasetHash, edition: 1 },
      erratum: { date: '2020-04-28', text: 'Gecorrigeerd.' },
      createdAt: '2026-01-02T10:00:00.000Z',
      changedCells: { total: 1, cells: [cell] },
    };
    await api.storage.recordEdition(first);
    await api.storage.recordEdition(second);
    // Editions on disk reach the record through the import (npm run import-editions); twice imports nothing twice.
    expect((await importEditions(api.record)).map((r) => r.imported)).toEqual([[1, 2]]);
    expect((await importEditions(api.record)).map((r) => r.imported)).toEqual([[]]);

    const list = (await (await fetch(`${api.baseUrl}/api/publications`)).json()) as { publications: unknown[] };
    expect(list.publications).toEqual([
      {
        publicationId: 'beleidsinformatie-veilig-thuis-2019-hj1',
        editions: 2,
        latest: { edition: 2, correctedOn: '2020-04-28', createdAt: '2026-01-02T10:00:00.000Z', jobId: second.jobId },
        links: { editions: '/api/publications/beleidsinformatie-veilig-thuis-2019-hj1/editions' },
      },
    ]);
    const editions = (await (await fetch(`${api.baseUrl}/api/publications/beleidsinformatie-veilig-thuis-2019-hj1/editions`)).json()) as {
      editions: { edition: number; changedCells: unknown }[];
    };
    expect(editions.editions.map((e) => [e.edition, e.changedCells])).toEqual([
      [1, null],
      [2, { total: 1, cells: [cell] }],
    ]);
  });
});
