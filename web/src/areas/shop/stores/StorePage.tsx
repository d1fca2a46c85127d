import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatFen } from '../../../api/money';
import { useShelf, useStore, type ShelfItem } from '../../../api/stores';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { Stepper } from '../../../components/Stepper';
import { useCart, type Cart } from '../cart';
import '../../../styles/store.css';

/** One store's shelf (what it has in stock now), with its own cart. */
export function StorePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const store = useStore(id);
  const shelf = useShelf(id);
  const cart = useCart(`store:${id}`);
  const items = shelf.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="back-row">
        <Link to="/shop/stores" className="small">
          ← {t('stores.front.title')}
        </Link>
      </div>
      {store.data && (
        <section className="community-banner store-banner">
          <div>
            <div className="eyebrow">{t('stores.front.store')}</div>
            <h1 className="community-name">{store.data.name}</h1>
            <div className="community-meta">
              {store.data.address} · {t('shop.hours', { from: store.data.opensAt, to: store.data.closesAt })}
            </div>
          </div>
        </section>
      )}
      <ErrorNote error={store.error} />
      <section className="card">
        <h2 className="section-title">{t('stores.shelf.title')}</h2>
        {shelf.isPending ? (
          <Loading />
        ) : shelf.error ? (
          <ErrorNote error={shelf.error} onRetry={() => void shelf.refetch()} />
        ) : items.length === 0 ? (
          <p className="muted">{t('stores.shelf.empty')}</p>
        ) : (
          <ul className="shelf">
            {items.map((it) => (
              <ShelfRow key={it.skuId} item={it} cart={cart} />
            ))}
          </ul>
        )}
        {shelf.hasNextPage && (
          <button type="button" className="btn btn-ghost btn-block" disabled={shelf.isFetchingNextPage} onClick={() => void shelf.fetchNextPage()}>
            {shelf.isFetchingNextPage ? t('app.loading') : t('stores.more')}
          </button>
        )}
      </section>
      {cart.count > 0 && (
        <div className="sticky-bar">
          <div className="sticky-total">
            <span className="muted small">{t('stores.shelf.inCart', { count: cart.count })}</span>
            <span className="price">{formatFen(cart.totalFen)}</span>
          </div>
          <Link to={`/shop/stores/${id}/checkout`} className="btn btn-accent" data-testid="store-checkout">
            {t('stores.shelf.checkout')}
          </Link>
        </div>
      )}
    </>
  );
}

function ShelfRow({ item: it, cart }: { item: ShelfItem; cart: Cart }) {
  const { t } = useTranslation();
  const q = cart.quantityOf(it.skuId);
  const out = it.available <= 0;
  return (
    <li className={`shelf-item${out ? ' is-out' : ''}`} data-testid="shelf-item" data-sku-id={it.skuId}>
      <div className="cart-thumb" aria-hidden="true">
        {it.imageUrl ? <img src={it.imageUrl} alt="" /> : Array.from(it.title)[0]}
      </div>
      <div className="shelf-info">
        <div className="cart-name">{it.title}</div>
        <div className="muted small">
          {it.spec} · {out ? t('stores.shelf.soldOut') : it.available <= 5 ? t('stores.shelf.fewLeft', { count: it.available }) : t('stores.shelf.inStock')}
        </div>
        <div className="price price-small">
          {formatFen(it.priceFen)}
          <span className="muted small">/{it.unit}</span>
        </div>
      </div>
      {q > 0 ? (
        <Stepper small value={q} max={Math.max(q, it.available)} label={it.title} onChange={(n) => cart.setQuantity(it.skuId, n)} onBelowMin={() => cart.remove(it.skuId)} />
      ) : (
        <button
          type="button"
          className="btn btn-primary btn-small"
          data-testid="shelf-add"
          disabled={out}
          onClick={() => cart.add({ skuId: it.skuId, productId: it.productId, name: it.title, spec: it.spec, unit: it.unit, priceFen: it.priceFen })}
        >
          {out ? t('stores.shelf.soldOut') : t('stores.shelf.add')}
        </button>
      )}
    </li>
  );
}
