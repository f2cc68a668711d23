import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { createPgDatabase } from '../../src/db/pg-database.js';
import { EXAMPLES } from '../helpers/examples.js';
import {
  type ApiStack,
  makeStorageDir,
  obliterateQueue,
  removeDir,
  startApi,
  startWorker,
  uniqueQueueName,
} from '../integration/helpers.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type DraftBody, makeDraft, review, waitForDraft } from './helpers.js';

const asPublished = JSON.parse(readFileSync(EXAMPLES.asPublished, 'utf8')) as unknown;
const PUBLICATION = 'beleidsinformatie-veilig-thuis-2019-hj1';
const COUNT = 40;

describe('two API processes on one PostgreSQL server', () => {
  const queueName = uniqueQueueName('approvals');
  let record: TestDatabase;
  let secondPool: Database;
  let storageDir: string;
  let one: ApiStack;
  let two: ApiStack;
  let editorA: string;
  let editorB: string;

  beforeAll(async () => {
    record = await openTestDatabase('postgres', 'approvals');
    // Each API has its own connection pool, as two processes (or machines) would.
    secondPool = createPgDatabase(record.url as string);
    storageDir = await makeStorageDir();
    one = await startApi({ queueName, storageDir, db: record.db, access: { openWhenNoTokens: false } });
    two = await startApi({ queueName, storageDir, db: secondPool, access: { openWhenNoTokens: false } });
    editorA = (await one.access.tokens.create({ name: 'Anna', role: 'editor', createdBy: 'test' })).token;
    editorB = (await two.access.tokens.create({ name: 'Bert', role: 'editor', createdBy: 'test' })).token;
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await secondPool?.close();
    await record?.drop();
    await obliterateQueue(queueName);
    await removeDir(storageDir);
  });

  it('a page session made on one API process works on the other, and signing out there ends it on both', async () => {
    const signIn = await fetch(`${one.baseUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: editorA }),
    });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const onTwo = await (await fetch(`${two.baseUrl}/api/session`, { headers: { cookie } })).json();
    expect(onTwo).toMatchObject({ signedIn: true, via: 'session', actor: { name: 'Anna' }, csrfToken });
    const out = await fetch(`${two.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(204);
    expect(await (await fetch(`${one.baseUrl}/api/session`, { headers: { cookie } })).json()).toMatchObject({ signedIn: false });
  });

  it(`${COUNT} approvals of drafts of one publication sent at once through both processes give editions 1..${COUNT}`, async () => {
    const drafts: DraftBody[] = [];
    for (let i = 0; i < COUNT; i++) drafts.push(await makeDraft(i % 2 ? two : one, editorA, { dataset: asPublished }));
    // Drafts of the same input share one render; render it, then stop the worker (the final files need not be made here).
    const worker = startWorker({ queueName, storageDir });
    try {
      await waitForDraft(one, editorA, drafts[0]?.id as string);
    } finally {
      await worker.close();
    }
    const answers = await Promise.all(drafts.map((d, i) => review(i % 2 ? one : two, editorB, d.id, 'approve', `Akkoord ${i}`)));
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { edition: number }[];
    expect(answers.map((a) => a.status)).toEqual(Array(COUNT).fill(201));
    expect(bodies.map((b) => b.edition).sort((a, b) => a - b)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const rows = await record.db.query<{ edition: number }>('SELECT edition FROM editions WHERE publication_id = $1 ORDER BY edition', [
      PUBLICATION,
    ]);
    expect(rows.map((r) => r.edition)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const audit = await record.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'draft.approved'");
    expect(audit[0]?.n).toBe(COUNT);
    // Approving again, on either process, is refused: one edition per draft.
    expect((await review(two, editorB, drafts[0]?.id as string, 'approve')).status).toBe(409);
  });
});
