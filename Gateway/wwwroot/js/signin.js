// The sign-in page (/signin): a pasted token is kept for the browser session, then the page a person came from opens
// again (?return=…), or the pages this token may open are listed. A file rather than inline, as the gateway's
// Content-Security-Policy runs no inline script.
import { translate, t, lang } from './i18n.js';
import { signIn, claims, token } from './session.js';
import { pageChrome } from './chrome.js';

pageChrome(() => showPages());
const form = document.getElementById('signin');
const back = sameOrigin(new URLSearchParams(location.search).get('return'));

/**
 * The return address if it stays on this gateway, else null. Resolved as the browser would resolve it, since a
 * prefix check cannot know what the browser makes of "/\host", "/<tab>/host" or "javascript:" (another origin, or none).
 */
function sameOrigin(address) {
  if (!address) return null;
  try {
    const url = new URL(address, location.origin);
    return url.origin === location.origin ? url.href : null;
  } catch {
    return null;
  }
}

// The pages this token can open, so a person who signed in sees where to go.
function showPages() {
  const c = claims();
  const nav = document.getElementById('pages');
  nav.querySelectorAll('a').forEach(a => a.remove());
  if (!c) { nav.hidden = true; return; }
  if (c.role === 'platform-admin') {
    const a = document.createElement('a');
    a.href = '/dashboard/';
    a.textContent = t('signin.dashboard');
    nav.append(a);
    nav.hidden = false;
    return;
  }
  const [kind, code] = (c.scope ?? '').split(':');
  const links = kind === 'county'
    ? [['page.workspace', `/county/${code}`], ['page.countyScreen', `/screen/county/${code}`]]
    : [['page.comparison', `/province/${code}`], ['page.provinceScreen', `/screen/province/${code}`]];
  for (const [label, href] of (c.role === 'display' ? links.filter(l => l[1].startsWith('/screen')) : links)) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = `${t(label)} ${code}`;
    nav.append(a);
  }
  nav.hidden = false;
}

async function signedIn() {
  // A platform administrator's browser also gets the dashboard's cookie, since the dashboard's pages cannot send a token.
  if (claims()?.role === 'platform-admin')
    await fetch('/api/auth/operator', { method: 'POST', headers: { Authorization: `Bearer ${token()}` } }).catch(() => {});
  if (back) location.href = back;
  else location.reload();
}

// Name and password: the gateway answers a token, kept like a pasted one.
const account = document.getElementById('account');
account.addEventListener('submit', async e => {
  e.preventDefault();
  const error = document.getElementById('account-error');
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' };
  let answer;
  try {
    answer = await fetch('/api/auth/token', { method: 'POST', headers, body: JSON.stringify({ user: account.user.value.trim(), password: account.password.value }) });
  } catch (x) {
    error.textContent = String(x);
    error.hidden = false;
    return;
  }
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok || !signIn(body.token)) {
    error.textContent = body.detail ?? body.title ?? answer.statusText;
    error.hidden = false;
    return;
  }
  error.hidden = true;
  account.password.value = '';
  await signedIn();
});

form.addEventListener('submit', e => {
  e.preventDefault();
  const ok = signIn(form.token.value.trim());
  document.getElementById('token-error').hidden = ok;
  if (!ok) return;
  signedIn();
});
translate();
showPages();
