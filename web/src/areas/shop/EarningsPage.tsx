import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { newIdempotencyKey, type Payout, type Statement } from '../../api/commerce';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { formatTime } from '../../components/time';
import { useStatement } from './orderQueries';

/** 我的收益: commissions and store income, what can be paid out, and asking for it. */
export function EarningsPage() {
  const { t } = useTranslation();
  const st = useStatement();
  if (st.isPending) return <Loading />;
  if (st.error) return <ErrorNote error={st.error} onRetry={() => void st.refetch()} />;
  const b = st.data.balances;
  return (
    <>
      <section className="earnings-hero">
        <div className="eyebrow">{t('earnings.available')}</div>
        <div className="earnings-big" data-testid="available">
          {formatFen(b.availableFen)}
        </div>
        <div className="earnings-grid">
          <Figure label={t('earnings.frozen')} fen={b.frozenFen} hint={t('earnings.frozenHint')} />
          <Figure label={t('earnings.pending')} fen={b.payoutPendingFen} />
          <Figure label={t('earnings.lifetime')} fen={b.lifetimeEarnedFen} />
          <Figure label={t('earnings.paidOut')} fen={b.paidOutFen} />
        </div>
      </section>
      <PayoutForm availableFen={b.availableFen} />
      <Commissions statement={st.data} />
      <Lines statement={st.data} />
    </>
  );
}

function Figure({ label, fen, hint }: { label: string; fen: number; hint?: string }) {
  return (
    <div className="figure" title={hint}>
      <div className="figure-label">{label}</div>
      <div className="figure-value">{formatFen(fen)}</div>
    </div>
  );
}

export function PayoutForm({ availableFen }: { availableFen: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  // Same amount again after a lost answer → same key → one payout, not two.
  const attempt = useRef<{ amountFen: number; key: string } | null>(null);
  const ask = useMutation({
    mutationFn: (amountFen: number) => {
      if (attempt.current?.amountFen !== amountFen) attempt.current = { amountFen, key: newIdempotencyKey() };
      return api<Payout>('/ledger/payouts', { method: 'POST', body: { amountFen }, headers: { 'Idempotency-Key': attempt.current.key } });
    },
    onSuccess: () => {
      attempt.current = null;
      setText('');
      void qc.invalidateQueries({ queryKey: ['ledger', 'me'] });
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fen = parseYuanToFen(text);
    if (fen === null || fen <= 0) return setInvalid(t('errors.invalidYuan'));
    if (fen > availableFen) return setInvalid(t('earnings.overAvailable', { amount: formatFen(availableFen) }));
    setInvalid(null);
    ask.mutate(fen);
  };
  return (
    <section className="card">
      <h2 className="section-title">{t('earnings.payoutTitle')}</h2>
      <form className="payout-form" onSubmit={submit}>
        <Field label={t('earnings.amount')} invalid={!!invalid} hint={invalid ?? t('earnings.payoutHint')}>
          <input inputMode="decimal" value={text} placeholder="0.00" onChange={(e) => setText(e.target.value)} />
        </Field>
        <div className="payout-actions">
          <button type="button" className="btn btn-ghost btn-small" disabled={availableFen <= 0} onClick={() => setText(fenToYuanText(availableFen))}>
            {t('earnings.all')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={ask.isPending || availableFen <= 0}>
            {ask.isPending ? t('earnings.asking') : t('earnings.ask')}
          </button>
        </div>
      </form>
      {ask.isSuccess && <div className="ok-note">{t('earnings.asked', { amount: formatFen(ask.data.amountFen) })}</div>}
      <ErrorNote error={ask.error} />
    </section>
  );
}

function Commissions({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const items = statement.commissions.items;
  return (
    <section className="card">
      <h2 className="section-title">{t('earnings.commissions')}</h2>
      {items.length === 0 ? (
        <p className="muted small">{t('earnings.noCommissions')}</p>
      ) : (
        <ul className="plain-list">
          {items.map((c) => (
            <li key={c.id} className="ledger-row">
              <div>
                <div>
                  {t(`earnings.party.${c.party}`)} · {t('earnings.order', { id: c.orderId })}
                </div>
                <div className="muted small">
                  {formatTime(c.createdAt)}
                  {c.status === 'frozen' && c.releaseAfter && <> · {t('earnings.releaseAt', { at: formatTime(c.releaseAfter) })}</>}
                </div>
              </div>
              <div className="ledger-amount">
                <span className="gain">{formatFen(c.amountFen - c.reversedFen)}</span>
                <span className={`tag ${c.status === 'frozen' ? 'tag-muted' : 'tag-store'}`}>{t(`earnings.cstatus.${c.status}`)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Lines({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const items = statement.lines.items;
  if (items.length === 0) return null;
  return (
    <section className="card">
      <h2 className="section-title">{t('earnings.lines')}</h2>
      <ul className="plain-list">
        {items.map((l) => (
          <li key={l.id} className="ledger-row">
            <div>
              <div>{t(`earnings.kind.${l.kind}`, { defaultValue: l.kind })}</div>
              <div className="muted small">
                {t(`earnings.bucket.${l.bucket}`)} · {formatTime(l.createdAt)}
              </div>
            </div>
            <span className={l.changeFen >= 0 ? 'gain' : 'loss'}>
              {l.changeFen >= 0 ? '+' : ''}
              {formatFen(l.changeFen)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
