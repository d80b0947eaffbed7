import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { BIN_LABELS } from './format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** The chart's colours, from the theme's `--vscode-charts-*` tokens (fallbacks: VS Code's dark defaults). */
interface HistogramTheme {
  readonly bar: string;
  readonly foreground: string;
  readonly grid: string;
  readonly fontFamily: string;
}

function readTheme(): HistogramTheme {
  const style = getComputedStyle(document.body);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    bar: token('--vscode-charts-blue', '#3794ff'),
    foreground: token('--vscode-charts-foreground', '#cccccc'),
    grid: token('--vscode-charts-lines', 'rgba(204, 204, 204, 0.5)'),
    fontFamily: token('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

/**
 * The score distribution: ten bins over [0, 1], counts of samples. The plotted counts and colour are mirrored on
 * `data-*` attributes of the canvas (and its aria-label) so tests and screen readers can read what is drawn.
 */
export class Histogram {
  private readonly chart: Chart<'bar', number[], string>;
  private counts: readonly number[] = new Array(10).fill(0);
  private theme = readTheme();

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, this.configuration());
  }

  show(counts: readonly number[]): void {
    this.counts = Array.from({ length: 10 }, (_, i) => counts[i] ?? 0);
    this.render();
  }

  applyTheme(): void {
    this.theme = readTheme();
    this.render();
  }

  private render(): void {
    const [set] = this.chart.data.datasets;
    set.data = [...this.counts];
    set.backgroundColor = this.theme.bar;
    const { options } = this.chart;
    const font = { family: this.theme.fontFamily };
    const x = options.scales?.x;
    const y = options.scales?.y;
    if (x) {
      x.ticks = { ...x.ticks, color: this.theme.foreground, font };
      x.border = { ...x.border, color: this.theme.grid };
    }
    if (y) {
      y.ticks = { ...y.ticks, color: this.theme.foreground, font };
      y.grid = { ...y.grid, color: this.theme.grid };
      y.border = { ...y.border, color: this.theme.grid };
      y.suggestedMax = Math.max(1, ...this.counts);
    }
    this.chart.update('none');
    const { dataset } = this.canvas;
    dataset.values = JSON.stringify(this.counts);
    dataset.color = this.theme.bar;
    const total = this.counts.reduce((sum, n) => sum + n, 0);
    this.canvas.setAttribute('aria-label', `Score distribution of ${total} samples: ${BIN_LABELS.map((label, i) => `${label}: ${this.counts[i]}`).join('; ')}`);
  }

  private configuration(): ChartConfiguration<'bar', number[], string> {
    return {
      type: 'bar',
      data: { labels: [...BIN_LABELS], datasets: [{ label: 'Samples', data: [], barPercentage: 0.95, categoryPercentage: 1, borderRadius: 2 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { grid: { display: false }, title: { display: false } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => `Score ${items[0]?.label ?? ''}`, label: (item) => `${item.raw as number} samples` } } },
      },
    };
  }
}
