// Monitoring: the server's own numbers from GET /metrics, read every few seconds while the page
// is open: requests and their rate, latency percentiles, errors, cache hit rate, feedback, model
// version and age, and the same per route. The dashboard's own requests are counted too.
import { count, h } from '../dom';
import { buckets, parseMetrics, quantile, total, type Sample } from '../prometheus';

const kEverySeconds = 5;
const kDuration = 'aisle_http_request_duration_seconds';

function ms(seconds: number | null): string {
  return seconds === null ? '—' : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
}

function age(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

async function read(): Promise<Sample[]> {
  const response = await fetch('/metrics');
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  return parseMetrics(await response.text());
}

export async function renderMonitoring(view: HTMLElement, stillShown: () => boolean): Promise<void> {
  let previous: { at: number; requests: number } | null = null;
  const body = h('div', {});
  const note = h('p', { class: 'muted' }, `Read from /metrics every ${kEverySeconds} s while this page is open.`);
  view.append(h('h1', {}, 'Monitoring'), note, body);

  const update = async (): Promise<void> => {
    const samples = await read();
    const now = performance.now();
    const requests = total(samples, 'aisle_http_requests_total');
    const rate = previous ? ((requests - previous.requests) * 1000) / (now - previous.at) : null;
    previous = { at: now, requests };
    const all = buckets(samples, kDuration);
    const errors = total(samples, 'aisle_http_requests_total', (l) => Number(l.status) >= 500);
    const hits = total(samples, 'aisle_cache_hits_total');
    const misses = total(samples, 'aisle_cache_misses_total');
    const card = (label: string, value: string, id: string): HTMLElement =>
      h('div', { class: 'card', id }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value));
    const routes = [...new Set(samples.filter((s) => s.name === 'aisle_http_requests_total').map((s) => s.labels.route))].sort();
    const rows = routes.map((route) => {
      const here = (l: Record<string, string>): boolean => l.route === route;
      const b = buckets(samples, kDuration, here);
      return h(
        'tr',
        { 'data-route': route },
        h('td', {}, route),
        h('td', { class: 'num requests' }, count(total(samples, 'aisle_http_requests_total', here))),
        h('td', { class: 'num' }, count(total(samples, 'aisle_http_requests_total', (l) => here(l) && Number(l.status) >= 400))),
        h('td', { class: 'num' }, ms(quantile(b, 0.5))),
        h('td', { class: 'num' }, ms(quantile(b, 0.95))),
        h('td', { class: 'num' }, ms(quantile(b, 0.99))),
      );
    });
    body.replaceChildren(
      h(
        'div',
        { class: 'cards' },
        card('Requests', count(requests), 'mon-requests'),
        card('Request rate', rate === null ? '—' : `${rate.toFixed(1)}/s`, 'mon-rate'),
        card('Latency p50 / p95 / p99', `${ms(quantile(all, 0.5))} / ${ms(quantile(all, 0.95))} / ${ms(quantile(all, 0.99))}`, 'mon-latency'),
        card('Server errors (5xx)', count(errors), 'mon-errors'),
        card('Cache hit rate', hits + misses > 0 ? `${((100 * hits) / (hits + misses)).toFixed(1)}%` : '—', 'mon-cache'),
        card('Feedback accepted / refused', `${count(total(samples, 'aisle_feedback_accepted_total'))} / ${count(total(samples, 'aisle_feedback_rejected_total'))}`, 'mon-feedback'),
        card('Model version', count(total(samples, 'aisle_model_version')), 'mon-model'),
        card('Model age', age(total(samples, 'aisle_model_age_seconds')), 'mon-age'),
      ),
      h('h2', {}, 'By route'),
      h(
        'div',
        { class: 'table-box' },
        h(
          'table',
          { 'aria-label': 'Requests by route', id: 'routes' },
          h('thead', {}, h('tr', {}, ['Route', 'Requests', 'Errors (4xx, 5xx)', 'p50', 'p95', 'p99'].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
          h('tbody', {}, rows),
        ),
      ),
    );
  };
  await update();
  const timer = setInterval(() => {
    if (!stillShown()) {
      clearInterval(timer);
      return;
    }
    update().catch((e: unknown) => note.replaceChildren(`Could not read /metrics: ${e instanceof Error ? e.message : String(e)}`));
  }, kEverySeconds * 1000);
}
