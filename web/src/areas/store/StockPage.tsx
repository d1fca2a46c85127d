import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { StockLevel } from '../../api/stores';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { useStoreCtx } from './storeContext';

const PAGE = 50;
/** At or below this many sellable units a line is flagged: the shelf is about to run empty. */
export const LOW_STOCK = 3;

/** 库存: the store's one stock (counter and online draw on it), paged by SKU. */
export function StockPage() {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  // The pages walked so far, by the last SKU before each, for "previous".
  const [afters, setAfters] = useState<number[]>([0]);
  const after = afters[afters.length - 1] ?? 0;
  const stock = useQuery({
    queryKey: ['store', store.id, 'stock', after],
    queryFn: ({ signal }) => get<{ items: StockLevel[] }>('/stock', { storeId: store.id, afterSkuId: after, limit: PAGE }, signal),
    placeholderData: keepPreviousData,
  });
  const items = stock.data?.items ?? [];
  return (
    <div className="store-page">
      <div className="page-head-row">
        <h1 className="section-title">{t('stores.stock.title')}</h1>
        <Link to="/store/replenish" className="btn btn-accent btn-small">
          {t('stores.stock.replenish')}
        </Link>
      </div>
      <p className="muted small">{t('stores.stock.hint')}</p>
      <section className="card table-scroll">
        {stock.isPending ? (
          <Loading />
        ) : stock.error ? (
          <ErrorNote error={stock.error} onRetry={() => void stock.refetch()} />
        ) : (
          <table className={`store-table${stock.isPlaceholderData ? ' is-stale' : ''}`} data-testid="stock-table">
            <thead>
              <tr>
                <th>{t('stores.stock.item')}</th>
                <th className="num">{t('stores.stock.onHand')}</th>
                <th className="num">{t('stores.stock.reserved')}</th>
                <th className="num">{t('stores.stock.available')}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted empty">
                    {t('app.empty')}
                  </td>
                </tr>
              )}
              {items.map((s) => (
                <tr key={s.skuId} data-testid="stock-row" data-sku-id={s.skuId} className={s.available <= LOW_STOCK ? 'is-low' : ''}>
                  <td>
                    {s.productName} <span className="muted small">{s.spec}</span>
                    {s.available <= LOW_STOCK && <span className="warn-chip">{s.available <= 0 ? t('stores.shelf.soldOut') : t('stores.reason.low_stock')}</span>}
                  </td>
                  <td className="num">{s.onHand}</td>
                  <td className="num">{s.reserved}</td>
                  <td className="num">
                    <strong>{s.available}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="pager">
          <button type="button" className="btn btn-ghost btn-small" disabled={afters.length <= 1} onClick={() => setAfters((a) => a.slice(0, -1))}>
            ← {t('admin.prev')}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={items.length < PAGE || stock.isPlaceholderData}
            onClick={() => setAfters((a) => [...a, items[items.length - 1]!.skuId])}
          >
            {t('admin.next')} →
          </button>
        </div>
      </section>
    </div>
  );
}
