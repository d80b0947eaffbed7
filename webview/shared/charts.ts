// Chart.js for every page: only the controllers, elements and scales the pages draw (a bar page's bundle holds no
// line controller), the theme's colours from VS Code's `--vscode-*` variables, and the options every chart shares.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration, type DefaultDataPoint } from 'chart.js';

/** The theme's chart colours (fallbacks: VS Code's Dark Modern), read from the variables VS Code sets on the page. */
export interface ChartTheme {
  readonly blue: string;
  readonly green: string;
  readonly yellow: string;
  readonly orange: string;
  readonly red: string;
  readonly purple: string;
  /** Text on a chart: ticks, axis titles, the legend. */
  readonly foreground: string;
  /** Secondary text colour (`--vscode-descriptionForeground`), for a series drawn as the quiet one. */
  readonly muted: string;
  /** Grid lines and axis borders. */
  readonly grid: string;
  readonly fontFamily: string;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    blue: token('--vscode-charts-blue', '#3794ff'),
    green: token('--vscode-charts-green', '#89d185'),
    yellow: token('--vscode-charts-yellow', '#cca700'),
    orange: token('--vscode-charts-orange', '#d18616'),
    red: token('--vscode-charts-red', '#f14c4c'),
    purple: token('--vscode-charts-purple', '#b180d7'),
    foreground: token('--vscode-charts-foreground', '#cccccc'),
    muted: token('--vscode-descriptionForeground', '#9d9d9d'),
    grid: token('--vscode-charts-lines', 'rgba(204, 204, 204, 0.5)'),
    fontFamily: token('--vscode-font-family', 'system-ui, sans-serif'),
  };
}

/** What every chart shares: drawn at once (no animation, so a test or a screenshot sees the final frame) and sized by its box. */
function applySharedDefaults(): void {
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
}

/** A bar chart (category and linear axes, tooltip). */
export function barChart<Data = DefaultDataPoint<'bar'>, Label = unknown>(canvas: HTMLCanvasElement, config: ChartConfiguration<'bar', Data, Label>): Chart<'bar', Data, Label> {
  Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
  applySharedDefaults();
  return new Chart(canvas, config);
}

/** A line chart over linear axes (tooltip). */
export function lineChart<Data = DefaultDataPoint<'line'>, Label = unknown>(canvas: HTMLCanvasElement, config: ChartConfiguration<'line', Data, Label>): Chart<'line', Data, Label> {
  Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);
  applySharedDefaults();
  return new Chart(canvas, config);
}

/** Registers the legend, before making a chart that shows one (the dry-run histogram shows none, and its page does not carry it). */
export function useLegend(): void {
  Chart.register(Legend);
}

/** The parts of a chart's options the theme colours (any chart type has them). */
interface ThemedOptions {
  readonly scales?: Readonly<Record<string, { ticks?: object; grid?: object; border?: object; title?: object } | undefined>>;
  readonly plugins?: { readonly legend?: { labels?: object } };
}

/** Colours every axis (ticks, grid, border, title) and the legend in the theme's colours and font; then draw with `chart.update('none')`. */
export function themeChart(chart: { readonly options: ThemedOptions }, theme: ChartTheme): void {
  const font = { family: theme.fontFamily };
  for (const axis of Object.values(chart.options.scales ?? {})) {
    if (!axis) continue;
    axis.ticks = { ...axis.ticks, color: theme.foreground, font };
    axis.grid = { ...axis.grid, color: theme.grid };
    axis.border = { ...axis.border, color: theme.grid };
    if (axis.title) axis.title = { ...axis.title, color: theme.foreground, font };
  }
  const legend = chart.options.plugins?.legend;
  if (legend) legend.labels = { ...legend.labels, color: theme.foreground, font };
}

/** Calls `redraw` whenever VS Code switches the theme (it swaps the body's `vscode-dark`/`vscode-light` class). */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** `#rgb`/`#rrggbb` with an alpha; other colour syntaxes are returned as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return color;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const channel = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return `#${full}${channel}`;
}
