// The model: what serves now (GET /api/model), and a retrain from the store (POST
// /api/admin/retrain, with the API token when the server has one; the token stays in this tab's
// session storage, and the Recommendations page sends it for a customer's history too).
import * as api from '../api';
import { count, errorBox, h } from '../dom';

export async function renderModel(view: HTMLElement, rerender: () => void): Promise<void> {
  const m = await api.model();
  const fact = (label: string, value: string | number | null): HTMLElement[] => [h('dt', {}, label), h('dd', {}, value === null ? '—' : String(value))];
  view.append(
    h('h1', {}, 'Model'),
    h(
      'dl',
      { class: 'facts', id: 'model-facts' },
      fact('Kind', m.kind),
      fact('Version', m.version),
      fact('Source', m.source),
      fact('In service since', m.loaded_at),
      fact('Trained at', m.trained_at),
      fact('Data as of', m.data_as_of),
      fact('Customers', count(m.users)),
      fact('Products', count(m.items)),
      fact('Training pairs', count(m.training_pairs)),
      fact('Top lists cached', m.cache_depth ? `${m.cache_depth} per customer` : 'none'),
      fact('Approximate index', m.ann ? `hnsw (m=${m.ann.m}, ef_search=${m.ann.ef_search})` : 'none: answers are exact'),
      fact('Live feedback customers', count(m.live_feedback_users)),
      fact('Data fingerprint', m.data_fingerprint),
      fact('aisle version', m.aisle_version),
    ),
    h('h2', {}, 'Specification'),
    h('pre', { class: 'spec', id: 'model-spec' }, m.spec.replace(/; /g, ';\n  ')),
  );

  const token = h('input', { id: 'token', type: 'password', autocomplete: 'off', value: sessionStorage.getItem(api.kTokenKey) ?? '', placeholder: 'only when the server has one' });
  const result = h('div', { id: 'retrain-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'retrain' }, 'Retrain from the store');
  const retrain = async (e: Event): Promise<void> => {
    e.preventDefault();
    sessionStorage.setItem(api.kTokenKey, token.value);
    button.disabled = true;
    result.replaceChildren(h('p', { class: 'muted' }, 'Retraining… (the serving model answers meanwhile)'));
    try {
      const r = await api.retrain();
      result.replaceChildren(
        h('p', { class: r.accepted ? '' : 'warning' }, `${r.accepted ? 'In service' : 'Refused, the serving model stays'}: version ${r.version}, ${r.seconds.toFixed(1)} s. ${r.summary}`),
      );
      if (r.accepted) setTimeout(rerender, 1500);
    } catch (error) {
      result.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  };
  view.append(
    h('h2', {}, 'Retrain'),
    h('p', { class: 'muted' }, 'Fits this specification on the store\'s events now; the new model serves only if it is not clearly worse on held-out events.'),
    h('form', { class: 'controls', onsubmit: (e: Event) => void retrain(e) }, h('label', { for: 'token' }, 'API token'), token, button),
    result,
  );
}
