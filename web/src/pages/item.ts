// An item: its catalog fields, the items the model finds similar, and who bought it with what
// (GET /api/items/{id}/bought-with: the other items of the customers who have it, with how
// many of them and the lift); every item a link to its page.
// Route: #/item/<id>
import * as api from '../api';
import { count, errorBox, h, price, score, thumbnail } from '../dom';
import { itemTable } from '../items';

const kSimilar = 10;
const kBoughtWith = 10;

export async function renderItem(view: HTMLElement, id: string): Promise<void> {
  const [item, similar, boughtWith] = await Promise.allSettled([api.item(id), api.similar(id, kSimilar), api.boughtWith(id, kBoughtWith)]);
  if (item.status === 'rejected') {
    view.append(h('h1', {}, id), errorBox(item.reason));
    return;
  }
  const it = item.value;
  const availability = it.available === null ? 'unknown' : it.available ? 'in stock' : 'out of stock';
  view.append(
    h(
      'div',
      { class: 'item-head' },
      it.image_url ? thumbnail(it.image_url, it.name ?? it.item_id) : null,
      h(
        'div',
        {},
        h('h1', { id: 'item-name' }, it.name ?? it.item_id),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Id'),
          h('dd', { id: 'item-id' }, it.item_id),
          h('dt', {}, 'Price'),
          h('dd', {}, price(it.price)),
          h('dt', {}, 'Categories'),
          h('dd', {}, it.categories.length ? it.categories.join(', ') : '—'),
          h('dt', {}, 'Availability'),
          h('dd', {}, availability),
          h('dt', {}, 'Customers in training'),
          h('dd', {}, count(it.training_users)),
        ),
      ),
    ),
  );
  const section = h('section', { id: 'similar', 'aria-labelledby': 'similar-title' }, h('h2', { id: 'similar-title' }, 'Similar items'));
  const bought = h('section', { id: 'bought-with', 'aria-labelledby': 'bought-with-title' }, h('h2', { id: 'bought-with-title' }, 'Who bought it with what'));
  view.append(h('div', { class: 'columns' }, section, bought));
  if (similar.status === 'rejected') {
    section.append(errorBox(similar.reason));
  } else {
    section.append(
      similar.value.items.length
        ? itemTable(similar.value.items, 'Similar items', [{ head: 'Similarity', numeric: true, cell: (it) => score(it.score) }])
        : h('p', { class: 'muted' }, 'The model finds nothing similar.'),
    );
  }
  if (boughtWith.status === 'rejected') {
    bought.append(errorBox(boughtWith.reason));
    return;
  }
  const w = boughtWith.value;
  bought.append(
    h('p', { class: 'muted', id: 'buyers' }, `${count(w.buyers)} customers have it in their history; what else they have, by how many of them (lift: how much more often than among all customers).`),
    w.items.length
      ? itemTable(w.items, 'Bought with it', [
          { head: 'Customers', numeric: true, key: 'together', cell: (it) => count(it.together) },
          { head: 'Share', numeric: true, cell: (it) => `${(100 * it.share).toFixed(0)}%` },
          { head: 'Lift', numeric: true, cell: (it) => it.lift.toFixed(1) },
        ])
      : h('p', { class: 'muted' }, 'Nobody bought anything else with it.'),
  );
}
