// One ECharts chart in a React tree. Only the charts and components the app uses are
// registered (echarts/core keeps the bundle to what is imported), drawn on canvas. The chart
// follows its container's size (ResizeObserver), so it fits a phone, a laptop or a grid cell.
import { useEffect, useRef } from 'react';
import { BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, FunnelSeriesOption, HeatmapSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';

// Scatter, heatmap, titles and visual maps: the insights dashboards (communities as a map-like
// scatter coloured by penetration, the cohort heatmap, one funnel per channel side by side).
use([
  LineChart,
  BarChart,
  FunnelChart,
  ScatterChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  DataZoomComponent,
  TitleComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/** The options these charts may use: the registered series and components only. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | FunnelSeriesOption
  | ScatterSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TitleComponentOption
  | VisualMapComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | DataZoomComponentOption
>;

/** The app's palette (styles/app.css) so charts match the pages around them. */
export const CHART_COLORS = {
  green: '#2e8b4e',
  lightGreen: '#4caf6a',
  orange: '#f57c1f',
  blue: '#3a7bd5',
  purple: '#8e5ad6',
  red: '#d64545',
  ink: '#4d5a52',
  grid: '#e4e9e5',
} as const;

export function EChart({
  option,
  height = 260,
  testId,
  ariaLabel,
  notMerge = false,
  onClick,
}: {
  option: ChartOption;
  height?: number | string;
  testId?: string;
  ariaLabel?: string;
  /** Replace the whole option instead of merging (when series come and go). */
  notMerge?: boolean;
  /** A click on a data item: its index in the series' data and the series index. */
  onClick?: (dataIndex: number, seriesIndex: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p.dataIndex, p.seriesIndex ?? 0));
    // A frame's worth of resizes at once: dragging a window edge fires dozens.
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => c.resize());
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge, lazyUpdate: true });
  }, [option, notMerge]);

  return <div ref={box} className="echart" style={{ width: '100%', height }} data-testid={testId} role="img" aria-label={ariaLabel} />;
}
