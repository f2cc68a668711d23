// Calls to the API from the editor's page, and who uses it (the session). Every request goes to the
// same routes and through the same checks as any other client's; a state-changing one carries the
// session's CSRF token. No DOM: what to do when the session ends is told by onSessionEnded.

import { ApiError } from './errors.js';

/** @typedef {import('./page-types.js').Session} Session */
/** @typedef {{ method?: string, body?: unknown, text?: string }} CallOptions */

/** Who uses the page, from GET /api/session; null before signing in and after the session ended. */
/** @type {Session | null} */
let session = null;

/** What the page does when the service says the session ended (401 on any call but the session's own). */
/** @type {(message: string) => void} */
let sessionEnded = () => {};

/** @returns {Session | null} */
export const currentSession = () => session;

/** @param {Session | null} value */
export function setSession(value) {
  session = value;
}

/** @param {(message: string) => void} handler */
export function onSessionEnded(handler) {
  sessionEnded = handler;
}

/**
 * The fetch options of a call. `body` is sent as JSON, `text` as it is (a dataset file); both as
 * application/json. A call other than GET carries the CSRF token, when there is one.
 * @param {CallOptions} options
 * @param {string | null | undefined} csrfToken
 * @returns {RequestInit & { headers: Record<string, string> }}
 */
export function requestInit({ method = 'GET', body, text }, csrfToken) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json, application/problem+json' };
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined || text !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = text ?? JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return init;
}

/**
 * Calls the API; an answer that is not a success throws ApiError (status 0 when there was no answer).
 * The answer's JSON is typed by the caller.
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<{ status: number, data: any }>}
 */
export async function api(path, options = {}) {
  const init = requestInit(options, session?.csrfToken);
  /** @type {Response} */
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const error = new ApiError(res.status, data);
    // The session ended (expired, signed out elsewhere, token revoked): ask to sign in again.
    if (res.status === 401 && path !== '/api/session') sessionEnded('Uw aanmelding is verlopen of ingetrokken. Meld u opnieuw aan.');
    throw error;
  }
  return { status: res.status, data };
}
