// The county workspace (/county/{code}): the county's live figures, its registers as tables with forms, and its
// issues with their steps. Every call goes through the API with the visitor's token; the server decides.
import { api } from './api.js';
import { t, translate } from './i18n.js';
import { requireSession } from './session.js';
import { pageChrome } from './chrome.js';
import { watch, showBanner } from './live.js';
import { integer, percent, ratio } from './numbers.js';
import { el, toast, problemText } from './county-util.js';
import { registers, order, refs, loadRefs, REF_REGISTERS } from './county-registers.js';
import { RegisterTable } from './county-table.js';
import { EntryDialog } from './county-form.js';
import { DetailPanel } from './county-detail.js';
import { SummaryView } from './county-summary.js';
import { TodoView } from './county-todo.js';
import { ImportDialog, importables } from './county-import.js';
import { download, chinaMonth } from './county-files.js';
import { MapView } from './county-map.js';

const claims = requireSession();
const county = location.pathname.split('/').filter(Boolean)[1];
const main = document.getElementById('workspace');
const title = document.getElementById('county-title');
const place = document.getElementById('county-place');

/** Whether this token may send changes to this county's register at all; the server still checks each one. */
function canWrite(def) {
  const inCounty = claims.scope === `county:${county}`;
  if (!inCounty) return false;
  if (claims.role === 'county-admin') return true;
  return claims.role === 'station-staff' && !def.admin;
}

/**
 * Whether this token may list the register: a register of people (applicants) only for the county's committee and
 * its station staff (Actor.MayReadPersonal); overseers see its counts in the figures, not the people.
 */
function canRead(def) {
  if (!def.personal) return true;
  return claims.scope === `county:${county}` && ['county-admin', 'station-staff'].includes(claims.role);
}

/** The station of a station-staff token, which is all of the county such a token may change. */
const ownStation = claims.role === 'station-staff' ? claims.station ?? null : null;

/**
 * Whether this token may change this very entry, as the server's rule has it (Actor.MayChange): the county's
 * committee any, station staff only enterprises and issues of their own station.
 */
function canChange(def, item) {
  if (!canWrite(def)) return false;
  return !ownStation || (item?.stationId ?? null) === ownStation;
}

/** Station staff see their own station first: its figures from the summary's station linkage. */
function renderOwnStation(s) {
  if (!ownStation) return;
  let box = document.getElementById('own-station');
  if (!box) {
    box = el('section', { id: 'own-station', className: 'own-station', dataset: { station: ownStation } });
    main.prepend(box);
  }
  const l = (s?.stationLinkage ?? []).find(x => x.stationId === ownStation);
  const figures = l ? [
    ['fig.linkage', `${percent(l.linkage)} (${ratio(l.linked, l.areaEnterprises)})`, 'linkage'],
    ['cmp.st.target', l.meetsTarget ? t('cmp.st.meets') : t('fig.belowTarget'), 'meetsTarget'],
    ['cmp.col.fullTime', integer(l.fullTimeInstructors), 'fullTime'],
    ['cmp.col.partTime', integer(l.partTimeInstructors), 'partTime'],
    ['fig.groups', integer(l.groups), 'groups'],
    ['fig.issuesOpen', integer(l.issuesOpen), 'issuesOpen'],
    ['fig.issuesResolved', integer(l.issuesResolved), 'issuesResolved'],
    ['fig.orgLife', `${percent(l.orgLife?.rate ?? 0)} (${ratio(l.orgLife?.compliant ?? 0, l.orgLife?.organisations ?? 0)}, ${l.orgLife?.month ?? ''})`, 'orgLife'],
    // The station's own duties for the same month, and whether its full-time strength is within 6–10.
    ['fig.heldMeeting', t(l.heldMeeting ? 'fig.yes' : 'fig.no'), 'heldMeeting'],
    ['fig.sentReport', t(l.sentReport ? 'fig.yes' : 'fig.no'), 'sentReport'],
    ['fig.strength', t(l.strengthOutsideRange ? 'fig.no' : 'fig.yes'), 'strength'],
  ] : [];
  box.replaceChildren(
    el('h2', {}, el('span', { i18n: 'ws.ownStation' }), ' · ', el('span', { id: 'own-station-name', text: l ? `${l.name} ${ownStation}` : ownStation })),
    figures.length
      ? el('dl', { className: 'facts' }, ...figures.flatMap(([label, value, key]) => [el('dt', { i18n: label }), el('dd', { dataset: { figure: key }, text: value })]))
      : el('p', { className: 'muted', i18n: 'ws.ownStation.none' }));
  translate(box);
}

let summaryView;
let todoView;
const tables = {};
let dialog;
let importDialog;
let detail;
let mapView;
let active = 'enterprises';

function renderTitle() {
  const s = summaryView?.summary;
  document.title = `${s?.name ?? county} · ${t('page.workspace')}`;
  title.textContent = s ? `${s.name} ${t('page.workspace')}` : t('page.workspace');
  place.textContent = s ? `${s.prefectureName} · ${county}` : county;
}

function relabel() {
  translate();
  renderTitle();
  summaryView?.render();
  todoView?.load();
  renderTabs();
  for (const table of Object.values(tables)) { table.refreshFilters(); table.render(); }
  dialog?.relabel();
  importDialog?.relabel();
  detail?.render();
  renderOwnStation(summaryView?.summary);
  mapView?.relabel();
}

/** Refused before anything is shown: say why, and show no data. */
function showRefusal(result) {
  main.replaceChildren();
  const box = el('section', { id: 'forbidden', className: 'refusal', role: 'alert' },
    el('h2', { i18n: result.status === 403 ? 'error.forbidden' : result.status === 404 ? 'ws.error.noCounty' : 'ws.error.load' }),
    el('p', { id: 'forbidden-detail', text: problemText(result) }),
    el('p', { className: 'muted' }, el('span', { i18n: 'ws.error.scopeHint' }), ' ', el('code', { text: claims.scope }), ' → ', el('code', { text: `county:${county}` })),
    el('p', {}, el('a', { href: '/signin', i18n: 'ws.switchToken' })));
  box.dataset.status = String(result.status);
  main.append(box);
  document.title = `${t('error.forbidden')} · Beacon`;
}

// ---- tabs ----
const tabList = el('div', { className: 'tabs', role: 'tablist', 'aria-label': t('ws.registers') });

function tabCount(key) {
  const s = summaryView?.summary;
  if (!s) return null;
  const d = s.development;
  return {
    enterprises: s.registered, stations: s.stations, groups: s.groups,
    instructors: s.instructors?.total, issues: s.issues?.open, organisations: s.organisations?.total,
    // On the path now: the stages before full membership.
    applicants: d ? (d.applicants ?? 0) + (d.activists ?? 0) + (d.candidates ?? 0) + (d.probationary ?? 0) : null,
    trainings: s.training?.sessions, honours: s.honours?.total,
    contactPoints: typeof s.contactPoints === 'number' ? s.contactPoints : s.contactPoints?.total,
  }[key];
}

/** The registers this token sees as tabs. */
const shown = () => order.filter(key => canRead(registers[key]));

/** The tabs: the registers this token sees, then the map (any reader of the county may read it). */
const tabKeys = () => [...shown(), 'map'];
const tabLabel = key => (key === 'map' ? 'ws.tab.map' : registers[key].label);

function renderTabs() {
  for (const key of tabKeys()) {
    let tab = tabList.querySelector(`[data-tab="${key}"]`);
    if (!tab) {
      tab = el('button', {
        type: 'button', role: 'tab', id: `tab-${key}`, dataset: { tab: key }, 'aria-controls': `panel-${key}`,
        on: { click: () => selectTab(key), keydown: onTabKey },
      });
      tabList.append(tab);
    }
    const count = tabCount(key);
    // replaceChildren writes a null as the text "null": a tab without a count (the map) gets its label alone.
    tab.replaceChildren(el('span', { i18n: tabLabel(key) }),
      ...(count === null || count === undefined ? [] : [el('span', { className: 'count', title: key === 'issues' ? t('fig.issuesOpen') : '', text: integer(count) })]));
    tab.setAttribute('aria-selected', String(key === active));
    tab.tabIndex = key === active ? 0 : -1;
  }
}

function onTabKey(e) {
  const keys = tabKeys();
  const i = keys.indexOf(active);
  const next = e.key === 'ArrowRight' ? keys[(i + 1) % keys.length] : e.key === 'ArrowLeft' ? keys[(i + keys.length - 1) % keys.length] : null;
  if (!next) return;
  e.preventDefault();
  selectTab(next);
  tabList.querySelector(`[data-tab="${next}"]`).focus();
}

function selectTab(key) {
  active = key;
  history.replaceState(null, '', `#${key}`);
  for (const [k, table] of Object.entries(tables)) table.root.hidden = k !== key;
  mapView.root.hidden = key !== 'map';
  renderTabs();
  if (key === 'map') {
    const seq = summaryView?.summary?.seq;
    if (mapView.stale(seq)) mapView.load(seq); else mapView.draw();
    return;
  }
  const table = tables[key];
  if (!table.page && !table.loading) table.load();
}

// ---- actions ----
/**
 * The county's own actions beside the title: the monthly report for whoever may read the county, and the import for
 * the tokens that may write one of its registers (the committee, station staff); overseers and displays get none.
 */
function renderCountyActions(ctx) {
  const box = el('div', { className: 'county-actions', id: 'county-actions' });
  const report = el('button', { type: 'button', id: 'report-download', on: { click: () => downloadReport(report) } }, el('span', { i18n: 'ws.report' }));
  box.append(report);
  if (importables(registers).some(canWrite)) {
    importDialog = new ImportDialog(ctx);
    box.append(el('button', { type: 'button', className: 'primary', id: 'import-open', on: { click: () => importDialog.show(active) } }, el('span', { i18n: 'imp.open' })));
  }
  document.querySelector('.page-head').append(box);
}

async function downloadReport(button) {
  const month = chinaMonth();
  button.disabled = true;
  try {
    const r = await download(`/api/counties/${county}/report.xlsx?month=${month}`, `report-${county}-${month}.xlsx`);
    if (!r.ok) toast(`${t('ws.export.failed')}: ${problemText(r)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function onOpen(key, item) {
  const id = item[registers[key].idField];
  for (const table of Object.values(tables)) table.select(table.key === key ? id : null);
  await detail.show(key, id);
}

async function onSaved(key, id, created) {
  toast(t(created ? (registers[key].issues ? 'ws.raised' : 'ws.created') : 'ws.saved'));
  await Promise.all([
    onChanged(key, id).then(() => { for (const table of Object.values(tables)) table.select(table.key === key ? id : null); }),
    id ? detail.show(key, id) : null,
  ]);
}

/** After any change: the lists that may show it are loaded again; the figures arrive by themselves (live). */
async function onChanged(key) {
  const work = [tables[key]?.load()];
  if (REF_REGISTERS.includes(key)) {
    work.push(loadRefs().then(() => {
      for (const table of Object.values(tables)) { table.refreshFilters(); if (table.page) table.render(); }
    }));
  }
  if (key === 'enterprises' && tables.issues.page) work.push(tables.issues.load());
  await Promise.all(work);
}

/** The side panel starts below the chrome: it keeps its own height in a CSS variable. */
function trackChromeHeight() {
  const bar = document.querySelector('header.chrome');
  if (!bar) return;
  const set = () => document.documentElement.style.setProperty('--chrome-height', `${bar.offsetHeight}px`);
  new ResizeObserver(set).observe(bar);
  set();
}

async function start() {
  pageChrome(relabel);
  trackChromeHeight();
  translate();
  refs.county = county;

  const first = await api(`/api/counties/${county}/summary`);
  if (!first.ok) {
    if (first.status === 401) { location.href = '/signin?return=' + encodeURIComponent(location.pathname); return; }
    showRefusal(first);
    return;
  }

  summaryView = new SummaryView();
  summaryView.update(first.data);
  renderTitle();
  main.append(summaryView.root);
  renderOwnStation(first.data);

  const ctx = { county, claims, registers, canRead, canWrite, canChange, treeItems: key => refs[key] ?? [], onOpen, onAdd: key => dialog.show(key), onEdit: (key, item) => dialog.show(key, item), onSaved, onChanged };
  dialog = new EntryDialog(ctx);
  renderCountyActions(ctx);
  detail = new DetailPanel({ ...ctx, onClosed: () => { for (const table of Object.values(tables)) table.select(null); } });

  const registerBox = el('section', { className: 'registers', id: 'registers' }, tabList);
  for (const key of shown()) {
    tables[key] = new RegisterTable(key, registers[key], ctx);
    registerBox.append(tables[key].root);
  }
  // Only the county's committee plans stations (Policies.CountyCommittee); the server still decides.
  mapView = new MapView({ county, planner: claims.role === 'county-admin' && claims.scope === `county:${county}` });
  registerBox.append(mapView.root);
  todoView = new TodoView(county, { open: (key, id) => { selectTab(key); detail.show(key, id); }, canOpen: key => shown().includes(key) });
  todoView.seq = first.data.seq;
  main.append(todoView.root, registerBox);
  todoView.load();
  renderTabs();

  watch(`county:${county}`, s => { summaryView.update(s); todoView.changed(s.seq); renderOwnStation(s); renderTitle(); renderTabs(); }, state => {
    if (state === 'forbidden') return;
    summaryView.setLive(state);
    showBanner(state);
  });

  const refsLoaded = await loadRefs();
  if (!refsLoaded) toast(t('ws.error.refs'), 'error');
  // Station staff open on their own station's enterprises and issues (they may still choose all).
  if (ownStation) for (const key of ['enterprises', 'issues']) if (tables[key]) tables[key].state.filters.station = ownStation;
  for (const table of Object.values(tables)) table.refreshFilters();
  const wanted = location.hash.slice(1);
  selectTab(tabKeys().includes(wanted) ? wanted : 'enterprises');
  main.dataset.ready = 'true';
}

start().catch(e => {
  console.error(e);
  main.append(el('p', { className: 'form-error', text: `${t('ws.error.load')}: ${e}` }));
});
