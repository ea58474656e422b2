// Log sessions: POST /apps/{app}/log-sessions answers a signed logplex_url that serves Server-Sent Events.
import { api, appPath, sameOrigin, send } from './api.js';

async function logplexUrl(app, options) {
  const session = await api(appPath(app, '/log-sessions'), { method: 'POST', body: options });
  return sameOrigin(session.logplex_url);
}

/**
 * Follows new lines live; EventSource reconnects by itself and resumes after the last line it saw.
 * A signal aborted while the session is still being created opens no stream at all, so a superseded
 * follow (say, before a filter changed) never writes lines or states after its successor began.
 */
export async function tail(app, filter, onLine, onState, signal) {
  const url = await logplexUrl(app, { tail: true, ...filter });
  if (signal.aborted) return null;
  const source = new EventSource(url);
  signal.addEventListener('abort', () => source.close(), { once: true });
  source.onmessage = (event) => onLine(event.data);
  source.onopen = () => onState('live');
  source.onerror = () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
  return source;
}

/** Every stored line of the app (up to slipwayd's history size), for searching. */
export async function history(app, filter, lines) {
  const response = await send(await logplexUrl(app, { tail: false, lines, ...filter }), {});
  if (!response.ok) throw new Error('The log history could not be read. Try again.');
  return (await response.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
}
