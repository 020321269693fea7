// The dashboard's only way to the server: the v1 API on the same origin, JSON, Bearer auth.
// The API key lives in sessionStorage (this tab only) and only ever travels in the Authorization
// header: never in a URL, never in a log line.

const BASE = '/api/v1';
const KEY_NAME = 'pons.apiKey';
const MAX_PAGES = 50;

export const session = {
  get apiKey() {
    try {
      return sessionStorage.getItem(KEY_NAME);
    } catch {
      return null;
    }
  },
  store(apiKey) {
    sessionStorage.setItem(KEY_NAME, apiKey);
  },
  clear() {
    try {
      sessionStorage.removeItem(KEY_NAME);
    } catch {
      // storage unavailable: nothing to clear
    }
  },
};

/** An API failure: HTTP status (0 when the server could not be reached), `error` and `details`. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && typeof body.error === 'string' && body.error
      ? body.error
      : defaultMessage(status);
    super(error);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.details = body && Array.isArray(body.details) ? body.details.map(String) : [];
  }
}

function defaultMessage(status) {
  if (status === 0) return 'Could not reach Pons. Check your connection and try again.';
  if (status === 401) return 'Your API key was not accepted.';
  if (status === 403) return 'This API key may not do that.';
  if (status === 404) return 'Not found.';
  if (status === 409) return 'That conflicts with the current state. Reload and try again.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return `Pons had a problem answering (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

let unauthorizedHandler = null;

/** Called once a request is answered 401 with the stored key (the key was revoked or is wrong). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

async function request(method, path, { body, query, apiKey } = {}) {
  const key = apiKey ?? session.apiKey;
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(BASE + path + queryString(query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, null);
  }

  let data = null;
  if (response.status !== 204) {
    const text = await response.text().catch(() => '');
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
  }

  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && apiKey === undefined && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  return data;
}

/** Follows nextCursor until the list ends (for short lists: numbers, targets). */
async function getAll(path) {
  const items = [];
  let cursor;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    // eslint-disable-next-line no-await-in-loop
    const data = await request('GET', path, { query: { cursor } });
    if (data && Array.isArray(data.items)) items.push(...data.items);
    cursor = data && data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

const enc = encodeURIComponent;
const acct = (a) => `/accounts/${enc(a)}`;
const tgt = (a, t) => `${acct(a)}/webhook-targets/${enc(t)}`;

export const api = {
  /** Sign-in check: the account of a key, without storing it. */
  accountFor: (apiKey) => request('GET', '/account', { apiKey }),
  account: () => request('GET', '/account'),
  numbers: (a) => getAll(`${acct(a)}/numbers`),
  /** `{phoneNumberId, displayPhoneNumber, accessToken}`: Pons proves the number with the token first. */
  registerNumber: (a, body) => request('POST', `${acct(a)}/numbers`, { body }),
  releaseNumber: (a, n) => request('DELETE', `${acct(a)}/numbers/${enc(n)}`),

  apiKeys: (a) => getAll(`${acct(a)}/api-keys`),
  /** Answers the key in full (`key`): the only time it is shown. */
  createApiKey: (a, body) => request('POST', `${acct(a)}/api-keys`, { body }),
  revokeApiKey: (a, k) => request('DELETE', `${acct(a)}/api-keys/${enc(k)}`),

  jmsDestinations: (a) => getAll(`${acct(a)}/jms-destinations`),

  targets: (a) => getAll(`${acct(a)}/webhook-targets`),
  target: (a, t) => request('GET', tgt(a, t)),
  createTarget: (a, body) => request('POST', `${acct(a)}/webhook-targets`, { body }),
  updateTarget: (a, t, body) => request('PATCH', tgt(a, t), { body }),
  deleteTarget: (a, t) => request('DELETE', tgt(a, t)),
  rotateSecret: (a, t, gracePeriodMs) => request('POST', `${tgt(a, t)}/rotate-secret`, {
    body: gracePeriodMs === undefined ? {} : { gracePeriodMs },
  }),
  testTarget: (a, t) => request('POST', `${tgt(a, t)}/test`, { body: {} }),
  stats: (a, t) => request('GET', `${tgt(a, t)}/stats`),
  /** A FIFO target's line: `{ordering, head, state, waiting}`. */
  line: (a, t) => request('GET', `${tgt(a, t)}/line`),

  deliveries: (a, t, { status, limit = 20, cursor } = {}) => request('GET', `${tgt(a, t)}/deliveries`, {
    query: { status, limit, cursor },
  }),
  delivery: (a, d) => request('GET', `${acct(a)}/deliveries/${enc(d)}`),
  retryDelivery: (a, d) => request('POST', `${acct(a)}/deliveries/${enc(d)}/retry`, { body: {} }),
  replay: (a, t, body) => request('POST', `${tgt(a, t)}/replay`, { body }),

  /** Tries a payload filter on the account's last `limit` events: answers {matched, of}. */
  evaluateFilter: (a, filter, limit = 100) => request('POST', `${acct(a)}/filters/evaluate`, {
    body: { filter, limit },
  }),
};
