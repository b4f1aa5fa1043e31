// Session demo: an anonymous visitor's session built by searching products and clicking them;
// the recommendations for the session follow each click, one column per model the server holds
// (GET /api/models: the serving model, whose route answers with its session member, and each
// companion model of serve.companions, asked by name through POST /api/session/recommend),
// beside what the same visitor gets without a session (the popular list): cold start made
// visible. A companion still loading or failed says so instead of a list. The session is kept in
// the URL (#/session?items=A,B), so it can be shared.
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
  const withoutSession = h('section', { id: 'cold-recs', class: 'model-column', 'aria-labelledby': 'without-title' });
  const served = await api.models();
  const columns: { model: api.ServedModel; box: HTMLElement }[] = [served.serving, ...served.companions].map((model) => ({
    model,
    // The serving model's column keeps the id it always had (#session-recs).
    box: h('section', { id: model.name === 'serving' ? 'session-recs' : `session-recs-${model.name}`, class: 'model-column', 'data-model': model.name, 'aria-label': `Recommendations of ${model.name}` }),
  }));

  const title = (model: api.ServedModel): HTMLElement =>
    h('h2', {}, model.name === 'serving' ? 'Serving model' : model.name, h('div', { class: 'id' }, model.spec ?? model.model ?? ''));

  const fill = async (column: { model: api.ServedModel; box: HTMLElement }, items: string[]): Promise<void> => {
    const { model, box } = column;
    if (model.status !== 'ready') {
      box.replaceChildren(title(model), h('p', { class: model.status === 'loading' ? 'muted' : 'warning' }, model.status === 'loading' ? 'Still being trained: reload the page in a moment.' : model.status));
      box.dataset.items = items.join(',');
      return;
    }
    try {
      const answer = items.length ? await api.sessionRecommend(items, kTop, model.name) : await api.popular(kTop);
      if (items.join(',') !== session.join(',')) return; // a newer click overtook this answer
      box.replaceChildren(
        title(model),
        h('p', { class: 'muted' }, items.length ? `served as ${'served_as' in answer ? answer.served_as.replace('_', ' ') : 'popular'}` : 'An empty session: the popular items.'),
        itemTable(answer.items, `Recommendations of ${model.name} for the session`, [{ head: 'Score', numeric: true, cell: (it) => score(it.score) }]),
      );
    } catch (error) {
      box.replaceChildren(title(model), errorBox(error));
    }
    box.dataset.items = items.join(',');
  };

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
    await Promise.all(columns.map((column) => fill(column, items)));
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
    h('p', { class: 'muted' }, 'Build an anonymous visitor\'s session: find products and add them. The recommendations of each model the server holds follow each click; on the right, what the same visitor gets without a session.'),
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
    h('div', { class: 'model-columns' }, columns.map((c) => c.box), withoutSession),
  );

  // Names for the items of a shared link, then the lists.
  await Promise.all(session.map((id) => api.item(id).then((it) => names.set(id, it.name ?? id)).catch(() => undefined)));
  const cold = await api.popular(kTop);
  withoutSession.append(
    h('h2', { id: 'without-title' }, 'Without a session'),
    h('p', { class: 'muted' }, 'The popular items (cold start).'),
    itemTable(cold.items, 'Popular items', []),
  );
  await update();
}
