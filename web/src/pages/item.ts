// An item: its catalog fields and the items the model finds similar (each a link to its page).
// Route: #/item/<id>
import * as api from '../api';
import { count, errorBox, h, price, score, thumbnail } from '../dom';
import { itemTable } from '../items';

const kSimilar = 10;

export async function renderItem(view: HTMLElement, id: string): Promise<void> {
  const [item, similar] = await Promise.allSettled([api.item(id), api.similar(id, kSimilar)]);
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
  view.append(section);
  if (similar.status === 'rejected') {
    section.append(errorBox(similar.reason));
    return;
  }
  section.append(
    similar.value.items.length
      ? itemTable(similar.value.items, 'Similar items', [{ head: 'Similarity', numeric: true, cell: (it) => score(it.score) }])
      : h('p', { class: 'muted' }, 'The model finds nothing similar.'),
  );
}
