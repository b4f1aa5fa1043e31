// The Prometheus text format (0.0.4) as /metrics writes it: samples with labels, and quantiles
// of a histogram the way Prometheus's histogram_quantile estimates them (linear within a bucket).

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const kLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const kLabel = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = kLine.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(kLabel)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1], labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return samples;
}

export function total(samples: Sample[], name: string, where: (labels: Record<string, string>) => boolean = () => true): number {
  return samples.filter((s) => s.name === name && where(s.labels)).reduce((sum, s) => sum + s.value, 0);
}

// Cumulative buckets (upper bound -> count, summed over the series `where` keeps).
export function buckets(samples: Sample[], histogram: string, where: (labels: Record<string, string>) => boolean = () => true): [number, number][] {
  const byBound = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${histogram}_bucket` || !where(s.labels)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byBound.set(le, (byBound.get(le) ?? 0) + s.value);
  }
  return [...byBound].sort((a, b) => a[0] - b[0]);
}

// The q-quantile (0..1) of cumulative buckets; null without observations. Past the last finite
// bound it answers that bound (as Prometheus does).
export function quantile(cumulative: [number, number][], q: number): number | null {
  const count = cumulative.length ? cumulative[cumulative.length - 1][1] : 0;
  if (count === 0) return null;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, c] of cumulative) {
    if (c >= rank) {
      if (bound === Infinity) return lowerBound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / Math.max(1e-12, c - lowerCount);
    }
    lowerBound = bound;
    lowerCount = c;
  }
  return lowerBound;
}
