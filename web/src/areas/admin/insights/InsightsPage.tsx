// 经营洞察 (/admin/insights): the operator's dashboards over the read models — per channel
// funnels and daily series, communities as a map-like scatter, repeat cohorts, the leader
// league table, SKU sell-through by grid warehouse and route quality — for a region (with its
// sub-regions) and a date range, each table downloadable as CSV. Loaded only when opened (ECharts).
import type { TFunction } from 'i18next';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../api/fulfilment';
import { addDays, MAX_RANGE_DAYS, rangeDays, useInsights, type InsightsFilter, type InsightsTable, type LeadersPage, type SkusView } from '../../../api/insights';
import { EChart, type ChartOption } from '../../../components/EChart';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { CsvButton } from '../../../components/fulfilment/WavePanels';
import { RegionFilter } from '../filters';
import { useRefOptions } from '../lookups';
import { CommunitiesTable, FunnelTable, LeadersTable, RoutesTable, SkusTable } from './InsightsTables';
import { cohortsOption, communitiesOption, dailyOption, funnelOption, routesOption, skusOption } from './options';
import '../../../styles/insights.css';

const QUICK_RANGES = [7, 30, 90] as const;
const LEADERS_PER_PAGE = 20;

export default function InsightsPage() {
  const { t } = useTranslation();
  const today = chinaToday();
  const [regionId, setRegionId] = useState('');
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const regions = useRefOptions('regions');
  const rangeError = from > to ? t('insights.rangeReversed') : rangeDays(from, to) > MAX_RANGE_DAYS ? t('insights.rangeTooLong', { n: MAX_RANGE_DAYS }) : null;
  const filter: InsightsFilter = { regionId, from, to };
  const ok = rangeError === null && from !== '' && to !== '';

  const funnel = useInsights('funnel', filter, ok);
  const communities = useInsights('communities', filter, ok);
  const cohorts = useInsights('cohorts', filter, ok);
  // The league table's page belongs to a filter: another region or range starts at the top.
  const filterKey = `${regionId}|${from}|${to}`;
  const [paged, setPaged] = useState<{ key: string; page: LeadersPage }>({ key: filterKey, page: { sort: 'gmv', offset: 0, limit: LEADERS_PER_PAGE } });
  const leaderPage = paged.key === filterKey ? paged.page : { ...paged.page, offset: 0 };
  const setLeaderPage = (page: LeadersPage) => setPaged({ key: filterKey, page });
  const leaders = useInsights('leaders', filter, ok, { ...leaderPage });
  const skus = useInsights('skus', filter, ok);
  const routes = useInsights('routes', filter, ok);
  const all = [funnel, communities, cohorts, leaders, skus, routes];
  // For the browser test and anyone scripting the page: every chart has the current filter's data.
  const ready = ok && all.every((q) => q.data !== undefined && !q.isFetching && !q.isPlaceholderData);

  const csvQuery = { regionId: regionId || undefined, from, to, format: 'csv' };
  const leadersCsvQuery = { ...csvQuery, sort: leaderPage.sort };
  const csv = (table: InsightsTable) => <CsvButton path={`/insights/${table}`} query={table === 'leaders' ? leadersCsvQuery : csvQuery} filename={`insights-${table}-${regionId || 'all'}-${from}-${to}.csv`} testId={`insights-csv-${table}`} />;

  return (
    <div className="admin-page insights-page" data-testid="insights-page" data-ready={ready ? '1' : '0'}>
      <div className="page-head">
        <div>
          <h1>{t('insights.title')}</h1>
          <p className="muted small">{t('insights.subtitle')}</p>
        </div>
        <div className="filters">
          <RegionFilter regions={regions.data} value={regionId} onChange={setRegionId} testId="insights-region" />
          <label className="filter">
            <span>{t('insights.from')}</span>
            <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} data-testid="insights-from" />
          </label>
          <label className="filter">
            <span>{t('insights.to')}</span>
            <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} data-testid="insights-to" />
          </label>
          <div className="chips">
            {QUICK_RANGES.map((n) => (
              <button
                key={n}
                type="button"
                className={`chip${to === today && rangeDays(from, to) === n ? ' is-active' : ''}`}
                onClick={() => {
                  setTo(today);
                  setFrom(addDays(today, -(n - 1)));
                }}
              >
                {t('insights.lastDays', { n })}
              </button>
            ))}
          </div>
          {regionId && ok && (
            <CsvButton path="/insights/daily-summary" query={{ regionId, day: to, format: 'csv' }} filename={`insights-daily-summary-${regionId}-${to}.csv`} testId="insights-csv-daily-summary" />
          )}
        </div>
      </div>
      {rangeError && (
        <p className="error-note" role="alert" data-testid="insights-range-error">
          {rangeError}
        </p>
      )}

      <Card title={t('insights.funnel.title')} csv={csv('funnel')} query={funnel}>
        {(v) => (
          <>
            <ViewChart view={v} make={funnelOption} height={300} testId="insights-chart-funnel" label={t('insights.funnel.title')} />
            <FunnelTable view={v} />
          </>
        )}
      </Card>

      <Card title={t('insights.daily.title')} query={funnel} head={(v) => <DailyChart view={v} />} />

      <div className="insights-grid">
        <Card title={t('insights.communities.title')} csv={csv('communities')} query={communities}>
          {(v) => (
            <>
              <p className="muted small">{v.week ? t('insights.communities.week', { week: v.week }) : t('insights.communities.noWeek')}</p>
              <ViewChart view={v} make={communitiesOption} height={340} testId="insights-chart-communities" label={t('insights.communities.title')} />
              <CommunitiesTable view={v} />
            </>
          )}
        </Card>
        <Card title={t('insights.cohorts.title')} csv={csv('cohorts')} query={cohorts}>
          {(v) => <ViewChart view={v} make={cohortsOption} height={Math.max(240, 80 + v.cohorts.length * 28)} testId="insights-chart-cohorts" label={t('insights.cohorts.title')} />}
        </Card>
      </div>

      <Card title={t('insights.leaders.title')} csv={csv('leaders')} query={leaders}>
        {(v) => <LeadersTable view={v} onPage={setLeaderPage} />}
      </Card>

      <Card title={t('insights.skus.title')} csv={csv('skus')} query={skus}>
        {(v) => (
          <>
            <p className="muted small">{v.skus.some((s) => s.unitsOffered > 0) ? t('insights.skus.chartHint') : t('insights.skus.unitsHint')}</p>
            <ViewChart view={v} make={skusChart} height={320} testId="insights-chart-skus" label={t('insights.skus.title')} />
            <SkusTable view={v} />
          </>
        )}
      </Card>

      <Card title={t('insights.routes.title')} csv={csv('routes')} query={routes}>
        {(v) => (
          <>
            <ViewChart view={v} make={routesOption} height={300} testId="insights-chart-routes" label={t('insights.routes.title')} />
            <RoutesTable view={v} />
          </>
        )}
      </Card>
    </div>
  );
}

const skusChart = (v: SkusView, t: TFunction) => skusOption(v, t).option;

/**
 * A chart of one answer, its option rebuilt only when the answer (or the language) changes.
 * `data-points` says how many marks carry data, so a test can tell a chart from empty axes.
 */
function ViewChart<V>({ view, make, height, testId, label }: { view: V; make: (v: V, t: TFunction) => ChartOption; height: number; testId: string; label: string }) {
  const { t } = useTranslation();
  const option = useMemo(() => make(view, t), [view, make, t]);
  return (
    <div data-points={dataPoints(option)}>
      <EChart option={option} height={height} testId={testId} ariaLabel={label} notMerge />
    </div>
  );
}

/** Non-zero values across the option's series (transparent spacer bars excluded). */
function dataPoints(option: ChartOption): number {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  let n = 0;
  for (const s of series) {
    if ((s as { silent?: boolean }).silent) continue;
    for (const d of ((s as { data?: unknown[] }).data ?? []) as unknown[]) {
      const v = typeof d === 'object' && d !== null && !Array.isArray(d) ? (d as { value?: unknown }).value : d;
      const last = Array.isArray(v) ? v[v.length - 1] : v;
      if (typeof last === 'number' ? last !== 0 : last !== undefined && last !== null) n += 1;
    }
  }
  return n;
}

function Card<V>({
  title,
  csv,
  query,
  children,
  head,
}: {
  title: string;
  csv?: ReactNode;
  query: { data: V | undefined; error: unknown; isPending: boolean; isPlaceholderData: boolean; refetch: () => unknown };
  children?: (v: V) => ReactNode;
  /** Content that draws its own heading row (a chart with its own switch). */
  head?: (v: V) => ReactNode;
}) {
  const body = query.data === undefined ? null : head ? head(query.data) : children?.(query.data);
  return (
    <section className={`card insights-card${query.isPlaceholderData ? ' is-stale' : ''}`}>
      {!head && (
        <div className="insights-card-head">
          <h2 className="sub-title">{title}</h2>
          {csv}
        </div>
      )}
      {query.error ? <ErrorNote error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending && query.data === undefined ? <Loading /> : body}
    </section>
  );
}

function DailyChart({ view }: { view: Parameters<typeof dailyOption>[0] }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<'gmv' | 'orders'>('gmv');
  const option = useMemo(() => dailyOption(view, metric, t), [view, metric, t]);
  return (
    <>
      <div className="insights-card-head">
        <h2 className="sub-title">{t('insights.daily.title')}</h2>
        <div className="chips">
          {(['gmv', 'orders'] as const).map((m) => (
            <button key={m} type="button" className={`chip${m === metric ? ' is-active' : ''}`} onClick={() => setMetric(m)} data-testid={`insights-daily-${m}`}>
              {t(`insights.daily.${m}`)}
            </button>
          ))}
        </div>
      </div>
      <div data-points={dataPoints(option)}>
        <EChart option={option} height={280} testId="insights-chart-daily" ariaLabel={t('insights.daily.title')} notMerge />
      </div>
    </>
  );
}
