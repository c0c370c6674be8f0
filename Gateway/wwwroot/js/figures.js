// The catalogue of figures (GET /api/figures), fetched once per page: each figure's label, where its value,
// numerator, denominator and target stand in a county summary, and its format. Pages read figures through it rather
// than naming or computing figures of their own.
import { api } from './api.js';
import { lang } from './i18n.js';

let loading = null;

/** The catalogue, keyed by figure key; empty when it could not be read. */
export function loadFigures() {
  loading ??= api('/api/figures').then(answer => new Map((answer.ok ? answer.data ?? [] : []).map(f => [f.key, f])));
  return loading;
}

/** A dotted camelCase path into a summary ("issues.overdue"); undefined where the summary lacks it. */
export const at = (summary, path) => path ? path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), summary) : undefined;

const FORMATS = ['count', 'rate', 'decimal'];
/** "count", "rate" or "decimal", whether the enum came as its name or its number. */
export const formatOf = figure => typeof figure?.format === 'number' ? FORMATS[figure.format] ?? 'count' : String(figure?.format ?? 'count').toLowerCase();

/** The figure's label in the page's language. */
export const labelOf = figure => figure?.label?.[lang()] ?? figure?.label?.zh ?? figure?.key ?? '';
