import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import type { TopicFiguresView } from '../../src/shared/deployProtocol';
import { barChart, readChartTheme, themeChart, useLegend } from '../shared/charts';

/** The tuned bar's whisker: base mean + the paired interval of the difference, i.e. where the tuned mean plausibly lies. */
function whiskers(topics: () => readonly TopicFiguresView[], colour: () => string): Plugin<'bar'> {
  return {
    id: 'rftIntervals',
    afterDatasetsDraw(chart) {
      const meta = chart.getDatasetMeta(1);
      const y = chart.scales.y;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = colour();
      ctx.lineWidth = 1.5;
      topics().forEach((topic, index) => {
        const bar = meta.data[index] as unknown as { x: number } | undefined;
        if (!bar || !topic.ci || topic.base === null) return;
        const top = y.getPixelForValue(Math.min(1, topic.base + topic.ci[1]));
        const bottom = y.getPixelForValue(Math.max(0, topic.base + topic.ci[0]));
        ctx.beginPath();
        ctx.moveTo(bar.x, top);
        ctx.lineTo(bar.x, bottom);
        ctx.moveTo(bar.x - 5, top);
        ctx.lineTo(bar.x + 5, top);
        ctx.moveTo(bar.x - 5, bottom);
        ctx.lineTo(bar.x + 5, bottom);
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

/**
 * Per-topic means, base vs tuned, with the tuned bar's 95 % interval as a whisker; a regressed topic's tuned bar in
 * the theme's red. What is drawn is mirrored on `data-*` attributes and the aria-label for tests and screen readers.
 */
export class TopicChart {
  private readonly chart: Chart<'bar', number[], string>;
  private topics: readonly TopicFiguresView[] = [];
  private theme = readChartTheme();

  constructor(private readonly canvas: HTMLCanvasElement) {
    useLegend();
    this.chart = barChart(canvas, this.configuration());
  }

  show(topics: readonly TopicFiguresView[]): void {
    this.topics = topics;
    this.render();
  }

  applyTheme(): void {
    this.theme = readChartTheme();
    this.render();
  }

  private render(): void {
    const { chart, theme, topics } = this;
    chart.data.labels = topics.map((t) => shortName(t.topic));
    const [base, tuned] = chart.data.datasets;
    base.data = topics.map((t) => t.base ?? 0);
    base.backgroundColor = theme.muted;
    tuned.data = topics.map((t) => t.tuned ?? 0);
    tuned.backgroundColor = topics.map((t) => (t.verdict === 'regression' ? theme.red : theme.blue));
    themeChart(chart, theme);
    chart.update('none');
    const { dataset } = this.canvas;
    dataset.base = JSON.stringify(topics.map((t) => t.base));
    dataset.tuned = JSON.stringify(topics.map((t) => t.tuned));
    dataset.ci = JSON.stringify(topics.map((t) => t.ci));
    dataset.color = theme.blue;
    this.canvas.setAttribute('aria-label', `Mean score by topic, base vs tuned: ${topics.map((t) => `${t.topic}: ${t.base?.toFixed(2) ?? '–'} → ${t.tuned?.toFixed(2) ?? '–'}`).join('; ')}`);
  }

  private configuration(): ChartConfiguration<'bar', number[], string> {
    return {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Base', data: [], borderRadius: 2 },
          { label: 'Tuned', data: [], borderRadius: 2 },
        ],
      },
      options: {
        scales: { x: { grid: { display: false } }, y: { min: 0, max: 1, ticks: { stepSize: 0.2 } } },
        plugins: {
          legend: { display: true, position: 'bottom' },
          tooltip: { callbacks: { title: (items) => this.topics[items[0]?.dataIndex ?? 0]?.topic ?? '', label: (item) => `${item.dataset.label}: ${(item.raw as number).toFixed(2)}` } },
        },
      },
      plugins: [
        whiskers(
          () => this.topics,
          () => this.theme.foreground,
        ),
      ],
    };
  }
}

/** A topic path's last segment, for an axis label (the table and the tooltip name it whole). */
function shortName(topic: string): string {
  const last = topic.split('/').pop() || topic;
  return last.length > 24 ? `${last.slice(0, 23)}…` : last;
}
