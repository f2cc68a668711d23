import { expect } from 'vitest';
import type { SecureStack } from '../security/helpers.js';

/** A draft as the API shows it. */
export interface DraftBody {
  id: string;
  publicationId: string;
  state: 'pending' | 'approved' | 'rejected';
  createdBy: { id: string; name: string };
  correctsEdition: number | null;
  releaseAt: string;
  review: { decision: string; comment: string; reviewer: { name: string } } | null;
  edition: number | null;
  templates: { source: 'kept' | 'current'; edition: number | null; hash: string; label: string } | null;
  render: { state: string };
  jobId?: string;
  artifacts?: { name: string; links: { view: string } }[];
  changedCells?: { total: number } | null;
  acceptedWarnings?: { by: string; at: string; findings: string[] } | null;
}

/** An edition as the API lists it. */
export interface EditionBody {
  edition: number;
  state: string;
  current: boolean;
  withdrawn: { reason: string } | null;
  releaseAt: string;
  jobId: string;
  correctsEdition: number | null;
  artifacts: { name: string; links: { download: string } }[];
  changedCells: { total: number } | null;
}

/** A fetch with a Bearer token and a JSON body. */
export function sendJson(stack: Pick<SecureStack, 'baseUrl'>, token: string, method: string, urlPath: string, body: unknown) {
  return fetch(`${stack.baseUrl}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A GET with a Bearer token. */
export function getAs(stack: Pick<SecureStack, 'baseUrl'>, token: string | undefined, urlPath: string) {
  return fetch(`${stack.baseUrl}${urlPath}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Makes a draft as the holder of `token`; expects 201. */
export async function makeDraft(stack: Pick<SecureStack, 'baseUrl'>, token: string, body: unknown): Promise<DraftBody> {
  const res = await sendJson(stack, token, 'POST', '/api/drafts', body);
  const json = (await res.json()) as DraftBody;
  expect(res.status, JSON.stringify(json)).toBe(201);
  return json;
}

/** Polls a draft until its render is done. */
export async function waitForDraft(stack: Pick<SecureStack, 'baseUrl'>, token: string, id: string, timeoutMs = 90_000): Promise<DraftBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const draft = (await (await getAs(stack, token, `/api/drafts/${id}`)).json()) as DraftBody;
    if (draft.render.state === 'completed') return draft;
    if (draft.render.state === 'failed') throw new Error(`the draft's render failed: ${JSON.stringify(draft)}`);
    if (Date.now() > deadline) throw new Error(`draft ${id} was not rendered in time`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Polls a publication's editions (as an editor) until none is still rendering. */
export async function waitForEditions(stack: Pick<SecureStack, 'baseUrl'>, token: string, publicationId: string): Promise<EditionBody[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await getAs(stack, token, `/api/publications/${publicationId}/editions`);
    const editions = ((await res.json()) as { editions: EditionBody[] }).editions;
    if (editions.every((e) => e.state !== 'rendering')) return editions;
    if (Date.now() > deadline) throw new Error('the final files were not rendered in time');
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Sends a review; returns the answer. */
export function review(
  stack: Pick<SecureStack, 'baseUrl'>,
  token: string,
  draftId: string,
  decision: 'approve' | 'reject',
  comment = 'Gecontroleerd.',
) {
  return sendJson(stack, token, 'POST', `/api/drafts/${draftId}/reviews`, { decision, comment });
}
