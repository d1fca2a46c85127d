import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { post } from '../../../api/client';
import type { Application, ApplicationBody } from '../../../api/groupbuy';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { blames, Field } from '../../../components/Field';
import { errorField } from '../../../components/errors';
import { formatTime } from '../../../components/time';
import { useAuth } from '../../../auth/AuthContext';
import { useHome } from '../queries';
import { useMyApplication } from './queries';

type Form = Record<'realName' | 'idCardNumber' | 'pointName' | 'address' | 'lat' | 'lng' | 'opensAt' | 'closesAt' | 'capacity', string>;

/** 申请当团长: apply with identity and a pickup point; shows the latest application's status. */
export function LeaderApplyPage() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const mine = useMyApplication();
  const home = useHome();
  const qc = useQueryClient();
  const c = home.data?.community;
  const [f, setF] = useState<Form>({
    realName: '',
    idCardNumber: '',
    pointName: '',
    address: '',
    lat: '',
    lng: '',
    opensAt: '08:00',
    closesAt: '21:00',
    capacity: '200',
  });
  // The home community is the natural place for the point: start from its address and position.
  useEffect(() => {
    if (!c) return;
    setF((v) => (v.address || v.lat ? v : { ...v, address: c.address, lat: String(c.lat), lng: String(c.lng) }));
  }, [c]);

  const apply = useMutation({
    mutationFn: (body: ApplicationBody) => post<Application>('/leader-applications', body),
    onSuccess: (a) => qc.setQueryData(['leader-applications', 'mine'], a),
  });

  if (mine.isPending || home.isPending) return <Loading />;
  if (mine.error) return <ErrorNote error={mine.error} onRetry={() => void mine.refetch()} />;
  const a = mine.data;
  const isLeader = account?.roles.includes('leader') ?? false;
  const canApply = !isLeader && (!a || a.status === 'rejected');
  const field = errorField(apply.error);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setF((v) => ({ ...v, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!c) return;
    apply.mutate({
      realName: f.realName.trim(),
      idCardNumber: f.idCardNumber.trim(),
      communityId: c.id,
      pointName: f.pointName.trim(),
      address: f.address.trim(),
      lat: Number(f.lat),
      lng: Number(f.lng),
      opensAt: f.opensAt,
      closesAt: f.closesAt,
      capacity: Number(f.capacity),
    });
  };

  return (
    <>
      <div className="back-row">
        <Link to="/shop/groupbuy" className="small">
          ← {t('groupbuy.back')}
        </Link>
      </div>
      <section className="card">
        <h1 className="section-title">{t('groupbuy.apply.title')}</h1>
        <p className="muted small">{t('groupbuy.apply.hint')}</p>
        {isLeader && (
          <p className="ok-note">
            {t('groupbuy.apply.already')} <Link to="/leader">{t('groupbuy.apply.openConsole')}</Link>
          </p>
        )}
        {a && (
          <div className={`apply-status as-${a.status}`} data-testid="application-status" data-status={a.status}>
            <strong>{t(`groupbuy.apply.status.${a.status}`)}</strong>
            <span className="small">
              {a.pointName} · {formatTime(a.createdAt)}
            </span>
            {a.status === 'rejected' && a.reason && <span className="small">{t('groupbuy.apply.reason', { reason: a.reason })}</span>}
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
              <p className="small">{t('groupbuy.apply.community', { name: c.name })}</p>
              <Field label={t('groupbuy.apply.realName')} invalid={blames(field, 'realName')}>
                <input name="realName" required minLength={2} maxLength={32} value={f.realName} onChange={set('realName')} />
              </Field>
              <Field label={t('groupbuy.apply.idCard')} invalid={blames(field, 'idCardNumber')} hint={t('groupbuy.apply.idCardHint')}>
                <input name="idCardNumber" required maxLength={18} value={f.idCardNumber} onChange={set('idCardNumber')} />
              </Field>
              <Field label={t('groupbuy.apply.pointName')} invalid={blames(field, 'pointName')} hint={t('groupbuy.apply.pointNameHint')}>
                <input name="pointName" required maxLength={64} value={f.pointName} onChange={set('pointName')} />
              </Field>
              <Field label={t('groupbuy.apply.address')} invalid={blames(field, 'address')}>
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
              <Field label={t('groupbuy.apply.capacity')} invalid={blames(field, 'capacity')} hint={t('groupbuy.apply.capacityHint')}>
                <input name="capacity" inputMode="numeric" required value={f.capacity} onChange={set('capacity')} />
              </Field>
              <ErrorNote error={apply.error} />
              <button type="submit" className="btn btn-primary btn-block" data-testid="apply-submit" disabled={apply.isPending}>
                {apply.isPending ? t('groupbuy.apply.sending') : t('groupbuy.apply.submit')}
              </button>
            </form>
          )}
        </section>
      )}
    </>
  );
}
