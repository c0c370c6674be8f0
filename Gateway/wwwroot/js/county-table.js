// One register as a table: search (q), filters, sorting by name or id, and paging by offset/limit.
import { api } from './api.js';
import { t } from './i18n.js';
import { integer } from './numbers.js';
import { el, debounce, problemText, toast } from './county-util.js';
import { download } from './county-files.js';

const PAGE_SIZES = [20, 50, 100];

export class RegisterTable {
  /**
   * @param {string} key the register ('enterprises' …)
   * @param {object} def its definition (county-registers.js)
   * @param {object} ctx { county, canWrite(def), onOpen(key, item), onAdd(key) }
   */
  constructor(key, def, ctx) {
    this.key = key;
    this.def = def;
    this.ctx = ctx;
    this.state = { q: '', filters: {}, sort: def.defaultSort ?? 'name', offset: 0, limit: 20 };
    this.page = null;
    this.error = null;
    this.loading = false;
    this.requests = 0;
    this.root = el('section', { className: 'register', id: `panel-${key}`, role: 'tabpanel', 'aria-labelledby': `tab-${key}`, dataset: { register: key }, hidden: true });
    this.build();
  }

  build() {
    const search = debounce(() => { this.state.offset = 0; this.load(); });
    this.searchInput = el('input', {
      type: 'search', dataset: { role: 'search', i18nPlaceholder: this.def.issues ? 'ws.search.issues' : 'ws.search' },
      placeholder: t(this.def.issues ? 'ws.search.issues' : 'ws.search'), 'aria-label': t('ws.search.label'),
      on: {
        input: e => { this.state.q = e.target.value.trim(); search(); },
        keydown: e => { if (e.key === 'Enter') { e.preventDefault(); this.state.q = e.target.value.trim(); search.now(); } },
      },
    });
    this.filterSelects = this.def.filters.map(f => {
      const select = el('select', {
        dataset: { filter: f.param }, 'aria-label': t(f.label),
        on: { change: e => { this.state.filters[f.param] = e.target.value; this.state.offset = 0; this.load(); } },
      });
      return { def: f, select, label: el('label', { className: 'filter' }, el('span', { i18n: f.label }), select) };
    });
    this.addButton = el('button', {
      type: 'button', className: 'primary', dataset: { role: 'add' },
      on: { click: () => this.ctx.onAdd(this.key) },
    }, el('span', { i18n: this.def.issues ? 'ws.raise' : 'ws.add' }));
    this.addButton.hidden = !this.ctx.canWrite(this.def);
    // Whoever may read the register may take it away as a workbook: the whole register, not the page or the filter.
    this.exportButton = this.def.workbook ? el('button', {
      type: 'button', dataset: { role: 'export' },
      on: { click: () => this.export() },
    }, el('span', { i18n: 'ws.export' })) : null;

    // A register whose entries form a tree (organisations and their parents) can also be seen as that tree.
    this.view = 'table';
    this.viewSwitch = this.def.tree ? el('div', { className: 'view-switch', role: 'group', 'aria-label': t('ws.view.label') },
      ['table', 'tree'].map(v => el('button', {
        type: 'button', dataset: { view: v }, 'aria-pressed': String(v === this.view),
        on: { click: () => { this.view = v; this.render(); } },
      }, el('span', { i18n: `ws.view.${v}` })))) : null;
    this.treeBox = el('div', { className: 'tree', dataset: { tree: this.key }, hidden: true });

    this.table = el('table', { className: 'grid', dataset: { table: this.key } });
    this.status = el('p', { className: 'table-status', dataset: { role: 'status' }, role: 'status' });
    this.pager = el('nav', { className: 'pager', 'aria-label': t('ws.pager') });

    this.root.append(
      el('div', { className: 'toolbar' },
        el('label', { className: 'search' }, this.searchInput),
        ...this.filterSelects.map(f => f.label),
        el('span', { className: 'spacer' }),
        this.viewSwitch,
        this.exportButton,
        this.addButton),
      this.treeBox,
      el('div', { className: 'table-wrap' }, this.table, this.status),
      this.pager);
  }

  /** Fills the filters' options from the registers (after they load or change), keeping what is chosen. */
  refreshFilters() {
    for (const { def, select } of this.filterSelects) {
      const chosen = this.state.filters[def.param] ?? '';
      select.replaceChildren(el('option', { value: '', i18n: 'ws.all' }), ...def.options().map(([v, label]) => el('option', { value: v, text: label })));
      select.value = chosen;
      if (select.value !== chosen) { select.value = ''; this.state.filters[def.param] = ''; }
    }
  }

  query() {
    const p = new URLSearchParams();
    p.set('offset', this.state.offset);
    p.set('limit', this.state.limit);
    p.set('sort', this.state.sort);
    if (this.state.q) p.set('q', this.state.q);
    for (const [k, v] of Object.entries(this.state.filters)) if (v) p.set(k, v);
    return p.toString();
  }

  async load() {
    const mine = ++this.requests;
    this.loading = true;
    this.root.dataset.loading = 'true';
    const r = await api(`/api/counties/${this.ctx.county}/${this.def.route}?${this.query()}`);
    if (mine !== this.requests) return; // a later request answers for the current state
    this.loading = false;
    delete this.root.dataset.loading;
    if (r.ok) {
      this.page = r.data;
      this.error = null;
      // Deleting the last entry of the last page leaves an empty page: step back.
      if (r.data.items.length === 0 && r.data.total > 0 && this.state.offset > 0) {
        this.state.offset = Math.max(0, (Math.ceil(r.data.total / this.state.limit) - 1) * this.state.limit);
        return this.load();
      }
    } else {
      this.page = null;
      this.error = r;
    }
    this.render();
    this.root.dataset.loaded = String(this.requests);
  }

  render() {
    this.searchInput.placeholder = t(this.searchInput.dataset.i18nPlaceholder);
    this.searchInput.setAttribute('aria-label', t('ws.search.label'));
    for (const { def, select } of this.filterSelects) {
      select.setAttribute('aria-label', t(def.label));
      const chosen = select.value;
      for (const option of select.options) {
        const match = def.options().find(([v]) => v === option.value);
        if (match) option.textContent = match[1];
      }
      select.value = chosen;
    }
    this.pager.setAttribute('aria-label', t('ws.pager'));
    const tree = this.view === 'tree';
    for (const b of this.viewSwitch?.querySelectorAll('button') ?? []) b.setAttribute('aria-pressed', String(b.dataset.view === this.view));
    this.treeBox.hidden = !tree;
    this.table.parentElement.hidden = tree;
    this.pager.hidden = tree;
    if (tree) this.renderTree();
    this.renderTable();
    this.renderPager();
  }

  /**
   * The whole register as its tree, from the entries the workspace holds for references (refs): roots are the
   * entries without a parent, or whose parent is not there; an entry is drawn once even if the data had a cycle.
   */
  renderTree() {
    const items = this.ctx.treeItems?.(this.key) ?? [];
    const { idField } = this.def;
    const parent = this.def.tree.parent;
    const ids = new Set(items.map(i => i[idField]));
    const children = new Map();
    for (const item of items) {
      const p = item[parent] && ids.has(item[parent]) ? item[parent] : '';
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(item);
    }
    const drawn = new Set();
    const branch = p => el('ul', { role: p ? 'group' : 'tree' }, (children.get(p) ?? [])
      .filter(item => !drawn.has(item[idField]))
      .map(item => {
        const id = item[idField];
        drawn.add(id);
        const below = children.has(id) ? branch(id) : null;
        return el('li', { role: 'treeitem', dataset: { id }, 'aria-expanded': below ? 'true' : undefined },
          el('button', { type: 'button', className: id === this.selected ? 'node selected' : 'node', on: { click: () => this.ctx.onOpen(this.key, item) } },
            el('code', { text: id }), ' ', el('span', { text: item.name }),
            this.def.treeNote ? el('span', { className: 'muted', text: ` · ${this.def.treeNote(item)}` }) : null),
          below);
      }));
    this.treeBox.replaceChildren(items.length ? branch('') : el('p', { className: 'muted', i18n: 'ws.tree.none' }));
  }

  renderTable() {
    const head = el('tr', {}, this.def.columns.map(c => {
      const th = el('th', { scope: 'col', className: c.num ? 'num' : '', dataset: { col: c.key } });
      if (!c.sort) { th.textContent = t(c.label); return th; }
      const current = this.state.sort.replace('-', '') === c.sort;
      const descending = this.state.sort.startsWith('-');
      th.dataset.sort = c.sort;
      th.setAttribute('aria-sort', current ? (descending ? 'descending' : 'ascending') : 'none');
      th.append(el('button', {
        type: 'button', className: 'sort', title: t('ws.sortBy'),
        on: { click: () => {
          this.state.sort = current && !descending ? `-${c.sort}` : c.sort;
          this.state.offset = 0;
          this.load();
        } },
      }, t(c.label), el('span', { className: 'arrow', 'aria-hidden': 'true', text: current ? (descending ? '▼' : '▲') : '↕' })));
      return th;
    }));
    const rows = (this.page?.items ?? []).map(item => {
      const id = item[this.def.idField];
      const tr = el('tr', {
        dataset: { id }, tabindex: '0', className: id === this.selected ? 'selected' : '',
        on: {
          click: () => this.ctx.onOpen(this.key, item),
          keydown: e => { if (e.key === 'Enter') this.ctx.onOpen(this.key, item); },
        },
      }, this.def.columns.map(c => el('td', { className: c.num ? 'num' : '', dataset: { col: c.key } }, c.cell(item))));
      return tr;
    });
    this.table.replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
    if (this.error) {
      this.status.className = 'table-status error';
      this.status.textContent = problemText(this.error);
    } else if (this.page && this.page.items.length === 0) {
      this.status.className = 'table-status muted';
      this.status.textContent = t(this.state.q || Object.values(this.state.filters).some(Boolean) ? 'ws.empty.filtered' : 'ws.empty');
    } else {
      this.status.className = 'table-status';
      this.status.textContent = '';
    }
  }

  renderPager() {
    const total = this.page?.total ?? 0;
    const { offset, limit } = this.state;
    const pages = Math.max(1, Math.ceil(total / limit));
    const current = Math.floor(offset / limit) + 1;
    const go = o => { this.state.offset = Math.max(0, o); this.load(); };
    const button = (page, label, target, disabled) => el('button', {
      type: 'button', dataset: { page }, disabled, 'aria-label': t(label), title: t(label), on: { click: () => go(target) },
    }, t(label));
    const first = total === 0 ? 0 : offset + 1;
    const last = Math.min(total, offset + (this.page?.items.length ?? 0));
    const size = el('select', {
      dataset: { role: 'page-size' }, 'aria-label': t('ws.pageSize'),
      on: { change: e => { this.state.limit = Number(e.target.value); this.state.offset = 0; this.load(); } },
    }, PAGE_SIZES.map(n => el('option', { value: String(n), text: `${n} ${t('ws.perPage')}` })));
    size.value = String(limit);
    const jump = el('input', {
      type: 'number', min: 1, max: pages, value: String(current), dataset: { role: 'page' }, 'aria-label': t('ws.page'),
      on: { change: e => { const n = Math.min(pages, Math.max(1, Math.round(Number(e.target.value) || 1))); go((n - 1) * limit); } },
    });
    this.pager.replaceChildren(
      el('span', { className: 'range', dataset: { role: 'range', total: String(total), first: String(first), last: String(last) } },
        t('ws.range').replace('{first}', integer(first)).replace('{last}', integer(last)).replace('{total}', integer(total))),
      el('span', { className: 'spacer' }),
      size,
      button('first', 'ws.page.first', 0, current <= 1),
      button('prev', 'ws.page.prev', offset - limit, current <= 1),
      el('label', { className: 'page-of' }, el('span', { text: t('ws.page') }), jump, el('span', { text: `/ ${integer(pages)}` })),
      button('next', 'ws.page.next', offset + limit, current >= pages),
      button('last', 'ws.page.last', (pages - 1) * limit, current >= pages));
  }

  async export() {
    this.exportButton.disabled = true;
    try {
      const r = await download(`/api/counties/${this.ctx.county}/${this.def.route}.xlsx`, `${this.def.route}-${this.ctx.county}.xlsx`);
      if (!r.ok) toast(`${t('ws.export.failed')}: ${problemText(r)}`, 'error');
    } finally {
      this.exportButton.disabled = false;
    }
  }

  select(id) {
    this.selected = id;
    for (const tr of this.table.querySelectorAll('tbody tr')) tr.classList.toggle('selected', tr.dataset.id === id);
    for (const node of this.treeBox.querySelectorAll('li')) node.querySelector(':scope > button')?.classList.toggle('selected', node.dataset.id === id);
  }
}
