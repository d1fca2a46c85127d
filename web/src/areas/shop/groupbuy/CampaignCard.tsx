import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Campaign, CampaignItem } from '../../../api/groupbuy';
import { formatFen } from '../../../api/money';
import { Stepper } from '../../../components/Stepper';
import { formatCountdown } from '../../../components/time';
import { useCart, type Cart } from '../cart';
import { pickupDayLabel } from './dates';

const TINTS = ['#fff3e0', '#e8f5e9', '#e3f2fd', '#fce4ec', '#f3e5f5', '#fffde7', '#e0f2f1'];

/** One campaign (团购活动): cutoff countdown, pickup day and its items with group prices. */
export function CampaignCard({ campaign: c, now }: { campaign: Campaign; now: number }) {
  const { t } = useTranslation();
  const cart = useCart('groupbuy');
  const left = new Date(c.cutoffAt).getTime() - now;
  const closed = left <= 0;
  return (
    <section className="card gb-campaign" data-testid="campaign-card" data-campaign-id={c.id}>
      <div className="gb-campaign-head">
        <h2 className="section-title">{c.title}</h2>
        <span className="gb-pickup-day">{pickupDayLabel(t, c.pickupDate, now)}</span>
      </div>
      <div className={`gb-cutoff${closed ? ' is-closed' : ''}`} data-testid="cutoff-countdown">
        {closed ? t('groupbuy.cutoffPassed') : t('groupbuy.cutoffIn', { time: formatCountdown(left) })}
        {c.figures.buyers > 0 && <span className="gb-buyers">{t('groupbuy.buyers', { count: c.figures.buyers })}</span>}
      </div>
      <ul className="gb-items">
        {c.items.map((it) => (
          <CampaignItemRow key={it.skuId} campaign={c} item={it} cart={cart} closed={closed} />
        ))}
      </ul>
    </section>
  );
}

function CampaignItemRow({ campaign, item: it, cart, closed }: { campaign: Campaign; item: CampaignItem; cart: Cart; closed: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inCart = cart.quantityOf(it.skuId);
  const total = it.sold + it.available;
  const pct = total > 0 ? Math.min(100, Math.round((it.sold / total) * 100)) : 0;
  const soldOut = it.available <= 0;
  const max = Math.max(0, Math.min(it.available, it.limitPerPerson ?? 999));
  const line = {
    skuId: it.skuId,
    productId: it.productId,
    name: it.title,
    spec: it.spec,
    unit: it.unit,
    priceFen: it.groupPriceFen,
    campaignId: campaign.id,
  };
  const canBuy = !closed && !soldOut;
  return (
    <li className="gb-item" data-testid="campaign-item" data-sku-id={it.skuId}>
      <div className="gb-thumb" style={{ background: TINTS[it.productId % TINTS.length] }}>
        {it.imageUrl ? <img src={it.imageUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{Array.from(it.title)[0]}</span>}
      </div>
      <div className="gb-item-body">
        <h3 className="product-name">
          {it.title}
          {it.leaderOnly && <span className="tag tag-muted">{t('groupbuy.leaderOnly')}</span>}
        </h3>
        <div className="muted small">
          {it.spec} · {it.unit}
          {it.limitPerPerson !== null && <span className="gb-limit">{t('groupbuy.limit', { count: it.limitPerPerson })}</span>}
        </div>
        <div className="gb-progress" aria-label={t('groupbuy.progress', { sold: it.sold, left: it.available })}>
          <div className="gb-progress-bar">
            <span style={{ width: `${pct}%` }} />
          </div>
          <span className="small muted">
            {soldOut ? t('groupbuy.soldOut') : t('groupbuy.progress', { sold: it.sold, left: it.available })}
          </span>
        </div>
        <div className="product-price-row">
          <span className="price" data-testid="group-price">
            {formatFen(it.groupPriceFen)}
          </span>
          {it.basePriceFen > it.groupPriceFen && (
            <s className="price-was small" title={t('shop.originalPrice')}>
              {formatFen(it.basePriceFen)}
            </s>
          )}
          <span className="product-cart gb-actions">
            {inCart > 0 ? (
              <Stepper
                small
                value={inCart}
                max={Math.max(inCart, max)}
                label={`${it.title} ${it.spec}`}
                onChange={(n) => cart.setQuantity(it.skuId, n)}
                onBelowMin={() => cart.remove(it.skuId)}
              />
            ) : (
              <button
                type="button"
                className="add-btn"
                data-testid="gb-add"
                disabled={!canBuy}
                aria-label={t('cart.addNamed', { name: `${it.title} ${it.spec}` })}
                onClick={() => cart.add(line)}
              >
                +
              </button>
            )}
            <button
              type="button"
              className="btn btn-accent btn-small"
              data-testid="gb-buy-now"
              disabled={!canBuy}
              onClick={() => {
                if (inCart === 0) cart.add(line);
                void navigate(`/shop/groupbuy/checkout?campaign=${campaign.id}`);
              }}
            >
              {t('groupbuy.buyNow')}
            </button>
          </span>
        </div>
      </div>
    </li>
  );
}
