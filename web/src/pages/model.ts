// The models: what serves now (GET /api/model) with its parameters, the companion models
// (GET /api/models), every model the registry has with its parameter schema, the offline
// evaluation reports of serve.reports (GET /api/reports: metrics with their 95% intervals and
// the comparisons with the baseline), and a retrain from the store (POST /api/admin/retrain,
// with the API token when the server has one; the token stays in this tab's session storage,
// and the Recommendations page sends it for a customer's history too).
import * as api from '../api';
import { count, errorBox, h } from '../dom';

function table(label: string, id: string | null, heads: string[], rows: (string | Node)[][], numeric: number[] = []): HTMLElement {
  const cls = (i: number): string | null => (numeric.includes(i) ? 'num' : null);
  return h(
    'div',
    { class: 'table-box' },
    h(
      'table',
      { 'aria-label': label, id, class: 'params' },
      h('thead', {}, h('tr', {}, heads.map((c, i) => h('th', { scope: 'col', class: cls(i) }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: cls(i) }, c))))),
    ),
  );
}

function parametersTable(label: string, id: string, parameters: Record<string, string> | null | undefined): HTMLElement {
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No parameters.');
  return table(label, id, ['Parameter', 'Value'], entries.map(([k, v]) => [k, v]));
}

function rangeText(p: api.ParamSchema): string {
  if (p.type === 'choice') return (p.choices ?? []).join(' | ');
  return `${p.min} .. ${p.max}${p.log_scale ? ' (log)' : ''}`;
}

function registrySection(models: api.Models): HTMLElement {
  return h(
    'section',
    { id: 'registry', 'aria-labelledby': 'registry-title' },
    h('h2', { id: 'registry-title' }, 'Available models'),
    h('p', { class: 'muted' }, 'Every model aisle has, with its parameters (a spec is name:key=value,...; docs/MODELS.md).'),
    models.registry.map((m) =>
      h(
        'details',
        { class: 'registry-model', 'data-model': m.name },
        h('summary', {}, h('strong', {}, m.name), ` — ${m.summary}`, m.available ? null : h('span', { class: 'badge' }, 'not available in this build')),
        m.pipeline && m.members ? h('p', { class: 'muted' }, `Members: ${m.members}`) : null,
        m.parameters.length
          ? table(`Parameters of ${m.name}`, null, ['Parameter', 'Type', 'Default', 'Range', 'Meaning'], m.parameters.map((p) => [p.name, p.type, p.default, rangeText(p), p.help]))
          : h('p', { class: 'muted' }, 'No parameters.'),
      ),
    ),
  );
}

function servedSection(models: api.Models): HTMLElement {
  const rows = models.companions.map((c) => [c.name, c.model ?? '', c.status, c.spec ?? '—']);
  return h(
    'section',
    { id: 'companions', 'aria-labelledby': 'companions-title' },
    h('h2', { id: 'companions-title' }, 'Companion models'),
    rows.length
      ? h('div', {}, h('p', { class: 'muted' }, 'Served beside the serving model (serve.companions), for the session demo\'s side-by-side lists.'),
          table('Companion models', 'companions-table', ['Name', 'Configured as', 'Status', 'Specification'], rows))
      : h('p', { class: 'muted' }, 'None: serve.companions in aisle.toml names models to serve beside this one.'),
  );
}

const fixed = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const pText = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));
const liftText = (lift: number | null): string => (lift === null || !Number.isFinite(lift) ? 'n/a' : `${lift >= 0 ? '+' : ''}${(100 * lift).toFixed(1)}%`);

function reportSection(entry: api.Reports['reports'][number]): HTMLElement {
  const box = h('section', { class: 'report', 'data-report': entry.name }, h('h3', {}, entry.name, h('span', { class: 'id' }, ` ${entry.path}${entry.modified ? `, ${entry.modified}` : ''}`)));
  const r = entry.report;
  if (!r) {
    box.append(h('p', { class: 'warning' }, entry.error ?? 'not a report'));
    return box;
  }
  const metrics = [...new Set(r.models.flatMap((m) => Object.keys(m.metrics ?? {})))];
  const d = r.dataset;
  box.append(
    h('p', { class: 'muted' }, [r.split, r.ranking, d ? `${count(d.evaluated_users ?? 0)} users evaluated of ${count(d.users ?? 0)}, ${count(d.items ?? 0)} items` : null, r.baseline ? `baseline ${r.baseline}` : null].filter((x) => x).join('; ')),
    table(
      `Metrics of ${entry.name}`,
      null,
      ['Model', ...metrics],
      r.models.map((m) => [
        h('span', {}, h('strong', {}, m.label ?? m.spec), h('div', { class: 'id' }, m.spec)),
        ...metrics.map((name) => {
          const v = m.metrics[name];
          if (!v) return '—';
          return h('span', { class: 'metric', 'data-metric': name }, fixed(v.value), v.ci95 ? h('span', { class: 'interval' }, ` [${fixed(v.ci95[0])}, ${fixed(v.ci95[1])}]`) : null);
        }),
      ]),
    ),
  );
  const compared = r.models.filter((m) => m.vs_baseline && Object.keys(m.vs_baseline).length);
  if (compared.length) {
    const names = [...new Set(compared.flatMap((m) => Object.keys(m.vs_baseline ?? {})))];
    box.append(
      h('p', { class: 'muted' }, `Against the baseline (${r.baseline ?? 'the first model'}): lift and the paired test's p-value.`),
      table(
        `Comparisons of ${entry.name}`,
        null,
        ['Model', ...names],
        compared.map((m) => [
          m.label ?? m.spec,
          ...names.map((name) => {
            const c = m.vs_baseline?.[name];
            return c ? h('span', { class: c.p_value < 0.05 ? '' : 'muted' }, liftText(c.lift), h('span', { class: 'interval' }, ` p ${pText(c.p_value)}`)) : '—';
          }),
        ]),
      ),
    );
  }
  return box;
}

async function reportsSection(): Promise<HTMLElement> {
  const section = h('section', { id: 'reports', 'aria-labelledby': 'reports-title' }, h('h2', { id: 'reports-title' }, 'Offline evaluation reports'));
  try {
    const answer = await api.reports();
    if (answer.reports.length === 0) {
      section.append(h('p', { class: 'muted' }, answer.folder ? `No report.json in ${answer.folder}.` : 'None: serve.reports (or aisle serve --reports) names the folder aisle evaluate --out wrote.'));
    }
    for (const entry of answer.reports) section.append(reportSection(entry));
  } catch (error) {
    section.append(errorBox(error));
  }
  return section;
}

export async function renderModel(view: HTMLElement, rerender: () => void): Promise<void> {
  const [m, models] = await Promise.all([api.model(), api.models()]);
  const fact = (label: string, value: string | number | null): HTMLElement[] => [h('dt', {}, label), h('dd', {}, value === null ? '—' : String(value))];
  view.append(
    h('h1', {}, 'Models'),
    h('h2', {}, 'The serving model'),
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
    h('h2', {}, 'Its parameters'),
    parametersTable('Parameters of the serving model', 'serving-parameters', models.serving.parameters),
    servedSection(models),
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
    await reportsSection(),
    registrySection(models),
  );
}
