// The token a page acts with. A wall screen may carry it in the URL (?token=…); everyone else signs in once per
// browser session. The token is only decoded here for display: the gateway checks it on every call.
const KEY = 'beacon.token';

// A token handed in the address moves to the tab's sessionStorage when this module is first evaluated, before any code
// of the page that imports it runs, and leaves the address, the rest of the query kept. Left there, it would be in the
// history, in a link someone copies and in the Referer of later requests. The files the browser fetched before any
// script could run go out without a Referer because of the gateway's Referrer-Policy (Http/SecurityHeaders.cs).
{
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    if (fromUrl) sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url);
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function claims(raw = token()) {
  if (!raw) return null;
  try {
    const part = raw.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(part)].map(c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    const c = JSON.parse(json);
    return c.exp && c.exp * 1000 < Date.now() ? null : c;
  } catch {
    return null;
  }
}

export function signIn(raw) {
  if (!claims(raw)) return false;
  sessionStorage.setItem(KEY, raw);
  return true;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  location.href = '/signin';
}

/** The token's claims, or a trip to the sign-in page that comes back here afterwards. */
export function requireSession() {
  const c = claims();
  if (!c) {
    location.href = '/signin?return=' + encodeURIComponent(location.pathname + location.search + location.hash);
    throw new Error('not signed in');
  }
  return c;
}
