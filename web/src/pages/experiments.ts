// Experiments: every experiment (GET /api/experiments) with its state and arms, the report of each
// (GET /api/experiments/{name}): per arm visitors, impressions, the click, add-to-cart and purchase
// rates and revenue per visitor with their 95% intervals, the lift against the control with the
// fixed-horizon and the always-valid p-value, and the sample-ratio check; start and stop (the
// admin routes, with the token given on the Models page); an interleaved experiment's report as
// its preference test; and a form that defines an experiment (POST /api/admin/experiments, the
// token). docs/EXPERIMENTS.md says what each number means.
import * as api from '../api';
import { count, errorBox, h } from '../dom';

type Rate = { value: number; lo: number; hi: number } | null;

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function rate(r: Rate): HTMLElement {
  if (!r) return h('span', { class: 'muted' }, '—');
  return h('span', {}, pct(r.value), h('span', { class: 'interval' }, ` [${pct(r.lo)}, ${pct(r.hi)}]`));
}

function money(r: Rate): HTMLElement {
  if (!r) return h('span', { class: 'muted' }, '—');
  return h('span', {}, r.value.toFixed(2), h('span', { class: 'interval' }, ` [${r.lo.toFixed(2)}, ${r.hi.toFixed(2)}]`));
}

function lift(arm: api.ExperimentArmReport, metric: 'click_rate' | 'add_to_cart_rate' | 'purchase_rate'): HTMLElement {
  const c = arm.vs_control?.[metric];
  if (!c) return h('span', { class: 'muted' }, arm.control ? 'control' : '—');
  const liftText = c.lift === null || !Number.isFinite(c.lift) ? 'n/a' : `${c.lift >= 0 ? '+' : ''}${pct(c.lift)}`;
  return h('span', {}, liftText, h('div', { class: 'interval' }, `p ${c.p_value.toFixed(3)}, always-valid p ${c.sequential_p_value.toFixed(3)}`));
}

function abReport(r: api.ExperimentReport): HTMLElement {
  const rows = r.arms.map((a) =>
    h(
      'tr',
      { 'data-arm': a.name },
      h('td', {}, h('strong', {}, a.name), a.control ? h('span', { class: 'badge' }, 'control') : null, h('div', { class: 'id' }, a.model)),
      h('td', { class: 'num visitors' }, count(a.visitors)),
      h('td', { class: 'num' }, count(a.impressions)),
      h('td', {}, rate(a.click_rate)),
      h('td', {}, lift(a, 'click_rate')),
      h('td', {}, rate(a.add_to_cart_rate)),
      h('td', {}, rate(a.purchase_rate)),
      h('td', {}, lift(a, 'purchase_rate')),
      h('td', {}, money(a.revenue_per_visitor)),
    ),
  );
  const heads = ['Arm', 'Visitors', 'Impressions', 'Click rate', 'Click lift', 'Add-to-cart rate', 'Purchase rate', 'Purchase lift', 'Revenue per visitor'];
  const srm = r.sample_ratio;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { 'aria-label': `Arms of ${r.name}`, class: 'arms' },
        h('thead', {}, h('tr', {}, heads.map((c, i) => h('th', { scope: 'col', class: i === 1 || i === 2 ? 'num' : null }, c)))),
        h('tbody', {}, rows),
      ),
    ),
    srm
      ? h(
          'p',
          { class: srm.mismatch ? 'error srm' : 'muted srm' },
          srm.mismatch
            ? `Sample ratio mismatch: the visitors do not follow the shares (chi-squared ${srm.chi_squared.toFixed(2)}, p ${srm.p_value.toExponential(2)} < ${srm.threshold}): believe no lift until the split is fixed.`
            : `Sample ratio: chi-squared ${srm.chi_squared.toFixed(2)}, p ${srm.p_value.toFixed(3)} (a mismatch below p ${srm.threshold}).`,
        )
      : null,
  );
}

function interleavingReport(r: api.ExperimentReport): HTMLElement {
  const x = r.interleaving;
  if (!x) return h('p', { class: 'muted' }, 'No report yet.');
  const [a, b] = x.arms;
  const decided = (x.prefer[a] ?? 0) + (x.prefer[b] ?? 0);
  const share = (n: number): string => (decided ? pct(n / decided) : '—');
  const rows = [a, b].map((arm) =>
    h('tr', { 'data-arm': arm }, h('td', {}, h('strong', {}, arm)), h('td', { class: 'num prefer' }, count(x.prefer[arm] ?? 0)), h('td', { class: 'num' }, share(x.prefer[arm] ?? 0))),
  );
  rows.push(h('tr', { 'data-arm': 'tie' }, h('td', {}, 'no preference (tie)'), h('td', { class: 'num prefer' }, count(x.prefer.tie ?? 0)), h('td', { class: 'num' }, '')));
  const favoured = x.delta > 0 ? b : x.delta < 0 ? a : null;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'table-box' },
      h(
        'table',
        { 'aria-label': `Interleaving of ${r.name}`, class: 'arms interleaving' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Preferred arm'), h('th', { scope: 'col', class: 'num' }, 'Visitors'), h('th', { scope: 'col', class: 'num' }, 'Share of those with a preference'))),
        h('tbody', {}, rows),
      ),
    ),
    h(
      'p',
      { class: 'muted interleaving-summary' },
      `${count(x.visitors)} visitors, ${count(x.impressions)} interleaved lists (${count(x.clicked_impressions)} clicked). ` +
        (favoured ? `${favoured} is preferred (${x.delta >= 0 ? '+' : ''}${pct(x.delta)} over an even split), ` : 'No arm is preferred, ') +
        `sign test p ${x.p_value.toFixed(3)}.`,
    ),
  );
}

// Defines an experiment of two arms (the admin route; the token given on the Models page).
function defineForm(rerender: () => void): HTMLElement {
  const input = (id: string, value: string, placeholder = ''): HTMLInputElement => h('input', { id, value, placeholder, autocomplete: 'off', required: true });
  const name = input('define-name', '', 'e.g. home-page');
  const armA = input('define-arm-a', 'control');
  const modelA = input('define-model-a', 'serving', 'serving, a spec, or file:PATH');
  const armB = input('define-arm-b', 'treatment');
  const modelB = input('define-model-b', '', 'e.g. popularity or als:factors=64');
  const mode = h('select', { id: 'define-mode' }, h('option', { value: 'ab' }, 'A/B'), h('option', { value: 'interleave' }, 'interleaving'));
  const result = h('div', { id: 'define-result', 'aria-live': 'polite' });
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await api.defineExperiment({
        name: name.value.trim(),
        mode: mode.value,
        arms: [
          { name: armA.value.trim(), model: modelA.value.trim(), share: 1 },
          { name: armB.value.trim(), model: modelB.value.trim(), share: 1 },
        ],
      });
      rerender();
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  };
  const row = (label: string, control: HTMLElement): HTMLElement[] => [h('label', { for: control.id }, label), control];
  return h(
    'section',
    { id: 'define', 'aria-labelledby': 'define-title' },
    h('h2', { id: 'define-title' }, 'Define an experiment'),
    h('p', { class: 'muted' }, 'Two arms with equal shares; a model is "serving", a spec the server trains from its store, or file:PATH. It starts when you press Start. Needs the API token where the server has one.'),
    h(
      'form',
      { class: 'define', onsubmit: (e: Event) => void submit(e) },
      row('Name', name),
      row('Mode', mode),
      row('First arm', armA),
      row('its model', modelA),
      row('Second arm', armB),
      row('its model', modelB),
      h('span', {}),
      h('button', { type: 'submit', id: 'define-submit' }, 'Define'),
    ),
    result,
  );
}

async function section(e: api.Experiment, rerender: () => void): Promise<HTMLElement> {
  const result = h('div', { 'aria-live': 'polite' });
  const act = async (action: 'start' | 'stop'): Promise<void> => {
    try {
      await api.experimentAction(e.name, action);
      rerender();
    } catch (error) {
      result.replaceChildren(errorBox(error));
    }
  };
  const running = ['running', 'scheduled', 'loading'].includes(e.state);
  const head = h(
    'div',
    { class: 'section-head' },
    h('h2', {}, e.name, ' ', h('span', { class: `badge state-${e.state}` }, e.state)),
    h('button', { type: 'button', class: 'secondary', 'data-action': running ? 'stop' : 'start', onclick: () => void act(running ? 'stop' : 'start') }, running ? 'Stop' : 'Start'),
  );
  const facts = h(
    'p',
    { class: 'muted' },
    `${e.mode === 'ab' ? 'A/B' : e.mode}, ${pct(e.traffic)} of layer ${e.layer}'s visitors, since ${e.start ?? '(not started)'}` +
      `${e.stop ? ` until ${e.stop}` : ''}, feedback within ${count(e.attribution_seconds / 3600)} h of a list counts (${e.source})`,
  );
  const box = h('section', { class: 'experiment', 'data-experiment': e.name }, head, facts, result);
  try {
    const report = await api.experiment(e.name);
    box.append(report.mode === 'ab' ? abReport(report) : interleavingReport(report));
  } catch (error) {
    box.append(errorBox(error));
  }
  return box;
}

export async function renderExperiments(view: HTMLElement, rerender: () => void): Promise<void> {
  const { experiments } = await api.experiments();
  view.append(h('h1', {}, 'Experiments'));
  if (experiments.length === 0) {
    view.append(h('p', { class: 'muted' }, 'No experiment is defined: define one below, or see docs/EXPERIMENTS.md ([experiments.NAME] in aisle.toml).'));
  } else {
    view.append(
      h('p', { class: 'muted' }, 'Intervals are 95%; the always-valid p-value may be read as often as you like, the other only once at the planned sample size. Start and stop need the API token where the server has one (give it on the Models page).'),
    );
  }
  for (const e of experiments) view.append(await section(e, rerender));
  view.append(defineForm(rerender));
}
