// Chart.js, registered with only the pieces the pages draw (esbuild drops the rest).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip);

const kAccent = '#2f6f5e';

// A line of counts over labelled points, with a tooltip per point.
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

// Horizontal bars, one per label.
export function barChart(canvas: HTMLCanvasElement, labels: string[], values: number[], label: string): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label, data: values, backgroundColor: kAccent }] },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { beginAtZero: true } },
    },
  });
}
