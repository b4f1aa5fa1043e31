// Overview: the shop in numbers (GET /api/stats, computed by the server once per model): users,
// items, events and their mix, average price, the most bought product (a link to its page), the
// most popular category, and events over time.
import * as api from '../api';
import { barChart, lineChart } from '../charts';
import { count, h, itemHref, price } from '../dom';

function card(label: string, value: Node | string, id: string): HTMLElement {
  return h('div', { class: 'card', id }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value));
}

export async function renderOverview(view: HTMLElement): Promise<void> {
  const s = await api.stats();
  const topCategory = s.categories[0];
  const bought = s.most_bought;
  view.append(
    h('h1', {}, 'Overview'),
    h('p', { class: 'muted' }, s.first_time && s.last_time ? `Events from ${s.first_time} to ${s.last_time}` : 'No events yet'),
    h(
      'div',
      { class: 'cards' },
      card('Customers', count(s.users), 'stat-users'),
      card('Products', count(s.items), 'stat-items'),
      card('Events', count(s.events), 'stat-events'),
      card('Average price', price(s.average_price), 'stat-price'),
      card(
        'Most bought',
        bought ? h('a', { href: itemHref(bought.item_id) }, bought.name ?? bought.item_id) : '—',
        'stat-most-bought',
      ),
      card('Most popular category', topCategory ? topCategory.label : '—', 'stat-category'),
    ),
  );
  const timeCanvas = h('canvas', { role: 'img', 'aria-label': `Events per ${s.events_over_time.bucket}` });
  const mixCanvas = h('canvas', { role: 'img', 'aria-label': 'Events by type' });
  const mixTable = h(
    'ul',
    { class: 'mix' },
    s.event_types.map((t) => h('li', {}, `${t.type}: ${count(t.events)} (${((100 * t.events) / Math.max(1, s.events)).toFixed(1)}%)`)),
  );
  view.append(
    h(
      'div',
      { class: 'columns' },
      h('section', {}, h('h2', {}, `Events per ${s.events_over_time.bucket}`), h('div', { class: 'chart' }, timeCanvas)),
      h('section', {}, h('h2', {}, 'Event mix'), h('div', { class: 'chart small' }, mixCanvas), mixTable),
    ),
  );
  const points = s.events_over_time.points;
  lineChart(timeCanvas, points.map((p) => p.start), points.map((p) => p.events), 'events');
  barChart(mixCanvas, s.event_types.map((t) => t.type), s.event_types.map((t) => t.events), 'events');

  const rows = s.top_items.map((t, i) =>
    h(
      'tr',
      { 'data-item': t.item_id },
      h('td', { class: 'num' }, i + 1),
      h('td', {}, h('a', { href: itemHref(t.item_id), class: 'name' }, t.name ?? t.item_id), h('div', { class: 'id' }, t.item_id)),
      h('td', { class: 'num' }, count(t.events)),
      h('td', { class: 'num' }, count(t.users)),
    ),
  );
  view.append(
    h(
      'section',
      {},
      h('h2', {}, 'Top products'),
      h(
        'div',
        { class: 'table-box' },
        h(
          'table',
          { 'aria-label': 'Top products' },
          h('thead', {}, h('tr', {}, ['#', 'Product', 'Events', 'Customers'].map((c) => h('th', { scope: 'col', class: c === 'Product' ? null : 'num' }, c)))),
          h('tbody', {}, rows),
        ),
      ),
    ),
  );
}
