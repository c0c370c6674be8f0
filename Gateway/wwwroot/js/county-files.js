// Workbooks the county workspace downloads: a register's entries or template, the monthly report. A plain link
// cannot carry the Authorization header, so each file is fetched with the token and handed to the browser as a blob.
import { token } from './session.js';
import { lang } from './i18n.js';

/** The file name the server gave (Content-Disposition), or null. */
function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

/**
 * Downloads `path` as a file. Answers { ok, status, problem } as api() does, so a refusal is shown like any other
 * (its ProblemDetails in the page's language).
 */
export async function download(path, fallbackName) {
  let response;
  try {
    response = await fetch(path, { headers: { Authorization: `Bearer ${token()}`, 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' } });
  } catch (e) {
    return { ok: false, status: 0, problem: { title: String(e) } };
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { problem = null; }
    return { ok: false, status: response.status, problem: problem ?? { title: response.statusText, status: response.status } };
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName(response.headers.get('Content-Disposition')) ?? fallbackName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later rather than at once: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return { ok: true, status: response.status, problem: null };
}

/** This month as YYYY-MM in China Standard Time (UTC+8 all year, no daylight saving), whatever the reader's zone. */
export function chinaMonth(now = Date.now()) {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}
