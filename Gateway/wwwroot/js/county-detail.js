// The side panel: one register entry with its change history, or one issue with its steps and the actions that
// apply to it now.
import { api } from './api.js';
import { t, translate } from './i18n.js';
import { el, when, enumLabel, plain, problemText, toast } from './county-util.js';
import { showErrors, clearErrors, confirmDialog } from './county-form.js';
import { refs } from './county-registers.js';

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
    const [entry, history] = await Promise.all([api(base), def.issues ? Promise.resolve(null) : api(`${base}/history`)]);
    if (this.current?.key !== key || this.current?.id !== id) return;
    if (!entry.ok) {
      this.body.replaceChildren(el('p', { className: 'form-error', text: problemText(entry) }));
      return;
    }
    this.item = entry.data;
    this.history = history?.ok ? history.data : null;
    this.historyError = history && !history.ok ? history : null;
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
    this.body.replaceChildren(actions, this.message, facts, el('h3', { i18n: 'ws.history' }), this.historyList());
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
          c.action === 'create' ? null : el('td', { className: 'before', text: fieldValue(ch.field, ch.before) }),
          c.action === 'create' || c.action === 'delete' ? null : el('td', { className: 'arrow', 'aria-hidden': 'true', text: '→' }),
          c.action === 'delete' ? null : el('td', { className: 'after', text: fieldValue(ch.field, ch.after) })))))
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
const ENUM_FIELDS = { kind: 'kind', 'organisation.mode': 'mode', rating: 'rating', category: 'category', state: 'state' };
function fieldValue(path, value) {
  if (typeof value === 'string' && ENUM_FIELDS[path]) return enumLabel(ENUM_FIELDS[path], value);
  if (path === 'fullTime' && typeof value === 'boolean') return t(value ? 'fig.fullTime' : 'fig.partTime');
  return plain(value);
}

/** A history field's label ("organisation.mode" → 组建方式), or the path itself. */
function fieldLabel(path) {
  const key = `ws.f.${path}`;
  const text = t(key);
  return text === key ? path : text;
}
