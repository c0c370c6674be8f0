// The token a page acts with. A wall screen may carry it in the URL (?token=…); everyone else signs in once per
// browser session. The token is only decoded here for display: the gateway checks it on every call.
const KEY = 'beacon.token';

export function token() {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem(KEY, fromUrl);
  return fromUrl || sessionStorage.getItem(KEY);
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
    location.href = '/signin?return=' + encodeURIComponent(location.pathname + location.search.replace(/([?&])token=[^&]*&?/, '$1'));
    throw new Error('not signed in');
  }
  return c;
}
