// The county's to-do above its registers: what is due or late, the latest first, read again whenever the live
// summary moves (the list is the server's, made of the same reports as the figures).
import { api } from './api.js';
import { t, lang } from './i18n.js';
import { el, problemText } from './county-util.js';

/** How many items show before "all"; the rest are a click away. */
const FIRST = 8;

export class TodoView {
  /** open(key, id): opens an entry in the side panel; canOpen(key): whether this page shows that register. */
  constructor(county, { open, canOpen }) {
    this.county = county;
    this.open = open;
    this.canOpen = canOpen;
    this.items = null;
    this.all = false;
    this.title = el('h2', { id: 'todo-title' });
    this.list = el('ol', { className: 'todo-list', id: 'todo-list' });
    this.more = el('button', { type: 'button', className: 'link', id: 'todo-more', hidden: true, on: { click: () => { this.all = !this.all; this.render(); } } });
    this.root = el('section', { id: 'todo', className: 'todo', 'aria-labelledby': 'todo-title' }, this.title, this.list, this.more);
    this.seq = null;
    this.timer = null;
  }

  /** Reads the list again after a summary with a new seq: at most every half second. */
  changed(seq) {
    if (seq === this.seq) return;
    this.seq = seq;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), 500);
  }

  async load() {
    const r = await api(`/api/counties/${this.county}/todo`, { headers: { 'Accept-Language': lang() === 'en' ? 'en' : 'zh-CN' } });
    this.error = r.ok ? null : r;
    if (r.ok) this.items = r.data;
    this.render();
  }

  render() {
    const items = this.items ?? [];
    this.root.dataset.count = String(items.length);
    this.title.textContent = `${t('ws.todo')} (${items.length})`;
    if (this.error) { this.list.replaceChildren(el('li', { className: 'form-error', text: problemText(this.error) })); return; }
    if (!items.length) { this.list.replaceChildren(el('li', { className: 'muted', text: t('ws.todo.none') })); this.more.hidden = true; return; }
    const shown = this.all ? items : items.slice(0, FIRST);
    this.list.replaceChildren(...shown.map(x => {
      const late = x.daysLate == null ? '' : x.daysLate > 0 ? t('ws.todo.late').replace('{n}', x.daysLate) : x.daysLate === 0 ? t('ws.todo.today') : t('ws.todo.left').replace('{n}', -x.daysLate);
      const text = this.canOpen(x.entity)
        ? el('a', { href: '#', text: x.text, on: { click: e => { e.preventDefault(); this.open(x.entity, x.id); } } })
        : el('span', { text: x.text });
      return el('li', { dataset: { kind: x.kind, id: x.id, late: x.daysLate > 0 ? 'true' : 'false' } },
        el('span', { className: 'todo-kind', text: t(`ws.todoKind.${x.kind}`) }), ' ', text,
        late ? el('span', { className: 'todo-late', text: ` · ${late}` }) : null);
    }));
    this.more.hidden = items.length <= FIRST;
    this.more.textContent = this.all ? t('ws.todo.fewer') : t('ws.todo.all').replace('{n}', items.length);
  }
}
