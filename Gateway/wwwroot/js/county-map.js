// The workspace's map tab: the county's enterprises by coverage, its stations and activity circles (GET …/map), and
// for the county's committee a station planner (POST …/plans/stations) whose proposed sites join the map beside
// what today's stations link within the same distance.
import { api } from './api.js';
import { t } from './i18n.js';
import { integer, percent, ratio } from './numbers.js';
import { el, problemText } from './county-util.js';
import { showErrors, clearErrors } from './county-form.js';
import { mapLayers, mapOption, enterpriseCount, siteItems } from './map.js';

const THEME = {
  background: '#ffffff', grid: '#f4f1ec', text: '#1f2328', font: getComputedStyle(document.body).fontFamily,
  coverage: { organised: '#c62828', workCovered: '#f0a020', neither: '#8a94a3' },
  station: '#1c3f7a', circle: '#2e7d32', circleFill: 'rgba(46, 125, 50, .10)', site: '#7b1fa2', pointSize: 6, fontSize: 12,
};

export class MapView {
  /** ctx: { county, planner (whether this token may plan stations) } */
  constructor(ctx) {
    this.ctx = ctx;
    this.key = 'map';
    this.layers = null;
    this.plan = null;
    this.loading = false;
    this.loadedSeq = null;
    this.root = el('section', { className: 'register map-tab', id: 'panel-map', role: 'tabpanel', 'aria-labelledby': 'tab-map', dataset: { register: 'map' }, hidden: true });
    this.status = el('p', { className: 'table-status', id: 'map-status', role: 'status' });
    this.box = el('div', { className: 'county-map', id: 'county-map', dataset: { ready: 'false', points: '0' } });
    this.unplaced = el('p', { className: 'map-note muted', id: 'map-unplaced' });
    this.root.append(this.status, this.box, this.unplaced);
    if (ctx.planner) this.root.append(this.plannerForm());
    this.chart = null;
    new ResizeObserver(() => { if (this.chart && !this.root.hidden) { this.chart.resize(); this.draw(); } }).observe(this.box);
  }

  plannerForm() {
    const field = (name, label, value, attrs) => el('div', { className: 'field' },
      el('label', { for: `plan-${name}`, i18n: label }),
      el('input', { id: `plan-${name}`, name, type: 'number', value: String(value), required: true, ...attrs }),
      el('p', { className: 'field-error', id: `err-plan-${name}`, dataset: { errorFor: name }, hidden: true, role: 'alert' }));
    this.general = el('div', { className: 'form-error', id: 'plan-error', role: 'alert', hidden: true, tabindex: '-1' });
    this.submitButton = el('button', { type: 'submit', className: 'primary', id: 'plan-submit' }, el('span', { i18n: 'map.plan.run' }));
    this.form = el('form', { id: 'plan-form', className: 'plan-form', novalidate: true, on: { submit: e => { e.preventDefault(); this.runPlan(); } } },
      this.general,
      el('div', { className: 'fields' },
        field('stations', 'map.plan.stations', 4, { min: '1', step: '1' }),
        field('maxKm', 'map.plan.maxKm', 3, { min: '0', step: '0.5' }),
        el('div', { className: 'field field-submit' }, this.submitButton)));
    this.result = el('div', { className: 'plan-result', id: 'plan-result', hidden: true });
    return el('section', { className: 'planner', id: 'planner', 'aria-labelledby': 'planner-title' },
      el('h3', { id: 'planner-title', i18n: 'map.plan.title' }),
      el('p', { className: 'muted hint', i18n: 'map.plan.hint' }),
      this.form, this.result);
  }

  /** Whether the map should be fetched again: never loaded, or the county's figures moved since. */
  stale(seq) {
    return !this.layers || (seq !== undefined && seq !== this.loadedSeq);
  }

  async load(seq) {
    if (this.loading) return;
    this.loading = true;
    this.status.textContent = t('map.loading');
    this.status.classList.remove('error');
    try {
      const r = await api(`/api/counties/${this.ctx.county}/map`);
      if (!r.ok) {
        this.status.textContent = `${t('map.error')}: ${problemText(r)}`;
        this.status.classList.add('error');
        this.box.dataset.status = String(r.status);
        return;
      }
      this.layers = mapLayers(r.data);
      this.loadedSeq = seq;
      this.status.textContent = '';
      this.draw();
    } finally {
      this.loading = false;
    }
  }

  /** Draws (again) what is loaded, at the container's size: after loading, a plan, a resize or a language switch. */
  draw() {
    if (!this.layers || this.root.hidden) return;
    this.chart ??= echarts.init(this.box, null, { renderer: 'svg' });
    const sites = siteItems(this.plan);
    this.chart.setOption(mapOption(this.layers, { width: this.box.clientWidth, height: this.box.clientHeight, theme: THEME, sites }), { notMerge: true });
    this.box.dataset.points = String(enterpriseCount(this.layers));
    this.box.dataset.stations = String(this.layers.stations.length);
    this.box.dataset.circles = String(this.layers.areas.length);
    this.box.dataset.proposed = String(sites.length);
    this.box.dataset.ready = 'true';
    this.unplaced.replaceChildren(el('span', { text: `${t('map.unplaced')} ` }), el('b', { id: 'map-unplaced-count', text: integer(this.layers.unplaced) }));
  }

  async runPlan() {
    clearErrors(this.form, this.general);
    const value = name => this.form.elements[name].value.trim();
    // What is not a number goes as it is, so that the server names the field it refuses.
    const number = text => (text === '' || Number.isNaN(Number(text)) ? text : Number(text));
    this.submitButton.disabled = true;
    this.form.dataset.busy = 'true';
    try {
      const r = await api(`/api/counties/${this.ctx.county}/plans/stations`, { method: 'POST', body: { stations: number(value('stations')), maxKm: number(value('maxKm')) } });
      if (!r.ok) { showErrors(this.form, this.general, r); return; }
      this.plan = r.data;
      this.renderPlan();
      this.draw();
    } finally {
      this.submitButton.disabled = false;
      delete this.form.dataset.busy;
    }
  }

  renderPlan() {
    const p = this.plan;
    if (!p || !this.result) return;
    const today = p.today ?? {};
    const facts = [
      ['map.plan.proposed', `${percent(p.share)} (${ratio(p.linked, p.points)})`, 'share'],
      ['map.plan.today', `${percent(today.shareWithin)} (${ratio(today.linkedWithin, p.points)})`, 'todayShare'],
      ['map.plan.todayStations', `${integer(today.stations)} · ${t('map.plan.placed')} ${integer(today.placed)}`, 'todayStations'],
      ['map.plan.linkage', `${percent(today.linkageRate)} (${integer(today.linked)})`, 'linkage'],
      ['map.plan.exact', t(p.exact ? 'map.plan.exact.yes' : 'map.plan.exact.no'), 'exact'],
    ];
    this.result.hidden = false;
    this.result.dataset.beats = String(Boolean(p.beats));
    this.result.replaceChildren(
      el('h4', {}, `${t('map.plan.sites')} · ${integer(p.stations)} · ${p.maxKm} km`),
      el('ol', { className: 'plan-sites', id: 'plan-sites' }, ...(p.sites ?? []).map(s => el('li', { dataset: { creditCode: s.nearCreditCode } },
        el('b', { text: s.township ?? '—' }), ' · ', el('span', { text: s.name }), ' ',
        el('span', { className: 'muted', text: `${t('map.plan.links')} ${integer(s.links)}` })))),
      el('dl', { className: 'facts' }, ...facts.flatMap(([label, text, key]) => [el('dt', { i18n: label }), el('dd', { dataset: { figure: key }, text })])),
      p.beats ? el('p', { className: 'plan-beats', id: 'plan-beats', i18n: 'map.plan.beats' })
        : el('p', { className: 'plan-why', id: 'plan-why', text: `${t('map.plan.notBetter')} ${p.why ?? ''}` }));
  }

  /** After a language switch. */
  relabel() {
    this.renderPlan();
    this.draw();
  }
}
