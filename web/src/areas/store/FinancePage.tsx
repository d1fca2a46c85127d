import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { chinaToday } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import type { Finance } from '../../api/stores';
import { StackedBarChart } from '../../components/charts';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { PayoutForm } from '../shop/EarningsPage';
import { useStoreCtx } from './storeContext';

const RANGES = [7, 14, 30] as const;

/** "YYYY-MM-DD" minus n days (calendar arithmetic in UTC, so no time zone shifts the day). */
function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** 经营: takings by channel per day, margin, the ledger balance and a payout request. */
export function FinancePage() {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const [range, setRange] = useState<(typeof RANGES)[number]>(14);
  const to = chinaToday();
  const from = daysBefore(to, range - 1);
  const fin = useQuery({
    queryKey: ['store', store.id, 'finance', from, to],
    queryFn: ({ signal }) => get<Finance>(`/stores/${store.id}/finance`, { from, to }, signal),
  });
  if (fin.isPending) return <Loading />;
  if (fin.error) return <ErrorNote error={fin.error} onRetry={() => void fin.refetch()} />;
  const f = fin.data;
  const sum = (k: 'counterFen' | 'onlineFen' | 'costFen' | 'refundsFen' | 'marginFen' | 'orders') => f.totals[k] ?? f.days.reduce((s, d) => s + (d[k] ?? 0), 0);
  const takings = sum('counterFen') + sum('onlineFen');
  const margin = sum('marginFen');
  const b = f.balance;
  return (
    <div className="store-page">
      <div className="page-head-row">
        <h1 className="section-title">{t('stores.finance.title')}</h1>
        <div className="seg" role="group" aria-label={t('stores.finance.range')}>
          {RANGES.map((r) => (
            <button key={r} type="button" className={`seg-btn${r === range ? ' is-active' : ''}`} onClick={() => setRange(r)}>
              {t('stores.finance.days', { count: r })}
            </button>
          ))}
        </div>
      </div>
      <section className="card">
        <div className="fin-figures" data-testid="finance-totals">
          <Figure label={t('stores.finance.takings')} value={formatFen(takings)} big />
          <Figure label={t('stores.channel.counter')} value={formatFen(sum('counterFen'))} />
          <Figure label={t('stores.channel.online')} value={formatFen(sum('onlineFen'))} />
          <Figure label={t('stores.finance.margin')} value={formatFen(margin)} sub={takings > 0 ? `${((margin / takings) * 100).toFixed(1)}%` : undefined} />
          <Figure label={t('stores.finance.orders')} value={String(sum('orders'))} />
          {sum('refundsFen') > 0 && <Figure label={t('stores.finance.refunds')} value={`−${formatFen(sum('refundsFen'))}`} />}
        </div>
        <StackedBarChart
          testId="finance-chart"
          labels={f.days.map((d) => d.day.slice(5))}
          format={(v) => (v >= 100_000 ? `¥${Math.round(v / 100_000)}k` : `¥${Math.round(v / 100)}`)}
          series={[
            { key: 'counter', name: t('stores.channel.counter'), color: 'var(--green-600)', values: f.days.map((d) => d.counterFen) },
            { key: 'online', name: t('stores.channel.online'), color: 'var(--orange-400)', values: f.days.map((d) => d.onlineFen) },
          ]}
        />
        <p className="muted small">{t('stores.finance.note')}</p>
      </section>
      <section className="card">
        <h2 className="sub-title">{t('stores.finance.balance')}</h2>
        <div className="fin-figures">
          <Figure label={t('earnings.available')} value={formatFen(b.availableFen ?? 0)} big />
          <Figure label={t('earnings.frozen')} value={formatFen(b.frozenFen ?? 0)} />
          <Figure label={t('earnings.pending')} value={formatFen(b.payoutPendingFen ?? 0)} />
          <Figure label={t('earnings.paidOut')} value={formatFen(b.paidOutFen ?? 0)} />
        </div>
      </section>
      <PayoutForm availableFen={b.availableFen ?? 0} />
    </div>
  );
}

function Figure({ label, value, sub, big }: { label: string; value: string; sub?: string | undefined; big?: boolean }) {
  return (
    <div className={`fin-figure${big ? ' is-big' : ''}`}>
      <span className="muted small">{label}</span>
      <strong>{value}</strong>
      {sub && <span className="muted small">{sub}</span>}
    </div>
  );
}
