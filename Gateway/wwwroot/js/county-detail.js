// The side panel: one register entry with its change history, or one issue with its steps and the actions that
// apply to it now.
import { api } from './api.js';
import { t, translate } from './i18n.js';
import { el, when, enumLabel, plain, problemText, toast } from './county-util.js';
import { showErrors, clearErrors, confirmDialog } from './county-form.js';
import { refs, MEETING_KINDS, RATINGS } from './county-registers.js';

const byDate = key => (a, b) => String(b[key]).localeCompare(String(a[key]));
const options = (prefix, values) => values.map(v => [v, enumLabel(prefix, v)]);

/** What an instructor's and a station's side panel lists of their activity, and the forms that record it (DESIGN.md's activity routes). */
const ACTIVITY = {
  organisation: {
    stationOf: o => o.stationId,
    lists: [
      { key: 'meetings', title: 'ws.meetings', newestFirst: byDate('date'), rowKind: m => m.kind,
        columns: [['ws.f.date', m => m.date], ['ws.f.meetingKind', m => enumLabel('meetingKind', m.kind)], ['ws.f.topic', m => m.topic],
          ['ws.f.attended', m => `${m.attended} / ${m.expected}`, 'num']] },
    ],
    forms: [
      // The county committee records them, and station staff for the organisations of their station (Actor.MayRecordFor).
      { id: 'meeting', list: 'meetings', route: 'meetings', label: 'ws.meeting.record', fields: [
        { name: 'date', label: 'ws.f.date', type: 'date' },
        { name: 'kind', label: 'ws.f.meetingKind', options: options('meetingKind', MEETING_KINDS) },
        { name: 'expected', label: 'ws.f.expected', type: 'number', min: 0 },
        { name: 'attended', label: 'ws.f.attended', type: 'number', min: 0 },
        { name: 'topic', label: 'ws.f.topic', maxlength: 200 }] },
    ],
  },
  instructor: {
    stationOf: i => i.stationId,
    lists: [
      { key: 'visits', title: 'ws.visits', newestFirst: byDate('date'),
        columns: [['ws.f.date', v => v.date], ['ws.f.enterprise', v => v.creditCode, 'mono'], ['ws.f.note', v => v.note]] },
      { key: 'assessments', title: 'ws.assessments', newestFirst: byDate('period'),
        columns: [['ws.f.period', a => a.period], ['ws.f.assessmentKind', a => enumLabel('assessmentKind', a.kind)],
          ['ws.f.score', a => a.score, 'num'], ['ws.f.rating', a => enumLabel('rating', a.rating)]] },
    ],
    forms: [
      { id: 'visit', list: 'visits', route: 'visits', label: 'ws.visit.record', fields: [
        { name: 'date', label: 'ws.f.date', type: 'date' },
        { name: 'creditCode', label: 'ws.f.enterprise', maxlength: 18 },
        { name: 'note', label: 'ws.f.note', maxlength: 500 }] },
      // Only the committee assesses; an annual assessment sets the rating the county counts.
      { id: 'assessment', list: 'assessments', route: 'assessments', label: 'ws.assessment.record', committeeOnly: true, fields: [
        { name: 'kind', label: 'ws.f.assessmentKind', options: options('assessmentKind', ['daily', 'annual', 'democratic']) },
        { name: 'period', label: 'ws.f.period', maxlength: 7 },
        { name: 'score', label: 'ws.f.score', type: 'number', min: 0, max: 100 },
        { name: 'rating', label: 'ws.f.rating', options: options('rating', RATINGS) }] },
    ],
  },
  station: {
    stationOf: s => s.stationId,
    lists: [
      { key: 'meetings', title: 'ws.stationMeetings', newestFirst: byDate('date'),
        columns: [['ws.f.date', m => m.date], ['ws.f.meetingKind', m => enumLabel('stationMeetingKind', m.kind)], ['ws.f.topic', m => m.topic],
          ['ws.f.attendees', m => m.attendees, 'num']] },
      { key: 'reports', title: 'ws.stationReports', newestFirst: byDate('month'),
        columns: [['ws.f.month', r => r.month], ['ws.f.revision', r => r.revision, 'num'], ['ws.f.summaryText', r => r.summary],
          ['ws.f.issuesForCounty', r => (r.issuesForCounty ?? []).join('、')]] },
    ],
    forms: [
      { id: 'station-meeting', list: 'meetings', route: 'meetings', label: 'ws.stationMeeting.record', fields: [
        { name: 'date', label: 'ws.f.date', type: 'date' },
        { name: 'kind', label: 'ws.f.meetingKind', options: options('stationMeetingKind', ['staffMeeting', 'threeMeetingsOneLesson', 'themedPartyDay']) },
        { name: 'attendees', label: 'ws.f.attendees', type: 'number', min: 0 },
        { name: 'topic', label: 'ws.f.topic', maxlength: 200 }] },
      { id: 'station-report', list: 'reports', route: 'reports', label: 'ws.stationReport.record', fields: [
        { name: 'month', label: 'ws.f.month', type: 'month' },
        { name: 'summary', label: 'ws.f.summaryText', maxlength: 2000 },
        { name: 'issuesForCounty', label: 'ws.f.issuesForCounty', optional: true,
          read: text => text.split(/[、,，;；\s]+/).map(x => x.trim()).filter(Boolean) }] },
    ],
  },
};

export class DetailPanel {
  /** ctx: { county, claims, registers, canWrite(def), onEdit(key, item), onChanged(key, id, item) } */
  constructor(ctx) {
    this.ctx = ctx;
    this.root = el('aside', { id: 'detail', className: 'detail', hidden: true, 'aria-labelledby': 'detail-title', tabindex: '-1' });
    this.title = el('h2', { id: 'detail-title' });
    this.body = el('div', { className: 'detail-body' });
    this.root.append(
      el('header', {}, this.title,
        el('button', { type: 'button', className: 'close', id: 'detail-close', dataset: { i18nTitle: 'ws.close' }, title: t('ws.close'), 'aria-label': t('ws.close'), on: { click: () => this.close() } }, '×')),
      this.body);
    document.addEventListener('keydown', e => { if (e.key === 'Escape' && !this.root.hidden && !document.querySelector('dialog[open]')) this.close(); });
    document.body.append(this.root);
  }

  close() {
    this.root.hidden = true;
    this.current = null;
    document.body.classList.remove('with-detail');
    this.ctx.onClosed?.();
  }

  async show(key, id) {
    this.current = { key, id };
    this.root.hidden = false;
    this.root.dataset.register = key;
    this.root.dataset.id = id;
    document.body.classList.add('with-detail');
    this.title.textContent = `${capital(t(this.ctx.registers[key].noun))} ${id}`;
    this.body.replaceChildren(el('p', { className: 'muted', i18n: 'ws.loading' }));
    const def = this.ctx.registers[key];
    const base = `/api/counties/${this.ctx.county}/${def.route}/${encodeURIComponent(id)}`;
    const [entry, history, activity] = await Promise.all([
      api(base), def.issues ? Promise.resolve(null) : api(`${base}/history`), def.activity ? api(`${base}/activity`) : Promise.resolve(null)]);
    if (this.current?.key !== key || this.current?.id !== id) return;
    if (!entry.ok) {
      this.body.replaceChildren(el('p', { className: 'form-error', text: problemText(entry) }));
      return;
    }
    this.item = entry.data;
    this.history = history?.ok ? history.data : null;
    this.historyError = history && !history.ok ? history : null;
    this.activity = activity?.ok ? activity.data : null;
    this.activityError = activity && !activity.ok ? activity : null;
    this.openForm = null;
    if (def.issues) await this.loadEnterprise();
    this.render();
    this.root.focus({ preventScroll: true });
  }

  async loadEnterprise() {
    const r = await api(`/api/counties/${this.ctx.county}/enterprises/${encodeURIComponent(this.item.creditCode)}`);
    this.enterprise = r.ok ? r.data : null;
  }

  /** Redraws what is open (after a language switch). */
  render() {
    if (!this.current || !this.item) return;
    const { key } = this.current;
    const def = this.ctx.registers[key];
    this.title.textContent = `${capital(t(def.noun))} ${this.current.id}`;
    translate(this.root);
    if (def.issues) this.renderIssue();
    else this.renderEntry(def);
  }

  renderEntry(def) {
    const item = this.item;
    const facts = el('dl', { className: 'facts', id: 'detail-facts' },
      def.summary(item).flatMap(([label, value]) => [el('dt', { i18n: label }), el('dd', { text: value === null || value === undefined || value === '' ? '—' : String(value) })]),
      el('dt', { i18n: 'ws.version' }), el('dd', { text: `${item.version} · ${when(item.updatedAt)}` }));
    const actions = el('div', { className: 'actions' });
    if (this.ctx.canChange(def, item)) {
      actions.append(
        el('button', { type: 'button', id: 'detail-edit', className: 'primary', on: { click: () => this.ctx.onEdit(this.current.key, this.item) } }, el('span', { i18n: 'ws.edit' })),
        el('button', { type: 'button', id: 'detail-delete', className: 'danger', on: { click: () => this.remove(def) } }, el('span', { i18n: 'ws.delete' })));
    }
    this.message = el('div', { className: 'form-error', id: 'detail-error', role: 'alert', hidden: true });
    const activity = [...(def.activity === 'organisation' ? this.organisationPlace() : []),
      ...(ACTIVITY[def.activity] ? this.activityParts(ACTIVITY[def.activity]) : [])];
    this.body.replaceChildren(actions, this.message, facts, ...activity, el('h3', { i18n: 'ws.history' }), this.historyList());
  }

  // ---- instructors' visits and assessments, stations' meetings and monthly reports ----

  /** Who may record for an entry of a station (Actor.MayRecordFor): the committee, or that station's staff; some only the committee. */
  mayRecordFor(station, committeeOnly) {
    const { claims, county } = this.ctx;
    if (claims.scope !== `county:${county}`) return false;
    return claims.role === 'county-admin' || (!committeeOnly && claims.role === 'station-staff' && !!claims.station && claims.station === station);
  }

  activityParts(spec) {
    if (this.activityError) return [el('p', { className: 'form-error', text: problemText(this.activityError) })];
    const id = this.item[this.ctx.registers[this.current.key].idField];
    return spec.lists.flatMap(list => {
      const form = spec.forms.find(f => f.list === list.key);
      const box = el('div', { className: 'meetings', id: `detail-${list.key}` });
      if (form && this.mayRecordFor(spec.stationOf(this.item), form.committeeOnly)) {
        const open = this.openForm === form.id;
        box.append(el('button', { type: 'button', id: `${form.id}-open`, 'aria-expanded': String(open),
          on: { click: () => { this.openForm = open ? null : form.id; this.render(); } } }, el('span', { i18n: form.label })));
        if (open) box.append(this.recordForm(form, `${this.ctx.registers[this.current.key].route}/${encodeURIComponent(id)}`));
      }
      const rows = [...(this.activity?.[list.key] ?? [])].sort(list.newestFirst);
      box.append(rows.length
        ? el('table', { className: 'grid meetings-table', id: `${list.key}-table` },
          el('thead', {}, el('tr', {}, list.columns.map(([label]) => el('th', { i18n: label })))),
          el('tbody', {}, rows.map(r => el('tr', { dataset: list.rowKind ? { kind: list.rowKind(r) } : {} }, list.columns.map(([, cell, cls]) => {
            const text = String(cell(r) ?? '');
            return el('td', { className: cls ?? 'clip', text, title: cls ? undefined : text });
          })))))
        : el('p', { className: 'muted', i18n: 'ws.meetings.none' }));
      return [el('h3', { i18n: list.title }), box];
    });
  }

  /** A form that posts one activity record and shows the server's refusals beside the inputs they name. */
  recordForm(spec, path) {
    const general = el('div', { className: 'form-error', id: `${spec.id}-error`, role: 'alert', hidden: true, tabindex: '-1' });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const input = f => {
      const attrs = { id: `${spec.id}-${f.name}`, name: f.name, 'aria-describedby': `err-${spec.id}-${f.name}`, required: !f.optional };
      if (f.options) return el('select', attrs, el('option', { value: '', text: t('ws.choose') }), f.options.map(([v, label]) => el('option', { value: v, text: label })));
      return el('input', { ...attrs, type: f.type ?? 'text', maxlength: f.maxlength, min: f.min, max: f.type === 'date' ? today : f.max,
        value: f.type === 'date' ? today : f.type === 'month' ? today.slice(0, 7) : undefined, step: f.type === 'number' ? 1 : undefined });
    };
    const form = el('form', {
      id: `${spec.id}-form`, className: 'action-form', novalidate: true,
      on: { submit: async e => {
        e.preventDefault();
        clearErrors(form, general);
        const v = Object.fromEntries(new FormData(form).entries());
        const body = Object.fromEntries(spec.fields.map(f => [f.name, f.read ? f.read(v[f.name] ?? '') : (v[f.name] ?? '').trim() === '' ? null
          : f.type === 'number' ? Number(v[f.name]) : v[f.name].trim()]));
        const missing = spec.fields.filter(f => !f.optional && body[f.name] === null).map(f => f.name);
        if (missing.length) { showErrors(form, general, { local: true, status: 400, problem: { errors: Object.fromEntries(missing.map(k => [k, [t('ws.required')]])) } }); return; }
        const r = await api(`/api/counties/${this.ctx.county}/${path}/${spec.route}`, { method: 'POST', body });
        if (!r.ok) { showErrors(form, general, r); return; }
        toast(t('ws.meeting.saved'));
        const activity = await api(`/api/counties/${this.ctx.county}/${path}/activity`);
        if (activity.ok) this.activity = activity.data;
        this.openForm = null;
        this.render();
      } },
    },
    general,
    el('div', { className: 'form-grid' }, spec.fields.map(f => el('div', { className: 'field', dataset: { field: f.name } },
      el('label', { for: `${spec.id}-${f.name}`, i18n: f.label }), input(f),
      el('p', { className: 'field-error', id: `err-${spec.id}-${f.name}`, dataset: { errorFor: f.name }, hidden: true, role: 'alert' })))),
    el('div', { className: 'actions' },
      el('button', { type: 'button', on: { click: () => { this.openForm = null; this.render(); } } }, el('span', { i18n: 'ws.cancel' })),
      el('button', { type: 'submit', className: 'primary', id: `${spec.id}-submit` }, el('span', { i18n: 'ws.save' }))));
    return form;
  }

  // ---- party organisations: where one sits in the tree (its organisational life is in ACTIVITY) ----

  organisationPlace() {
    const o = this.item;
    const chain = [];
    for (let at = o.parentId, seen = new Set(); at && !seen.has(at); at = refs.organisations.find(x => x.organisationId === at)?.parentId) {
      seen.add(at);
      chain.unshift(at);
    }
    const children = refs.organisations.filter(x => x.parentId === o.organisationId);
    const open = id => this.show('organisations', id);
    const link = id => el('a', { href: '#', dataset: { organisation: id }, on: { click: e => { e.preventDefault(); open(id); } } },
      el('code', { text: id }), ` ${refs.organisations.find(x => x.organisationId === id)?.name ?? ''}`);
    const tree = el('section', { className: 'org-place', id: 'detail-tree' },
      chain.length ? el('p', { className: 'org-chain' }, chain.flatMap((id, i) => [i ? ' › ' : null, link(id)]), ' › ', el('b', { text: o.name })) : null,
      el('h3', { i18n: 'ws.children' }),
      children.length
        ? el('ul', { className: 'org-children', id: 'detail-children' }, children.map(c => el('li', {}, link(c.organisationId), ' ', el('span', { className: 'muted', text: enumLabel('orgKind', c.kind) }))))
        : el('p', { className: 'muted', text: '—' }));
    return [tree];
  }

  historyList() {
    if (this.historyError) return el('p', { className: 'form-error', text: problemText(this.historyError) });
    const changes = [...(this.history ?? [])].reverse();
    if (!changes.length) return el('p', { className: 'muted', i18n: 'ws.history.none' });
    return el('ol', { className: 'history', id: 'detail-history' }, changes.map(c => el('li', { dataset: { version: String(c.version), action: c.action } },
      el('div', { className: 'step-head' },
        el('b', { text: enumLabel('action', c.action) }),
        el('span', { className: 'who', text: c.by }),
        el('time', { dateTime: c.at, text: when(c.at) }),
        el('span', { className: 'muted', text: `v${c.version}` })),
      c.changes?.length
        ? el('table', { className: `changes changes-${c.action}` }, el('tbody', {}, c.changes.map(ch => el('tr', { dataset: { field: ch.field } },
          el('th', { scope: 'row', text: fieldLabel(ch.field) }),
          // A new entry has nothing before, a removed one nothing after: only the side that says something is shown.
          c.action === 'create' ? null : el('td', { className: 'before', text: fieldValue(ch.field, ch.before, this.ctx.registers[this.current.key]) }),
          c.action === 'create' || c.action === 'delete' ? null : el('td', { className: 'arrow', 'aria-hidden': 'true', text: '→' }),
          c.action === 'delete' ? null : el('td', { className: 'after', text: fieldValue(ch.field, ch.after, this.ctx.registers[this.current.key]) })))))
        : null)));
  }

  async remove(def) {
    const id = this.current.id;
    const name = this.item.name ? `${id} ${this.item.name}` : id;
    if (!await confirmDialog(t('ws.confirmDelete').replace('{what}', `${t(def.noun)} ${name}`))) return;
    const r = await api(`/api/counties/${this.ctx.county}/${def.route}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!r.ok) {
      this.message.textContent = problemText(r);
      this.message.hidden = false;
      return;
    }
    toast(t('ws.deleted'));
    const key = this.current.key;
    this.close();
    await this.ctx.onChanged(key, id, null);
  }

  // ---- issues ----

  renderIssue() {
    const issue = this.item;
    const e = this.enterprise;
    const facts = el('dl', { className: 'facts', id: 'detail-facts' },
      el('dt', { i18n: 'ws.f.state' }), el('dd', {}, el('span', { className: `state state-${issue.state}`, id: 'issue-state', dataset: { state: issue.state }, text: enumLabel('state', issue.state) })),
      el('dt', { i18n: 'ws.f.enterprise' }), el('dd', {}, el('code', { text: issue.creditCode }), e ? ` ${e.name}` : ''),
      el('dt', { i18n: 'ws.f.category' }), el('dd', { text: enumLabel('category', issue.category) }),
      el('dt', { i18n: 'ws.f.text' }), el('dd', { className: 'prose', text: issue.text }),
      el('dt', { i18n: 'ws.f.stationId' }), el('dd', { text: issue.stationId ? `${issue.stationId} ${refs.stations.find(s => s.stationId === issue.stationId)?.name ?? ''}` : t('ws.unassigned') }),
      el('dt', { i18n: 'ws.f.raisedAt' }), el('dd', { text: when(issue.raisedAt) }),
      el('dt', { i18n: 'ws.f.deadline' }), el('dd', { className: issue.state !== 'resolved' && new Date(issue.deadline) < new Date() ? 'overdue' : '', text: when(issue.deadline) }),
      issue.resolvedAt ? [el('dt', { i18n: 'ws.f.resolvedAt' }), el('dd', { text: when(issue.resolvedAt) })] : null);

    this.actionBox = el('div', { className: 'issue-actions', id: 'issue-actions' });
    const def = this.ctx.registers.issues;
    if (this.ctx.canWrite(def)) {
      const available = this.availableActions(issue);
      this.actionBox.append(...available.map(a => el('button', {
        type: 'button', dataset: { action: a }, className: a === 'resolve' ? 'primary' : '',
        'aria-expanded': this.openAction === a ? 'true' : 'false',
        on: { click: () => { this.openAction = this.openAction === a ? null : a; this.renderIssue(); } },
      }, el('span', { i18n: `ws.issue.${a}` }))));
    }
    const form = this.openAction && this.availableActions(issue).includes(this.openAction) ? this.actionForm(this.openAction) : null;

    const steps = el('ol', { className: 'history steps', id: 'detail-history' }, [...issue.history].reverse().map(s => el('li', { dataset: { action: s.action } },
      el('div', { className: 'step-head' },
        el('b', { text: enumLabel('step', s.action) }),
        el('span', { className: 'who', text: s.by }),
        el('time', { dateTime: s.at, text: when(s.at) })),
      s.stationId ? el('div', {}, el('span', { className: 'muted', i18n: 'ws.f.stationId' }), ` ${s.stationId}`) : null,
      s.text ? el('p', { className: 'prose', text: s.text }) : null)));
    this.body.replaceChildren(...[this.actionBox, form, facts, el('h3', { i18n: 'ws.steps' }), steps].filter(Boolean));
  }

  /** The steps that apply to the issue as it stands, for this person. */
  availableActions(issue) {
    const staff = this.ctx.claims.role === 'station-staff';
    // Station staff act only on their own station's issues, and cannot hand one to another station.
    if (!this.ctx.canChange(this.ctx.registers.issues, issue)) return [];
    switch (issue.state) {
      case 'open': return staff ? ['escalate', 'resolve'] : ['assign', 'escalate', 'resolve'];
      // Escalated means the station could not solve it: the county committee resolves it.
      case 'escalated': return staff ? [] : ['assign', 'resolve'];
      case 'resolved': return ['reopen'];
      default: return [];
    }
  }

  actionForm(action) {
    const field = { assign: 'stationId', escalate: 'reason', resolve: 'resolution', reopen: 'reason' }[action];
    const general = el('div', { className: 'form-error', id: 'issue-action-error', role: 'alert', hidden: true, tabindex: '-1' });
    let input;
    if (action === 'assign') {
      input = el('select', { name: field, id: 'issue-action-input', required: true, 'aria-describedby': `err-action-${field}` },
        el('option', { value: '', text: t('ws.choose') }),
        refs.stations.map(s => el('option', { value: s.stationId, text: `${s.stationId} ${s.name}`, selected: s.stationId === this.item.stationId })));
    } else {
      input = el('textarea', { name: field, id: 'issue-action-input', rows: '3', maxlength: '2000', required: true, 'aria-describedby': `err-action-${field}` });
    }
    const submit = el('button', { type: 'submit', className: 'primary', id: 'issue-action-submit' }, el('span', { i18n: `ws.issue.${action}.submit` }));
    const form = el('form', {
      id: 'issue-action-form', className: 'action-form', novalidate: true, dataset: { action },
      on: { submit: async e => {
        e.preventDefault();
        clearErrors(form, general);
        const value = input.value.trim();
        if (!value) { showErrors(form, general, { local: true, status: 400, problem: { errors: { [field]: [t('ws.required')] } } }); return; }
        submit.disabled = true;
        const r = await api(`/api/counties/${this.ctx.county}/issues/${encodeURIComponent(this.item.id)}/${action}`, { method: 'POST', body: { [field]: value } });
        submit.disabled = false;
        if (!r.ok) { showErrors(form, general, r); return; }
        this.item = r.data;
        this.openAction = null;
        toast(t(`ws.issue.${action}.done`));
        this.renderIssue();
        await this.ctx.onChanged('issues', this.item.id, this.item);
      } },
    },
    general,
    el('div', { className: 'field' },
      el('label', { for: 'issue-action-input', i18n: `ws.issue.${action}.field` }),
      input,
      el('p', { className: 'field-error', id: `err-action-${field}`, dataset: { errorFor: field }, hidden: true, role: 'alert' })),
    el('div', { className: 'actions' },
      el('button', { type: 'button', on: { click: () => { this.openAction = null; this.renderIssue(); } } }, el('span', { i18n: 'ws.cancel' })),
      submit));
    queueMicrotask(() => input.focus());
    return form;
  }
}

const capital = text => text.charAt(0).toUpperCase() + text.slice(1);

/** A history value as a person reads it: enum values by their labels, booleans as yes/no. */
const ENUM_FIELDS = { kind: 'kind', 'organisation.mode': 'mode', rating: 'rating', category: 'category', state: 'state', host: 'host', gender: 'gender' };
function fieldValue(path, value, def) {
  const labels = def?.enums?.[path] ?? ENUM_FIELDS[path];
  if (typeof value === 'string' && labels) return enumLabel(labels, value);
  if (path === 'fullTime' && typeof value === 'boolean') return t(value ? 'fig.fullTime' : 'fig.partTime');
  return plain(value);
}

/** A history field's label ("organisation.mode" → 组建方式), or the path itself. */
function fieldLabel(path) {
  const key = `ws.f.${path}`;
  const text = t(key);
  return text === key ? path : text;
}
