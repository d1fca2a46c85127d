// 为你推荐 (货配人): what the matching model picks for this resident, with why — bought again,
// popular with the neighbours, bought together with their items — added to the cart in one tap.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { formatFen } from '../../api/money';
import { useCart } from './cart';

interface Recommendation {
  skuId: number;
  productId: number;
  reason: 'repeat' | 'community' | 'together' | 'popular';
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
}

export function ForYouSection() {
  const { t } = useTranslation();
  const cart = useCart();
  const recs = useQuery({
    queryKey: ['me', 'recommendations'],
    queryFn: ({ signal }) => get<{ items: Recommendation[] }>('/me/recommendations', { limit: 8 }, signal),
    staleTime: 60_000,
  });
  // A suggestion row is a bonus: nothing to show (or an error) shows nothing.
  const items = recs.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card for-you" data-testid="for-you">
      <h2 className="section-title">{t('shop.forYou.title')}</h2>
      <ul className="for-you-row">
        {items.map((r) => (
          <li key={r.skuId} className="for-you-item" data-testid="for-you-item" data-sku-id={r.skuId}>
            <span className={`tag for-you-why why-${r.reason}`}>{t(`shop.forYou.why.${r.reason}`)}</span>
            <span className="for-you-name">{r.title}</span>
            <span className="muted small">
              {r.spec} · {r.unit}
            </span>
            <span className="for-you-foot">
              <span className="price">{formatFen(r.priceFen)}</span>
              <button
                type="button"
                className="add-btn"
                aria-label={t('cart.addNamed', { name: `${r.title} ${r.spec}` })}
                onClick={() => cart.add({ skuId: r.skuId, productId: r.productId, name: r.title, spec: r.spec, unit: r.unit, priceFen: r.priceFen })}
              >
                {cart.quantityOf(r.skuId) > 0 ? cart.quantityOf(r.skuId) : '+'}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
