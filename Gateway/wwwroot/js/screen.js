// The wall screen (大屏) of a county (/screen/county/NNNNNN), a province (/screen/province/NN0000) or a prefecture
// (/screen/prefecture/NNNN00, the province's screen over the prefecture's counties).
// A fixed 1920x1080 stage, scaled to the window. Every figure comes from the live hub only: the first `summary` is
// the snapshot, later ones move the numbers, the gauges and the charts in place. The page never reloads; a screen runs
// for weeks, so everything it keeps (ticker, trend) is capped.
import { t, translate, toggleLang } from './i18n.js';
import { requireSession } from './session.js';
import { watch, showBanner } from './live.js';
import { percent, ratio, integer, animateTo } from './numbers.js';
import { loadFigures, labelOf } from './figures.js';
import { api } from './api.js';
import { regionMap } from './region-map.js';
import { mapLayers, mapOption, enterpriseCount } from './map.js';

const STAGE = { width: 1920, height: 1080 };
/** What a screen keeps, at most. */
const LIMITS = { ticker: 50, trend: 360, tableRows: 9, rankingBars: 16 };
/** The trend keeps a point at most this often at first; each time it fills up, it halves its points and doubles this. */
const TREND_SPACING_MS = 5000;
const TABLE_PAGE_MS = 10000;
const TREND_REPEAT_MS = 60000;
/** The county's map is fetched at the start, then again with a live summary at most this often. */
const MAP_REFRESH_MS = 60000;

const COLORS = {
  text: '#e8eefc', muted: '#8ea3c7', gold: '#f6c344', goldDeep: '#d99a1e', red: '#ff5252', redDeep: '#c62828',
  green: '#4cc38a', blue: '#4fa3ff', line: 'rgba(142, 163, 199, .18)', track: 'rgba(142, 163, 199, .16)',
};

const [, , kind, code] = location.pathname.split('/');
const scope = `${kind}:${code}`;
/** A province's and a prefecture's screens are one layout: counties side by side. */
const isRegion = kind === 'province' || kind === 'prefecture';
const regionKey = key => kind === 'prefecture' ? `${key}.prefecture` : key;
const session = requireSession();

/** The labels of the catalogue's figures (GET /api/figures), read once; a label key of labels.js stands for each here. */
const catalogue = await loadFigures();
const CATALOGUE_KEYS = {
  'fig.orgCoverage': 'orgCoverage', 'fig.standaloneRate': 'standaloneRate', 'fig.workCoverage': 'workCoverage',
  'fig.organisations': 'organisations', 'fig.membersShare': 'membersShare', 'fig.stations': 'stations', 'fig.groups': 'groups',
  'fig.partTime': 'instructorsPartTime', 'fig.issuesOpen': 'issuesOpen', 'fig.issuesResolved': 'issuesResolved',
  'fig.issuesOverdue': 'issuesOverdue', 'fig.resolutionRate': 'resolutionRate', 'fig.issuesEscalated': 'issuesEscalated', 'fig.linkage': 'linkage',
};
/** A figure's label: the catalogue's where it has the figure, labels.js otherwise. */
const figLabel = key => catalogue.has(CATALOGUE_KEYS[key]) ? labelOf(catalogue.get(CATALOGUE_KEYS[key])) : t(key);
/** translate(), then the catalogue's labels over the elements that name its figures. */
function translateStage() {
  translate();
  for (const el of stage.querySelectorAll('[data-i18n^="fig."]')) el.textContent = figLabel(el.dataset.i18n);
}

const stage = document.getElementById('stage');
stage.dataset.kind = kind;
stage.dataset.scope = scope;

const $ = selector => stage.querySelector(selector);
const figures = name => stage.querySelectorAll(`[data-figure="${name}"]`);
const setText = (name, text) => figures(name).forEach(el => { el.textContent = text; });
const animate = (name, value, format = integer) => figures(name).forEach(el => animateTo(el, value ?? 0, format));
const withN = (key, n) => t(key).replace('{n}', integer(n));
const percentOf = value => percent(value);

// ---- the stage: fixed size, scaled to fit, letterboxed ----

function fit() {
  const scale = Math.min(innerWidth / STAGE.width, innerHeight / STAGE.height);
  const x = (innerWidth - STAGE.width * scale) / 2;
  const y = (innerHeight - STAGE.height * scale) / 2;
  stage.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
  stage.dataset.scale = scale.toFixed(4);
  charts.forEach(c => c.resize());
}

// ---- layout ----

function header(pageKey) {
  return `
  <header class="head">
    <div class="head-title">
      <span class="emblem" aria-hidden="true">★</span>
      <div>
        <h1><span data-figure="place">—</span><span class="title-text" data-i18n="screen.title"></span></h1>
        <p class="subtitle"><span data-i18n="${pageKey}"></span> · <span data-i18n="scope.label"></span>:
          <b id="scope-who"></b><span class="counties-note" hidden> · <span data-figure="counties-text"></span></span></p>
      </div>
    </div>
    <div class="head-side">
      <span class="live" id="live-state" data-state="connecting"><i></i><span id="live-text"></span></span>
      <span class="as-of"><span data-i18n="screen.updated"></span> <b data-figure="asOf">—</b></span>
      <time id="clock"></time>
      <button type="button" id="lang-toggle" data-i18n="lang.toggle"></button>
    </div>
  </header>`;
}

/**
 * A county's own tiles, between the instructors and the issues: the last closed month's organisational life and this
 * year's development of members (a province's totals carry neither).
 */
const countyTiles = `
    <article class="tile" data-tile="orgLife">
      <h3 data-i18n="fig.orgLife"></h3>
      <div class="big"><span class="num" data-figure="orgLife">—</span></div>
      <p class="ratio-line"><b class="ratio" data-figure="orgLife-ratio">—</b><span data-i18n="screen.ratio.orgLife"></span></p>
      <p class="sub"><span data-i18n="fig.orgLifeMonth"></span> <b data-figure="orgLife-month">—</b></p>
    </article>
    <article class="tile" data-tile="development">
      <h3 data-i18n="screen.development"></h3>
      <div class="big"><span class="num" data-figure="newProbationary">—</span><span class="unit" data-i18n="screen.unit.people"></span></div>
      <p class="ratio-line"><b class="ratio" data-figure="newFull">—</b><span data-i18n="screen.ratio.newFull"></span></p>
      <p class="sub"><span data-i18n="ws.stage.activist"></span> <b data-figure="activists">—</b> · <span data-i18n="ws.stage.candidate"></span> <b data-figure="candidates">—</b>
        <span class="warn" data-warn="developmentOverdue" hidden> · <span data-i18n="fig.issuesOverdue"></span> <b data-figure="developmentOverdue">0</b></span></p>
    </article>`;

/** The tiles both screens show: a county's figures, or a province's totals (the same shape). */
function tiles(extra = '') {
  return `
  <section class="tiles${extra ? ' tiles-county' : ''}">
    <article class="tile" data-tile="orgCoverage">
      <h3 data-i18n="fig.orgCoverage"></h3>
      <div class="big"><span class="num" data-figure="orgCoverage">—</span></div>
      <p class="ratio-line"><b class="ratio" data-figure="orgCoverage-ratio">—</b><span data-i18n="screen.ratio.covered"></span></p>
      <p class="sub"><span data-i18n="fig.standaloneRate"></span> <b data-figure="standaloneRate">—</b></p>
    </article>
    <article class="tile" data-tile="workCoverage">
      <h3 data-i18n="fig.workCoverage"></h3>
      <div class="big"><span class="num" data-figure="workCoverage">—</span></div>
      <p class="ratio-line"><b class="ratio" data-figure="workCoverage-ratio">—</b><span data-i18n="screen.ratio.covered"></span></p>
      <p class="sub"><span data-i18n="fig.organisations"></span> <b data-figure="organisations">—</b></p>
    </article>
    <article class="tile" data-tile="partyMembers">
      <h3 data-i18n="fig.partyMembers"></h3>
      <div class="big"><span class="num" data-figure="partyMembers">—</span><span class="unit" data-i18n="screen.unit.people"></span></div>
      <p class="ratio-line"><b class="ratio" data-figure="partyMembers-ratio">—</b><span data-i18n="screen.ratio.members"></span></p>
      <p class="sub"><span data-i18n="fig.membersShare"></span> <b data-figure="membersShare">—</b></p>
    </article>
    <article class="tile" data-tile="stations">
      <h3 data-i18n="fig.stations"></h3>
      <div class="big"><span class="num" data-figure="stations">—</span><span class="unit" data-i18n="screen.unit.sites"></span></div>
      <p class="ratio-line"><b class="ratio" data-figure="stations-ratio">—</b><span data-i18n="screen.ratio.stationsMeeting"></span></p>
      <p class="sub"><span data-i18n="fig.groups"></span> <b data-figure="groups">—</b></p>
    </article>
    <article class="tile" data-tile="instructors">
      <h3 data-i18n="fig.instructors"></h3>
      <div class="big"><span class="num" data-figure="instructors">—</span><span class="unit" data-i18n="screen.unit.people"></span></div>
      <p class="ratio-line"><b class="ratio" data-figure="instructors-ratio">—</b><span data-i18n="screen.ratio.fullTime"></span></p>
      <p class="sub"><span data-i18n="fig.partTime"></span> <b data-figure="instructors-partTime">—</b>
        <span class="warn" data-warn="groupsBelow" hidden> · <span data-i18n="screen.groupsBelowShort"></span> <b data-figure="groupsBelow">0</b></span></p>
    </article>${extra}
    <article class="tile tile-issues" data-tile="issues">
      <h3 data-i18n="fig.issues"></h3>
      <div class="issue-figures">
        <div><span class="num" data-figure="issuesOpen">—</span><span class="cap" data-i18n="fig.issuesOpen"></span></div>
        <div><span class="num ok" data-figure="issuesResolved">—</span><span class="cap" data-i18n="fig.issuesResolved"></span></div>
        <div><span class="num bad" data-figure="issuesOverdue">—</span><span class="cap" data-i18n="fig.issuesOverdue"></span></div>
      </div>
      <p class="sub"><span data-i18n="fig.resolutionRate"></span> <b data-figure="resolutionRate">—</b>
        (<span data-i18n="screen.ratio.resolved"></span> <b class="ratio" data-figure="issues-ratio">—</b>) ·
        <span data-i18n="fig.issuesEscalated"></span> <b data-figure="issuesEscalated">—</b></p>
    </article>
  </section>`;
}

function panel(area, titleKey, body, badge = '') {
  return `<section class="panel" data-panel="${area}">
    <h2><span data-i18n="${titleKey}"></span>${badge}</h2>
    <div class="panel-body">${body}</div>
  </section>`;
}

const chartBox = (name, extra = '') => `<div class="chart" data-chart="${name}"${extra}></div>`;
const empty = (name, key) => `<div class="empty" data-empty="${name}" data-i18n="${key}" hidden></div>`;

/** The county's honours by kind, as a line that runs under its live activity (a province's screen has none). */
const honoursStrip = `<div class="honours" id="honours" hidden><span class="honours-title" data-i18n="screen.honours"></span>
  <div class="honours-run"><p class="honours-line" id="honours-line"></p></div></div>`;

const tickerPanel = (extra = '') => panel('ticker', 'screen.ticker',
  `<ol class="ticker" id="ticker" data-ticker></ol>${empty('ticker', 'screen.ticker.empty')}${extra}`);

const trendPanel = () => panel('trend', 'screen.trend', chartBox('trend'));

function countyLayout() {
  return header('page.countyScreen') + tiles(countyTiles) + `
  <main class="board board-county">
    ${panel('g1', 'fig.linkage', `
      <div class="gauge">${chartBox('linkageGauge')}<div class="gauge-value"><span data-figure="linkage">—</span></div></div>
      <p class="caption"><span data-when="stations"><span data-i18n="screen.ratio.linked"></span> <b class="ratio" data-figure="linkage-ratio">—</b></span><span
        class="none" data-empty="linkageGauge" data-i18n="screen.noStations" hidden></span> ·
        <span class="target-mark" data-i18n="fig.linkageTarget"></span> <b data-figure="linkageTarget">—</b></p>`)}
    ${panel('g2', 'fig.orgCoverage', `
      <div class="gauge">${chartBox('orgGauge')}<div class="gauge-value"><span data-figure="orgGauge">—</span></div></div>
      <p class="caption"><span data-i18n="screen.ratio.coveredLong"></span> <b class="ratio" data-figure="orgGauge-ratio">—</b> ·
        <span data-i18n="fig.organisations"></span> <b data-figure="organisations">—</b></p>`)}
    ${panel('rank', 'screen.stationRanking', chartBox('stations') + empty('stations', 'screen.noStations'),
      `<span class="badge bad" data-badge="stationsBelow" hidden><span data-i18n="fig.belowTarget"></span> <b data-figure="stationsBelow">0</b></span>`)}
    ${panel('map', 'screen.map', chartBox('map', ' data-ready="false" data-points="0"') + empty('map', 'map.loading')
      + '<p class="map-unplaced" id="map-unplaced" hidden><span data-i18n="map.unplaced"></span> <b data-figure="unplaced">—</b></p>')}
    ${trendPanel()}
    ${tickerPanel(honoursStrip)}
  </main>`;
}

const belowAverage = `<span class="badge legend"><i></i><span data-i18n="${regionKey('screen.belowAverage')}"></span></span>`;

function provinceLayout() {
  return header(regionKey('page.provinceScreen')) + tiles() + `
  <main class="board board-province">
    ${panel('map', 'screen.map', chartBox('regionMap'))}
    ${panel('rank', 'screen.rank.orgCoverage', chartBox('rankCoverage', ' data-ranking="orgCoverage"'), belowAverage)}
    ${panel('rank2', 'screen.rank.resolution', chartBox('rankResolution', ' data-ranking="resolution"'), belowAverage)}
    ${panel('table', 'screen.counties', `
      <table class="counties" id="county-table">
        <thead><tr>
          <th data-i18n="screen.col.rank"></th><th data-i18n="screen.col.county"></th>
          <th data-i18n="fig.orgCoverage"></th><th data-i18n="fig.workCoverage"></th><th data-i18n="fig.partyMembers"></th>
          <th data-i18n="screen.col.stationsMeeting"></th><th data-i18n="fig.issuesOpen"></th><th data-i18n="fig.issuesOverdue"></th>
        </tr></thead>
        <tbody></tbody>
      </table>`, `<span class="badge" data-badge="page" hidden></span>`)}
    ${trendPanel()}
    ${tickerPanel()}
  </main>`;
}

// ---- charts (SVG: crisp at any scale of the stage) ----

const charts = new Set();
function chart(name) {
  const el = $(`[data-chart="${name}"]`);
  const c = echarts.init(el, null, { renderer: 'svg' });
  charts.add(c);
  return c;
}

const axisText = { color: COLORS.muted, fontSize: 16 };
const FONT = getComputedStyle(document.body).fontFamily;

function gaugeOption(value, target) {
  const geometry = { type: 'gauge', startAngle: 200, endAngle: -20, min: 0, max: 100, radius: '86%', center: ['50%', '66%'] };
  const series = [{
    ...geometry,
    progress: {
      show: value != null, width: 24, roundCap: true,
      itemStyle: {
        color: target != null && value != null && value < target
          ? new echarts.graphic.LinearGradient(0, 0, 1, 0, [{ offset: 0, color: COLORS.redDeep }, { offset: 1, color: COLORS.red }])
          : new echarts.graphic.LinearGradient(0, 0, 1, 0, [{ offset: 0, color: COLORS.goldDeep }, { offset: 1, color: COLORS.gold }]),
      },
    },
    axisLine: { roundCap: true, lineStyle: { width: 24, color: [[1, COLORS.track]] } },
    axisTick: { show: false },
    splitLine: { show: true, distance: -40, length: 8, lineStyle: { color: COLORS.muted, width: 2 } },
    axisLabel: { distance: -36, color: COLORS.muted, fontSize: 15, formatter: v => (v % 20 === 0 ? `${v}` : '') },
    splitNumber: 10,
    pointer: { show: false },
    anchor: { show: false },
    title: { show: false },
    detail: { show: false },
    data: [{ value: value == null ? 0 : +(value * 100).toFixed(2) }],
  }];
  if (target != null) {
    series.push({
      ...geometry, z: 5, animation: false,
      axisLine: { show: false }, axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false },
      progress: { show: false }, anchor: { show: false }, title: { show: false }, detail: { show: false },
      // A gold mark across the ring at the target: a triangle outside it and a stem through it.
      pointer: {
        show: true, icon: 'path://M0,0 L20,0 L12,12 L12,40 L8,40 L8,12 Z', keepAspect: false,
        width: 18, length: '36%', offsetCenter: [0, '-76%'], itemStyle: { color: COLORS.gold },
      },
      data: [{ value: target * 100 }],
    });
  }
  return { animationDurationUpdate: 700, textStyle: { fontFamily: FONT }, series };
}

/** A horizontal bar ranking, best on top. items: [{ name, value (fraction), text, bad }]; a long list shows its ends. */
function rankingOption(items, target) {
  let shown = items;
  if (items.length > LIMITS.rankingBars) {
    const half = LIMITS.rankingBars / 2;
    shown = [...items.slice(0, half), { name: '⋯', value: null, text: withN('screen.rank.more', items.length - 2 * half) }, ...items.slice(-half)];
  }
  const barWidth = Math.max(10, Math.min(28, Math.floor(300 / Math.max(shown.length, 1))));
  return {
    animationDurationUpdate: 600,
    textStyle: { fontFamily: FONT },
    grid: { left: 12, right: 190, top: 10, bottom: target == null ? 8 : 30, containLabel: true },
    // Up to a round figure above the best (and the target), so that low rates still show as bars that can be told apart.
    xAxis: {
      type: 'value', min: 0, max: v => Math.min(100, Math.ceil(Math.max(v.max, (target ?? 0) * 100) / 10) * 10 + 10),
      axisLabel: { show: false }, splitLine: { lineStyle: { color: COLORS.line } },
    },
    yAxis: {
      type: 'category', inverse: true, data: shown.map(i => i.name),
      axisLine: { show: false }, axisTick: { show: false },
      axisLabel: { ...axisText, color: COLORS.text, fontSize: 18, width: 220, overflow: 'truncate' },
    },
    series: [{
      // The same series id every time, so that an update moves the bars rather than drawing them anew.
      id: 'ranking', type: 'bar', barWidth, showBackground: true, backgroundStyle: { color: 'rgba(255,255,255,.04)', borderRadius: 4 },
      data: shown.map(i => ({
        value: i.value == null ? '-' : +(i.value * 100).toFixed(2),
        itemStyle: {
          borderRadius: [0, 4, 4, 0],
          color: new echarts.graphic.LinearGradient(0, 0, 1, 0, i.bad
            ? [{ offset: 0, color: COLORS.redDeep }, { offset: 1, color: COLORS.red }]
            : [{ offset: 0, color: COLORS.goldDeep }, { offset: 1, color: COLORS.gold }]),
        },
      })),
      label: {
        show: true, position: 'right', fontSize: 16, color: COLORS.text,
        formatter: p => shown[p.dataIndex]?.text ?? '',
      },
      markLine: target == null ? undefined : {
        silent: true, symbol: 'none', animation: false,
        lineStyle: { color: COLORS.gold, type: 'dashed', width: 2 },
        label: { color: COLORS.gold, fontSize: 15, formatter: `${figLabel('fig.linkageTarget')} ${percent(target, 0)}`, position: 'end' },
        data: [{ xAxis: target * 100 }],
      },
    }],
  };
}

// ---- trend and ticker: bounded memories ----

/**
 * Points [time, ...values] (the kept past, then what the screen saw), never more than `max`: points are at least `spacing` apart (a
 * newer value replaces the latest point until then), and when full, every other point goes and the spacing doubles.
 */
class Trend {
  constructor(max, spacing) { this.max = max; this.spacing = spacing; this.points = []; }
  add(time, values) {
    const p = this.points;
    if (p.length >= 2 && time - p[p.length - 2][0] < this.spacing) p[p.length - 1] = [time, ...values];
    else p.push([time, ...values]);
    if (p.length > this.max) {
      this.points = p.filter((_, i) => i % 2 === 0 || i === p.length - 1);
      this.spacing *= 2;
    }
  }
}

class Ticker {
  constructor(max) { this.max = max; this.entries = []; }
  add(entry) {
    this.entries.unshift(entry);
    if (this.entries.length > this.max) this.entries.length = this.max;
  }
}

const trend = new Trend(LIMITS.trend, TREND_SPACING_MS);
/** The latest figures of the trend, which a quiet screen repeats each minute so that its lines reach the present. */
let trendValues = null;
let drawTrend = () => {};
let drawMap = () => {};
const ticker = new Ticker(LIMITS.ticker);

/** Issues raised and resolved (and newly covered enterprises) between two summaries of one county. */
function tickerEntries(previous, current, where) {
  if (!previous || !current) return;
  const at = Date.now();
  const up = (a, b) => Math.max(0, (b ?? 0) - (a ?? 0));
  const raised = up(previous.issues?.raised, current.issues?.raised);
  const resolved = up(previous.issues?.resolved, current.issues?.resolved);
  const covered = up(previous.orgCovered, current.orgCovered);
  if (raised) ticker.add({ at, kind: 'raised', n: raised, where });
  if (resolved) ticker.add({ at, kind: 'resolved', n: resolved, where });
  if (covered) ticker.add({ at, kind: 'covered', n: covered, where });
  const honoured = up(previous.honours?.total, current.honours?.total);
  if (honoured) ticker.add({ at, kind: 'honoured', n: honoured, where });
  const joined = up(previous.development?.newProbationaryThisYear, current.development?.newProbationaryThisYear);
  if (joined) ticker.add({ at, kind: 'joined', n: joined, where });
}

/** The honours strip: each kind the county holds with its count, in the catalogue's order of kinds. */
function renderHonours(s) {
  const box = $('#honours');
  if (!box) return;
  const byKind = s.honours?.byKind ?? {};
  const parts = Object.entries(byKind).filter(([, n]) => n > 0)
    .map(([kind, n]) => `${t(`ws.honourKind.${kind}`)} ${integer(n)}`);
  box.hidden = parts.length === 0;
  box.dataset.total = String(s.honours?.total ?? 0);
  $('#honours-line').textContent = parts.join('　·　');
}

/** A county's own tiles (countyTiles). */
function renderCountyTiles(s) {
  const life = s.orgLife ?? {};
  animate('orgLife', life.rate ?? 0, percentOf);
  setText('orgLife-ratio', ratio(life.compliant, life.organisations));
  setText('orgLife-month', life.month ?? '—');
  const d = s.development ?? {};
  animate('newProbationary', d.newProbationaryThisYear);
  setText('newFull', integer(d.newFullThisYear));
  setText('activists', integer(d.activists));
  setText('candidates', integer(d.candidates));
  const overdue = d.overdue ?? 0;
  setText('developmentOverdue', integer(overdue));
  stage.querySelectorAll('[data-warn="developmentOverdue"]').forEach(el => { el.hidden = overdue === 0; });
}

const clockTime = ms => new Date(ms).toLocaleTimeString('zh-CN', { hour12: false });

function renderTicker() {
  const list = $('#ticker');
  list.replaceChildren(...ticker.entries.map(e => {
    const li = document.createElement('li');
    li.dataset.kind = e.kind;
    const time = document.createElement('time');
    time.textContent = clockTime(e.at);
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = withN(`screen.ticker.${e.kind}`, e.n);
    li.append(time);
    if (e.where) {
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = e.where;
      li.append(where);
    }
    li.append(what);
    return li;
  }));
  $('[data-empty="ticker"]').hidden = ticker.entries.length > 0;
}

// ---- figures ----

/** The tiles, from a county summary or a province's totals. */
function renderTiles(s) {
  animate('orgCoverage', s.orgCoverage, percentOf);
  setText('orgCoverage-ratio', ratio(s.orgCovered, s.base));
  setText('standaloneRate', `${percent(s.standaloneRate)} (${ratio(s.standalone, s.base)})`);
  animate('workCoverage', s.workCoverage, percentOf);
  setText('workCoverage-ratio', ratio(s.workCovered, s.base));
  // A county's organisations are a register with figures by kind and host; its total is the count shown.
  setText('organisations', integer(typeof s.organisations === 'object' ? s.organisations?.total : s.organisations));
  animate('partyMembers', s.partyMembers);
  setText('partyMembers-ratio', ratio(s.partyMembers, s.employees));
  setText('membersShare', percent(s.membersShare));
  animate('stations', s.stations);
  setText('stations-ratio', ratio(s.stationsMeetingTarget, s.stations));
  setText('groups', integer(s.groups));
  const ins = s.instructors ?? {};
  const total = ins.total ?? 0;
  animate('instructors', total);
  setText('instructors-ratio', ratio(ins.fullTime, total));
  setText('instructors-partTime', integer(ins.partTime));
  const below = ins.groupsBelowStrength ?? 0;
  setText('groupsBelow', integer(below));
  stage.querySelectorAll('[data-warn="groupsBelow"]').forEach(el => { el.hidden = below === 0; });
  const is = s.issues ?? {};
  animate('issuesOpen', is.open);
  animate('issuesResolved', is.resolved);
  animate('issuesOverdue', is.overdue);
  setText('issuesEscalated', integer(is.escalated));
  setText('resolutionRate', percent(is.resolutionRate));
  setText('issues-ratio', ratio(is.resolved, is.raised));
}

function renderHeader(name, asOf, seq) {
  setText('place', name);
  setText('asOf', asOf ? clockTime(Date.parse(asOf)) : '—');
  stage.dataset.seq = String(seq ?? '');
  document.title = `${name} · ${t(isRegion ? regionKey('page.provinceScreen') : 'page.countyScreen')}`;
}

function renderWho() {
  $('#scope-who').textContent = `${t('role.' + session.role)} · ${session.scope}`;
}

// ---- the county screen ----

function countyScreen() {
  const linkageGauge = chart('linkageGauge');
  const orgGauge = chart('orgGauge');
  const stations = chart('stations');
  const trendChart = chart('trend');
  let previous = null;
  drawTrend = () => trendChart.setOption(trendOption([
    ['fig.orgCoverage', COLORS.gold], ['fig.workCoverage', COLORS.blue], ['fig.linkage', COLORS.green],
  ]));
  drawMap = countyMap(chart('map'));

  const overallLinkage = s => {
    const list = s.stationLinkage ?? [];
    // The county-wide linkage is the summary's; without stations there is none to show.
    const l = s.linkage ?? {};
    return { list, area: l.area, linked: l.linked, rate: list.length > 0 ? l.rate ?? null : null };
  };

  function render(s, fresh) {
    renderHeader(s.prefectureName ? `${s.prefectureName} · ${s.name}` : s.name, s.asOf, s.seq);
    renderTiles(s);
    renderCountyTiles(s);
    renderHonours(s);

    const target = s.linkage?.target ?? s.linkageTarget ?? 0.7;
    const link = overallLinkage(s);
    const hasStations = link.list.length > 0;
    linkageGauge.setOption(gaugeOption(link.rate, target));
    if (link.rate == null) setText('linkage', '—'); else animate('linkage', link.rate, percentOf);
    setText('linkage-ratio', ratio(link.linked, link.area));
    setText('linkageTarget', percent(target, 0));
    $('[data-empty="linkageGauge"]').hidden = hasStations;
    $('[data-when="stations"]').hidden = !hasStations;

    orgGauge.setOption(gaugeOption(s.orgCoverage, null));
    animate('orgGauge', s.orgCoverage, percentOf);
    setText('orgGauge-ratio', ratio(s.orgCovered, s.base));

    const ranked = [...link.list].sort((a, b) => b.linkage - a.linkage || a.name.localeCompare(b.name));
    const below = ranked.filter(x => !x.meetsTarget).length;
    setText('stationsBelow', integer(below));
    $('[data-badge="stationsBelow"]').hidden = below === 0;
    $('[data-chart="stations"]').style.visibility = hasStations ? 'visible' : 'hidden';
    $('[data-empty="stations"]').hidden = hasStations;
    $('[data-chart="stations"]').dataset.order = ranked.map(x => x.stationId).join(',');
    if (hasStations) {
      stations.setOption(rankingOption(ranked.map(x => ({
        name: x.name, value: x.linkage, bad: !x.meetsTarget,
        text: `${percent(x.linkage)}  ${ratio(x.linked, x.areaEnterprises)}`,
      })), target));
    }

    if (fresh) {
      tickerEntries(previous, s, '');
      trendValues = [s.orgCoverage, s.workCoverage, link.rate, s.issues?.open ?? 0];
      trend.add(Date.now(), trendValues);
      previous = s;
    }
    drawTrend();
    renderTicker();
    drawMap(fresh);
  }
  return render;
}

const MAP_THEME = {
  background: 'transparent', grid: 'rgba(142, 163, 199, .06)', text: COLORS.text, font: FONT,
  coverage: { organised: COLORS.red, workCovered: COLORS.gold, neither: '#7d8fb0' },
  station: COLORS.blue, circle: COLORS.green, circleFill: 'rgba(76, 195, 138, .14)', site: '#c77dff', pointSize: 5, fontSize: 14,
};

/**
 * The county's map panel (GET …/map): fetched at the start and again with a live summary at most every minute. The
 * map is for whoever watches the county, its displays among them; a token refused it all the same gets a note, not a
 * broken panel.
 * Answers draw(fresh), which redraws (a language switch) and, for a fresh summary, fetches again when due.
 */
function countyMap(mapChart) {
  const box = $('[data-chart="map"]');
  const note = $('[data-empty="map"]');
  let layers = null;
  let fetchedAt = 0;
  let refused = false;
  let fetching = false;

  function say(key) {
    note.dataset.i18n = key;
    note.textContent = t(key);
    note.hidden = false;
  }

  function draw() {
    if (!layers) return;
    mapChart.setOption(mapOption(layers, { width: box.clientWidth, height: box.clientHeight, theme: MAP_THEME }), { notMerge: true });
    box.dataset.points = String(enterpriseCount(layers));
    box.dataset.stations = String(layers.stations.length);
    box.dataset.circles = String(layers.areas.length);
    box.dataset.ready = 'true';
    setText('unplaced', integer(layers.unplaced));
    $('#map-unplaced').hidden = false;
  }

  async function fetchMap() {
    if (fetching || refused) return;
    fetching = true;
    fetchedAt = Date.now();
    try {
      const r = await api(`/api/counties/${code}/map`);
      if (r.ok) {
        layers = mapLayers(r.data);
        note.hidden = true;
        draw();
      } else if (!layers) {
        refused = r.status === 401 || r.status === 403;
        box.dataset.status = String(r.status);
        if (refused) box.dataset.state = 'refused';
        say(refused ? 'map.forbidden' : 'map.error');
      }
    } finally {
      fetching = false;
    }
  }

  fetchMap();
  return fresh => {
    if (fresh && Date.now() - fetchedAt >= MAP_REFRESH_MS) fetchMap();
    else draw();
  };
}

// ---- the province screen ----

function provinceScreen() {
  // The counties' map: drawn once its outlines have come, with the latest rows the screen has.
  let lastRows = [];
  let map = null;
  regionMap($('[data-chart="regionMap"]'), code, COLORS).then(m => { map = m; map.update(lastRows); });
  const rankCoverage = chart('rankCoverage');
  const rankResolution = chart('rankResolution');
  const trendChart = chart('trend');
  const previous = new Map();
  drawTrend = () => trendChart.setOption(trendOption([
    ['fig.orgCoverage', COLORS.gold], ['fig.workCoverage', COLORS.blue], ['fig.resolutionRate', COLORS.green],
  ]));
  let page = 0;
  let pages = 1;

  function pageTable() {
    const rows = [...stage.querySelectorAll('#county-table tbody tr')];
    pages = Math.max(1, Math.ceil(rows.length / LIMITS.tableRows));
    page %= pages;
    rows.forEach((tr, i) => { tr.hidden = Math.floor(i / LIMITS.tableRows) !== page; });
    const badge = $('[data-badge="page"]');
    badge.hidden = pages < 2;
    badge.textContent = `${page + 1} / ${pages}`;
  }
  setInterval(() => { if (pages > 1) { page = (page + 1) % pages; pageTable(); } }, TABLE_PAGE_MS);

  function render(c, fresh) {
    const rows = c.rows ?? [];
    const totals = c.totals ?? {};
    renderHeader(c.name, c.asOf, c.seq);
    stage.querySelector('.counties-note').hidden = false;
    setText('counties-text', withN('screen.countiesCount', rows.length));
    renderTiles(totals);
    lastRows = rows;
    map?.update(rows);

    const byCoverage = [...rows].sort((a, b) => b.orgCoverage - a.orgCoverage || a.county.localeCompare(b.county));
    const byResolution = [...rows].sort((a, b) => (b.issues?.resolutionRate ?? 0) - (a.issues?.resolutionRate ?? 0) || a.county.localeCompare(b.county));
    $('[data-chart="rankCoverage"]').dataset.order = byCoverage.map(r => r.county).join(',');
    $('[data-chart="rankResolution"]').dataset.order = byResolution.map(r => r.county).join(',');
    rankCoverage.setOption(rankingOption(byCoverage.map(r => ({
      name: r.name, value: r.orgCoverage, bad: r.orgCoverage < (totals.orgCoverage ?? 0),
      text: `${percent(r.orgCoverage)}  ${ratio(r.orgCovered, r.base)}`,
    }))));
    rankResolution.setOption(rankingOption(byResolution.map(r => ({
      name: r.name, value: r.issues?.resolutionRate ?? 0, bad: (r.issues?.resolutionRate ?? 0) < (totals.issues?.resolutionRate ?? 0),
      text: `${percent(r.issues?.resolutionRate)}  ${ratio(r.issues?.resolved, r.issues?.raised)}`,
    }))));

    const tbody = stage.querySelector('#county-table tbody');
    tbody.replaceChildren(...byCoverage.map((r, i) => {
      const tr = document.createElement('tr');
      tr.dataset.county = r.county;
      const cells = [
        String(i + 1), r.name, `${percent(r.orgCoverage)} · ${ratio(r.orgCovered, r.base)}`, percent(r.workCoverage),
        integer(r.partyMembers), ratio(r.stationsMeetingTarget, r.stations), integer(r.issues?.open), integer(r.issues?.overdue),
      ];
      cells.forEach((text, k) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (k === 7 && (r.issues?.overdue ?? 0) > 0) td.className = 'bad';
        if (k === 0 && i < 3) td.className = 'top';
        tr.append(td);
      });
      return tr;
    }));
    pageTable();

    if (fresh) {
      const seen = new Set();
      for (const r of rows) {
        seen.add(r.county);
        tickerEntries(previous.get(r.county), r, r.name);
        previous.set(r.county, r);
      }
      for (const county of [...previous.keys()]) if (!seen.has(county)) previous.delete(county);
      const ts = totals.issues ?? {};
      trendValues = [totals.orgCoverage, totals.workCoverage, ts.resolutionRate, ts.open ?? 0];
      trend.add(Date.now(), trendValues);
    }
    drawTrend();
    renderTicker();
  }
  return render;
}

/** The main rates (left axis, %) and the open issues (right axis): the last 30 days kept, then what the screen saw live. */
function trendOption(rates) {
  const first = trend.points[0]?.[0] ?? Date.now();
  const latest = trend.points.at(-1)?.[0] ?? first;
  // The axis runs from the screen's opening; at first it spans 10 minutes, so a few points do not fill it with one tick.
  const max = Math.max(latest, first + 10 * 60 * 1000);
  const days = max - first > 24 * 3600 * 1000;
  const two = n => String(n).padStart(2, '0');
  const tickLabel = v => {
    const d = new Date(v);
    return `${days ? `${two(d.getMonth() + 1)}-${two(d.getDate())} ` : ''}${two(d.getHours())}:${two(d.getMinutes())}`;
  };
  const symbols = trend.points.length < 3;
  const pct = v => (v == null ? null : +(v * 100).toFixed(2));
  const line = (name, color, index) => ({
    name, type: 'line', showSymbol: symbols, symbolSize: 8, smooth: false, yAxisIndex: 0,
    lineStyle: { width: 3, color }, itemStyle: { color },
    data: trend.points.map(p => [p[0], pct(p[index])]),
  });
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    legend: { top: 0, right: 8, textStyle: { color: COLORS.text, fontSize: 16 }, itemWidth: 22, itemHeight: 10 },
    grid: { left: 16, right: 16, top: 44, bottom: 8, containLabel: true },
    xAxis: {
      type: 'time', min: first, max, axisLabel: { ...axisText, hideOverlap: true, formatter: tickLabel },
      axisLine: { lineStyle: { color: COLORS.line } }, splitLine: { show: false },
    },
    yAxis: [
      { type: 'value', min: 0, max: v => Math.min(100, Math.ceil((v.max + 5) / 10) * 10), axisLabel: { ...axisText, formatter: '{value}%' },
        splitLine: { lineStyle: { color: COLORS.line } } },
      { type: 'value', min: 0, minInterval: 1, axisLabel: axisText, splitLine: { show: false } },
    ],
    series: [
      ...rates.map(([key, color], i) => line(figLabel(key), color, i + 1)),
      {
        name: figLabel('fig.issuesOpen'), type: 'line', step: 'end', showSymbol: symbols, symbolSize: 8, yAxisIndex: 1,
        lineStyle: { width: 2, color: COLORS.red, type: 'dashed' }, itemStyle: { color: COLORS.red },
        data: trend.points.map(p => [p[0], p[4]]),
      },
    ],
  };
}

// ---- live ----

stage.innerHTML = isRegion ? provinceLayout() : countyLayout();
const render = isRegion ? provinceScreen() : countyScreen();
let last = null;
let liveState = 'connecting';
let forbidden = false;

function onSummary(summary) {
  last = summary;
  render(summary, true);
  stage.dataset.ready = 'true';
}

function onState(state) {
  if (forbidden) return;
  liveState = state;
  if (state === 'forbidden') {
    forbidden = true;
    showBanner('disconnected');
    document.getElementById('live-banner').textContent = t('error.forbidden');
    stage.dataset.state = 'forbidden';
  } else {
    showBanner(state);
  }
  $('#live-state').dataset.state = state;
  $('#live-text').textContent = liveLabel();
}

function liveLabel() {
  return t({ connected: 'live.connected', connecting: 'screen.connecting', forbidden: 'error.forbidden', expired: 'live.expired' }[liveState] ?? 'screen.offline');
}

watch(scope, onSummary, onState);

/**
 * The trend's past: the last 30 days' ends as the county's (or the region's totals') snapshots keep them, in front of
 * the points the screen gathers live, so that a screen opened this morning already shows where the figures went.
 */
async function seedTrend() {
  const keys = isRegion ? ['orgCoverage', 'workCoverage', 'resolutionRate', 'issuesOpen'] : ['orgCoverage', 'workCoverage', 'linkage', 'issuesOpen'];
  const from = new Date(Date.now() + 8 * 3_600_000 - 29 * 86_400_000).toISOString().slice(0, 10);
  const base = `/api/${kind === 'county' ? 'counties' : kind === 'province' ? 'provinces' : 'prefectures'}/${code}`;
  const answers = await Promise.all(keys.map(k => api(`${base}/trend?figure=${k}&step=day&from=${from}`)));
  if (answers.some(r => !r.ok)) return;
  const series = answers.map(r => (isRegion ? r.data.totals : r.data.points) ?? []);
  // Each day's end in China's time; today's point is the live one the screen has already.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const days = series[0].map(p => p.date).filter(d => d < today);
  const valueOf = (i, day) => series[i].find(p => p.date === day)?.value ?? null;
  const past = days.map(day => [Date.parse(`${day}T23:59:59+08:00`), ...keys.map((_, i) => valueOf(i, day))]);
  if (!past.length) return;
  trend.points = [...past, ...trend.points.filter(p => p[0] > past.at(-1)[0])];
  stage.dataset.trendPast = String(past.length);
  drawTrend();
}
seedTrend();

function renderStatic() {
  translateStage();
  renderWho();
  $('#live-text').textContent = liveLabel();
}

$('#lang-toggle').addEventListener('click', () => toggleLang(() => {
  renderStatic();
  if (last) render(last, false);
  else renderTicker();
  if (liveState !== 'connected' && !forbidden) showBanner(liveState);
}));

setInterval(() => {
  if (!trendValues) return;
  trend.add(Date.now(), trendValues);
  drawTrend();
}, TREND_REPEAT_MS);

const tick = () => { $('#clock').textContent = new Date().toLocaleString('zh-CN', { hour12: false }); };
setInterval(tick, 1000);
tick();
renderStatic();
renderTicker();
addEventListener('resize', fit);
fit();
