// The one table of items the pages share: rank, image (only when some item has one), product (a
// link to its page, with its id), category, price, then the page's own columns.
import type { ItemRow } from './api';
import { h, itemHref, price, thumbnail } from './dom';

export interface Column<T> {
  head: string;
  numeric?: boolean;
  key?: string; // a class on its cells
  cell: (item: T) => string | number | Node;
}

export function itemTable<T extends ItemRow>(items: T[], label: string, extra: Column<T>[], ranked = true): HTMLElement {
  const columns: Column<T>[] = [];
  if (ranked) columns.push({ head: '#', numeric: true, cell: (it) => items.indexOf(it) + 1 });
  if (items.some((it) => it.image_url)) columns.push({ head: '', cell: (it) => thumbnail(it.image_url, it.name ?? it.item_id) });
  columns.push(
    {
      head: 'Product',
      cell: (it) => h('span', {}, h('a', { href: itemHref(it.item_id), class: 'name' }, it.name ?? it.item_id), h('div', { class: 'id' }, it.item_id)),
    },
    { head: 'Category', key: 'category', cell: (it) => it.category ?? '—' },
    { head: 'Price', key: 'price', numeric: true, cell: (it) => price(it.price) },
    ...extra,
  );
  const cls = (c: Column<T>): string | null => [c.numeric ? 'num' : '', c.key ?? ''].join(' ').trim() || null;
  return h(
    'div',
    { class: 'table-box' },
    h(
      'table',
      { 'aria-label': label },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: cls(c) }, c.head)))),
      h(
        'tbody',
        {},
        items.map((it) => h('tr', { 'data-item': it.item_id }, columns.map((c) => h('td', { class: cls(c) }, c.cell(it))))),
      ),
    ),
  );
}
