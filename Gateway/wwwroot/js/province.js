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
const fraction = (numerator, denominator) => denominator ? numerator / denominator : 0;
const decimal = (n, digits = 1) => n == null ? '—' : Number(n).toFixed(digits);
const linkedOf = s => sum(s.stationLinkage, l => l.linked);
const areaOf = s => sum(s.stationLinkage, l => l.areaEnterprises);

/** A county is below target when one of its stations links less of its area than the county's linkage target. */
const belowTarget = s => (s.stationLinkage ?? []).some(l => !l.meetsTarget) || s.stationsMeetingTarget < s.stations;
const hasOverdue = s => (s.issues?.overdue ?? 0) > 0;

/**
 * The columns: a label key, a group, how to read the figure (value, used to sort and chart), and for rates the
 * numerator and denominator shown on hover. `mark` says which cells carry the legend's marks.
 */
const COLUMNS = [
  { key: 'county', label: 'cmp.col.county', kind: 'text', value: s => s.county },
  { key: 'base', group: 'coverage', label: 'fig.base', kind: 'int', value: s => s.base },
  { key: 'orgCoverage', group: 'coverage', label: 'fig.orgCoverage', kind: 'rate', value: s => s.orgCoverage, num: s => s.orgCovered, den: s => s.base },
  { key: 'standaloneRate', group: 'coverage', label: 'fig.standaloneRate', kind: 'rate', value: s => s.standaloneRate, num: s => s.standalone, den: s => s.base },
  { key: 'workCoverage', group: 'coverage', label: 'fig.workCoverage', kind: 'rate', value: s => s.workCoverage, num: s => s.workCovered, den: s => s.base },
  { key: 'partyMembers', group: 'members', label: 'fig.partyMembers', kind: 'int', value: s => s.partyMembers },
  { key: 'membersShare', group: 'members', label: 'fig.membersShare', kind: 'rate', value: s => s.membersShare, num: s => s.partyMembers, den: s => s.employees },
  { key: 'stations', group: 'stations', label: 'fig.stations', kind: 'int', value: s => s.stations },
  { key: 'stationsMeetingTarget', group: 'stations', label: 'cmp.col.meetingTarget', kind: 'count', value: s => s.stationsMeetingTarget, num: s => s.stationsMeetingTarget, den: s => s.stations, mark: belowTarget },
  { key: 'linkage', group: 'stations', label: 'fig.linkage', kind: 'rate', value: s => fraction(linkedOf(s), areaOf(s)), num: linkedOf, den: areaOf, mark: belowTarget },
  { key: 'stationBranchMembers', group: 'stations', label: 'cmp.col.branchMembers', kind: 'int', value: s => s.stationBranchMembers ?? 0 },
  { key: 'groupsBelow', group: 'instructors', label: 'cmp.col.groupsBelow', kind: 'int', value: s => s.instructors.groupsBelowTwoFullTime.length },
  { key: 'fullTime', group: 'instructors', label: 'cmp.col.fullTime', kind: 'int', value: s => s.instructors.fullTime },
  { key: 'partTime', group: 'instructors', label: 'cmp.col.partTime', kind: 'int', value: s => s.instructors.partTime },
  { key: 'perInstructor', group: 'instructors', label: 'cmp.col.perInstructor', kind: 'dec', value: s => s.instructors.enterprisesPerInstructor,
    num: s => s.instructors.enterprisesGuided, den: s => s.instructors.fullTime + s.instructors.partTime },
  { key: 'raised', group: 'issues', label: 'fig.issuesRaised', kind: 'int', value: s => s.issues.raised },
  { key: 'open', group: 'issues', label: 'fig.issuesOpen', kind: 'int', value: s => s.issues.open },
  { key: 'escalated', group: 'issues', label: 'fig.issuesEscalated', kind: 'int', value: s => s.issues.escalated },
  { key: 'resolved', group: 'issues', label: 'fig.issuesResolved', kind: 'int', value: s => s.issues.resolved },
  { key: 'overdue', group: 'issues', label: 'fig.issuesOverdue', kind: 'int', value: s => s.issues.overdue, mark: hasOverdue, markClass: 'cell-overdue' },
  { key: 'resolutionRate', group: 'issues', label: 'fig.resolutionRate', kind: 'rate', value: s => s.issues.resolutionRate, num: s => s.issues.resolved, den: s => s.issues.raised },
  { key: 'medianDays', group: 'issues', label: 'cmp.col.medianDays', kind: 'days', value: s => s.issues.medianDaysToResolve },
  { key: 'basic', group: 'archives', label: 'cmp.col.basic', kind: 'count', value: s => s.archives.basic, num: s => s.archives.basic, den: s => s.base },
  { key: 'featured', group: 'archives', label: 'cmp.col.featured', kind: 'count', value: s => s.archives.featured, num: s => s.archives.featured, den: s => s.base },
];
const FIGURES = COLUMNS.filter(c => c.kind !== 'text');
const column = key => COLUMNS.find(c => c.key === key);

/** The cell's text: rates as percentages, counts as integers, averages and days with one decimal. */
function display(col, s) {
  const v = col.value(s);
  switch (col.kind) {
    case 'text': return s.name;
    // A rate of nothing (a county without stations has no linkage) is not 0%.
    case 'rate': return col.den && !col.den(s) ? '—' : percent(v);
    case 'dec': return decimal(v, 2);
    case 'days': return v == null ? '—' : decimal(v, 1);
    default: return integer(v);
  }
}

/** The hover text: numerator / denominator ("112 / 509"), and for counts of a whole their share of it. */
function hover(col, s) {
  if (!col.num) return col.kind === 'days' ? t('cmp.hover.medianDays') : '';
  const text = ratio(col.num(s), col.den(s));
  return col.kind === 'count' && col.key !== 'stationsMeetingTarget' ? `${text} = ${percent(fraction(col.num(s), col.den(s)))}` : text;
}

// --- state ---
let comparison = null;
let sort = { key: 'county', dir: 'asc' };
let chosen = 'orgCoverage';
let chart = null;
let panel = null; // { county, summary, error }

/** The totals row: the province's totals, with the per-station and per-group detail they lack taken from the rows. */
function totalsOf(c) {
  const totals = structuredClone(c.totals);
  totals.stationLinkage = c.rows.flatMap(r => r.stationLinkage ?? []);
  totals.instructors.groupsBelowTwoFullTime = c.rows.flatMap(r => r.instructors.groupsBelowTwoFullTime ?? []);
  totals.stationsMeetingTarget = sum(c.rows, r => r.stationsMeetingTarget);
  return totals;
}

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
    label.textContent = t(col.label);
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
    option.textContent = `${t(`cmp.group.${col.group}`)} · ${t(col.label)}`;
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
  const format = v => col.kind === 'text' ? v : isRate ? percent(v) : col.kind === 'dec' || col.kind === 'days' ? decimal(v, col.kind === 'dec' ? 2 : 1) : integer(v);
  const totals = totalsOf(comparison);
  chart.setOption({
    animationDurationUpdate: 600,
    title: { text: t(col.label), left: 'center', top: 4, textStyle: { fontSize: 15, color: '#1f2328' } },
    grid: { left: 64, right: 90, top: 48, bottom: 36, containLabel: false },
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' }, className: 'chart-tooltip',
      // HTML, which ECharts writes as it is: every part escaped, a county's name above all.
      formatter: items => {
        const s = rows[items[0].dataIndex];
        const extra = hover(col, s);
        return `${escapeHtml(s.name)} ${escapeHtml(s.county)}<br>${escapeHtml(t(col.label))}: <b>${escapeHtml(display(col, s))}</b>`
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
    dt.textContent = t(col.label);
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
  target.textContent = `${t('fig.linkage')} · ${t('fig.linkageTarget')}`;
  const targetValue = document.createElement('dd');
  targetValue.textContent = percent(s.linkageTarget, 0);
  dl.append(target, targetValue);

  const list = s.stationLinkage ?? [];
  $('panel-no-stations').hidden = list.length > 0;
  stations.hidden = list.length === 0;
  if (list.length === 0) return;
  const head = document.createElement('tr');
  for (const key of ['cmp.st.name', 'cmp.st.area', 'cmp.st.linked', 'fig.linkage', 'cmp.st.target', 'cmp.col.fullTime', 'cmp.col.partTime',
    'fig.groups', 'fig.issuesOpen', 'fig.issuesResolved', 'cmp.col.branchMembers']) {
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
    ];
    cells.forEach(([text, title], i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (title) td.title = title;
      if (i > 0) td.className = 'int';
      if (i === 4 && !l.meetsTarget) td.classList.add('cell-below');
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
  if (panel) {
    const row = next.rows.find(r => r.county === panel.county);
    if (row && (!panel.summary || row.seq >= panel.summary.seq)) { panel.summary = row; renderPanel(); }
  }
}

$('figure').addEventListener('change', e => { chosen = e.target.value; renderChart(); });
$('panel-close').addEventListener('click', closePanel);
document.addEventListener('keydown', e => { if (e.key === 'Escape') closePanel(); });
$('export-csv').addEventListener('click', () => download('csv'));
$('export-xlsx').addEventListener('click', () => download('xlsx'));
window.addEventListener('resize', () => chart?.resize());

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
