import type { Chart, ChartConfiguration } from 'chart.js';
import { barChart, readChartTheme, themeChart } from '../shared/charts';
import { BIN_LABELS } from './format';

/**
 * The score distribution: ten bins over [0, 1], counts of samples. The plotted counts and colour are mirrored on
 * `data-*` attributes of the canvas (and its aria-label) so tests and screen readers can read what is drawn.
 */
export class Histogram {
  private readonly chart: Chart<'bar', number[], string>;
  private counts: readonly number[] = new Array(10).fill(0);
  private theme = readChartTheme();

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.chart = barChart(canvas, this.configuration());
  }

  show(counts: readonly number[]): void {
    this.counts = Array.from({ length: 10 }, (_, i) => counts[i] ?? 0);
    this.render();
  }

  applyTheme(): void {
    this.theme = readChartTheme();
    this.render();
  }

  private render(): void {
    const [set] = this.chart.data.datasets;
    set.data = [...this.counts];
    set.backgroundColor = this.theme.blue;
    const y = this.chart.options.scales?.y;
    if (y) y.suggestedMax = Math.max(1, ...this.counts);
    themeChart(this.chart, this.theme);
    this.chart.update('none');
    const { dataset } = this.canvas;
    dataset.values = JSON.stringify(this.counts);
    dataset.color = this.theme.blue;
    const total = this.counts.reduce((sum, n) => sum + n, 0);
    this.canvas.setAttribute('aria-label', `Score distribution of ${total} samples: ${BIN_LABELS.map((label, i) => `${label}: ${this.counts[i]}`).join('; ')}`);
  }

  private configuration(): ChartConfiguration<'bar', number[], string> {
    return {
      type: 'bar',
      data: { labels: [...BIN_LABELS], datasets: [{ label: 'Samples', data: [], barPercentage: 0.95, categoryPercentage: 1, borderRadius: 2 }] },
      options: {
        scales: {
          x: { grid: { display: false }, title: { display: false } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => `Score ${items[0]?.label ?? ''}`, label: (item) => `${item.raw as number} samples` } } },
      },
    };
  }
}
