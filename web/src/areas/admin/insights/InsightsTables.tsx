// The tables under the insights charts: the figures behind each chart, long ones cut to their
// first rows with a "show all" (the CSV has every row).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LEADER_SORTS,
  pct,
  type CommunitiesView,
  type FunnelView,
  type LeaderRow,
  type LeaderSort,
  type LeadersPage,
  type LeadersView,
  type RoutesView,
  type SkusView,
} from '../../../api/insights';
import { formatFen } from '../../../api/money';

const FIRST_ROWS = 15;

function useFirstRows<T>(rows: T[]): { shown: T[]; more: ReactNode } {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  if (rows.length <= FIRST_ROWS) return { shown: rows, more: null };
  return {
    shown: all ? rows : rows.slice(0, FIRST_ROWS),
    more: (
      <div className="pager">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll(!all)}>
          {all ? t('insights.showLess') : t('insights.showAll', { count: rows.length })}
        </button>
      </div>
    ),
  };
}

function Empty({ colSpan }: { colSpan: number }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td colSpan={colSpan} className="muted">
        {t('insights.empty')}
      </td>
    </tr>
  );
}

export function FunnelTable({ view }: { view: FunnelView }) {
  const { t } = useTranslation();
  return (
    <div className="table-card insights-table">
      <table className="data-table" data-testid="insights-funnel-table">
        <thead>
          <tr>
            <th />
            <th className="num">{t('insights.funnel.views')}</th>
            <th className="num">{t('insights.funnel.clicks')}</th>
            <th className="num">{t('insights.funnel.clickRate')}</th>
            <th className="num">{t('insights.funnel.orders')}</th>
            <th className="num" title={t('insights.funnel.buyersHint')}>
              {t('insights.funnel.buyers')}
            </th>
            <th className="num">{t('insights.funnel.gmv')}</th>
            <th className="num">{t('insights.funnel.conversion')}</th>
          </tr>
        </thead>
        <tbody>
          {view.channels.map((c) => (
            <tr key={c.channel} data-testid={`insights-funnel-${c.channel}`}>
              <td>{t(`insights.channel.${c.channel}`)}</td>
              <td className="num">{c.views}</td>
              <td className="num">{c.clicks}</td>
              <td className="num">{pct(c.clickRate)}</td>
              <td className="num">{c.orders}</td>
              <td className="num">{c.buyers}</td>
              <td className="num">{formatFen(c.gmvFen)}</td>
              <td className="num">{pct(c.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.otherTraffic.views + view.otherTraffic.clicks > 0 && <p className="muted small insights-note">{t('insights.funnel.otherTraffic', view.otherTraffic)}</p>}
    </div>
  );
}

export function CommunitiesTable({ view }: { view: CommunitiesView }) {
  const { t } = useTranslation();
  // Highest penetration first: where the model works; the tail is where to send leaders.
  const rows = [...view.communities].sort((a, b) => (b.penetration ?? -1) - (a.penetration ?? -1) || b.households - a.households);
  const { shown, more } = useFirstRows(rows);
  return (
    <div className="table-card insights-table">
      <table className="data-table" data-testid="insights-communities-table">
        <thead>
          <tr>
            <th>{t('insights.communities.name')}</th>
            <th className="num">{t('insights.communities.households')}</th>
            <th className="num">{t('insights.communities.active')}</th>
            <th className="num">{t('insights.communities.penetration')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <Empty colSpan={4} />}
          {shown.map((c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td className="num">{c.households}</td>
              <td className="num">{c.activeHouseholds}</td>
              <td className="num">{pct(c.penetration)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
}

function KpiCell({ l }: { l: LeaderRow }) {
  const { t } = useTranslation();
  if (!l.kpi) return <span className="muted">{t('insights.leaders.noKpi')}</span>;
  if (l.kpi.verdict === 'ok') return <span className="status status-active">{t('insights.leaders.kpiOk', { week: l.kpi.week.slice(5) })}</span>;
  const reasons = l.kpi.reasons.map((r) => t(`fulfil.kpi.reasons.${r}`, { defaultValue: r })).join('、');
  return (
    <span className="status status-paused insights-warning" title={l.kpi.week}>
      {t(`fulfil.kpi.verdicts.${l.kpi.verdict}`, { defaultValue: l.kpi.verdict })}
      {reasons && `：${reasons}`}
    </span>
  );
}

/** The league table one page at a time (the API sends pages: a city has thousands of leaders). */
export function LeadersTable({ view, onPage }: { view: LeadersView; onPage: (page: LeadersPage) => void }) {
  const { t } = useTranslation();
  const shown = view.leaders;
  const page = { sort: view.sort, offset: view.offset, limit: view.limit };
  const last = Math.min(view.offset + view.limit, view.total);
  return (
    <div className="table-card insights-table">
      <div className="insights-league-head">
        <span className="muted small" data-testid="insights-leaders-summary">
          {t('insights.leaders.summary', { total: view.total, warned: view.warned })}
        </span>
        <label className="filter">
          <span>{t('insights.leaders.sortBy')}</span>
          <select value={view.sort} onChange={(e) => onPage({ ...page, sort: e.target.value as LeaderSort, offset: 0 })} data-testid="insights-leaders-sort">
            {LEADER_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`insights.leaders.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <table className="data-table" data-testid="insights-leaders-table">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('insights.leaders.leader')}</th>
            <th>{t('insights.leaders.point')}</th>
            <th>{t('insights.leaders.status')}</th>
            <th className="num">{t('insights.leaders.orders')}</th>
            <th className="num">{t('insights.leaders.gmv')}</th>
            <th className="num">{t('insights.leaders.buyers')}</th>
            <th className="num">{t('insights.leaders.repeat')}</th>
            <th className="num">{t('insights.leaders.onTime')}</th>
            <th className="num">{t('insights.leaders.complaints')}</th>
            <th className="num">{t('insights.leaders.trust')}</th>
            <th>{t('insights.leaders.kpi')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <Empty colSpan={12} />}
          {shown.map((l, i) => (
            <tr key={l.pickupPointId} data-testid="insights-leader-row" className={l.status !== 'active' ? 'insights-row-warned' : undefined}>
              <td className="num">{view.offset + i + 1}</td>
              <td>{l.leaderName}</td>
              <td title={l.communityName}>{l.pointName}</td>
              <td>
                <span className={`status ${l.status === 'active' ? 'status-active' : 'status-paused'}`}>{t(`fulfil.leaderStatus.${l.status}`, { defaultValue: l.status })}</span>
                {l.warningsInRow > 0 && <span className="muted small"> {t('insights.leaders.warningsInRow', { count: l.warningsInRow })}</span>}
              </td>
              <td className="num">{l.orders}</td>
              <td className="num">{formatFen(l.gmvFen)}</td>
              <td className="num">{l.buyers}</td>
              <td className="num" title={t('insights.leaders.repeat7', { pct: pct(l.repeatRate7) })}>
                {pct(l.repeatRate)}
              </td>
              <td className="num">{pct(l.onTimeRate)}</td>
              <td className="num">{pct(l.complaintRate)}</td>
              <td className="num">
                <strong>{l.trustScore ?? '—'}</strong>
              </td>
              <td>
                <KpiCell l={l} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.total > view.limit && (
        <div className="pager" data-testid="insights-leaders-pager">
          <button type="button" className="btn btn-ghost btn-small" disabled={view.offset === 0} onClick={() => onPage({ ...page, offset: Math.max(0, view.offset - view.limit) })}>
            {t('insights.leaders.prev')}
          </button>
          <span className="muted small">{t('insights.leaders.page', { from: view.offset + 1, to: last, total: view.total })}</span>
          <button type="button" className="btn btn-ghost btn-small" disabled={last >= view.total} onClick={() => onPage({ ...page, offset: view.offset + view.limit })} data-testid="insights-leaders-next">
            {t('insights.leaders.next')}
          </button>
        </div>
      )}
    </div>
  );
}

export function SkusTable({ view }: { view: SkusView }) {
  const { t } = useTranslation();
  const { shown, more } = useFirstRows(view.rows);
  return (
    <div className="table-card insights-table">
      <table className="data-table" data-testid="insights-skus-table">
        <thead>
          <tr>
            <th>{t('insights.skus.grid')}</th>
            <th>{t('insights.skus.sku')}</th>
            <th className="num">{t('insights.skus.sold')}</th>
            <th className="num">{t('insights.skus.offered')}</th>
            <th className="num">{t('insights.skus.part')}</th>
            <th className="num">{t('insights.skus.gmv')}</th>
            <th className="num">{t('insights.skus.refunded')}</th>
            <th className="num">{t('insights.skus.short')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <Empty colSpan={8} />}
          {shown.map((r) => (
            <tr key={`${r.gridWarehouseId}-${r.skuId}`}>
              <td>{r.gridWarehouseName ?? t('insights.skus.noGrid')}</td>
              <td>
                {r.title} <span className="muted small">{r.spec}</span>
              </td>
              <td className="num">{r.unitsSold}</td>
              <td className="num">{r.skuUnitsOffered || '—'}</td>
              <td className="num">{pct(r.sellThrough)}</td>
              <td className="num">{formatFen(r.gmvFen)}</td>
              <td className="num">{r.unitsRefunded}</td>
              <td className="num">{r.unitsShort}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
}

export function RoutesTable({ view }: { view: RoutesView }) {
  const { t } = useTranslation();
  const { shown, more } = useFirstRows(view.routes);
  return (
    <div className="table-card insights-table">
      <table className="data-table" data-testid="insights-routes-table">
        <thead>
          <tr>
            <th>{t('insights.routes.route')}</th>
            <th className="num">{t('insights.routes.runs')}</th>
            <th className="num">{t('insights.routes.stops')}</th>
            <th className="num">{t('insights.routes.orders')}</th>
            <th className="num">{t('insights.routes.units')}</th>
            <th className="num">{t('insights.routes.shortage')}</th>
            <th className="num">{t('insights.routes.shortageRate')}</th>
            <th className="num">{t('insights.routes.afterSales')}</th>
            <th className="num">{t('insights.routes.afterSalesRate')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && <Empty colSpan={9} />}
          {shown.map((r) => (
            <tr key={`${r.gridWarehouseId}-${r.seq}`}>
              <td>{r.name}</td>
              <td className="num">{r.runs}</td>
              <td className="num">{r.stops}</td>
              <td className="num">{r.orders}</td>
              <td className="num">{r.units}</td>
              <td className="num">{r.shortageUnits}</td>
              <td className="num">{pct(r.shortageRate)}</td>
              <td className="num">{r.afterSales}</td>
              <td className="num">{pct(r.afterSalesRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
}
