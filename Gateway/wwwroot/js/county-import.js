// The import dialog: a workbook is uploaded into a preview (POST imports: nothing is written yet), shown as counts and
// the cells refused; Apply writes the accepted rows (POST imports/{id}/apply), whose progress is polled until the
// import is applied or failed. Every word the server sends (file names, headers, reasons) is set as text.
import { api } from './api.js';
import { t, lang, translate } from './i18n.js';
import { integer } from './numbers.js';
import { el, problemText, toast } from './county-util.js';
import { download } from './county-files.js';

/** How often a running import's progress is read again. */
const POLL_MS = 500;
/** Consecutive failed progress reads after which the dialog says so and stops asking. */
const POLL_FAILURES = 10;

/** The registers a workbook can fill: every register with workbooks (issues go through steps and have none). */
export function importables(registers) {
  return Object.entries(registers).filter(([, def]) => def.workbook)
    .map(([key, def]) => ({ key, route: def.route, label: def.label, admin: def.admin, personal: def.personal }));
}

/** The server answers in the page's language rather than the browser's. */
const spoken = () => ({ 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' });

const COUNTS = [['rows', 'imp.rows'], ['creates', 'imp.creates'], ['updates', 'imp.updates'], ['unchanged', 'imp.unchanged'], ['refused', 'imp.refused']];
const RESULTS = [['created', 'imp.created'], ['updated', 'imp.updated'], ['unchanged', 'imp.unchanged'], ['refused', 'imp.refused']];

export class ImportDialog {
  /** ctx: { county, registers, canWrite(def), onChanged(key) } */
  constructor(ctx) {
    this.ctx = ctx;
    this.choices = importables(ctx.registers).filter(r => ctx.canWrite(r));
    this.status = null;
    this.polling = false;

    this.dialog = el('dialog', { id: 'import-dialog', className: 'entry-dialog import-dialog', 'aria-labelledby': 'import-title' });
    this.registerSelect = el('select', { id: 'import-register', name: 'register', 'aria-describedby': 'import-err-register', on: { change: () => this.onInput() } });
    this.templateLink = el('a', { id: 'import-template', className: 'template-link', href: '#', on: { click: e => { e.preventDefault(); this.downloadTemplate(); } } },
      el('span', { i18n: 'imp.template' }));
    this.fileInput = el('input', {
      type: 'file', id: 'import-file', name: 'file', 'aria-describedby': 'import-err-file',
      accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', on: { change: () => this.onInput() },
    });
    this.general = el('div', { className: 'form-error', id: 'import-error', role: 'alert', hidden: true, tabindex: '-1' });
    this.form = el('form', { id: 'import-form', novalidate: true, on: { submit: e => { e.preventDefault(); this.upload(); } } },
      el('div', { className: 'fields' },
        el('div', { className: 'field', dataset: { field: 'register' } },
          el('label', { for: 'import-register' }, el('span', { i18n: 'imp.register' })), this.registerSelect,
          el('p', { className: 'hint' }, this.templateLink),
          el('p', { className: 'field-error', id: 'import-err-register', dataset: { errorFor: 'register' }, hidden: true, role: 'alert' })),
        el('div', { className: 'field span2', dataset: { field: 'file' } },
          el('label', { for: 'import-file' }, el('span', { i18n: 'imp.file' })), this.fileInput,
          el('p', { className: 'hint muted', i18n: 'imp.file.hint' }),
          el('p', { className: 'field-error', id: 'import-err-file', dataset: { errorFor: 'file' }, hidden: true, role: 'alert' }))));

    this.preview = el('section', { id: 'import-preview', className: 'import-part', hidden: true, 'aria-labelledby': 'import-preview-title' });
    this.progressBar = el('progress', { id: 'import-progress-bar', max: 1, value: 0 });
    this.progressText = el('span', { id: 'import-progress-text', className: 'muted' });
    this.progress = el('section', { id: 'import-progress', className: 'import-part import-progress', hidden: true },
      el('h3', { i18n: 'imp.applying' }), el('div', { className: 'import-bar' }, this.progressBar, this.progressText));
    this.result = el('section', { id: 'import-result', className: 'import-part', hidden: true, role: 'status', 'aria-labelledby': 'import-result-title' });

    this.uploadButton = el('button', { type: 'submit', form: 'import-form', id: 'import-upload' }, el('span', { i18n: 'imp.upload' }));
    this.applyButton = el('button', { type: 'button', className: 'primary', id: 'import-apply', disabled: true, on: { click: () => this.apply() } }, el('span', { i18n: 'imp.apply' }));
    this.closeButton = el('button', { type: 'button', id: 'import-close', on: { click: () => this.close() } }, el('span', { i18n: 'ws.close' }));

    this.dialog.append(
      el('header', {}, el('h2', { id: 'import-title', i18n: 'imp.title' }),
        el('button', { type: 'button', className: 'close', 'aria-label': t('ws.close'), dataset: { i18nTitle: 'ws.close' }, title: t('ws.close'), on: { click: () => this.close() } }, '×')),
      el('div', { className: 'form-body' }, this.general, this.form, this.preview, this.progress, this.result),
      el('div', { className: 'actions' }, this.closeButton, this.uploadButton, this.applyButton));
    document.body.append(this.dialog);
  }

  get choice() { return this.choices.find(c => c.key === this.registerSelect.value) ?? this.choices[0]; }

  /** Opens on `key` when it may be imported. An import still being written is shown as it goes rather than reset. */
  show(key) {
    this.renderOptions();
    if (!this.polling) {
      if (this.choices.some(c => c.key === key)) this.registerSelect.value = key;
      // Opened again, the dialog starts a new import: the last one's file and preview are gone with it.
      this.fileInput.value = '';
      this.reset();
    }
    if (!this.dialog.open) this.dialog.showModal();
    (this.polling ? this.closeButton : this.registerSelect).focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  relabel() {
    translate(this.dialog);
    this.renderOptions();
    if (this.status) this.render();
  }

  renderOptions() {
    const chosen = this.registerSelect.value;
    this.registerSelect.replaceChildren(...this.choices.map(c => el('option', { value: c.key, text: t(c.label) })));
    if (chosen) this.registerSelect.value = chosen;
    this.syncTemplate();
  }

  syncTemplate() {
    this.templateLink.href = `/api/counties/${this.ctx.county}/${this.choice.route}/template.xlsx`;
  }

  /** Another register or file: what was previewed no longer stands for what would be imported. */
  onInput() {
    if (this.polling) return;
    this.reset();
  }

  reset() {
    this.status = null;
    this.syncTemplate();
    this.clearErrors();
    this.preview.hidden = true;
    this.progress.hidden = true;
    this.result.hidden = true;
    this.applyButton.disabled = true;
    this.uploadButton.disabled = !this.fileInput.files?.length;
    this.registerSelect.disabled = false;
    this.fileInput.disabled = false;
    delete this.dialog.dataset.state;
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll('[data-error-for]')) { slot.textContent = ''; slot.hidden = true; }
    for (const input of [this.registerSelect, this.fileInput]) input.removeAttribute('aria-invalid');
    this.general.replaceChildren();
    this.general.hidden = true;
  }

  /** A refusal of the file or the register next to its input (400, or 413 for a file too large); anything else on top. */
  showProblem(result) {
    this.clearErrors();
    const errors = result.problem?.errors;
    const rest = [];
    if ((result.status === 400 || result.status === 413) && errors && typeof errors === 'object') {
      for (const [key, messages] of Object.entries(errors)) {
        const slot = this.form.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
        const text = [].concat(messages).join('; ');
        if (!slot) { rest.push(`${key}: ${text}`); continue; }
        slot.textContent = text;
        slot.hidden = false;
        this.form.elements.namedItem(key)?.setAttribute('aria-invalid', 'true');
      }
      if (result.status === 413 && result.problem.title) rest.unshift(result.problem.title);
    } else {
      rest.push(problemText(result));
    }
    if (rest.length) {
      this.general.replaceChildren(...rest.map(line => el('div', { text: line })));
      this.general.hidden = false;
    }
  }

  async downloadTemplate() {
    const { route } = this.choice;
    const r = await download(`/api/counties/${this.ctx.county}/${route}/template.xlsx`, `${route}-template-${this.ctx.county}.xlsx`);
    if (!r.ok) this.showProblem(r);
  }

  async upload() {
    const file = this.fileInput.files?.[0];
    this.clearErrors();
    if (!file) { this.showProblem({ status: 400, problem: { errors: { file: [t('imp.file.none')] } } }); return; }
    const body = new FormData();
    body.append('register', this.choice.route);
    body.append('file', file, file.name);
    this.uploadButton.disabled = true;
    this.dialog.dataset.state = 'uploading';
    const r = await api(`/api/counties/${this.ctx.county}/imports`, { method: 'POST', body, headers: spoken() });
    this.uploadButton.disabled = false;
    if (!r.ok) {
      delete this.dialog.dataset.state;
      this.showProblem(r);
      return;
    }
    this.status = r.data;
    this.render();
  }

  async apply() {
    if (!this.status || this.polling) return;
    this.applyButton.disabled = true;
    const r = await api(`/api/counties/${this.ctx.county}/imports/${encodeURIComponent(this.status.id)}/apply`, { method: 'POST', headers: spoken() });
    if (!r.ok) {
      this.showProblem(r);
      this.applyButton.disabled = false;
      return;
    }
    this.status = r.data;
    this.render();
    this.poll();
  }

  /** Reads the import again every POLL_MS until it is applied or failed; the county's figures arrive live meanwhile. */
  async poll() {
    this.polling = true;
    let failures = 0;
    try {
      while (this.status.state === 'applying') {
        await new Promise(resolve => setTimeout(resolve, POLL_MS));
        const r = await api(`/api/counties/${this.ctx.county}/imports/${encodeURIComponent(this.status.id)}`, { headers: spoken() });
        if (!r.ok) {
          if (++failures >= POLL_FAILURES) { this.showProblem(r); return; }
          continue;
        }
        failures = 0;
        this.status = r.data;
        this.render();
      }
    } finally {
      this.polling = false;
      this.render();
    }
    // Closed while it ran: the result is said once where the person is looking.
    if (!this.dialog.open && this.status.result) {
      const r = this.status.result;
      toast(`${t(this.status.state === 'failed' ? 'imp.failed' : 'imp.applied')}: ${t('imp.created')} ${integer(r.created)} · ${t('imp.updated')} ${integer(r.updated)} · ${t('imp.refused')} ${integer(r.refused)}`,
        this.status.state === 'failed' ? 'error' : 'ok');
    }
    const choice = this.choices.find(c => c.route === this.status.register);
    if (choice) await this.ctx.onChanged(choice.key);
  }

  render() {
    const s = this.status;
    if (!s) return;
    this.dialog.dataset.state = s.state;
    this.dialog.dataset.import = s.id;
    const busy = s.state !== 'previewed' || this.polling;
    // Once applied, the import is done with: choosing another file starts a new one.
    this.registerSelect.disabled = this.polling;
    this.fileInput.disabled = this.polling;
    this.uploadButton.disabled = this.polling || !this.fileInput.files?.length;
    this.applyButton.disabled = busy || (s.creates + s.updates) === 0;
    this.applyButton.title = (s.creates + s.updates) === 0 ? t('imp.nothing') : '';
    this.renderPreview(s);
    this.renderProgress(s);
    this.renderResult(s);
  }

  renderPreview(s) {
    const wrote = s.creates + s.updates;
    this.preview.hidden = false;
    // Through el(), which skips the parts not shown: the DOM's replaceChildren would write a null as the text "null".
    this.preview.replaceChildren(el('div', {},
      el('h3', { id: 'import-preview-title' }, el('span', { i18n: 'imp.preview' }), ' ',
        el('span', { className: 'muted file-name', text: `${s.fileName}${s.sheet ? ` · ${s.sheet}` : ''}` })),
      counts('import-counts', COUNTS, s),
      wrote === 0 && s.state === 'previewed' ? el('p', { className: 'muted', id: 'import-nothing', i18n: 'imp.nothing' }) : null,
      refusals('import-refusals', s.errors ?? [], 'imp.refusals')));
  }

  renderProgress(s) {
    this.progress.hidden = s.state === 'previewed';
    if (this.progress.hidden) return;
    const total = Math.max(0, s.total ?? 0);
    const done = Math.min(total, Math.max(0, s.done ?? 0));
    // An import with nothing to write has a total of 0: shown as full rather than as an empty bar forever.
    this.progressBar.max = Math.max(1, total);
    this.progressBar.value = total === 0 ? 1 : done;
    this.progressBar.dataset.done = String(done);
    this.progressBar.dataset.total = String(total);
    this.progressText.textContent = t('imp.progress').replace('{done}', integer(done)).replace('{total}', integer(total));
    this.progress.querySelector('h3').textContent = t(s.state === 'applying' ? 'imp.applying' : s.state === 'failed' ? 'imp.failed' : 'imp.applied');
    this.progress.dataset.state = s.state;
  }

  renderResult(s) {
    const r = s.result;
    this.result.hidden = !r && s.state !== 'failed';
    if (this.result.hidden) return;
    this.result.replaceChildren(el('div', {},
      el('h3', { id: 'import-result-title', i18n: s.state === 'failed' ? 'imp.failed' : 'imp.result' }),
      r ? counts('import-result-counts', RESULTS, r) : null,
      r?.by ? el('p', { className: 'muted' }, el('span', { i18n: 'imp.by' }), ' ', el('span', { text: r.by })) : null,
      r && (r.errors ?? []).length ? refusals('import-result-refusals', r.errors, 'imp.refusals.apply') : null));
  }
}

/** The counts as a row of figures, each with its number in data-count for whoever reads the page by program. */
function counts(id, which, source) {
  return el('dl', { className: 'import-counts', id },
    ...which.map(([key, label]) => el('div', { className: `count count-${key}`, dataset: { count: key, value: String(source[key] ?? 0) } },
      el('dt', { i18n: label }), el('dd', { text: integer(source[key] ?? 0) }))));
}

/**
 * The cells refused, a row of the table each, marked by the Excel row they are in (class refused, a visible mark,
 * data-row). A refusal of the whole row has no column: shown as a dash.
 */
function refusals(id, errors, title) {
  if (errors.length === 0) return el('p', { className: 'muted', id: `${id}-none`, i18n: 'imp.refusals.none' });
  const rows = errors.map(e => el('tr', { className: 'refused', dataset: { row: String(e.row), field: e.field ?? '' } },
    el('td', { className: 'num row-no' }, el('span', { className: 'mark', 'aria-hidden': 'true', text: '✗ ' }), el('span', { text: String(e.row) })),
    el('td', { text: e.column ?? '—' }),
    el('td', { className: 'message', text: e.message ?? '' })));
  return el('div', { className: 'import-refusals' },
    el('h4', { i18n: title }),
    el('div', { className: 'table-wrap' },
      el('table', { className: 'grid', id },
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col', className: 'num', i18n: 'imp.col.row' }),
          el('th', { scope: 'col', i18n: 'imp.col.column' }),
          el('th', { scope: 'col', i18n: 'imp.col.message' }))),
        el('tbody', {}, rows))));
}
