// 直播数据大屏: one session's figures per minute. Refreshes every second while the session is
// live (a paid order shows within a second or two of the flush), once when it has ended.
// Charts: viewers online and cumulative, the exposure → click → order funnel, GMV per minute,
// conversion per pin; cards compare the last N minutes with the N before.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatCount, useDashboard, useSessionDetail, type Dashboard, type Figures, type PinStats } from '../../api/live';
import { formatFen } from '../../api/money';
import { CHART_COLORS, EChart, type ChartOption } from '../../components/EChart';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { Figure } from './ControlRoomPage';
import { StatusTag } from './HostSessionsPage';
import { change } from './rules';

const COMPARE_CHOICES = [1, 5, 10, 30] as const;
const hhmm = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

const pctText = (x: number) => `${(x * 100).toFixed(1)}%`;
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function DashboardRoute() {
  const id = Number(useParams().id);
  return <DashboardPage sessionId={id} />;
}

export function DashboardPage({ sessionId, backTo = '/host' }: { sessionId: number; backTo?: string }) {
  const { t } = useTranslation();
  const [lastN, setLastN] = useState<number>(5);
  const detail = useSessionDetail(sessionId);
  const live = detail.data?.session.status === 'live';
  const dash = useDashboard(sessionId, lastN, live ? 1000 : false);
  if (detail.isPending || (dash.isPending && !dash.data)) return <Loading />;
  if (detail.error) return <ErrorNote error={detail.error} onRetry={() => void detail.refetch()} />;
  if (!dash.data) return <ErrorNote error={dash.error} onRetry={() => void dash.refetch()} />;
  const s = detail.data.session;
  return (
    <div className="host-page host-dashboard" data-testid="live-dashboard" data-live={live ? '1' : '0'}>
      <div className="host-page-head">
        <div>
          <h1 className="host-head-title">
            <StatusTag status={s.status} /> {s.title}
          </h1>
          <div className="muted small">
            {formatTime(s.startedAt)}
            {s.endedAt && ` – ${formatTime(s.endedAt)}`}
            {live && <span className="live-refresh"> · {t('live.dash.refreshing')}</span>}
          </div>
        </div>
        <div className="host-actions">
          {backTo === '/host' && (
            <Link to={`/host/sessions/${s.id}`} className="btn btn-secondary btn-small">
              {t('live.host.controlRoom')}
            </Link>
          )}
          <Link to={backTo} className="btn btn-ghost btn-small">
            {t('live.host.backToList')}
          </Link>
        </div>
      </div>
      {dash.error && <ErrorNote error={dash.error} />}
      <DashboardBody data={dash.data} lastN={lastN} setLastN={setLastN} />
    </div>
  );
}

function DashboardBody({ data, lastN, setLastN }: { data: Dashboard; lastN: number; setLastN: (n: number) => void }) {
  const { t, i18n } = useTranslation();
  // The server sends every minute (quiet ones as zeros), so the x axis is plain time.
  const minutes = data.minutes;
  const totals = data.totals;
  const lang = i18n.language;
  const labels = useMemo(() => minutes.map((m) => hhmm(m.minute)), [minutes]);

  const viewers = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('live.dash.online'), type: 'line', data: minutes.map((m) => m.onlinePeak), smooth: true, showSymbol: minutes.length < 20, areaStyle: { opacity: 0.12 }, color: CHART_COLORS.green },
        { name: t('live.dash.cumulative'), type: 'line', data: minutes.map((m) => m.viewersCumulative), smooth: true, showSymbol: minutes.length < 20, color: CHART_COLORS.blue },
      ],
    }),
    [minutes, labels, t],
  );

  const funnelPerMinute = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('live.dash.exposures'), type: 'bar', barMaxWidth: 36, data: minutes.map((m) => m.exposures), color: CHART_COLORS.lightGreen },
        { name: t('live.dash.clicks'), type: 'bar', barMaxWidth: 36, data: minutes.map((m) => m.clicks), color: CHART_COLORS.blue },
        { name: t('live.dash.orders'), type: 'bar', barMaxWidth: 36, data: minutes.map((m) => m.orders), color: CHART_COLORS.orange },
      ],
    }),
    [minutes, labels, t],
  );

  const funnel = useMemo<ChartOption>(() => {
    const f = data.funnel;
    const steps = [
      { name: t('live.dash.exposures'), value: f.exposures },
      { name: t('live.dash.clicks'), value: f.clicks },
      { name: t('live.dash.orders'), value: f.orders },
    ];
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          top: 8,
          bottom: 8,
          minSize: '12%',
          gap: 2,
          label: { show: true, position: 'inside', formatter: '{b}\n{c}' },
          color: [CHART_COLORS.lightGreen, CHART_COLORS.blue, CHART_COLORS.orange],
          data: steps,
        },
      ],
    };
  }, [data.funnel, t]);

  const gmv = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatFen(Number(v) * 100) },
      grid: { left: 60, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `¥${v}` } },
      series: [{ name: t('live.dash.gmv'), type: 'bar', barMaxWidth: 36, data: minutes.map((m) => m.gmvFen / 100), color: CHART_COLORS.orange }],
    }),
    [minutes, labels, t],
  );

  return (
    <>
      <section className="live-figures" data-testid="dash-figures">
        <Figure label={t('live.dash.onlineNow')} value={formatCount(data.online, lang)} testId="dash-online" />
        <Figure label={t('live.dash.onlinePeak')} value={formatCount(totals.onlinePeak, lang)} testId="dash-online-peak" />
        <Figure label={t('live.dash.cumulative')} value={formatCount(totals.viewersCumulative, lang)} testId="dash-cumulative" />
        <Figure label={t('live.dash.orders')} value={String(totals.orders)} testId="dash-orders" />
        <Figure label={t('live.dash.gmv')} value={formatFen(totals.gmvFen)} testId="dash-gmv" />
        <Figure label={t('live.dash.buyers')} value={String(totals.buyers)} testId="dash-buyers" />
        <Figure label={t('live.dash.conversion')} value={pctText(ratio(totals.orders, totals.exposures))} sub={t('live.dash.conversionHint')} testId="dash-conversion" />
        <Figure label={t('live.dash.likes')} value={formatCount(totals.likes, lang)} testId="dash-likes" />
        <Figure label={t('live.dash.chats')} value={formatCount(totals.chats, lang)} testId="dash-chats" />
      </section>

      <CompareCards data={data} lastN={lastN} setLastN={setLastN} />

      <div className="dash-grid">
        <section className="card">
          <h2 className="sub-title">{t('live.dash.viewersChart')}</h2>
          <EChart option={viewers} testId="dash-chart-viewers" ariaLabel={t('live.dash.viewersChart')} />
        </section>
        <section className="card">
          <h2 className="sub-title">{t('live.dash.funnel')}</h2>
          <div className="dash-funnel">
            <EChart option={funnel} height={220} testId="dash-chart-funnel" ariaLabel={t('live.dash.funnel')} />
            <div className="dash-funnel-rates small">
              <span>
                {t('live.dash.clickRate')} <strong>{pctText(ratio(data.funnel.clicks, data.funnel.exposures))}</strong>
              </span>
              <span>
                {t('live.dash.orderRate')} <strong>{pctText(ratio(data.funnel.orders, data.funnel.clicks))}</strong>
              </span>
            </div>
          </div>
        </section>
        <section className="card">
          <h2 className="sub-title">{t('live.dash.funnelPerMinute')}</h2>
          <EChart option={funnelPerMinute} testId="dash-chart-funnel-minutes" ariaLabel={t('live.dash.funnelPerMinute')} />
        </section>
        <section className="card">
          <h2 className="sub-title">{t('live.dash.gmvChart')}</h2>
          <EChart option={gmv} testId="dash-chart-gmv" ariaLabel={t('live.dash.gmvChart')} />
        </section>
      </div>

      <PinTable pins={data.pins} />
    </>
  );
}

const COMPARED: Array<{ key: keyof Figures; money?: boolean }> = [
  { key: 'orders' },
  { key: 'gmvFen', money: true },
  { key: 'buyers' },
  { key: 'clicks' },
  { key: 'exposures' },
  { key: 'likes' },
  { key: 'chats' },
];

const FIGURE_LABEL: Record<keyof Figures, string> = {
  onlinePeak: 'live.dash.onlinePeak',
  viewersCumulative: 'live.dash.cumulative',
  likes: 'live.dash.likes',
  chats: 'live.dash.chats',
  exposures: 'live.dash.exposures',
  clicks: 'live.dash.clicks',
  orders: 'live.dash.orders',
  buyers: 'live.dash.buyers',
  gmvFen: 'live.dash.gmv',
};

function CompareCards({ data, lastN, setLastN }: { data: Dashboard; lastN: number; setLastN: (n: number) => void }) {
  const { t } = useTranslation();
  const c = data.compare;
  return (
    <section className="card" data-testid="dash-compare">
      <div className="card-head">
        <h2 className="sub-title">{t('live.dash.compare', { n: c.lastMinutes })}</h2>
        <div className="chips">
          {COMPARE_CHOICES.map((n) => (
            <button key={n} type="button" className={`chip${n === lastN ? ' is-active' : ''}`} data-testid={`dash-compare-${n}`} onClick={() => setLastN(n)}>
              {t('live.dash.minutesN', { count: n })}
            </button>
          ))}
        </div>
      </div>
      <div className="dash-compare">
        {COMPARED.map(({ key, money }) => {
          const last = c.last[key];
          const prev = c.previous[key];
          const d = change(last, prev);
          const show = (v: number) => (money ? formatFen(v) : String(v));
          return (
            <div key={key} className="dash-compare-card" data-testid={`dash-compare-${key}`}>
              <span className="muted small">{t(FIGURE_LABEL[key])}</span>
              <strong>{show(last)}</strong>
              <span className={`small dash-delta${d === null ? '' : d > 0 ? ' is-up' : d < 0 ? ' is-down' : ''}`}>
                {d === null ? t('live.dash.new') : `${d > 0 ? '▲' : d < 0 ? '▼' : ''}${pctText(Math.abs(d))}`}
              </span>
              <span className="muted small">{t('live.dash.before', { value: show(prev) })}</span>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function PinTable({ pins }: { pins: PinStats[] }) {
  const { t } = useTranslation();
  const chart = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 56 },
      xAxis: { type: 'category', data: pins.map((p) => `${hhmm(p.startedAt)} ${p.title}`), axisLabel: { interval: 0, rotate: pins.length > 4 ? 30 : 0, width: 120, overflow: 'truncate' } },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', axisLabel: { formatter: (v: number) => pctText(v) }, splitLine: { show: false } },
      ],
      series: [
        { name: t('live.dash.exposures'), type: 'bar', barMaxWidth: 36, data: pins.map((p) => p.exposures), color: CHART_COLORS.lightGreen },
        { name: t('live.dash.orders'), type: 'bar', barMaxWidth: 36, data: pins.map((p) => p.orders), color: CHART_COLORS.orange },
        { name: t('live.dash.conversion'), type: 'line', yAxisIndex: 1, data: pins.map((p) => p.conversion), color: CHART_COLORS.purple },
      ],
    }),
    [pins, t],
  );
  return (
    <section className="card" data-testid="dash-pins">
      <h2 className="sub-title">{t('live.dash.pins')}</h2>
      {pins.length === 0 ? (
        <p className="muted small">{t('live.dash.noPins')}</p>
      ) : (
        <>
          <EChart option={chart} height={280} testId="dash-chart-pins" ariaLabel={t('live.dash.pins')} />
          <div className="table-scroll">
            <table className="host-table">
              <thead>
                <tr>
                  <th>{t('live.dash.pinnedAt')}</th>
                  <th>{t('live.host.product')}</th>
                  <th className="num">{t('live.dash.exposures')}</th>
                  <th className="num">{t('live.dash.clicks')}</th>
                  <th className="num">{t('live.dash.orders')}</th>
                  <th className="num">{t('live.dash.gmv')}</th>
                  <th className="num">{t('live.dash.conversion')}</th>
                </tr>
              </thead>
              <tbody>
                {pins.map((p) => (
                  <tr key={p.pinId} data-testid="dash-pin-row" className={p.endedAt ? '' : 'is-pinned'}>
                    <td>
                      {hhmm(p.startedAt)}
                      {p.endedAt ? ` – ${hhmm(p.endedAt)}` : ` · ${t('live.room.presenting')}`}
                    </td>
                    <td>{p.title}</td>
                    <td className="num">{p.exposures}</td>
                    <td className="num">{p.clicks}</td>
                    <td className="num">{p.orders}</td>
                    <td className="num">{formatFen(p.gmvFen)}</td>
                    <td className="num">{pctText(p.conversion)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
