import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { newIdempotencyKey } from '../../api/commerce';
import type { Arrival, ArrivalResult, Handoff } from '../../api/groupbuy';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { chinaToday } from '../shop/groupbuy/dates';
import { useArrivals } from './queries';

/** 到货签收: count what came, per SKU, and sign; shortages refund the last to join the list. */
export function ArrivalPage({ pointId }: { pointId: number }) {
  const { t } = useTranslation();
  // No date: the server answers the latest two weeks, so yesterday's unsigned arrival shows too.
  const [date, setDate] = useState('');
  const arrivals = useArrivals(date || null);
  return (
    <>
      <section className="card leader-date">
        <h1 className="section-title">{t('leader.arrival.title')}</h1>
        <label className="field">
          <span className="field-label">{t('leader.arrival.date')}</span>
          <input type="date" value={date} max={chinaToday(Date.now() + 7 * 86_400_000)} onChange={(e) => setDate(e.target.value)} />
        </label>
        {date && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setDate('')}>
            {t('leader.arrival.recent')}
          </button>
        )}
      </section>
      {arrivals.isPending ? (
        <Loading />
      ) : arrivals.error ? (
        <ErrorNote error={arrivals.error} onRetry={() => void arrivals.refetch()} />
      ) : arrivals.data.length === 0 ? (
        <section className="card">
          <p className="muted empty">{t('leader.arrival.none')}</p>
        </section>
      ) : (
        arrivals.data.map((a) => <ArrivalCard key={a.waveId} arrival={a} pointId={pointId} />)
      )}
    </>
  );
}

type Counts = Record<number, { received: string; damaged: string }>;

function ArrivalCard({ arrival: a, pointId }: { arrival: Arrival; pointId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [counts, setCounts] = useState<Counts>(() => Object.fromEntries(a.lines.map((l) => [l.skuId, { received: String(l.expected), damaged: '0' }])));
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<number | null>(null);
  // The same counts sent again after a lost answer reuse the key: one signature, one set of refunds.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const sign = useMutation({
    mutationFn: (body: { waveId: number; lines: Array<{ skuId: number; received: number; damaged: number }>; note?: string }) => {
      const text = JSON.stringify(body);
      if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
      return api<ArrivalResult>(`/pickup-points/${pointId}/arrival`, { method: 'POST', body, headers: { 'Idempotency-Key': attempt.current.key } });
    },
    onSuccess: () => {
      attempt.current = null;
      void qc.invalidateQueries({ queryKey: ['leader'] });
      void qc.invalidateQueries({ queryKey: ['relay'] });
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
    },
  });

  const submit = () => {
    const lines = [];
    for (const l of a.lines) {
      const c = counts[l.skuId];
      const received = Number(c?.received);
      const damaged = Number(c?.damaged);
      if (!Number.isInteger(received) || !Number.isInteger(damaged) || received < 0 || damaged < 0 || damaged > received) {
        setInvalid(l.skuId);
        return;
      }
      lines.push({ skuId: l.skuId, received, damaged });
    }
    setInvalid(null);
    sign.mutate({ waveId: a.waveId, lines, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  const done = sign.data?.handoff ?? a.handoff;
  // Signed on an earlier visit: one line, opened on demand (the list covers two weeks).
  if (a.handoff && !sign.data) {
    const missing = a.handoff.lines.reduce((s, l) => s + l.missing, 0);
    return (
      <details className="card arrival-past" data-testid="arrival-card" data-wave-id={a.waveId} data-signed="true">
        <summary>
          <strong>{t('leader.arrival.wave', { date: a.pickupDate })}</strong>
          <span className="tag tag-store">{t('leader.arrival.signed')}</span>
          {missing > 0 && <span className="tag tag-muted">{t('leader.arrival.missingCount', { count: missing })}</span>}
        </summary>
        <SignedHandoff handoff={a.handoff} />
      </details>
    );
  }
  return (
    <section className="card" data-testid="arrival-card" data-wave-id={a.waveId} data-signed={done ? 'true' : 'false'}>
      <div className="card-head">
        <h2 className="section-title">{t('leader.arrival.wave', { date: a.pickupDate })}</h2>
        {done && <span className="tag tag-store">{t('leader.arrival.signed')}</span>}
      </div>
      {a.route && (
        <p className="muted small">
          {a.route.name}
          {a.route.driver && <> · {t('leader.arrival.driver', { name: a.route.driver.displayName })}</>}
        </p>
      )}
      {done ? (
        <SignedHandoff handoff={done} />
      ) : (
        <>
          <p className="muted small">{t('leader.arrival.hint')}</p>
          <table className="arrival-table">
            <thead>
              <tr>
                <th>{t('leader.arrival.sku')}</th>
                <th>{t('leader.arrival.expected')}</th>
                <th>{t('leader.arrival.received')}</th>
                <th>{t('leader.arrival.damaged')}</th>
              </tr>
            </thead>
            <tbody>
              {a.lines.map((l) => {
                const c = counts[l.skuId] ?? { received: '', damaged: '' };
                const short = l.expected - (Number(c.received) || 0) + (Number(c.damaged) || 0);
                return (
                  <tr key={l.skuId} className={invalid === l.skuId ? 'is-invalid' : short > 0 ? 'is-short' : ''} data-testid="arrival-line" data-sku-id={l.skuId}>
                    <td>
                      <div className="cart-name">{l.title}</div>
                      <div className="muted small">
                        {l.spec} · {l.unit}
                      </div>
                    </td>
                    <td className="num">{l.expected}</td>
                    <td>
                      <input
                        className="num-input"
                        inputMode="numeric"
                        aria-label={`${t('leader.arrival.received')} ${l.title}`}
                        data-testid="arrival-received"
                        value={c.received}
                        onChange={(e) => setCounts((v) => ({ ...v, [l.skuId]: { ...c, received: e.target.value.replace(/\D/g, '') } }))}
                      />
                    </td>
                    <td>
                      <input
                        className="num-input"
                        inputMode="numeric"
                        aria-label={`${t('leader.arrival.damaged')} ${l.title}`}
                        data-testid="arrival-damaged"
                        value={c.damaged}
                        onChange={(e) => setCounts((v) => ({ ...v, [l.skuId]: { ...c, damaged: e.target.value.replace(/\D/g, '') } }))}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {invalid !== null && <p className="line-problem">{t('leader.arrival.invalid')}</p>}
          <label className="field checkout-note">
            <span className="field-label">{t('leader.arrival.note')}</span>
            <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </label>
          <ErrorNote error={sign.error} />
          <button type="button" className="btn btn-primary btn-block leader-submit" data-testid="arrival-submit" disabled={sign.isPending} onClick={submit}>
            {sign.isPending ? t('leader.arrival.signing') : t('leader.arrival.sign')}
          </button>
        </>
      )}
      {sign.data && <Shortages result={sign.data} />}
    </section>
  );
}

function SignedHandoff({ handoff: h }: { handoff: Handoff }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="muted small">{t('leader.arrival.signedAt', { at: formatTime(h.signedAt) })}</p>
      <table className="arrival-table">
        <thead>
          <tr>
            <th>{t('leader.arrival.sku')}</th>
            <th>{t('leader.arrival.expected')}</th>
            <th>{t('leader.arrival.received')}</th>
            <th>{t('leader.arrival.damaged')}</th>
            <th>{t('leader.arrival.missing')}</th>
          </tr>
        </thead>
        <tbody>
          {h.lines.map((l) => (
            <tr key={l.skuId} className={l.missing > 0 ? 'is-short' : ''}>
              <td>{l.title}</td>
              <td className="num">{l.expected}</td>
              <td className="num">{l.received}</td>
              <td className="num">{l.damaged}</td>
              <td className="num">{l.missing}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {h.note && <p className="small">{h.note}</p>}
    </>
  );
}

function Shortages({ result }: { result: ArrivalResult }) {
  const { t } = useTranslation();
  if (result.shortages.length === 0)
    return (
      <div className="ok-note" data-testid="arrival-ok">
        {t('leader.arrival.noShortage')}
      </div>
    );
  return (
    <div className="shortages" data-testid="arrival-shortages">
      <h3 className="sub-title">{t('leader.arrival.shortages')}</h3>
      {result.shortages.map((s) => (
        <div key={s.skuId} className="shortage" data-testid="shortage">
          <strong>{t('leader.arrival.shortOf', { title: s.title, count: s.missing })}</strong>
          <ul className="plain-list small">
            {s.refunds.map((r) => (
              <li key={r.refundId} data-testid="shortage-refund">
                {t('leader.arrival.refunded', { order: r.orderId, count: r.quantity, amount: formatFen(r.amountFen) })}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
