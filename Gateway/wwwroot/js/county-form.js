// The dialog that adds or edits one register entry (or raises an issue), and shows the server's refusals next to
// the inputs they name.
import { api } from './api.js';
import { t, translate } from './i18n.js';
import { el, getPath, setPath, problemText, debounce } from './county-util.js';

/**
 * Puts a refusal's `errors` next to the inputs of `form` they name; what names no input goes to `general`.
 * Keys are JSON paths as the server writes them: "creditCode", "organisation.mode", "townships[1]", "$.employees".
 * Answers the names of the inputs that got an error.
 */
export function showErrors(form, general, result) {
  clearErrors(form, general);
  const errors = result?.problem?.errors;
  const named = [];
  const rest = [];
  if (result?.status === 400 && errors && typeof errors === 'object') {
    for (const [rawKey, messages] of Object.entries(errors)) {
      const text = [].concat(messages).join('; ');
      const target = inputFor(form, rawKey);
      if (!target) { rest.push(`${rawKey}: ${text}`); continue; }
      const slot = form.querySelector(`[data-error-for="${CSS.escape(target)}"]`);
      // The server words its reasons in English; the lead says in the page's language that the input was refused.
      slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : `${result.local ? '' : t('ws.invalid')}${text}`;
      slot.hidden = false;
      const input = form.querySelector(`[name="${CSS.escape(target)}"]`);
      input?.setAttribute('aria-invalid', 'true');
      input?.closest('.field')?.classList.add('invalid');
      if (!named.includes(target)) named.push(target);
    }
  } else if (result) {
    rest.push(problemText(result));
  }
  if (rest.length) {
    general.replaceChildren(...rest.map(line => el('div', { text: line })));
    general.hidden = false;
  }
  const first = named[0] && form.querySelector(`[name="${CSS.escape(named[0])}"]`);
  (first ?? general).focus?.();
  return named;
}

/** The input an error key names: exactly, without its index or "$.", or the first input under it. */
function inputFor(form, rawKey) {
  const has = name => form.querySelector(`[data-error-for="${CSS.escape(name)}"]`) ? name : null;
  let key = rawKey.replace(/^\$\.?/, '').replace(/\[\d+\]/g, '');
  const exact = has(key) ?? has(key.charAt(0).toLowerCase() + key.slice(1));
  if (exact) return exact;
  const under = [...form.querySelectorAll('[data-error-for]')].find(s => s.dataset.errorFor.startsWith(key + '.'));
  if (under) return under.dataset.errorFor;
  // "organisation.organisationId" when the form shows only organisation.mode: the nearest parent that is an input.
  while (key.includes('.')) {
    key = key.slice(0, key.lastIndexOf('.'));
    if (has(key)) return key;
  }
  return null;
}

export function clearErrors(form, general) {
  for (const slot of form.querySelectorAll('[data-error-for]')) { slot.textContent = ''; slot.hidden = true; }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  for (const field of form.querySelectorAll('.field.invalid')) field.classList.remove('invalid');
  general.replaceChildren();
  general.hidden = true;
}

/** A field's error slot, right under its input, that the input points to for screen readers. */
function errorSlot(name) {
  return el('p', { className: 'field-error', id: `err-${name.replace(/[^\w-]/g, '_')}`, dataset: { errorFor: name }, hidden: true, role: 'alert' });
}

export class EntryDialog {
  /** ctx: { county, registers, onSaved(key, item, created) } */
  constructor(ctx) {
    this.ctx = ctx;
    this.dialog = el('dialog', { id: 'entry-dialog', className: 'entry-dialog', 'aria-labelledby': 'entry-title' });
    this.title = el('h2', { id: 'entry-title' });
    this.general = el('div', { className: 'form-error', id: 'entry-error', role: 'alert', hidden: true, tabindex: '-1' });
    this.form = el('form', { id: 'entry-form', novalidate: true, method: 'dialog', on: { submit: e => { e.preventDefault(); this.submit(); } } });
    this.fieldsBox = el('div', { className: 'form-body' });
    this.submitButton = el('button', { type: 'submit', className: 'primary', id: 'entry-submit' }, el('span', { i18n: 'ws.save' }));
    this.cancelButton = el('button', { type: 'button', id: 'entry-cancel', on: { click: () => this.close() } }, el('span', { i18n: 'ws.cancel' }));
    this.form.append(this.general, this.fieldsBox, el('div', { className: 'actions' }, this.cancelButton, this.submitButton));
    this.dialog.append(
      el('header', {}, this.title, el('button', { type: 'button', className: 'close', 'aria-label': t('ws.close'), dataset: { i18nTitle: 'ws.close' }, title: t('ws.close'), on: { click: () => this.close() } }, '×')),
      this.form);
    this.dialog.addEventListener('close', () => { this.open = false; });
    document.body.append(this.dialog);
  }

  /** Opens the form for a new entry (item null) or to edit `item` of register `key`. */
  show(key, item = null) {
    this.key = key;
    this.def = this.ctx.registers[key];
    this.item = item;
    this.dialog.dataset.register = key;
    this.dialog.dataset.mode = item ? 'edit' : 'add';
    this.renderTitle();
    this.submitButton.replaceChildren(el('span', { i18n: this.def.issues ? 'ws.raise' : 'ws.save' }));
    this.fieldsBox.replaceChildren(...this.sections().map(([section, fields]) => section
      ? el('fieldset', { className: 'section', dataset: { section } }, el('legend', { i18n: `ws.sec.${section}` }),
        el('div', { className: 'fields' }, fields.map(f => this.fieldElement(f))))
      : el('div', { className: 'fields' }, fields.map(f => this.fieldElement(f)))));
    // Station staff add entries of their own station: that is the one the server will accept.
    const fallback = f => (f.name === 'stationId' && this.ctx.claims?.station ? this.ctx.claims.station : f.default);
    for (const f of this.def.fields) this.setValue(f, item ? getPath(item, f.name) : fallback(f));
    this.refreshOptions();
    this.applyVisibility();
    clearErrors(this.form, this.general);
    this.submitButton.disabled = false;
    this.open = true;
    if (!this.dialog.open) this.dialog.showModal();
    const first = this.form.querySelector('input:not([readonly]):not([type=checkbox]), select, textarea');
    first?.focus();
  }

  /** The fields in the sections they are drawn in ("basic", "org" …), in order of first appearance. */
  sections() {
    const groups = new Map();
    for (const f of this.def.fields) {
      const key = f.section ?? '';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(f);
    }
    return [...groups];
  }

  close() {
    if (this.dialog.open) this.dialog.close();
    this.open = false;
  }

  renderTitle() {
    if (!this.def) return;
    const noun = t(this.def.noun);
    this.title.textContent = this.def.issues ? t('ws.raise.title')
      : this.item ? `${t('ws.edit')}${t('ws.sep')}${noun} ${this.item[this.def.idField]}` : `${t('ws.add')}${t('ws.sep')}${noun}`;
  }

  /** After a language switch: labels go through translate(); option texts and the title are redrawn here. */
  relabel() {
    if (!this.open) return;
    this.renderTitle();
    this.refreshOptions();
    translate(this.dialog);
  }

  fieldElement(f) {
    const inputId = `f-${f.name.replace(/[^\w-]/g, '_')}`;
    const common = { id: inputId, name: f.name, 'aria-describedby': `err-${f.name.replace(/[^\w-]/g, '_')}` };
    let input;
    switch (f.type) {
      case 'select':
        input = el('select', { ...common, required: f.required, dataset: { boolean: f.boolean ? 'true' : undefined } });
        break;
      case 'checkbox':
        input = el('input', { ...common, type: 'checkbox' });
        break;
      case 'number':
        input = el('input', { ...common, type: 'number', inputmode: f.step === 'any' ? 'decimal' : 'numeric', min: f.min, max: f.max, step: f.step ?? 1, required: f.required });
        break;
      case 'date':
        input = el('input', { ...common, type: 'date', required: f.required });
        break;
      case 'textarea':
        input = el('textarea', { ...common, rows: '4', maxlength: f.maxlength, required: f.required });
        break;
      case 'enterprise':
        input = el('input', { ...common, type: 'text', list: 'enterprise-options', autocomplete: 'off', spellcheck: 'false', required: f.required });
        this.enterpriseSearch(input);
        break;
      default:
        input = el('input', { ...common, type: 'text', maxlength: f.maxlength, autocomplete: 'off', spellcheck: f.mono ? 'false' : undefined, required: f.required });
    }
    if (f.mono) input.classList.add('mono');
    if (f.id && this.item) { input.readOnly = true; input.classList.add('readonly'); }
    if (f.dependsOn || f.showIf || this.def.fields.some(g => g.dependsOn?.includes(f.name) || g.showIf)) {
      input.addEventListener('change', () => { this.refreshOptions(f.name); this.applyVisibility(); });
    }
    const label = el('label', { for: inputId }, el('span', { i18n: f.label }), f.required ? el('span', { className: 'req', 'aria-hidden': 'true', text: ' *' }) : null);
    const box = el('div', { className: `field field-${f.type}${f.wide ? ' wide' : ''}${f.span ? ' span' + f.span : ''}`, dataset: { field: f.name } });
    if (f.type === 'checkbox') box.append(el('label', { className: 'check', for: inputId }, input, el('span', { i18n: f.label })));
    else box.append(label, input);
    if (f.hint) box.append(el('p', { className: 'hint muted', i18n: f.hint }));
    box.append(errorSlot(f.name));
    if (f.type === 'enterprise') box.append(el('datalist', { id: 'enterprise-options' }), el('p', { className: 'chosen', dataset: { role: 'chosen' } }));
    return box;
  }

  /** Suggests enterprises by name or credit-code prefix as one types, from the register's own search. */
  enterpriseSearch(input) {
    const suggest = debounce(async () => {
      const q = input.value.trim();
      if (q.length < 1) return;
      const r = await api(`/api/counties/${this.ctx.county}/enterprises?limit=20&q=${encodeURIComponent(q)}`);
      const list = this.form.querySelector('#enterprise-options');
      if (!r.ok || !list) return;
      list.replaceChildren(...r.data.items.map(e => el('option', { value: e.creditCode, text: e.name })));
    }, 250);
    input.addEventListener('input', suggest);
    // Once the input holds a code from the suggestions, the enterprise's name shows under it.
    input.addEventListener('input', () => {
      const chosen = this.form.querySelector('[data-role=chosen]');
      const match = [...(this.form.querySelector('#enterprise-options')?.options ?? [])].find(o => o.value === input.value.trim());
      if (chosen) chosen.textContent = match ? match.textContent : '';
    });
  }

  inputOf(f) { return this.form.elements.namedItem(f.name); }

  setValue(f, value) {
    const input = this.inputOf(f);
    if (!input) return;
    if (f.type === 'checkbox') input.checked = Boolean(value);
    else if (f.type === 'list') input.value = (value ?? []).join('、');
    else if (f.type === 'select') { input.dataset.wanted = value === undefined || value === null ? '' : String(value); input.value = input.dataset.wanted; }
    else input.value = value === undefined || value === null ? '' : String(value);
  }

  /** The form's current values by field name, as plain strings/booleans. */
  values() {
    const v = {};
    for (const f of this.def.fields) {
      const input = this.inputOf(f);
      if (!input) continue;
      v[f.name] = f.type === 'checkbox' ? input.checked : input.value;
    }
    return v;
  }

  /** Refills selects whose options depend on other inputs (a group's station …), keeping a still-valid choice. */
  refreshOptions(changed) {
    const values = this.values();
    for (const f of this.def.fields) {
      if (f.type !== 'select') continue;
      if (changed && !(f.dependsOn ?? []).includes(changed)) continue;
      const input = this.inputOf(f);
      const wanted = changed ? input.value : (input.dataset.wanted ?? input.value);
      const options = f.options(values);
      const list = [];
      if (!f.required || !wanted) list.push(el('option', { value: '', text: f.required ? t('ws.choose') : t('ws.noneChosen') }));
      list.push(...options.map(([value, label]) => el('option', { value, text: label })));
      // An entry may refer to something no longer in the lists (or not loaded): keep it visible rather than lose it.
      if (wanted && !options.some(([value]) => value === wanted)) list.push(el('option', { value: wanted, text: wanted }));
      input.replaceChildren(...list);
      input.value = wanted;
      delete input.dataset.wanted;
      values[f.name] = input.value;
    }
  }

  applyVisibility() {
    const values = this.values();
    for (const f of this.def.fields) {
      if (!f.showIf) continue;
      const box = this.form.querySelector(`[data-field="${CSS.escape(f.name)}"]`);
      box.hidden = !f.showIf(values);
    }
  }

  /** The JSON body: the entry as it was (so fields the form does not show survive) with the form's values on top. */
  body() {
    const body = this.item ? structuredClone(this.item) : {};
    delete body.version;
    delete body.updatedAt;
    const values = this.values();
    for (const f of this.def.fields) {
      const raw = values[f.name];
      const visible = !f.showIf || f.showIf(values);
      let value;
      if (!visible) value = null;
      else if (f.type === 'checkbox') value = raw;
      else if (f.type === 'number') value = raw === '' ? null : Number(raw);
      else if (f.type === 'list') value = raw.split(/[,，、;；\s]+/).map(s => s.trim()).filter(Boolean);
      else if (f.type === 'select' && f.boolean) value = raw === '' ? null : raw === 'true';
      else value = raw.trim() === '' ? null : raw.trim();
      setPath(body, f.name, value);
    }
    // Parts that are all empty are left out rather than sent half-filled; counts the form leaves empty are zero.
    // A location with one coordinate is sent as it is, so the server names the missing one.
    for (const [part, keys] of Object.entries(this.def.optionalGroups ?? {})) {
      const p = body[part];
      if (!p) continue;
      if (keys.every(k => p[k] === null || p[k] === undefined || p[k] === false)) body[part] = null;
      else if (part !== 'location') for (const k of keys) p[k] ??= 0;
    }
    for (const f of this.def.fields) {
      if (f.type === 'number' && !f.required && !f.nullable && !f.name.includes('.') && getPath(body, f.name) === null) setPath(body, f.name, 0);
    }
    return body;
  }

  /** Inputs the form requires but are empty: refused here, before anything is sent. */
  missing() {
    const values = this.values();
    return this.def.fields.filter(f => f.required && f.type !== 'checkbox' && (!f.showIf || f.showIf(values)) && String(values[f.name] ?? '').trim() === '');
  }

  async submit() {
    clearErrors(this.form, this.general);
    const missing = this.missing();
    if (missing.length) {
      showErrors(this.form, this.general, { local: true, status: 400, problem: { errors: Object.fromEntries(missing.map(f => [f.name, [t('ws.required')]])) } });
      return;
    }
    const body = this.body();
    const { route, idField } = this.def;
    const base = `/api/counties/${this.ctx.county}/${route}`;
    this.submitButton.disabled = true;
    try {
      let result;
      if (this.def.issues) {
        result = await api(base, { method: 'POST', body });
      } else if (this.item) {
        result = await api(`${base}/${encodeURIComponent(this.item[idField])}`, { method: 'PUT', body });
      } else {
        // POST creates or replaces: adding must not overwrite an entry that already has this id.
        const id = body[idField];
        const existing = await api(`${base}/${encodeURIComponent(id)}`);
        if (existing.ok) {
          showErrors(this.form, this.general, { local: true, status: 400, problem: { errors: { [idField]: [t('ws.exists')] } } });
          return;
        }
        result = await api(base, { method: 'POST', body });
      }
      if (!result.ok) { showErrors(this.form, this.general, result); return; }
      const id = this.def.issues ? result.data.id : (this.item?.[idField] ?? body[idField]);
      this.close();
      await this.ctx.onSaved(this.key, id, !this.item, result.data);
    } finally {
      this.submitButton.disabled = false;
    }
  }
}

/** Asks before something is removed; answers true when the person confirms. */
export function confirmDialog(message) {
  let dialog = document.getElementById('confirm-dialog');
  if (!dialog) {
    dialog = el('dialog', { id: 'confirm-dialog', className: 'confirm-dialog', role: 'alertdialog', 'aria-labelledby': 'confirm-text' },
      el('p', { id: 'confirm-text' }),
      el('form', { method: 'dialog', className: 'actions' },
        el('button', { value: 'no', id: 'confirm-no' }, el('span', { i18n: 'ws.cancel' })),
        el('button', { value: 'yes', id: 'confirm-yes', className: 'danger' }, el('span', { i18n: 'ws.delete' }))));
    document.body.append(dialog);
  }
  translate(dialog);
  dialog.querySelector('#confirm-text').textContent = message;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.querySelector('#confirm-no').focus();
  return new Promise(resolve => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true }));
}
