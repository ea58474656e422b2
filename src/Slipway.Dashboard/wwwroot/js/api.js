// The Platform API, as the CLI speaks it: JSON with the v3 Accept header and the Bearer token.
import { session } from './session.js';

const platformJson = 'application/vnd.heroku+json; version=3';

class ApiError extends Error {
  constructor(status, id, message) {
    super(message);
    this.status = status;
    this.id = id;
  }
}

/** Calls the API; answers the parsed JSON, or throws an ApiError whose message says what to do. */
export async function api(path, { method = 'GET', body, accept = platformJson, headers = {}, token = session.token(), allow = [] } = {}) {
  const response = await send(path, {
    method,
    cache: 'no-cache',
    headers: {
      Accept: accept,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (allow.includes(response.status)) return { status: response.status };
  if (response.status === 401 && token) {
    session.clear();
    window.dispatchEvent(new Event('slipway:signed-out'));
    throw new ApiError(401, 'unauthorized', 'Your session is no longer valid. Sign in again.');
  }
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

/** fetch, with a network failure turned into advice. */
export async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach slipwayd. Check that it is running and that you are online, then try again.');
  }
}

async function errorOf(response) {
  let id = 'error';
  let message = `slipwayd answered ${response.status} ${response.statusText}. Try again; if it persists, check slipwayd's log.`;
  try {
    const body = await response.json();
    id = body.id ?? id;
    message = body.message ?? message;
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(response.status, id, message);
}

/** Signed stream URLs (logs, build output) name slipwayd's configured host; fetch them from this page's origin instead. */
export function sameOrigin(url) {
  const parsed = new URL(url, location.href);
  return parsed.pathname + parsed.search;
}

/** The newest releases first (Heroku's Range header). */
export function releases(app, max) {
  return api(`/apps/${encodeURIComponent(app)}/releases`, { headers: { Range: `version ..; order=desc, max=${max}` } });
}

export const appPath = (app, rest = '') => `/apps/${encodeURIComponent(app)}${rest}`;
