import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../../../api/client';
import { useMyStoreApplication, type StoreApplication, type StoreApplicationBody, type StoreMode } from '../../../api/stores';
import { useAuth } from '../../../auth/AuthContext';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { blames, Field } from '../../../components/Field';
import { errorField } from '../../../components/errors';
import { formatTime } from '../../../components/time';
import { useHome } from '../queries';
import '../../../styles/store.css';

type Form = Record<'storeName' | 'licenceNumber' | 'address' | 'lat' | 'lng' | 'opensAt' | 'closesAt' | 'deliveryRadiusM' | 'ownerName' | 'idCardNumber', string>;
const MODES: StoreMode[] = ['delivery', 'pickup'];

/** 小店入驻: a resident who runs a shop applies; the operator approves and the store opens. */
export function StoreApplyPage() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const mine = useMyStoreApplication();
  const home = useHome();
  const qc = useQueryClient();
  const c = home.data?.community;
  const [f, setF] = useState<Form>({ storeName: '', licenceNumber: '', address: '', lat: '', lng: '', opensAt: '07:30', closesAt: '22:00', deliveryRadiusM: '1500', ownerName: '', idCardNumber: '' });
  const [modes, setModes] = useState<StoreMode[]>(['delivery', 'pickup']);
  useEffect(() => {
    if (!c) return;
    setF((v) => (v.address || v.lat ? v : { ...v, address: c.address, lat: String(c.lat), lng: String(c.lng) }));
  }, [c]);
  const apply = useMutation({
    mutationFn: (body: StoreApplicationBody) => post<StoreApplication>('/store-applications', body),
    onSuccess: (a) => qc.setQueryData(['store-applications', 'mine'], a),
  });

  if (mine.isPending || home.isPending) return <Loading />;
  if (mine.error) return <ErrorNote error={mine.error} onRetry={() => void mine.refetch()} />;
  const a = mine.data;
  const isOwner = account?.roles.includes('store_owner') ?? false;
  const canApply = !a || a.status === 'rejected';
  const field = errorField(apply.error);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setF((v) => ({ ...v, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!c) return;
    apply.mutate({
      storeName: f.storeName.trim(),
      licenceNumber: f.licenceNumber.trim(),
      address: f.address.trim(),
      communityId: c.id,
      lat: Number(f.lat),
      lng: Number(f.lng),
      opensAt: f.opensAt,
      closesAt: f.closesAt,
      deliveryRadiusM: Number(f.deliveryRadiusM),
      modes,
      ...(f.ownerName.trim() && f.idCardNumber.trim() ? { ownerName: f.ownerName.trim(), idCardNumber: f.idCardNumber.trim() } : {}),
    });
  };

  return (
    <>
      <div className="back-row">
        <Link to="/shop" className="small">
          ← {t('groupbuy.back')}
        </Link>
      </div>
      <section className="card">
        <h1 className="section-title">{t('stores.apply.title')}</h1>
        <p className="muted small">{t('stores.apply.hint')}</p>
        {isOwner && (
          <p className="ok-note">
            {t('stores.apply.already')} <Link to="/store">{t('stores.apply.openStore')}</Link>
          </p>
        )}
        {a && (
          <div className={`apply-status as-${a.status}`} data-testid="store-application-status" data-status={a.status}>
            <strong>{t(`stores.apply.status.${a.status}`)}</strong>
            <span className="small">
              {a.storeName} · {formatTime(a.createdAt)}
            </span>
            {a.status === 'rejected' && a.reason && <span className="small">{t('stores.apply.reason', { reason: a.reason })}</span>}
          </div>
        )}
      </section>
      {canApply && (
        <section className="card">
          {!c ? (
            <p className="small">
              <Link to="/shop/community">{t('groupbuy.setHome')}</Link>
            </p>
          ) : (
            <form className="form-stack" onSubmit={submit}>
              <p className="small">{t('stores.apply.community', { name: c.name })}</p>
              <Field label={t('stores.apply.storeName')} invalid={blames(field, 'storeName')}>
                <input name="storeName" required maxLength={64} value={f.storeName} onChange={set('storeName')} />
              </Field>
              <Field label={t('stores.apply.licence')} invalid={blames(field, 'licenceNumber')} hint={t('stores.apply.licenceHint')}>
                <input name="licenceNumber" required maxLength={32} value={f.licenceNumber} onChange={set('licenceNumber')} />
              </Field>
              <Field label={t('stores.apply.address')} invalid={blames(field, 'address')}>
                <input name="address" required maxLength={200} value={f.address} onChange={set('address')} />
              </Field>
              <div className="form-row-2">
                <Field label={t('groupbuy.apply.lat')} invalid={blames(field, 'lat')}>
                  <input name="lat" inputMode="decimal" required value={f.lat} onChange={set('lat')} />
                </Field>
                <Field label={t('groupbuy.apply.lng')} invalid={blames(field, 'lng')}>
                  <input name="lng" inputMode="decimal" required value={f.lng} onChange={set('lng')} />
                </Field>
              </div>
              <div className="form-row-2">
                <Field label={t('groupbuy.apply.opensAt')} invalid={blames(field, 'opensAt')}>
                  <input name="opensAt" type="time" required value={f.opensAt} onChange={set('opensAt')} />
                </Field>
                <Field label={t('groupbuy.apply.closesAt')} invalid={blames(field, 'closesAt')}>
                  <input name="closesAt" type="time" required value={f.closesAt} onChange={set('closesAt')} />
                </Field>
              </div>
              <Field label={t('stores.apply.radius')} invalid={blames(field, 'deliveryRadiusM')} hint={t('stores.apply.radiusHint')}>
                <input name="deliveryRadiusM" inputMode="numeric" required value={f.deliveryRadiusM} onChange={set('deliveryRadiusM')} />
              </Field>
              <fieldset className={`mode-set${blames(field, 'modes') ? ' field-invalid' : ''}`}>
                <legend className="field-label">{t('stores.apply.modes')}</legend>
                {MODES.map((m) => (
                  <label key={m} className="check">
                    <input type="checkbox" checked={modes.includes(m)} onChange={(e) => setModes((v) => (e.target.checked ? [...v, m] : v.filter((x) => x !== m)))} />
                    {t(`stores.mode.${m}`)}
                  </label>
                ))}
              </fieldset>
              <p className="muted small">{t('stores.apply.pickupHint')}</p>
              <div className="form-row-2">
                <Field label={t('groupbuy.apply.realName')} invalid={blames(field, 'ownerName')}>
                  <input name="ownerName" maxLength={32} value={f.ownerName} onChange={set('ownerName')} />
                </Field>
                <Field label={t('groupbuy.apply.idCard')} invalid={blames(field, 'idCardNumber')}>
                  <input name="idCardNumber" maxLength={18} value={f.idCardNumber} onChange={set('idCardNumber')} />
                </Field>
              </div>
              <ErrorNote error={apply.error} />
              <button type="submit" className="btn btn-primary btn-block" data-testid="store-apply-submit" disabled={apply.isPending || modes.length === 0}>
                {apply.isPending ? t('groupbuy.apply.sending') : t('stores.apply.submit')}
              </button>
            </form>
          )}
        </section>
      )}
    </>
  );
}
