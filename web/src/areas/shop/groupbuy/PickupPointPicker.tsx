import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, put } from '../../../api/client';
import type { MyPickupPoint } from '../../../api/groupbuy';
import { formatDistance } from '../../../api/money';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { TrustBadge } from '../../../components/TrustBadge';
import { useHome } from '../queries';
import { useMyPickupPoint, usePointOptions } from './queries';

/** 选择自提点: the nearest active points around home (or where the phone is), and binding one. */
export function PickupPointPicker() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const home = useHome();
  const mine = useMyPickupPoint();
  const [here, setHere] = useState<{ lat: number; lng: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);
  const c = home.data?.community;
  const at = here ?? (c ? { lat: c.lat, lng: c.lng } : null);
  const options = usePointOptions(at);

  const bind = useMutation({
    mutationFn: (pickupPointId: number) => put<MyPickupPoint>('/me/pickup-point', { pickupPointId }),
    onSuccess: (next) => {
      qc.setQueryData(['me', 'pickup-point'], next);
      void qc.invalidateQueries({ queryKey: ['campaigns', 'today'] });
      void navigate('/shop/groupbuy');
    },
  });

  function locate() {
    if (!('geolocation' in navigator)) return setLocError(t('shop.locationFailed', { reason: 'unsupported' }));
    setLocating(true);
    setLocError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setHere({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      (err) => {
        setLocating(false);
        setLocError(t('shop.locationFailed', { reason: err.message }));
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  }

  const current = mine.data?.pickupPoint ?? null;
  const switchesLeft = mine.data?.switchesLeft ?? 0;
  const locked = current !== null && switchesLeft <= 0;
  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };

  return (
    <>
      <div className="back-row">
        <Link to={current ? '/shop/groupbuy' : '/shop'} className="small">
          ← {t('groupbuy.back')}
        </Link>
      </div>
      <section className="card">
        <h1 className="section-title">{t('groupbuy.pickTitle')}</h1>
        <p className="muted small">{t('groupbuy.pickHint')}</p>
        {current && mine.data && (
          <p className="small" data-testid="switches-left">
            {t('groupbuy.switchRule', { count: mine.data.switchesLeft, days: mine.data.switchWindowDays })}
          </p>
        )}
        <div className="pick-search">
          <span className="muted small">{here ? t('groupbuy.nearPhone') : c ? t('groupbuy.nearHome', { name: c.name }) : t('groupbuy.noHome')}</span>
          <button type="button" className="btn btn-ghost btn-small" disabled={locating} onClick={locate}>
            {locating ? t('shop.locating') : t('shop.useLocation')}
          </button>
        </div>
        {locError && <p className="line-problem">{locError}</p>}
        {!at && !home.isPending && (
          <p className="small">
            <Link to="/shop/community">{t('groupbuy.setHome')}</Link>
          </p>
        )}
        {options.isPending && at ? (
          <Loading />
        ) : options.error ? (
          <ErrorNote error={options.error} onRetry={() => void options.refetch()} />
        ) : options.data && options.data.length === 0 ? (
          <p className="muted">{t('groupbuy.noOptions')}</p>
        ) : (
          <ul className="plain-list gb-options">
            {(options.data ?? []).map((o) => {
              const isCurrent = o.pickupPoint.id === current?.id;
              return (
                <li key={o.pickupPoint.id} className={`gb-option${isCurrent ? ' is-current' : ''}`} data-testid="point-option">
                  <div className="gb-option-info">
                    <div className="point-name">
                      {o.pickupPoint.name}
                      {isCurrent && <span className="tag tag-current">{t('shop.current')}</span>}
                      <TrustBadge trust={o.trust} />
                    </div>
                    <div className="muted small">{o.pickupPoint.address}</div>
                    <div className="muted small">
                      {t('groupbuy.leaderName', { name: o.leaderName })} · {t('shop.hours', { from: o.pickupPoint.opensAt, to: o.pickupPoint.closesAt })}
                    </div>
                  </div>
                  <div className="gb-option-side">
                    <span className="nearby-distance">{formatDistance(o.distanceM, units)}</span>
                    {!isCurrent && (
                      <button
                        type="button"
                        className="btn btn-primary btn-small"
                        data-testid="bind-point"
                        disabled={bind.isPending || locked}
                        onClick={() => bind.mutate(o.pickupPoint.id)}
                      >
                        {current ? t('groupbuy.switchTo') : t('groupbuy.bind')}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {locked && <p className="notice notice-inline">{t('groupbuy.noSwitchesLeft')}</p>}
        {/* 409 (details.reason switch_limit): the switches of the window are used up. */}
        <ErrorNote error={bind.error} {...(bind.error instanceof ApiError && bind.error.status === 409 ? { title: t('groupbuy.noSwitchesLeft') } : {})} />
      </section>
    </>
  );
}
