// The host's public profile (PUT /api/host/profile): name, persona, avatar and the region
// their sessions sell in. A host saves it once before scheduling a session.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api/client';
import { useMyHostProfile, type HostProfile } from '../../api/live';
import type { Page, Region } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { blames, Field } from '../../components/Field';
import { errorField } from '../../components/errors';
import { useKeyedWrite } from './actions';

export function HostProfilePage() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const profile = useMyHostProfile();
  const regions = useQuery({
    queryKey: ['regions', 'all'],
    queryFn: ({ signal }) => get<Page<Region>>('/regions', { limit: 100 }, signal),
    staleTime: 5 * 60_000,
  });
  const [form, setForm] = useState({ displayName: '', persona: '', avatarUrl: '', regionId: 0 });
  const loaded = profile.data;
  useEffect(() => {
    if (loaded) setForm({ displayName: loaded.displayName, persona: loaded.persona, avatarUrl: loaded.avatarUrl ?? '', regionId: loaded.regionId });
    else if (account) setForm((f) => (f.displayName ? f : { ...f, displayName: account.displayName }));
  }, [loaded, account]);
  const save = useKeyedWrite<HostProfile>({ onSuccess: () => void profile.refetch() });
  const field = errorField(save.error);
  const missing = profile.error instanceof ApiError && profile.error.status === 404;
  if (profile.isPending || regions.isPending) return <Loading />;
  if (profile.error && !missing) return <ErrorNote error={profile.error} onRetry={() => void profile.refetch()} />;
  const regionList = regions.data?.items ?? [];
  // Shelves and their prices are kept per county; a county is the usual choice.
  const regionId = form.regionId || (regionList.find((r) => r.kind === 'county') ?? regionList[0])?.id || 0;
  return (
    <div className="host-page">
      <h1 className="section-title">{t('live.host.profile')}</h1>
      {missing && <div className="notice notice-inline">{t('live.host.profileFirst')}</div>}
      <form
        className="card form-stack host-profile"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            method: 'PUT',
            path: '/host/profile',
            body: { displayName: form.displayName.trim(), persona: form.persona.trim(), avatarUrl: form.avatarUrl.trim() || null, regionId },
          });
        }}
      >
        <Field label={t('live.host.displayName')} invalid={blames(field, 'displayName')}>
          <input value={form.displayName} maxLength={40} required data-testid="host-profile-name" onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
        </Field>
        <Field label={t('live.host.persona')} invalid={blames(field, 'persona')}>
          <textarea value={form.persona} maxLength={500} rows={3} onChange={(e) => setForm({ ...form, persona: e.target.value })} />
        </Field>
        <Field label={t('live.host.avatarUrl')} hint={t('live.host.optional')} invalid={blames(field, 'avatarUrl')}>
          <input type="url" value={form.avatarUrl} onChange={(e) => setForm({ ...form, avatarUrl: e.target.value })} />
        </Field>
        <Field label={t('live.host.region')} hint={t('live.host.regionHint')} invalid={blames(field, 'regionId')}>
          <select value={regionId} data-testid="host-profile-region" onChange={(e) => setForm({ ...form, regionId: Number(e.target.value) })}>
            {regionList.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <ErrorNote error={save.error} />
        {save.isSuccess && <p className="small muted" role="status">{t('live.host.saved')}</p>}
        <div className="host-actions">
          <button type="submit" className="btn btn-primary" data-testid="host-profile-save" disabled={save.isPending}>
            {save.isPending ? t('live.host.saving') : t('live.host.save')}
          </button>
        </div>
      </form>
      {loaded && <TrustCard profile={loaded} />}
    </div>
  );
}

function pct(bp: number | null): string {
  return bp === null ? '—' : `${(bp / 100).toFixed(1)}%`;
}

/** The trust figures residents see on the public profile. */
function TrustCard({ profile }: { profile: HostProfile }) {
  const { t } = useTranslation();
  const { trust } = profile;
  return (
    <section className="card">
      <h2 className="sub-title">{t('live.host.trust')}</h2>
      <div className="live-figures">
        <div className="live-figure">
          <span className="muted small">{t('live.host.repeatBuyers')}</span>
          <strong>{pct(trust.repeatBuyerBp)}</strong>
          <span className="small live-figure-sub">{t('live.host.ofBuyers', { n: trust.counts.repeatBuyers, of: trust.counts.buyers })}</span>
        </div>
        <div className="live-figure">
          <span className="muted small">{t('live.host.afterSales')}</span>
          <strong>{pct(trust.afterSalesBp)}</strong>
          <span className="small live-figure-sub">{t('live.host.ofOrders', { n: trust.counts.afterSalesOrders, of: trust.counts.paidOrders })}</span>
        </div>
        <div className="live-figure">
          <span className="muted small">{t('live.host.onTime')}</span>
          <strong>{pct(trust.onTimeDeliveryBp)}</strong>
          <span className="small live-figure-sub">{t('live.host.ofDelivered', { n: trust.counts.deliveredOnTime, of: trust.counts.delivered })}</span>
        </div>
        <div className="live-figure">
          <span className="muted small">{t('live.host.followers')}</span>
          <strong>{profile.followers}</strong>
        </div>
      </div>
    </section>
  );
}
