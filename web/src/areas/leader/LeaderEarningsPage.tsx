import { useTranslation } from 'react-i18next';
import type { KpiWeek, LeaderOverview } from '../../api/groupbuy';
import { formatFen } from '../../api/money';
import { EarningsPage } from '../shop/EarningsPage';
import { LeaderTrustCard } from './LeaderTrust';

const pct = (bp: number) => `${(bp / 100).toFixed(1)}%`;

/** 佣金: the leader's weekly KPIs and level, their trust score and tier, then the commission statement and payouts. */
export function LeaderEarningsPage({ me }: { me: LeaderOverview }) {
  const { t } = useTranslation();
  const last = me.kpis[0] ?? null;
  return (
    <>
      <section className="card" data-testid="leader-kpis">
        <div className="card-head">
          <h2 className="section-title">{t('leader.kpi.title')}</h2>
          <span className="tag tag-pickup_point">{me.level ? me.level.name : t('leader.kpi.noLevel')}</span>
        </div>
        {last ? (
          <>
            <p className="muted small">{t('leader.kpi.week', { week: last.weekStart })}</p>
            <div className="kpi-grid">
              <Kpi label={t('leader.kpi.onTime')} value={pct(last.onTimeBp)} testId="kpi-on-time" />
              <Kpi label={t('leader.kpi.complaints')} value={pct(last.complaintBp)} testId="kpi-complaints" />
              <Kpi label={t('leader.kpi.itemsSold')} value={String(last.itemsSold)} testId="kpi-items" />
              <Kpi label={t('leader.kpi.gmv')} value={formatFen(last.gmvFen)} />
            </div>
            {last.verdict !== 'ok' && (
              <div className={`kpi-warning kv-${last.verdict}`} data-testid="kpi-warning">
                <strong>{t(`leader.kpi.verdict.${last.verdict}`)}</strong>
                {last.reasons.length > 0 && <span className="small">{last.reasons.map((r) => t(`leader.kpi.reason.${r}`, { defaultValue: r })).join(' · ')}</span>}
              </div>
            )}
            {me.kpis.length > 1 && <Sparkline weeks={me.kpis} />}
          </>
        ) : (
          <p className="muted small">{t('leader.kpi.none')}</p>
        )}
      </section>
      <LeaderTrustCard />
      <EarningsPage />
    </>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-value">{value}</div>
      <div className="kpi-label">{label}</div>
    </div>
  );
}

/** Items sold per week, oldest to newest: a small line, no chart library. */
function Sparkline({ weeks }: { weeks: KpiWeek[] }) {
  const { t } = useTranslation();
  const w = [...weeks].reverse();
  const W = 320;
  const H = 70;
  const pad = 6;
  const max = Math.max(1, ...w.map((k) => k.itemsSold));
  const x = (i: number) => pad + (i * (W - 2 * pad)) / Math.max(1, w.length - 1);
  const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
  const d = w.map((k, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)} ${y(k.itemsSold).toFixed(1)}`).join(' ');
  return (
    <figure className="sparkline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('leader.kpi.trend')}>
        <path d={`${d} L${x(w.length - 1)} ${H - pad} L${x(0)} ${H - pad} Z`} fill="var(--green-50)" />
        <path d={d} fill="none" stroke="var(--green-600)" strokeWidth="2" strokeLinejoin="round" />
        {w.map((k, i) => (
          <circle key={k.weekStart} cx={x(i)} cy={y(k.itemsSold)} r="3" fill={k.verdict === 'ok' ? 'var(--green-600)' : 'var(--orange-500)'}>
            <title>{`${k.weekStart}: ${k.itemsSold}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted small">
        {t('leader.kpi.trend')} · {w[0]?.weekStart.slice(5)} – {w[w.length - 1]?.weekStart.slice(5)}
      </figcaption>
    </figure>
  );
}
