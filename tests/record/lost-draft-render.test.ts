import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../helpers/examples.js';
import { openQueue } from '../integration/helpers.js';
import { type SecureStack, startSecureStack } from '../security/helpers.js';
import { type DraftBody, getAs, makeDraft } from './helpers.js';

const asPublished = JSON.parse(readFileSync(EXAMPLES.asPublished, 'utf8')) as unknown;

// A draft is recorded before its render is queued: when the queue cannot take the job then (Redis
// out of reach) or loses it later, the draft must not stay without files for good, for then nobody
// can ever approve it. Its job data is kept with it and the render is queued again when an editor looks.
describe('a draft whose render the queue does not have', () => {
  let stack: SecureStack;
  let queue: ReturnType<typeof openQueue>;

  beforeAll(async () => {
    stack = await startSecureStack({ label: 'lost-draft', worker: false });
    queue = openQueue(stack.queueName);
  });
  afterAll(async () => {
    await queue?.close();
    await stack?.close();
  });

  it('is queued again, as the same job, when an editor opens it or lists the drafts', async () => {
    const draft = await makeDraft(stack, stack.tokens.editor, { dataset: asPublished });
    const jobId = (await (await getAs(stack, stack.tokens.editor, `/api/drafts/${draft.id}`)).json()) as DraftBody;
    expect(jobId.jobId).toMatch(/\S/);
    expect(await queue.queue.getJob(jobId.jobId as string)).toBeDefined();

    // The queue loses the job (no worker runs here, so it was still waiting).
    await queue.queue.remove(jobId.jobId as string);
    expect(await queue.queue.getJob(jobId.jobId as string)).toBeUndefined();

    const opened = (await (await getAs(stack, stack.tokens.editor, `/api/drafts/${draft.id}`)).json()) as DraftBody;
    expect(opened.render.state).toBe('queued');
    expect(opened.jobId).toBe(jobId.jobId);
    const again = await queue.queue.getJob(jobId.jobId as string);
    expect(again?.data).toMatchObject({ kind: 'draft', publicationId: draft.publicationId });

    // Lost once more: the list of drafts queues it again too, and only once however often it is read.
    await queue.queue.remove(jobId.jobId as string);
    for (let i = 0; i < 3; i++) {
      const listed = (await (await getAs(stack, stack.tokens.editor, '/api/drafts')).json()) as { drafts: DraftBody[] };
      expect(listed.drafts.find((d) => d.id === draft.id)?.render.state).toBe('queued');
    }
    expect(await queue.queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
  });
});
