// Recommendations: pick a user, see their history and their top 10 (names, images, prices,
// categories), filter by category (the server filters while it ranks, so ten still come back
// when ten are eligible), download the list as CSV.
// Route: #/recommendations?user=U&category=C
import * as api from '../api';
import { download, toCsv } from '../csv';
import { count, errorBox, h, score } from '../dom';
import { itemTable } from '../items';
import { go } from '../router';

const kTop = 10;

export async function renderRecommendations(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const user = (params.get('user') ?? '').trim();
  const category = params.get('category') ?? '';
  const stats = await api.stats().catch(() => null);

  const input = h('input', {
    id: 'user',
    name: 'user',
    type: 'search',
    value: user,
    list: 'known-users',
    placeholder: 'a customer id, e.g. ' + (stats?.active_users[0]?.user_id ?? '17850'),
    autocomplete: 'off',
    required: true,
  });
  const users = h(
    'datalist',
    { id: 'known-users' },
    (stats?.active_users ?? []).map((u) => h('option', { value: u.user_id }, `${count(u.events)} events`)),
  );
  const select = h(
    'select',
    { id: 'category', name: 'category', onchange: () => submit() },
    h('option', { value: '' }, 'All categories'),
    (stats?.categories ?? []).map((c) =>
      h('option', { value: c.id, selected: c.id === category }, `${c.label} (${count(c.items)})`),
    ),
  );
  if (category && !select.querySelector(`option[value="${CSS.escape(category)}"]`)) {
    select.append(h('option', { value: category, selected: true }, category));
  }
  const submit = (): void => {
    const next = new URLSearchParams();
    if (input.value.trim()) next.set('user', input.value.trim());
    if (select.value) next.set('category', select.value);
    go('recommendations', next);
  };
  const form = h(
    'form',
    {
      class: 'controls',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit();
      },
    },
    h('label', { for: 'user' }, 'Customer'),
    input,
    users,
    h('label', { for: 'category' }, 'Category'),
    select,
    h('button', { type: 'submit' }, 'Recommend'),
  );
  view.append(h('h1', {}, 'Recommendations'), form);
  if (stats && stats.categories.length === 0) select.disabled = true;
  if (!user) {
    view.append(h('p', { class: 'muted' }, 'Enter a customer id to see what aisle recommends to them.'));
    return;
  }

  const [top, past] = await Promise.allSettled([api.recommendations(user, kTop, category), api.history(user)]);
  const columns = h('div', { class: 'columns' });
  view.append(columns);
  columns.append(top.status === 'fulfilled' ? topSection(top.value, user, category) : errorBox(top.reason));
  columns.append(historySection(past, user));
}

function topSection(answer: api.Recommendations, user: string, category: string): HTMLElement {
  const csv = (): void => {
    const body = answer.items.map((it, i) => [i + 1, it.item_id, it.name, it.category, it.price, it.score]);
    const suffix = category ? `-${category}` : '';
    download(`recommendations-${user}${suffix}.csv`, toCsv(['rank', 'item_id', 'name', 'category', 'price', 'score'], body));
  };
  return h(
    'section',
    { 'aria-labelledby': 'top-title', id: 'top' },
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'top-title' }, `Top ${answer.items.length} for ${user}`),
      h('button', { type: 'button', id: 'csv', onclick: csv, disabled: answer.items.length === 0 }, 'Download CSV'),
    ),
    h('p', { class: 'muted' }, `served as ${answer.served_as.replace('_', ' ')} by model version ${answer.model.version}`),
    answer.warnings.map((w) => h('p', { class: 'warning' }, w)),
    answer.items.length === 0
      ? h('p', { class: 'muted' }, 'No item is eligible under this filter.')
      : itemTable(answer.items, `Top ${answer.items.length} recommendations`, [{ head: 'Score', numeric: true, cell: (it) => score(it.score) }]),
  );
}

function historySection(result: PromiseSettledResult<api.History>, user: string): HTMLElement {
  const section = h('section', { 'aria-labelledby': 'history-title', id: 'history' }, h('h2', { id: 'history-title' }, 'History'));
  if (result.status === 'rejected') {
    const e = result.reason;
    if (e instanceof api.ApiError && e.status === 404) {
      section.append(h('p', { class: 'muted' }, `${user} has no history the model knows of (a new customer gets the popular items).`));
    } else if (e instanceof api.ApiError && (e.status === 401 || e.status === 403)) {
      section.append(
        h('p', { class: 'muted' }, 'A history is personal data: this server wants its API token for it (enter it on the ', h('a', { href: '#/model' }, 'Model'), ' page).'),
      );
    } else {
      section.append(errorBox(e));
    }
    return section;
  }
  const newestFirst = [...result.value.training].sort(
    (a, b) => (b.last_time ?? '').localeCompare(a.last_time ?? '') || b.weight - a.weight,
  );
  section.append(
    h('p', { class: 'muted' }, `${count(result.value.training.length)} items in the model's training data, newest first` +
      (result.value.live.length ? `; ${result.value.live.length} more from live feedback` : '')),
    itemTable(
      newestFirst,
      'History',
      [
        { head: 'Weight', numeric: true, cell: (it) => it.weight },
        { head: 'Last', cell: (it) => it.last_time ?? '—' },
      ],
      false,
    ),
  );
  return section;
}
