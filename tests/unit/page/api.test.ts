import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, currentSession, onSessionEnded, requestInit, setSession } from '../../../src/api/public/api.js';
import { ApiError, CODE_TITLES, describeError } from '../../../src/api/public/errors.js';

// The page's calls to the API (src/api/public/api.js) and the Dutch words for what went wrong
// (src/api/public/errors.js), against a stand-in for fetch that answers as the API does.

const session = { mode: 'tokens', via: 'session', actor: { id: 't_1', name: 'Anna', role: 'editor' }, csrfToken: 'csrf-123' };

function answer(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': type } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
  onSessionEnded(() => {});
});

describe('calls of the page to the API', () => {
  it('sends a dataset file as it is, JSON bodies as JSON, and the CSRF token only on changes', () => {
    expect(requestInit({}, 'csrf-123')).toEqual({
      method: 'GET',
      headers: { Accept: 'application/json, application/problem+json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const text = requestInit({ method: 'POST', text: '{"a": 1}' }, 'csrf-123');
    expect(text.body).toBe('{"a": 1}');
    expect(text.headers).toEqual({
      Accept: 'application/json, application/problem+json',
      'Content-Type': 'application/json',
      'X-CSRF-Token': 'csrf-123',
    });
    expect(requestInit({ method: 'POST', body: { token: 'x' } }, null)).toMatchObject({
      body: '{"token":"x"}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(requestInit({ method: 'DELETE' }, null).headers).not.toHaveProperty('X-CSRF-Token');
  });

  it('returns the answer’s JSON, with the session’s CSRF token on a change', async () => {
    const fetch = vi.fn(async () => answer(201, { id: 'd_1' }));
    vi.stubGlobal('fetch', fetch);
    setSession(session);
    expect(currentSession()).toBe(session);
    await expect(api('/api/drafts', { method: 'POST', body: { dataset: {} } })).resolves.toEqual({ status: 201, data: { id: 'd_1' } });
    expect(fetch).toHaveBeenCalledWith(
      '/api/drafts',
      expect.objectContaining({ headers: expect.objectContaining({ 'X-CSRF-Token': 'csrf-123' }) }),
    );
  });

  it('throws the problem document of a refusal, and a session that ended asks to sign in again', async () => {
    const ended: string[] = [];
    onSessionEnded((message) => ended.push(message));
    vi.stubGlobal('fetch', async () =>
      answer(422, { code: 'ERRATUM_INVALID', detail: 'erratum.date: not a date' }, 'application/problem+json'),
    );
    const refused = await api('/api/drafts', { method: 'POST', body: {} }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(describeError(refused)).toEqual({ title: CODE_TITLES.ERRATUM_INVALID, detail: 'erratum.date: not a date' });
    expect(ended).toEqual([]);

    vi.stubGlobal('fetch', async () => answer(401, { code: 'UNAUTHENTICATED', detail: 'session expired' }));
    await expect(api('/api/publications')).rejects.toMatchObject({ status: 401 });
    expect(ended).toEqual(['Uw aanmelding is verlopen of ingetrokken. Meld u opnieuw aan.']);
    // The session's own route answers 401 when nobody is signed in: that is no ended session.
    await expect(api('/api/session')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveLength(1);
  });

  it('says the service cannot be reached when there is no answer at all', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await api('/api/publications').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0 });
    expect(describeError(error)).toEqual({
      title: 'De service is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.',
      detail: null,
    });
  });

  it('names errors without a code of their own by their status, and errors of the page itself', () => {
    expect(describeError(new ApiError(403, null)).title).toBe('U heeft geen toegang tot deze functie.');
    expect(describeError(new ApiError(429, {})).title).toBe('Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.');
    expect(describeError(new ApiError(502, { detail: 'bad gateway' }))).toEqual({
      title: 'De service gaf een fout (502).',
      detail: 'bad gateway',
    });
    expect(describeError(new Error('Het bestand kon niet gelezen worden.'))).toEqual({
      title: 'Er ging iets mis op deze pagina.',
      detail: 'Het bestand kon niet gelezen worden.',
    });
  });
});
