// Session demo: an anonymous visitor's session built by searching products and clicking them;
// the recommendations for the session follow each click (POST /api/session/recommend: a route
// model answers with its session member), beside what the same visitor gets without a session
// (the popular list): cold start made visible. The session is kept in the URL
// (#/session?items=A,B), so it can be shared.
import * as api from '../api';
import { errorBox, h, score } from '../dom';
import { itemTable } from '../items';

const kTop = 10;
const kFound = 12;

export async function renderSession(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const session: string[] = (params.get('items') ?? '').split(',').filter((id) => id !== '');
  const names = new Map<string, string>();

  const search = h('input', { id: 'search', type: 'search', placeholder: 'a product name, e.g. heart', autocomplete: 'off' });
  const found = h('ul', { class: 'found', id: 'search-results', 'aria-live': 'polite' });
  const chosen = h('ol', { class: 'chosen', id: 'session-items' });
  const withSession = h('section', { id: 'session-recs', 'aria-labelledby': 'with-title' });
  const withoutSession = h('section', { id: 'cold-recs', 'aria-labelledby': 'without-title' });

  const update = async (): Promise<void> => {
    history.replaceState(null, '', session.length ? `#/session?items=${session.map(encodeURIComponent).join(',')}` : '#/session');
    chosen.replaceChildren(
      ...session.map((id, i) =>
        h('li', { 'data-item': id }, names.get(id) ?? id, ' ',
          h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${names.get(id) ?? id}`, onclick: () => { session.splice(i, 1); void update(); } }, 'Remove')),
      ),
    );
    if (session.length === 0) chosen.append(h('li', { class: 'muted' }, 'Nothing yet: search and add products.'));
    const items = [...session];
    try {
      const answer = session.length ? await api.sessionRecommend(items, kTop) : await api.popular(kTop);
      if (items.join(',') !== session.join(',')) return; // a newer click overtook this answer
      withSession.replaceChildren(
        h('h2', { id: 'with-title' }, 'With this session'),
        h('p', { class: 'muted' }, session.length ? `served as ${'served_as' in answer ? answer.served_as.replace('_', ' ') : 'popular'} by model version ${answer.model.version}` : 'An empty session: the popular items.'),
        itemTable(answer.items, 'Recommendations for the session', [{ head: 'Score', numeric: true, cell: (it) => score(it.score) }]),
      );
      withSession.dataset.items = items.join(',');
    } catch (error) {
      withSession.replaceChildren(h('h2', { id: 'with-title' }, 'With this session'), errorBox(error));
      withSession.dataset.items = items.join(',');
    }
  };
  const add = (item: api.ItemRow): void => {
    names.set(item.item_id, item.name ?? item.item_id);
    if (!session.includes(item.item_id)) session.push(item.item_id);
    void update();
  };

  let pending = 0;
  const find = async (): Promise<void> => {
    const text = search.value.trim();
    const mine = ++pending;
    if (!text) {
      found.replaceChildren();
      return;
    }
    try {
      const result = await api.searchItems(text, kFound);
      if (mine !== pending) return;
      found.replaceChildren(
        ...result.items.map((it) =>
          h('li', {}, h('button', { type: 'button', class: 'add', 'data-item': it.item_id, onclick: () => add(it) }, `+ ${it.name ?? it.item_id}`)),
        ),
      );
      if (result.items.length === 0) found.append(h('li', { class: 'muted' }, `No product matches “${text}”.`));
    } catch (error) {
      found.replaceChildren(h('li', {}, errorBox(error)));
    }
  };
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void find(), 250);
  });

  view.append(
    h('h1', {}, 'Session demo'),
    h('p', { class: 'muted' }, 'Build an anonymous visitor\'s session: find products and add them. The recommendations follow each click; on the right, what the same visitor gets without a session.'),
    h(
      'form',
      { class: 'controls', role: 'search', onsubmit: (e: Event) => { e.preventDefault(); void find(); } },
      h('label', { for: 'search' }, 'Find a product'),
      search,
      h('button', { type: 'submit' }, 'Search'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { session.length = 0; void update(); } }, 'Clear the session'),
    ),
    found,
    h('h2', {}, 'The session, oldest first'),
    chosen,
    h('div', { class: 'columns' }, withSession, withoutSession),
  );

  // Names for the items of a shared link, then the two lists.
  await Promise.all(session.map((id) => api.item(id).then((it) => names.set(id, it.name ?? id)).catch(() => undefined)));
  const cold = await api.popular(kTop);
  withoutSession.append(
    h('h2', { id: 'without-title' }, 'Without a session'),
    h('p', { class: 'muted' }, 'The popular items (cold start).'),
    itemTable(cold.items, 'Popular items', []),
  );
  await update();
}
