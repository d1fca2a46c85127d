// Picking SKUs for a session's bag from the catalogue: search products by name, open one to
// see its SKUs (spec, unit, base price), take one.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { formatFen } from '../../api/money';
import type { Page, Product, Sku } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import type { PickedSku } from './rules';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function SkuPicker({ onPick, taken }: { onPick: (s: PickedSku) => void; taken: ReadonlySet<number> }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const [openId, setOpenId] = useState<number | null>(null);
  const products = useQuery({
    queryKey: ['host', 'catalogue', query],
    queryFn: ({ signal }) => get<Page<Product>>('/products', { q: query, status: 'active', limit: 12 }, signal),
    placeholderData: (prev) => prev,
  });
  const product = useQuery({
    queryKey: ['products', openId],
    queryFn: ({ signal }) => get<Product & { skus: Sku[] }>(`/products/${openId}`, undefined, signal),
    enabled: openId !== null,
    staleTime: 60_000,
  });
  return (
    <div className="host-picker" data-testid="host-sku-picker">
      <input type="search" value={q} placeholder={t('live.host.searchCatalogue')} aria-label={t('live.host.searchCatalogue')} data-testid="host-sku-search" onChange={(e) => setQ(e.target.value)} />
      {products.isPending ? (
        <Loading />
      ) : products.error ? (
        <ErrorNote error={products.error} onRetry={() => void products.refetch()} />
      ) : products.data.items.length === 0 ? (
        <p className="muted small">{t('live.host.noProducts')}</p>
      ) : (
        <ul className="host-picker-list">
          {products.data.items.map((p) => (
            <li key={p.id}>
              <button type="button" className={`host-picker-product${openId === p.id ? ' is-open' : ''}`} data-testid="host-sku-product" onClick={() => setOpenId(openId === p.id ? null : p.id)}>
                {p.name}
              </button>
              {openId === p.id && (
                <div className="host-picker-skus">
                  {product.isPending ? (
                    <Loading />
                  ) : product.error ? (
                    <ErrorNote error={product.error} />
                  ) : (
                    (product.data.skus ?? [])
                      .filter((s) => s.status !== 'archived')
                      .map((s) => (
                        <button
                          key={s.id}
                          type="button"
                          className="btn btn-secondary btn-small"
                          data-testid="host-sku-option"
                          disabled={taken.has(s.id)}
                          onClick={() => onPick({ skuId: s.id, productName: p.name, spec: s.spec, unit: s.unit, basePriceFen: s.basePriceFen })}
                        >
                          {s.spec} · {formatFen(s.basePriceFen)}
                          {taken.has(s.id) && ` · ${t('live.host.inBag')}`}
                        </button>
                      ))
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
