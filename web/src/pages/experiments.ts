// Experiments: every experiment (GET /api/experiments) with its state and arms, the report of each
// (GET /api/experiments/{name}): per arm visitors, impressions, the click, add-to-cart and purchase
// rates and revenue per visitor with their 95% intervals, the lift against the control with the
// fixed-horizon and the always-valid p-value, and the sample-ratio check; start and stop (the
// admin routes, with the token given on the Model page). docs/EXPERIMENTS.md says what each
// number means.
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
    box.append(report.mode === 'ab' ? abReport(report) : h('pre', { class: 'spec' }, JSON.stringify(report, null, 2)));
  } catch (error) {
    box.append(errorBox(error));
  }
  return box;
}

export async function renderExperiments(view: HTMLElement, rerender: () => void): Promise<void> {
  const { experiments } = await api.experiments();
  view.append(h('h1', {}, 'Experiments'));
  if (experiments.length === 0) {
    view.append(h('p', { class: 'muted' }, 'No experiment is defined: see docs/EXPERIMENTS.md ([experiments.NAME] in aisle.toml, or POST /api/admin/experiments).'));
    return;
  }
  view.append(
    h('p', { class: 'muted' }, 'Intervals are 95%; the always-valid p-value may be read as often as you like, the other only once at the planned sample size. Start and stop need the API token where the server has one (give it on the Model page).'),
  );
  for (const e of experiments) view.append(await section(e, rerender));
}
