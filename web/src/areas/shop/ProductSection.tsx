import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { ProductCard } from './ProductCard';
import { recordView, useCategories, useCommunityProducts } from './queries';

export function ProductSection({ communityId }: { communityId: number }) {
  const { t } = useTranslation();
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const categories = useCategories();
  const products = useCommunityProducts(communityId, categoryId);

  // One view per community visit; the ref keeps StrictMode's double effect from counting twice.
  const recorded = useRef<number | null>(null);
  useEffect(() => {
    if (recorded.current === communityId) return;
    recorded.current = communityId;
    recordView(communityId);
  }, [communityId]);

  const items = products.data?.pages.flatMap((p) => p.items) ?? [];
  // Only top-level categories make chips; sub-categories would crowd a phone screen.
  const chips = (categories.data ?? []).filter((c) => c.parentId === null);

  return (
    <section className="products">
      <h2 className="section-title">{t('shop.productsTitle')}</h2>
      {chips.length > 0 && (
        <div className="chips" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={categoryId === null}
            className={`chip${categoryId === null ? ' is-active' : ''}`}
            onClick={() => setCategoryId(null)}
          >
            {t('shop.allCategories')}
          </button>
          {chips.map((c) => (
            <button
              key={c.id}
              type="button"
              role="tab"
              aria-selected={categoryId === c.id}
              className={`chip${categoryId === c.id ? ' is-active' : ''}`}
              onClick={() => setCategoryId(c.id)}
            >
              {c.name}
            </button>
          ))}
        </div>
      )}
      {products.isPending ? (
        <Loading />
      ) : products.error ? (
        <ErrorNote error={products.error} onRetry={() => void products.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted empty card">{t('shop.noProducts')}</p>
      ) : (
        <>
          <ul className="product-list" data-testid="product-list">
            {items.map((p) => (
              <ProductCard key={p.productId} product={p} />
            ))}
          </ul>
          {products.hasNextPage ? (
            <button
              type="button"
              className="btn btn-secondary btn-block load-more"
              disabled={products.isFetchingNextPage}
              onClick={() => void products.fetchNextPage()}
            >
              {products.isFetchingNextPage ? t('shop.loadingMore') : t('shop.loadMore')}
            </button>
          ) : (
            <p className="muted end-note">{t('shop.allLoaded')}</p>
          )}
        </>
      )}
    </section>
  );
}
