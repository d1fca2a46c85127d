import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { CheckoutResult } from '../../api/commerce';
import { useIdempotentPost } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import type { Page } from '../../api/types';
import type { SuggestionReason, Suggestions, WholesaleItem } from '../../api/stores';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { ReplenishOrders } from './ReplenishOrders';
import { useStoreCtx } from './storeContext';

interface DraftLine {
  skuId: number;
  title: string;
  spec: string;
  unit: string;
  caseSize: number;
  wholesalePriceFen: number;
  cases: number;
  reason: SuggestionReason | null;
  onHand: number | null;
  velocityPerDay: number | null;
  suggested: number | null;
}

/** 进货: the suggested order (own sales and the neighbourhood's), edited in cases, placed and paid; then received. */
export function ReplenishPage() {
  const { t } = useTranslation();
  const { store, isOwner } = useStoreCtx();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const sugg = useQuery({
    queryKey: ['store', store.id, 'suggestions'],
    queryFn: ({ signal }) => get<Suggestions>(`/stores/${store.id}/replenishment/suggestions`, undefined, signal),
  });
  const [draft, setDraft] = useState<DraftLine[] | null>(null);
  const [placing, setPlacing] = useState(false);
  const [placeErr, setPlaceErr] = useState<unknown>(null);
  const [placed, setPlaced] = useState<CheckoutResult | null>(null);

  // The suggestion is the starting point; once edited the draft is the owner's.
  useEffect(() => {
    if (sugg.data && draft === null)
      setDraft(
        sugg.data.lines.map((s) => ({
          ...s,
          caseSize: Math.max(1, s.caseSize),
          cases: Math.max(0, Math.ceil(s.suggested / Math.max(1, s.caseSize))),
        })),
      );
  }, [sugg.data, draft]);

  const lines = draft ?? [];
  const chosen = lines.filter((l) => l.cases > 0);
  const totalFen = chosen.reduce((s, l) => s + l.cases * l.caseSize * l.wholesalePriceFen, 0);
  const setCases = (skuId: number, cases: number) => setDraft((d) => (d ?? []).map((l) => (l.skuId === skuId ? { ...l, cases: Math.max(0, Math.min(999, cases)) } : l)));
  const addItem = (w: WholesaleItem) =>
    setDraft((d) => {
      const cur = d ?? [];
      if (cur.some((l) => l.skuId === w.skuId)) return cur.map((l) => (l.skuId === w.skuId ? { ...l, cases: l.cases + 1 } : l));
      return [...cur, { ...w, caseSize: Math.max(1, w.caseSize), cases: 1, reason: null, onHand: null, velocityPerDay: null, suggested: null }];
    });

  const place = async () => {
    setPlacing(true);
    setPlaceErr(null);
    try {
      const r = await send<CheckoutResult>(`/stores/${store.id}/replenishment/orders`, { lines: chosen.map((l) => ({ skuId: l.skuId, quantity: l.cases * l.caseSize })) });
      setPlaced(r);
      setDraft(null);
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'replenishment'] });
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'suggestions'] });
    } catch (e) {
      setPlaceErr(e);
    } finally {
      setPlacing(false);
    }
  };

  return (
    <div className="store-page">
      <h1 className="section-title">{t('stores.replen.title')}</h1>
      {placed && (
        <div className="ok-note" data-testid="replen-placed">
          {t('stores.replen.placed', { no: placed.order.orderNo, amount: formatFen(placed.order.totalFen) })}{' '}
          {placed.payment && (
            <a href={placed.payment.payUrl} target="_blank" rel="noreferrer" className="btn btn-accent btn-small" data-testid="replen-pay">
              {t('stores.replen.pay')}
            </a>
          )}
        </div>
      )}
      <section className="card">
        <div className="page-head-row">
          <h2 className="sub-title">{t('stores.replen.suggested')}</h2>
          {sugg.data && <span className="muted small">{t('stores.replen.targetDays', { days: sugg.data.targetDays })}</span>}
        </div>
        {sugg.isPending ? (
          <Loading />
        ) : sugg.error ? (
          <ErrorNote error={sugg.error} onRetry={() => void sugg.refetch()} />
        ) : lines.length === 0 ? (
          <p className="muted small">{t('stores.replen.noSuggestions')}</p>
        ) : (
          <div className="table-scroll">
            <table className="store-table" data-testid="replen-table">
              <thead>
                <tr>
                  <th>{t('stores.stock.item')}</th>
                  <th className="num">{t('stores.stock.onHand')}</th>
                  <th className="num">{t('stores.replen.velocity')}</th>
                  <th className="num">{t('stores.replen.wholesale')}</th>
                  <th className="num">{t('stores.replen.cases')}</th>
                  <th className="num">{t('stores.replen.lineTotal')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.skuId} data-testid="replen-suggestion" data-sku-id={l.skuId} className={l.cases === 0 ? 'is-stale' : ''}>
                    <td>
                      {l.title} <span className="muted small">{l.spec}</span>
                      <div>
                        {l.reason && <span className={`reason-chip reason-${l.reason}`}>{t(`stores.reason.${l.reason}`)}</span>}
                        {l.suggested !== null && <span className="muted small"> {t('stores.replen.suggestedUnits', { count: l.suggested, unit: l.unit })}</span>}
                      </div>
                    </td>
                    <td className="num">{l.onHand ?? '—'}</td>
                    <td className="num">{l.velocityPerDay === null ? '—' : l.velocityPerDay.toFixed(1)}</td>
                    <td className="num">
                      {formatFen(l.wholesalePriceFen)}
                      <div className="muted small">{t('stores.replen.caseOf', { count: l.caseSize, unit: l.unit })}</div>
                    </td>
                    <td className="num">
                      <input
                        className="cases-input"
                        inputMode="numeric"
                        aria-label={t('stores.replen.cases')}
                        data-testid="replen-cases"
                        value={l.cases}
                        onChange={(e) => setCases(l.skuId, Number(e.target.value.replace(/\D/g, '')) || 0)}
                      />
                      <div className="muted small">= {l.cases * l.caseSize}</div>
                    </td>
                    <td className="num">{formatFen(l.cases * l.caseSize * l.wholesalePriceFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <WholesaleSearch storeId={store.id} onAdd={addItem} />
        <ErrorNote error={placeErr} />
        <div className="replen-foot">
          <span>
            {t('stores.replen.total')} <strong className="price">{formatFen(totalFen)}</strong>
          </span>
          <button type="button" className="btn btn-primary" data-testid="replen-place" disabled={!isOwner || chosen.length === 0 || placing} onClick={() => void place()}>
            {placing ? t('stores.replen.placing') : t('stores.replen.place')}
          </button>
        </div>
        {!isOwner && <p className="muted small">{t('stores.replen.ownerOnly')}</p>}
      </section>
      <ReplenishOrders />
    </div>
  );
}

function WholesaleSearch({ storeId, onAdd }: { storeId: number; onAdd: (w: WholesaleItem) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  const res = useQuery({
    queryKey: ['store', storeId, 'wholesale', term],
    queryFn: ({ signal }) => get<Page<WholesaleItem>>(`/stores/${storeId}/wholesale`, { q: term, limit: 10 }, signal),
    enabled: term !== '',
  });
  return (
    <div className="wholesale">
      <form
        className="wholesale-search"
        onSubmit={(e) => {
          e.preventDefault();
          setTerm(q.trim());
        }}
      >
        <input type="search" value={q} placeholder={t('stores.replen.searchWholesale')} aria-label={t('stores.replen.searchWholesale')} onChange={(e) => setQ(e.target.value)} />
        <button type="submit" className="btn btn-ghost btn-small">
          {t('stores.replen.search')}
        </button>
      </form>
      {term && res.isPending && <Loading />}
      <ErrorNote error={res.error} />
      {res.data && (
        <ul className="plain-list">
          {res.data.items.length === 0 && <li className="muted small">{t('stores.pos.noHits')}</li>}
          {res.data.items.map((w) => (
            <li key={w.skuId} className="ledger-row" data-testid="wholesale-item" data-sku-id={w.skuId}>
              <span>
                {w.title} <span className="muted small">{w.spec}</span>
                <div className="muted small">
                  {formatFen(w.wholesalePriceFen)} · {t('stores.replen.caseOf', { count: w.caseSize, unit: w.unit })} · {t('stores.replen.retail', { price: formatFen(w.retailPriceFen) })}
                </div>
              </span>
              <button type="button" className="btn btn-ghost btn-small" disabled={w.available < w.caseSize} onClick={() => onAdd(w)}>
                {t('stores.replen.addCase')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
