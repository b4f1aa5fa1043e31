// Analytics: the top 10 products as a donut (their shares of the ten's events, written in the
// slices, and in a table beside it), the categories by events, and the catalog's prices as a
// histogram. All from GET /api/stats; tooltips on hover.
import * as api from '../api';
import { barChart, donutChart, kPalette } from '../charts';
import { count, h, itemHref, price } from '../dom';

const kCategories = 15;

export async function renderAnalytics(view: HTMLElement): Promise<void> {
  const s = await api.stats();
  view.append(h('h1', {}, 'Analytics'));

  const top = s.top_items;
  const total = top.reduce((sum, t) => sum + t.events, 0);
  const share = (events: number): string => `${((100 * events) / Math.max(1, total)).toFixed(1)}%`;
  const donut = h('canvas', { role: 'img', 'aria-label': 'Shares of the top 10 products (the table beside lists them)' });
  const legend = h(
    'div',
    { class: 'table-box' },
    h(
      'table',
      { 'aria-label': 'Top 10 products', id: 'top-products' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col', class: 'num' }, 'Events'), h('th', { scope: 'col', class: 'num' }, 'Share'))),
      h(
        'tbody',
        {},
        top.map((t, i) =>
          h(
            'tr',
            { 'data-item': t.item_id },
            h('td', {}, h('span', { class: 'swatch', 'data-colour': String(i), 'aria-hidden': 'true' })),
            h('td', {}, h('a', { href: itemHref(t.item_id), class: 'name' }, t.name ?? t.item_id)),
            h('td', { class: 'num' }, count(t.events)),
            h('td', { class: 'num share' }, share(t.events)),
          ),
        ),
      ),
    ),
  );
  view.append(
    h('section', {}, h('h2', {}, 'Top 10 products'), h('p', { class: 'muted' }, 'Each product\'s share of the ten\'s events.'),
      h('div', { class: 'columns' }, h('div', { class: 'chart donut' }, donut), legend)),
  );
  // The swatches take the slices' colours (a style attribute would need 'unsafe-inline').
  legend.querySelectorAll<HTMLElement>('.swatch').forEach((el) => (el.style.background = kPalette[Number(el.dataset.colour)]));

  const categories = s.categories.slice(0, kCategories);
  const bins = s.price_histogram.bins;
  const categoryCanvas = h('canvas', { role: 'img', 'aria-label': 'Events by category' });
  const priceCanvas = h('canvas', { role: 'img', 'aria-label': 'Products by price' });
  view.append(
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        { id: 'categories' },
        h('h2', {}, 'Categories'),
        categories.length
          ? h('div', { class: 'chart' }, categoryCanvas)
          : h('p', { class: 'muted' }, 'The catalog has no categories.'),
        s.categories.length > kCategories ? h('p', { class: 'muted' }, `The ${kCategories} with the most events of ${count(s.categories.length)}.`) : null,
      ),
      h(
        'section',
        { id: 'prices' },
        h('h2', {}, 'Prices'),
        bins.length ? h('div', { class: 'chart' }, priceCanvas) : h('p', { class: 'muted' }, 'The catalog has no prices.'),
        h('p', { class: 'muted' }, `${count(s.items_with_price)} products with a price, average ${price(s.average_price)}` +
          (s.price_histogram.above ? `; ${count(s.price_histogram.above)} above ${price(bins[bins.length - 1]?.to)} not drawn.` : '.')),
      ),
    ),
  );
  donutChart(donut, top.map((t) => t.name ?? t.item_id), top.map((t) => t.events));
  if (categories.length) barChart(categoryCanvas, categories.map((c) => c.label), categories.map((c) => c.events), 'events');
  if (bins.length) barChart(priceCanvas, bins.map((b) => `${price(b.from)}–${price(b.to)}`), bins.map((b) => b.items), 'products', false);
}
