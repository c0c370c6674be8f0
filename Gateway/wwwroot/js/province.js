// The provincial comparison (/province/{code}, and a prefecture's at /prefecture/{code}): every county of the province side by side, live, sortable, with a
// chart of one chosen figure, a read-only drill-down into one county, and CSV / Excel exports. For the province's
// overseers; anyone else sees the API's refusal.
import { t } from './i18n.js';
import { requireSession, token } from './session.js';
import { api } from './api.js';
import { watch, showBanner } from './live.js';
import { percent, integer, ratio } from './numbers.js';
import { pageChrome } from './chrome.js';
import { escapeHtml } from './html.js';
import { loadFigures, at, formatOf, labelOf } from './figures.js';

const [kind, rawCode] = location.pathname.split('/').filter(Boolean);
const code = decodeURIComponent(rawCode ?? '');
/** A province's comparison (/province/NN0000) or a prefecture's (/prefecture/NNNN00): the same page over another route. */
const isPrefecture = kind === 'prefecture';
const apiBase = `/api/${isPrefecture ? 'prefectures' : 'provinces'}/${encodeURIComponent(code)}/comparison`;
const whole = key => isPrefecture ? `${key}.prefecture` : key;
requireSession();
pageChrome(() => renderAll());

const $ = id => document.getElementById(id);
const sum = (items, f) => (items ?? []).reduce((n, x) => n + (f(x) ?? 0), 0);
const decimal = (n, digits = 1) => n == null ? '—' : Number(n).toFixed(digits);

/** A county is below target when one of its stations links less of its area than the county's linkage target. */
const belowTarget = s => (s.stationLinkage ?? []).some(l => !l.meetsTarget) || s.stationsMeetingTarget < s.stations;
const hasOverdue = s => (s.issues?.overdue ?? 0) > 0;

/**
 * The columns, in groups: catalogue figures by key (label, value, numerator, denominator and format are the
 * catalogue's, read from GET /api/figures), and the one summary field the catalogue has no figure for (members).
 * `mark` says which cells carry the legend's marks.
 */
const LAYOUT = [
  ['coverage', ['base', 'orgCoverage', 'standaloneRate', 'workCoverage']],
  ['members', ['partyMembers', 'membersShare']],
  ['stations', ['stations', 'stationsMeetingTarget', 'linkage', 'stationBranchMembers']],
  ['instructors', ['groupsBelowStrength', 'instructorsFullTime', 'instructorsPartTime', 'enterprisesPerInstructor']],
  ['issues', ['issuesRaised', 'issuesOpen', 'issuesEscalated', 'issuesResolved', 'issuesOverdue', 'resolutionRate', 'medianDaysToResolve']],
  ['archives', ['basicArchives', 'featuredArchives']],
  ['life', ['organisations', 'termsDue', 'orgLife', 'evaluationsGood']],
  ['development', ['newProbationaryThisYear', 'newFullThisYear', 'developmentOverdue']],
  ['stationWork', ['stationMeetings', 'stationReports', 'stationsOutsideStrength']],
  ['activity', ['trainingAttendances', 'honours', 'contactPoints', 'unionRate', 'youthLeagueRate']],
];
const MARKS = { stationsMeetingTarget: { mark: belowTarget }, linkage: { mark: belowTarget }, issuesOverdue: { mark: hasOverdue, markClass: 'cell-overdue' } };
/** Summary fields shown that are not catalogue figures, with their label keys in labels.js. */
const FIELDS = { partyMembers: { labelKey: 'fig.partyMembers', value: 'partyMembers', format: 'count' } };

let COLUMNS = [{ key: 'county', labelKey: 'cmp.col.county', kind: 'text', value: s => s.county }];
let FIGURES = [];

function columnsOf(catalogue) {
  const columns = [COLUMNS[0]];
  for (const [group, keys] of LAYOUT) {
    for (const key of keys) {
      const f = catalogue.get(key) ?? FIELDS[key];
      if (!f) continue;
      const kind = f.labelKey ? f.format : formatOf(f);
      columns.push({
        key, group, kind, figure: f.labelKey ? null : f, labelKey: f.labelKey,
        value: s => at(s, f.value),
        num: f.numerator ? s => at(s, f.numerator) : null,
        den: f.denominator ? s => at(s, f.denominator) : null,
        ...MARKS[key],
      });
    }
  }
  COLUMNS = columns;
  FIGURES = columns.filter(c => c.kind !== 'text');
}

const column = key => COLUMNS.find(c => c.key === key);
const labelOfColumn = col => col.figure ? labelOf(col.figure) : t(col.labelKey);

/** The cell's text, in the catalogue's format: rates as percentages, counts as integers, decimals with one decimal. */
function display(col, s) {
  const v = col.value(s);
  switch (col.kind) {
    case 'text': return s.name;
    // A rate of nothing (a county without stations has no linkage) is not 0%.
    case 'rate': return v == null || (col.den && !col.den(s)) ? '—' : percent(v);
    case 'decimal': return decimal(v, 1);
    default: return integer(v);
  }
}

/** The hover text: the catalogue's numerator / denominator ("112 / 509"), or a count of its denominator. */
function hover(col, s) {
  if (!col.den) return '';
  return ratio(col.num ? col.num(s) : col.value(s), col.den(s));
}

// --- state ---
let comparison = null;
let sort = { key: 'county', dir: 'asc' };
let chosen = 'orgCoverage';
let chart = null;
let panel = null; // { county, summary, error }

/** The totals row: the comparison's own totals, a summary like the rows. */
const totalsOf = c => c.totals;

function sortedRows() {
  const col = column(sort.key) ?? COLUMNS[0];
  const key = s => { const v = col.value(s); return v ?? -Infinity; };
  const rows = [...comparison.rows];
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return (order || a.county.localeCompare(b.county)) * (sort.dir === 'asc' ? 1 : -1);
  });
  return rows;
}

// --- the table ---
function renderHead() {
  const thead = $('comparison').tHead;
  thead.replaceChildren();
  const groups = document.createElement('tr');
  groups.className = 'groups';
  const names = document.createElement('tr');
  let last = null;
  for (const col of COLUMNS) {
    const th = document.createElement('th');
    th.dataset.col = col.key;
    th.className = `sortable ${col.kind}`;
    th.scope = 'col';
    const active = sort.key === col.key;
    th.setAttribute('aria-sort', active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    th.title = t('cmp.sort.hint');
    const label = document.createElement('span');
    label.textContent = labelOfColumn(col);
    const indicator = document.createElement('span');
    indicator.className = 'sort-indicator' + (active ? ' active' : '');
    indicator.textContent = active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕';
    th.append(label, indicator);
    th.addEventListener('click', () => {
      sort = sort.key === col.key ? { key: col.key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key: col.key, dir: 'asc' };
      renderTable();
      renderChart();
    });
    if (!col.group) {
      th.rowSpan = 2;
      groups.append(th);
      last = null;
      continue;
    }
    if (col.group !== last) {
      const g = document.createElement('th');
      g.className = `group group-${col.group}`;
      g.scope = 'colgroup';
      g.colSpan = COLUMNS.filter(c => c.group === col.group).length;
      g.textContent = t(`cmp.group.${col.group}`);
      groups.append(g);
      last = col.group;
    }
    th.classList.add(`group-${col.group}`);
    names.append(th);
  }
  thead.append(groups, names);
}

function rowOf(s, isTotals) {
  const tr = document.createElement('tr');
  tr.dataset.county = isTotals ? 'totals' : s.county;
  if (!isTotals && belowTarget(s)) tr.classList.add('below-target');
  if (!isTotals && hasOverdue(s)) tr.classList.add('has-overdue');
  for (const col of COLUMNS) {
    const cell = document.createElement(col.kind === 'text' ? 'th' : 'td');
    cell.dataset.col = col.key;
    cell.className = col.kind;
    if (col.kind === 'text') {
      cell.scope = 'row';
      if (isTotals) {
        cell.textContent = `${t('cmp.totals')} · ${comparison.name}`;
      } else {
        const open = document.createElement('button');
        open.type = 'button';
        open.className = 'county-link';
        open.title = t('cmp.panel.open');
        open.innerHTML = '<span class="name"></span> <span class="code"></span>';
        open.querySelector('.name').textContent = s.name;
        open.querySelector('.code').textContent = s.county;
        open.addEventListener('click', () => openPanel(s.county));
        cell.append(open);
        if (belowTarget(s)) cell.append(badge('below', t('cmp.badge.below')));
        if (hasOverdue(s)) cell.append(badge('overdue', t('cmp.badge.overdue')));
      }
    } else {
      cell.textContent = display(col, s);
      const title = hover(col, s);
      if (title) cell.title = title;
      if (!isTotals && col.mark?.(s)) cell.classList.add(col.markClass ?? 'cell-below');
    }
    tr.append(cell);
  }
  return tr;
}

function badge(kind, text) {
  const b = document.createElement('span');
  b.className = `badge badge-${kind}`;
  b.textContent = text;
  return b;
}

function renderTable() {
  if (!comparison) return;
  renderHead();
  const table = $('comparison');
  table.tBodies[0].replaceChildren(...sortedRows().map(s => rowOf(s, false)));
  table.tFoot.replaceChildren(rowOf(totalsOf(comparison), true));
  $('province-name').textContent = `${comparison.name} ${comparison.province ?? comparison.prefecture}`;
  $('as-of').textContent = `${t('cmp.asOf')} ${new Date(comparison.asOf).toLocaleString(document.documentElement.lang)}`;
}

// --- the chart ---
function renderSelect() {
  const select = $('figure');
  select.replaceChildren(...FIGURES.map(col => {
    const option = document.createElement('option');
    option.value = col.key;
    option.textContent = `${t(`cmp.group.${col.group}`)} · ${labelOfColumn(col)}`;
    return option;
  }));
  select.value = chosen;
}

function renderChart() {
  if (!comparison || typeof echarts === 'undefined') return;
  chart ??= echarts.init($('chart'), null, { renderer: 'canvas' });
  const col = column(chosen);
  const rows = sortedRows();
  const isRate = col.kind === 'rate';
  const format = v => isRate ? percent(v) : col.kind === 'decimal' ? decimal(v, 1) : integer(v);
  const totals = totalsOf(comparison);
  chart.setOption({
    animationDurationUpdate: 600,
    title: { text: labelOfColumn(col), left: 'center', top: 4, textStyle: { fontSize: 15, color: '#1f2328' } },
    grid: { left: 64, right: 90, top: 48, bottom: 36, containLabel: false },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' }, className: 'chart-tooltip',
      // HTML, which ECharts writes as it is: every part escaped, a county's name above all.
      formatter: items => {
        const s = rows[items[0].dataIndex];
        const extra = hover(col, s);
        return `${escapeHtml(s.name)} ${escapeHtml(s.county)}<br>${escapeHtml(labelOfColumn(col))}: <b>${escapeHtml(display(col, s))}</b>`
          + (extra ? ` (${escapeHtml(extra)})` : '');
      },
    },
    xAxis: { type: 'category', data: rows.map(s => s.name), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', min: 0, max: isRate ? v => Math.max(0.1, Math.min(1, Math.ceil(v.max * 10 + 0.5) / 10)) : null,
      axisLabel: { formatter: v => isRate ? percent(v, 0) : integer(v) } },
    series: [{
      id: 'figure', type: 'bar', barMaxWidth: 72,
      data: rows.map(s => ({
        value: col.value(s) ?? 0,
        itemStyle: { color: col.mark?.(s) ? (col.markClass === 'cell-overdue' ? '#e65100' : '#8e0000') : '#c62828', borderRadius: [4, 4, 0, 0] },
      })),
      label: { show: true, position: 'top', formatter: p => format(p.value), backgroundColor: 'rgba(255,255,255,.9)', padding: [1, 3], color: '#1f2328' },
      markLine: {
        symbol: 'none', silent: true, lineStyle: { color: '#b8860b', type: 'dashed', width: 2 },
        // The province's own rate, unrounded (the line's value is rounded to the axis's precision).
        label: { formatter: () => `${t(whole('cmp.chart.province'))} ${format(col.value(totals))}`, position: 'end', color: '#8a6100' },
        data: isRate ? [{ yAxis: col.value(totals) }] : [],
      },
    }],
  });
}

// --- month over month, year over year: the chosen figure's changes, as the server reads them from the snapshots ---
let changesFor = null;
let changesTimer = null;

/** Reads the chosen figure's changes again: at once for a new figure, at most every 5 s while the comparison moves. */
function loadChanges(soon) {
  clearTimeout(changesTimer);
  changesTimer = setTimeout(async () => {
    const key = chosen;
    const answer = await api(`${apiBase}/changes?figure=${encodeURIComponent(key)}`);
    if (!answer.ok || key !== chosen) return;
    changesFor = answer.data;
    renderChanges();
  }, soon ? 0 : 5000);
}

function renderChanges() {
  const table = $('changes');
  if (!changesFor || changesFor.figure !== chosen) { table.hidden = true; return; }
  const col = column(chosen);
  const isRate = col.kind === 'rate';
  const value = v => v == null ? '—' : isRate ? percent(v) : col.kind === 'decimal' ? decimal(v, 1) : integer(v);
  // A rate's change is in percentage points; a count's in its own units.
  const change = v => v == null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${isRate ? `${(Math.abs(v) * 100).toFixed(1)} ${t('cmp.changes.points')}` : integer(Math.abs(v))}`;
  const cls = v => v == null || v === 0 ? '' : (v > 0) === (col.figure?.better !== 'lower') ? 'up' : 'down';
  const line = (r, totals) => {
    const tr = document.createElement('tr');
    tr.dataset.county = totals ? 'totals' : r.county;
    if (totals) tr.className = 'totals';
    const cells = [totals ? t('cmp.totals') : r.name, value(r.value),
      [`${value(r.monthAgo)} · `, change(r.monthChange), cls(r.monthChange)], [`${value(r.yearAgo)} · `, change(r.yearChange), cls(r.yearChange)]];
    for (const c of cells) {
      const td = document.createElement('td');
      if (Array.isArray(c)) {
        td.append(c[0]);
        const b = document.createElement('b');
        b.textContent = c[1];
        if (c[2]) b.className = c[2];
        td.append(b);
      } else td.textContent = c;
      tr.append(td);
    }
    return tr;
  };
  table.querySelector('tbody').replaceChildren(...changesFor.rows.map(r => line(r, false)), line(changesFor.totals, true));
  table.hidden = false;
}

// --- the drill-down ---
async function openPanel(county) {
  panel = { county, summary: comparison?.rows.find(r => r.county === county) ?? null, error: null, loading: true };
  renderPanel();
  $('county-panel').hidden = false;
  const answer = await api(`/api/counties/${encodeURIComponent(county)}/summary`);
  if (panel?.county !== county) return;
  panel.loading = false;
  if (answer.ok) {
    if (!panel.summary || answer.data.seq >= panel.summary.seq) panel.summary = answer.data;
  } else {
    panel.error = problemText(answer);
  }
  renderPanel();
}

function closePanel() {
  panel = null;
  $('county-panel').hidden = true;
}

function renderPanel() {
  if (!panel) return;
  const s = panel.summary;
  $('panel-title').textContent = s ? `${s.name} ${s.county}` : panel.county;
  $('panel-error').hidden = !panel.error;
  $('panel-error').textContent = panel.error ?? '';
  const dl = $('panel-figures');
  dl.replaceChildren();
  const stations = $('panel-stations');
  stations.tHead.replaceChildren();
  stations.tBodies[0].replaceChildren();
  if (!s) return;
  for (const col of FIGURES) {
    const dt = document.createElement('dt');
    dt.textContent = labelOfColumn(col);
    const dd = document.createElement('dd');
    dd.dataset.col = col.key;
    dd.textContent = display(col, s);
    const extra = hover(col, s);
    if (extra && col.num) {
      const small = document.createElement('span');
      small.className = 'muted';
      small.textContent = ` (${extra})`;
      dd.append(small);
    }
    if (col.mark?.(s)) dd.classList.add(col.markClass ?? 'cell-below');
    dl.append(dt, dd);
  }
  const target = document.createElement('dt');
  target.textContent = `${labelOfColumn(column('linkage') ?? { labelKey: 'fig.linkage' })} · ${t('fig.linkageTarget')}`;
  const targetValue = document.createElement('dd');
  targetValue.textContent = percent(s.linkageTarget, 0);
  dl.append(target, targetValue);

  const list = s.stationLinkage ?? [];
  $('panel-no-stations').hidden = list.length > 0;
  stations.hidden = list.length === 0;
  if (list.length === 0) return;
  const head = document.createElement('tr');
  for (const key of ['cmp.st.name', 'cmp.st.area', 'cmp.st.linked', 'fig.linkage', 'cmp.st.target', 'cmp.col.fullTime', 'cmp.col.partTime',
    'fig.groups', 'fig.issuesOpen', 'fig.issuesResolved', 'cmp.col.branchMembers', 'fig.orgLife', 'fig.heldMeeting', 'fig.sentReport']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(key);
    head.append(th);
  }
  stations.tHead.append(head);
  for (const l of list) {
    const tr = document.createElement('tr');
    tr.dataset.station = l.stationId;
    if (!l.meetsTarget) tr.classList.add('below-target');
    const cells = [
      [l.name, ''], [integer(l.areaEnterprises), ''], [integer(l.linked), ''],
      [percent(l.linkage), ratio(l.linked, l.areaEnterprises)],
      [l.meetsTarget ? t('cmp.st.meets') : t('fig.belowTarget'), `${t('fig.linkageTarget')} ${percent(s.linkageTarget, 0)}`],
      [integer(l.fullTimeInstructors), ''], [integer(l.partTimeInstructors), ''], [integer(l.groups), ''],
      [integer(l.issuesOpen), ''], [integer(l.issuesResolved), ''], [integer(l.branchMembers ?? 0), ''],
      [percent(l.orgLife?.rate ?? 0), `${ratio(l.orgLife?.compliant ?? 0, l.orgLife?.organisations ?? 0)} · ${l.orgLife?.month ?? ''}`],
      // Last month's duties (the same month as organisational life).
      [t(l.heldMeeting ? 'fig.yes' : 'fig.no'), l.orgLife?.month ?? ''], [t(l.sentReport ? 'fig.yes' : 'fig.no'), l.orgLife?.month ?? ''],
    ];
    cells.forEach(([text, title], i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (title) td.title = title;
      if (i > 0) td.className = 'int';
      if (i === 4 && !l.meetsTarget) td.classList.add('cell-below');
      // A full-time strength outside 6–10 is marked as a linkage below target is.
      if (i === 5 && l.strengthOutsideRange) td.classList.add('cell-below');
      tr.append(td);
    });
    stations.tBodies[0].append(tr);
  }
}

// --- exports ---
async function download(extension) {
  const error = $('export-error');
  error.hidden = true;
  let response;
  try {
    response = await fetch(`${apiBase}.${extension}`, { headers: { Authorization: `Bearer ${token()}` } });
  } catch {
    error.textContent = t('error.network');
    error.hidden = false;
    return;
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    error.textContent = `${t('cmp.export.failed')}: ${problem?.detail ?? problem?.title ?? response.status}`;
    error.hidden = false;
    return;
  }
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName(response.headers.get('Content-Disposition')) ?? `comparison-${code}.${extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

function fileName(disposition) {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

// --- refusals ---
function problemText(answer) {
  if (answer.status === 0) return t('error.network');
  if (answer.status === 403) return t(whole('cmp.forbidden.text'));
  if (answer.status === 404) return t('error.notFound');
  return answer.problem?.detail ?? answer.problem?.title ?? String(answer.status);
}

function showForbidden(answer) {
  $('forbidden').hidden = false;
  $('forbidden-text').textContent = t(whole('cmp.forbidden.text'));
  $('forbidden-detail').textContent = answer?.problem?.detail ?? '';
  $('content').hidden = true;
  for (const id of ['export-csv', 'export-xlsx']) $(id).hidden = true;
}

// --- wiring ---
let refusal = null;

function renderAll() {
  if (refusal) { showForbidden(refusal); return; }
  renderSelect();
  renderTable();
  renderDuplicates();
  renderChart();
  renderChanges();
  renderPanel();
}

/** Credit codes that several counties of the province hold: each is counted once per county in the totals. */
function renderDuplicates() {
  const section = $('duplicates');
  const list = section.querySelector('ul');
  const names = new Map(comparison.rows.map(r => [r.county, r.name]));
  list.replaceChildren(...(comparison.duplicates ?? []).map(d => {
    const li = document.createElement('li');
    li.textContent = `${d.creditCode}：${d.counties.map(c => names.get(c) ?? c).join('、')}`;
    return li;
  }));
  section.hidden = list.children.length === 0;
}

function apply(next) {
  if (comparison && next.seq < comparison.seq) return;
  comparison = next;
  renderTable();
  renderDuplicates();
  renderChart();
  loadChanges(changesFor === null);
  if (panel) {
    const row = next.rows.find(r => r.county === panel.county);
    if (row && (!panel.summary || row.seq >= panel.summary.seq)) { panel.summary = row; renderPanel(); }
  }
}

$('figure').addEventListener('change', e => { chosen = e.target.value; renderChart(); renderChanges(); loadChanges(true); });
$('panel-close').addEventListener('click', closePanel);
document.addEventListener('keydown', e => { if (e.key === 'Escape') closePanel(); });
$('export-csv').addEventListener('click', () => download('csv'));
$('export-xlsx').addEventListener('click', () => download('xlsx'));
window.addEventListener('resize', () => chart?.resize());

columnsOf(await loadFigures());
const first = await api(apiBase);
if (first.status === 401 || first.status === 403) {
  refusal = first;
  showForbidden(first);
} else if (!first.ok) {
  $('load-error').textContent = problemText(first);
  $('load-error').hidden = false;
} else {
  $('content').hidden = false;
  renderSelect();
  apply(first.data);
  document.body.dataset.ready = 'true';
  watch(`${isPrefecture ? 'prefecture' : 'province'}:${code}`, apply, state => {
    if (state === 'forbidden') return;
    showBanner(state);
  });
}
