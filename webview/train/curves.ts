import type { Chart, ChartConfiguration, ChartDataset } from 'chart.js';
import type { MetricPointView } from '../../src/shared/trainProtocol';
import { lineChart, readChartTheme, themeChart, useLegend, type ChartTheme } from '../shared/charts';

type Point = { x: number; y: number };

/**
 * Train and validation reward by step, with the dry run's mean as a dashed baseline across them. What is drawn
 * is mirrored on `data-*` attributes of the canvas (and its aria-label) for tests and screen readers.
 */
export class RewardCurves {
  private readonly chart: Chart<'line', Point[]>;
  private points: readonly MetricPointView[] = [];
  private baseline: number | null = null;
  private theme = readChartTheme();

  constructor(private readonly canvas: HTMLCanvasElement) {
    useLegend();
    this.chart = lineChart(canvas, this.configuration());
  }

  show(points: readonly MetricPointView[], baseline: number | null): void {
    this.points = points;
    this.baseline = baseline;
    this.render();
  }

  applyTheme(): void {
    this.theme = readChartTheme();
    this.render();
  }

  private render(): void {
    const series = (key: 'train' | 'valid'): Point[] => this.points.flatMap((point) => (typeof point[key] === 'number' ? [{ x: point.step, y: point[key] as number }] : []));
    const train = series('train');
    const valid = series('valid');
    const steps = this.points.map((point) => point.step);
    const first = Math.min(0, ...steps);
    const last = Math.max(1, ...steps);
    const baseline: Point[] =
      this.baseline === null
        ? []
        : [
            { x: first, y: this.baseline },
            { x: last, y: this.baseline },
          ];
    const [trainSet, validSet, baselineSet] = this.chart.data.datasets;
    const colors = curveColors(this.theme);
    this.style(trainSet, train, colors.train);
    this.style(validSet, valid, colors.valid);
    this.style(baselineSet, baseline, colors.baseline);
    const x = this.chart.options.scales?.x;
    if (x) {
      x.min = first;
      x.max = last;
    }
    themeChart(this.chart, this.theme);
    this.chart.update('none');
    const { dataset } = this.canvas;
    dataset.train = JSON.stringify(train.map((p) => [p.x, p.y]));
    dataset.valid = JSON.stringify(valid.map((p) => [p.x, p.y]));
    dataset.baseline = this.baseline === null ? '' : String(this.baseline);
    dataset.colors = JSON.stringify(colors);
    const newest = (points: Point[]) => (points.length > 0 ? points[points.length - 1].y.toFixed(2) : 'none yet');
    this.canvas.setAttribute(
      'aria-label',
      `Reward by step: ${train.length} train points (newest ${newest(train)}), ${valid.length} validation points (newest ${newest(valid)})${this.baseline === null ? '' : `, dry-run baseline ${this.baseline.toFixed(2)}`}`,
    );
  }

  private style(set: ChartDataset<'line', Point[]>, data: Point[], color: string): void {
    set.data = data;
    set.borderColor = color;
    set.backgroundColor = color;
  }

  private configuration(): ChartConfiguration<'line', Point[]> {
    return {
      type: 'line',
      data: {
        datasets: [
          { label: 'Train reward', data: [], borderWidth: 2, pointRadius: 2, tension: 0.2 },
          { label: 'Validation reward', data: [], borderWidth: 2, pointRadius: 2, tension: 0.2 },
          { label: 'Dry-run baseline', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0 },
        ],
      },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'Step' }, ticks: { precision: 0 } },
          y: { suggestedMin: 0, suggestedMax: 1, title: { display: true, text: 'Reward' } },
        },
        plugins: { legend: { display: true, labels: { boxHeight: 2 } }, tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${(item.raw as Point).y.toFixed(3)}` } } },
      },
    };
  }
}

/** The reward curves' colours: train blue, validation green, the dry-run baseline yellow. */
function curveColors(theme: ChartTheme): { train: string; valid: string; baseline: string } {
  return { train: theme.blue, valid: theme.green, baseline: theme.yellow };
}

/** Colours for one line per grader, the theme's chart colours in order. */
function graderColors(theme: ChartTheme): string[] {
  return [theme.purple, theme.orange, theme.red, theme.blue, theme.green, theme.yellow];
}

/**
 * One line per grader (train reward by step; a dashed twin for validation where reported), as the fine-tuning
 * dashboard draws the graders of a multi grader under the overall curves. Mirrored on `data-graders` for tests.
 */
export class GraderCurves {
  private readonly chart: Chart<'line', Point[]>;
  private points: readonly MetricPointView[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {
    useLegend();
    this.chart = lineChart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', title: { display: true, text: 'Step' }, ticks: { precision: 0 } }, y: { suggestedMin: 0, suggestedMax: 1, title: { display: true, text: 'Reward' } } },
        plugins: { legend: { display: true, labels: { boxHeight: 2 } }, tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${(item.raw as Point).y.toFixed(3)}` } } },
      },
    });
  }

  /** The graders the points name, in the order they first appear. */
  static names(points: readonly MetricPointView[]): string[] {
    return [...new Set(points.flatMap((point) => Object.keys(point.graders ?? {})))];
  }

  show(points: readonly MetricPointView[]): void {
    this.points = points;
    this.render();
  }

  applyTheme(): void {
    this.render();
  }

  private render(): void {
    const theme = readChartTheme();
    const colors = graderColors(theme);
    const names = GraderCurves.names(this.points);
    const series = (name: string, key: 'train' | 'valid'): Point[] =>
      this.points.flatMap((point) => (typeof point.graders?.[name]?.[key] === 'number' ? [{ x: point.step, y: point.graders[name][key] as number }] : []));
    const mirrored: Record<string, { train: number[][]; valid: number[][] }> = {};
    this.chart.data.datasets = names.flatMap((name, index) => {
      const color = colors[index % colors.length];
      const train = series(name, 'train');
      const valid = series(name, 'valid');
      mirrored[name] = { train: train.map((p) => [p.x, p.y]), valid: valid.map((p) => [p.x, p.y]) };
      return [
        { label: `${name} (train)`, data: train, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 2, tension: 0.2 },
        ...(valid.length > 0 ? [{ label: `${name} (validation)`, data: valid, borderColor: color, backgroundColor: color, borderWidth: 1.5, borderDash: [4, 3], pointRadius: 2, tension: 0.2 }] : []),
      ];
    });
    const x = this.chart.options.scales?.x;
    if (x) {
      x.min = Math.min(0, ...this.points.map((point) => point.step));
      x.max = Math.max(1, ...this.points.map((point) => point.step));
    }
    themeChart(this.chart, theme);
    this.chart.update('none');
    this.canvas.dataset.graders = JSON.stringify(mirrored);
    this.canvas.setAttribute(
      'aria-label',
      `Reward by step per grader: ${names.map((name) => `${name} (newest train ${mirrored[name].train.at(-1)?.[1]?.toFixed(2) ?? 'none yet'})`).join(', ') || 'none reported'}`,
    );
  }
}
