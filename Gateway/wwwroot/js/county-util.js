// Small helpers shared by the county workspace modules: building elements, formatting, nested fields.
import { t, lang } from './i18n.js';

/**
 * Builds an element. attrs: `text` (textContent), `i18n` (a label key, kept in data-i18n so translate() refreshes
 * it), `dataset`, `on` (event listeners), `className`, anything else as an attribute (false/null/undefined skip it).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'i18n') { node.dataset.i18n = value; node.textContent = t(value); }
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (key === 'className') node.className = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The value at a dotted path ("organisation.mode") of an object. */
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
}

/** Sets the value at a dotted path, creating the objects on the way. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let at = obj;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object') at[k] = {};
    at = at[k];
  }
  at[keys[keys.length - 1]] = value;
}

const locale = () => (lang() === 'en' ? 'en-GB' : 'zh-CN');

/** A moment as the reader's local date and time, to the minute. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(locale(), {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

export function day(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** An enum value's label ("mode.joint"), or the value itself when the dictionary lacks it. */
export function enumLabel(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `ws.${prefix}.${value}`;
  const text = t(key);
  return text === key ? String(value) : text;
}

/** A JSON value shown in a change history: text as is, booleans as yes/no, nothing as an em dash. */
export function plain(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return t(value ? 'ws.yes' : 'ws.no');
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Calls fn at most once per `ms` of quiet. */
export function debounce(fn, ms = 300) {
  let timer;
  const wrapped = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  wrapped.now = (...args) => { clearTimeout(timer); fn(...args); };
  return wrapped;
}

/** A short message at the bottom of the page that goes away by itself. */
export function toast(text, kind = 'ok') {
  let box = document.getElementById('toast');
  if (!box) {
    box = el('div', { id: 'toast', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = false;
  clearTimeout(box._timer);
  box._timer = setTimeout(() => { box.hidden = true; }, 4000);
}

/** What a refusal says, for a person: the problem's detail or title, with the errors that name no input. */
export function problemText(result) {
  const p = result?.problem ?? {};
  if (result?.status === 0) return t('error.network');
  if (result?.status === 403) return `${t('ws.error.forbiddenAction')}${p.detail ? ` (${p.detail})` : ''}`;
  if (result?.status === 404) return `${t('error.notFound')}${p.detail ? ` (${p.detail})` : ''}`;
  if (result?.status === 429) return t('ws.error.tooMany');
  const errors = p.errors ? Object.entries(p.errors).map(([k, v]) => `${k}: ${[].concat(v).join('; ')}`).join(' · ') : '';
  return errors || p.detail || p.title || `HTTP ${result?.status}`;
}
