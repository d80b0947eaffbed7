import type { Chart, ChartConfiguration, TooltipItem } from 'chart.js';
import { barChart, readChartTheme, themeChart, useLegend, withAlpha } from '../shared/charts';
import { formatShare } from './format';
import type { TopicRow } from './rows';

const ROW_HEIGHT_PX = 30;
const AXES_HEIGHT_PX = 64;
/** Half the width of a target tick, as a fraction of the axis. */
const TARGET_TICK = 0.004;

type TargetBar = [number, number];

/**
 * Share per topic as horizontal bars, with each topic's target drawn as a thin tick across its bar. Leaves of an
 * expanded topic follow it, indented and lighter. The plotted data is mirrored on `data-*` attributes of the
 * canvas (labels, values, targets, colours) so tests and tools can read what is drawn.
 */
export class CoverageChart {
  private readonly chart: Chart<'bar', (number | TargetBar)[], string>;
  private rows: readonly TopicRow[] = [];
  private theme = readChartTheme();

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly box: HTMLElement,
    onRowClick: (row: TopicRow) => void,
  ) {
    useLegend();
    this.chart = barChart(
      canvas,
      this.configuration((index) => {
        const row = this.rows[index];
        if (row) onRowClick(row);
      }),
    );
  }

  show(rows: readonly TopicRow[]): void {
    this.rows = rows;
    this.box.style.height = `${AXES_HEIGHT_PX + ROW_HEIGHT_PX * Math.max(rows.length, 1)}px`;
    this.render();
  }

  /** Re-reads the theme's colours (after VS Code switched themes) and redraws. */
  applyTheme(): void {
    this.theme = readChartTheme();
    this.render();
  }

  destroy(): void {
    this.chart.destroy();
  }

  private render(): void {
    const labels = this.rows.map(({ topic }) => (topic.level === 2 ? `└ ${topic.name}` : topic.name));
    const shares = this.rows.map(({ topic }) => round(topic.share * 100));
    const targets = this.rows.map(({ topic }) => round(topic.target * 100));
    const axisMax = niceMax(Math.max(0, ...shares, ...targets) * 1.1);
    const tick = axisMax * TARGET_TICK;
    const [shareSet, targetSet] = this.chart.data.datasets;
    this.chart.data.labels = labels;
    shareSet.data = shares;
    shareSet.backgroundColor = this.rows.map(({ topic }) => (topic.level === 2 ? withAlpha(this.theme.blue, 0.6) : this.theme.blue));
    targetSet.data = targets.map((t): TargetBar => [Math.max(0, t - tick), t + tick]);
    targetSet.backgroundColor = this.theme.orange;
    const x = this.chart.options.scales?.x;
    if (x) x.max = axisMax;
    themeChart(this.chart, this.theme);
    this.chart.update('none');
    this.mirrorOnCanvas(labels, shares, targets);
  }

  private mirrorOnCanvas(labels: string[], shares: number[], targets: number[]): void {
    const { dataset } = this.canvas;
    dataset.labels = JSON.stringify(this.rows.map(({ topic }) => topic.name));
    dataset.paths = JSON.stringify(this.rows.map(({ topic }) => topic.path));
    dataset.values = JSON.stringify(shares);
    dataset.targets = JSON.stringify(targets);
    dataset.color = this.theme.blue;
    dataset.targetColor = this.theme.orange;
    this.canvas.setAttribute('aria-label', `Share per topic: ${labels.map((label, i) => `${label.replace('└ ', '')} ${shares[i]}% (target ${targets[i]}%)`).join('; ')}`);
  }

  private configuration(onIndexClick: (index: number) => void): ChartConfiguration<'bar', (number | TargetBar)[], string> {
    return {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          // Chart.js draws the lowest `order` last: the target ticks go on top of the share bars.
          { label: 'Share', data: [], order: 1, grouped: false, barPercentage: 0.7, categoryPercentage: 0.9, borderRadius: 2 },
          { label: 'Target', data: [], order: 0, grouped: false, barPercentage: 1, categoryPercentage: 0.9 },
        ],
      },
      options: {
        indexAxis: 'y',
        interaction: { mode: 'index', axis: 'y', intersect: false },
        scales: {
          x: { beginAtZero: true, ticks: { callback: (value) => `${value}%` } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 12, sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0) } },
          tooltip: { callbacks: { label: (item) => tooltipLabel(item) } },
        },
        onClick: (_event, elements) => {
          if (elements[0]) onIndexClick(elements[0].index);
        },
        onHover: (event, elements) => {
          const target = event.native?.target;
          if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
        },
      },
    };
  }
}

function tooltipLabel(item: TooltipItem<'bar'>): string {
  const raw = item.raw as number | TargetBar;
  const percent = Array.isArray(raw) ? (raw[0] + raw[1]) / 2 : raw;
  return `${item.dataset.label}: ${formatShare(percent / 100)}`;
}

function round(percent: number): number {
  return Math.round(percent * 100) / 100;
}

/** A round axis end a little above the largest value: 5, 10, 20, 25, 50, 100 steps. */
function niceMax(value: number): number {
  if (value <= 0) return 10;
  const step = [5, 10, 20, 25, 50, 100].find((s) => value / s <= 6) ?? 100;
  return Math.min(100, Math.ceil(value / step) * step);
}
