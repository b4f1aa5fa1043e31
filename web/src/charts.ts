// Chart.js, registered with only the pieces the pages draw (esbuild drops the rest), and the
// charts the pages use. Tooltips on hover everywhere.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type Plugin,
} from 'chart.js';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

const kAccent = '#2f6f5e';
// Ten colours that stay apart for common colour blindness (Okabe-Ito, then two greys).
export const kPalette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000', '#7f7f7f', '#bdbdbd'];

// A line of counts over labelled points.
export function lineChart(canvas: HTMLCanvasElement, labels: string[], values: number[], label: string): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [{ label, data: values, borderColor: kAccent, backgroundColor: 'rgba(47,111,94,0.15)', fill: true, pointRadius: 2, tension: 0.2 }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true } },
    },
  });
}

// Bars, one per label: horizontal (a ranking) or vertical (a histogram).
export function barChart(canvas: HTMLCanvasElement, labels: string[], values: number[], label: string, horizontal = true): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label, data: values, backgroundColor: kAccent, categoryPercentage: horizontal ? 0.8 : 1, barPercentage: horizontal ? 0.9 : 0.95 }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: horizontal ? { x: { beginAtZero: true } } : { y: { beginAtZero: true } },
    },
  });
}

// Each slice's share in per cent, written inside it (slices under 4% stay unlabelled: the text
// would not fit; the tooltip and the table beside the chart still give them).
const sliceLabels: Plugin<'doughnut'> = {
  id: 'aisleSliceLabels',
  afterDatasetsDraw(chart) {
    const values = chart.data.datasets[0].data as number[];
    const total = values.reduce((a, b) => a + b, 0);
    const { ctx } = chart;
    ctx.save();
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    chart.getDatasetMeta(0).data.forEach((arc, i) => {
      const share = total > 0 ? (100 * values[i]) / total : 0;
      if (share < 4) return;
      const { x, y } = (arc as ArcElement).tooltipPosition(true);
      ctx.fillStyle = i === 6 || i === 9 ? '#000' : '#fff';
      ctx.fillText(`${share.toFixed(0)}%`, x, y);
    });
    ctx.restore();
  },
};

// A donut of shares, with percentages inside the slices.
export function donutChart(canvas: HTMLCanvasElement, labels: string[], values: number[]): Chart<'doughnut'> {
  return new Chart(canvas, {
    type: 'doughnut',
    data: { labels, datasets: [{ data: values, backgroundColor: kPalette.slice(0, values.length), borderWidth: 1 }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, cutout: '45%' },
    plugins: [sliceLabels],
  });
}
