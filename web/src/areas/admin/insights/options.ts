// ECharts options of the insights dashboards, one pure function per chart so the page stays
// about layout. Money on axes is in yuan (fen ÷ 100), rates in percent.
import type { TFunction } from 'i18next';
import { INSIGHT_CHANNELS, pct, type CohortsView, type CommunitiesView, type FunnelView, type InsightChannel, type RoutesView, type SkusView } from '../../../api/insights';
import { formatFen } from '../../../api/money';
import { CHART_COLORS, type ChartOption } from '../../../components/EChart';

export const CHANNEL_COLORS: Record<InsightChannel, string> = {
  group_buy: CHART_COLORS.green,
  live: CHART_COLORS.orange,
  store_online: CHART_COLORS.blue,
  store_counter: CHART_COLORS.purple,
};
const PALETTE = [CHART_COLORS.green, CHART_COLORS.blue, CHART_COLORS.orange, CHART_COLORS.purple, CHART_COLORS.lightGreen, CHART_COLORS.red, CHART_COLORS.ink];
const mmdd = (day: string) => day.slice(5);
const percent = (r: number | null) => (r === null ? 0 : Math.round(r * 1000) / 10);

/**
 * One funnel per channel side by side: views → clicks → orders as centred bars, each as wide as
 * its share of the channel's largest step (a transparent bar before it does the centring).
 * Bars rather than ECharts' funnel series: a channel with orders but no views (the counter has
 * no page to view) would draw as a diamond there, and here it is an empty row and a full one.
 */
export function funnelOption(v: FunnelView, t: TFunction): ChartOption {
  const n = INSIGHT_CHANNELS.length;
  const slot = 100 / n;
  const stepNames = [t('insights.funnel.views'), t('insights.funnel.clicks'), t('insights.funnel.orders')];
  const grids = v.channels.map((c, i) => ({ left: `${slot * i + 1.5}%`, width: `${slot - 3}%`, top: 64, bottom: 4 }));
  const perChannel = v.channels.map((c) => {
    const values = [c.views, c.clicks, c.orders];
    return { c, values, max: Math.max(1, ...values) };
  });
  return {
    tooltip: { trigger: 'item', formatter: (p) => { const q = p as unknown as { seriesName: string; name: string; value: number }; return `${q.seriesName}<br/>${q.name}: ${q.value}`; } },
    title: v.channels.map((c, i) => ({
      text: t(`insights.channel.${c.channel}`),
      subtext: `${t('insights.funnel.conversionOf', { pct: pct(c.conversion) })} · ${formatFen(c.gmvFen)}`,
      left: `${slot * i + slot / 2}%`,
      textAlign: 'center',
      top: 0,
      textStyle: { fontSize: 14, color: CHART_COLORS.ink },
      subtextStyle: { fontSize: 12 },
    })),
    grid: grids,
    xAxis: perChannel.map((p, i) => ({ type: 'value' as const, gridIndex: i, max: p.max, show: false })),
    yAxis: perChannel.map((_, i) => ({ type: 'category' as const, gridIndex: i, inverse: true, show: false, data: stepNames })),
    series: perChannel.flatMap(({ c, values, max }, i) => [
      {
        type: 'bar' as const,
        name: `${c.channel}-pad`,
        stack: c.channel,
        xAxisIndex: i,
        yAxisIndex: i,
        silent: true,
        tooltip: { show: false },
        itemStyle: { color: 'transparent' },
        data: values.map((x) => (max - x) / 2),
      },
      {
        type: 'bar' as const,
        name: t(`insights.channel.${c.channel}`),
        stack: c.channel,
        xAxisIndex: i,
        yAxisIndex: i,
        barCategoryGap: '18%',
        itemStyle: { color: CHANNEL_COLORS[c.channel], borderRadius: 3 },
        // Wide bars carry their label inside; narrow ones (and empty steps) beside them.
        data: values.map((x, k) => ({
          value: x,
          label: {
            show: true,
            position: x / max > 0.4 ? ('inside' as const) : ('right' as const),
            color: x / max > 0.4 ? '#fff' : CHART_COLORS.ink,
            formatter: `${stepNames[k]} ${x.toLocaleString('en-US')}`,
            fontSize: 12,
          },
        })),
      },
    ]),
  };
}

/** GMV (yuan) or orders per day, one line per channel. */
export function dailyOption(v: FunnelView, metric: 'gmv' | 'orders', t: TFunction): ChartOption {
  const days = [...new Set(v.days.map((d) => d.day))];
  const at = new Map(v.days.map((d) => [`${d.day}|${d.channel}`, d]));
  return {
    tooltip: { trigger: 'axis', ...(metric === 'gmv' ? { valueFormatter: (x) => formatFen(Math.round(Number(x) * 100)) } : {}) },
    legend: { top: 0 },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: days.map(mmdd), boundaryGap: false },
    yAxis: { type: 'value', minInterval: metric === 'orders' ? 1 : 0, axisLabel: metric === 'gmv' ? { formatter: (x: number) => `¥${x}` } : {} },
    series: INSIGHT_CHANNELS.map((c) => ({
      type: 'line' as const,
      name: t(`insights.channel.${c}`),
      smooth: true,
      showSymbol: days.length <= 31,
      color: CHANNEL_COLORS[c],
      data: days.map((d) => {
        const row = at.get(`${d}|${c}`);
        return metric === 'gmv' ? (row?.gmvFen ?? 0) / 100 : (row?.orders ?? 0);
      }),
    })),
  };
}

/**
 * Communities where they are (longitude across, latitude up), sized by households and coloured
 * by penetration: a map without tiles. Longitude is shrunk by cos(latitude) so distances look
 * right at the city's latitude.
 */
export function communitiesOption(v: CommunitiesView, t: TFunction): ChartOption {
  const cs = v.communities;
  const lat0 = cs.length ? cs.reduce((s, c) => s + c.lat, 0) / cs.length : 30;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const maxHouseholds = Math.max(1, ...cs.map((c) => c.households));
  // The scale ends at the best community (at least 1 %), so a district at low penetration still shows its spread.
  const maxPen = Math.max(0.01, ...cs.map((c) => c.penetration ?? 0));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const c = cs[(p as { dataIndex: number }).dataIndex];
        if (!c) return '';
        return [
          `<b>${c.name}</b>`,
          `${t('insights.communities.households')}: ${c.households}`,
          `${t('insights.communities.active')}: ${c.activeHouseholds}`,
          `${t('insights.communities.penetration')}: ${pct(c.penetration)}`,
        ].join('<br/>');
      },
    },
    grid: { left: 56, right: 90, top: 16, bottom: 36 },
    xAxis: { type: 'value', scale: true, name: t('insights.communities.lng'), nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (x: number) => (x / k).toFixed(2) }, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
    yAxis: { type: 'value', scale: true, name: t('insights.communities.lat'), axisLabel: { formatter: (x: number) => x.toFixed(2) }, splitLine: { lineStyle: { color: CHART_COLORS.grid } } },
    visualMap: {
      type: 'continuous',
      dimension: 3,
      min: 0,
      max: Math.ceil(maxPen * 1000) / 10,
      right: 4,
      top: 'middle',
      calculable: false,
      text: [t('insights.communities.penetration'), '0%'],
      formatter: (x) => `${Number(x).toFixed(0)}%`,
      inRange: { color: ['#d3ddd6', '#a8d5b3', CHART_COLORS.lightGreen, CHART_COLORS.green, '#17522d'] },
    },
    series: [
      {
        type: 'scatter',
        name: t('insights.communities.title'),
        symbolSize: (d: number[]) => 5 + (cs.length > 60 ? 10 : 18) * Math.sqrt((d[2] ?? 0) / maxHouseholds),
        itemStyle: { borderColor: '#fff', borderWidth: 1, opacity: 0.9 },
        // [x, y, households, penetration %]: size by households, colour by penetration.
        data: cs.map((c) => [c.lng * k, c.lat, c.households, (c.penetration ?? 0) * 100]),
      },
    ],
  };
}

/** First-order week down, weeks since across, coloured by repeat rate (week 0 is the cohort: 100 %). */
export function cohortsOption(v: CohortsView, t: TFunction): ChartOption {
  const width = Math.max(1, ...v.cohorts.map((c) => c.cells.length));
  const later = v.cohorts.flatMap((c) => c.cells.filter((cell) => cell.weeksSince > 0).map((cell) => cell.rate ?? 0));
  const max = Math.max(5, Math.ceil(Math.max(0, ...later) * 100));
  const data: Array<[number, number, number]> = [];
  v.cohorts.forEach((c, y) => c.cells.forEach((cell) => data.push([cell.weeksSince, y, percent(cell.rate)])));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const [x, y] = (p as unknown as { value: [number, number, number] }).value;
        const c = v.cohorts[y];
        const cell = c?.cells[x];
        if (!c || !cell) return '';
        return `${t('insights.cohorts.cohort')} ${c.week} (${c.buyers})<br/>${t('insights.cohorts.weekN', { n: x })}: ${cell.buyers} · ${pct(cell.rate)}`;
      },
    },
    grid: { left: 96, right: 16, top: 8, bottom: 56 },
    xAxis: { type: 'category', data: Array.from({ length: width }, (_, i) => t('insights.cohorts.weekN', { n: i })), splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: v.cohorts.map((c) => `${mmdd(c.week)} (${c.buyers})`), splitArea: { show: true } },
    visualMap: { type: 'continuous', min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, calculable: false, inRange: { color: ['#f2f5f2', CHART_COLORS.lightGreen, '#17522d'] } },
    series: [
      {
        type: 'heatmap',
        name: t('insights.cohorts.rate'),
        data,
        label: { show: width <= 14, formatter: (p) => `${(p.value as number[])[2]}%`, fontSize: 10 },
      },
    ],
  };
}

const SKU_BARS = 12;

/**
 * The SKUs with the most on offer, each bar its sell-through in parts per grid warehouse. With
 * no offer in the range (only store shelves sold), units sold per grid warehouse instead.
 */
export function skusOption(v: SkusView, t: TFunction): { option: ChartOption; byUnits: boolean } {
  const offered = v.skus.filter((s) => s.unitsOffered > 0);
  const byUnits = offered.length === 0;
  const skus = (byUnits ? [...v.skus].sort((a, b) => b.unitsSold - a.unitsSold) : offered).slice(0, SKU_BARS);
  const grids = [...new Map(v.rows.map((r) => [r.gridWarehouseId, r.gridWarehouseName ?? t('insights.skus.noGrid')])).entries()];
  const at = new Map(v.rows.map((r) => [`${r.gridWarehouseId}|${r.skuId}`, r]));
  return {
    byUnits,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (x) => (byUnits ? String(x) : `${Number(x).toFixed(1)}%`) },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 56, right: 16, top: 36, bottom: 64 },
      xAxis: { type: 'category', data: skus.map((s) => `${s.title} ${s.spec}`), axisLabel: { interval: 0, rotate: 30, width: 90, overflow: 'truncate' } },
      yAxis: { type: 'value', axisLabel: byUnits ? {} : { formatter: (x: number) => `${x}%` } },
      series: grids.map(([gid, name], i) => ({
        type: 'bar' as const,
        name,
        stack: 'sell',
        barMaxWidth: 36,
        color: PALETTE[i % PALETTE.length],
        data: skus.map((s) => {
          const r = at.get(`${gid}|${s.skuId}`);
          return byUnits ? (r?.unitsSold ?? 0) : percent(r?.sellThrough ?? null);
        }),
      })),
    },
  };
}

/** Shortage rate and after-sales rate per route, side by side. */
export function routesOption(v: RoutesView, t: TFunction): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (x) => `${Number(x).toFixed(1)}%` },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 64 },
    xAxis: { type: 'category', data: v.routes.map((r) => r.name), axisLabel: { interval: 0, rotate: v.routes.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: (x: number) => `${x}%` } },
    series: [
      { type: 'bar', name: t('insights.routes.shortageRate'), barMaxWidth: 28, color: CHART_COLORS.orange, data: v.routes.map((r) => percent(r.shortageRate)) },
      { type: 'bar', name: t('insights.routes.afterSalesRate'), barMaxWidth: 28, color: CHART_COLORS.red, data: v.routes.map((r) => percent(r.afterSalesRate)) },
    ],
  };
}
