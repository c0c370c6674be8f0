import { token } from './session.js';

/**
 * Calls the gateway with the session's token. Answers { ok, status, data, problem }: problem is the ProblemDetails
 * of a refusal, whose `errors` map fields to messages. A FormData body goes as multipart, anything else as JSON.
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', Authorization: `Bearer ${token()}`, ...headers } };
  if (body instanceof FormData) {
    // The browser writes the multipart Content-Type itself, with the boundary it chose.
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    return { ok: false, status: 0, data: null, problem: { title: String(e) } };
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return response.ok
    ? { ok: true, status: response.status, data: json, problem: null }
    : { ok: false, status: response.status, data: null, problem: json ?? { title: response.statusText, status: response.status } };
}
