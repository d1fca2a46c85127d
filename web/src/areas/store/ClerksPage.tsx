import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, post } from '../../api/client';
import type { Clerk } from '../../api/stores';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useStoreCtx } from './storeContext';

/** 店员: the owner adds clerks by their phone number (they sign up first) and removes them. */
export function ClerksPage() {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const qc = useQueryClient();
  const key = ['store', store.id, 'clerks'];
  const clerks = useQuery({ queryKey: key, queryFn: ({ signal }) => get<{ items: Clerk[] }>(`/stores/${store.id}/clerks`, undefined, signal) });
  const [phone, setPhone] = useState('');
  const add = useMutation({
    mutationFn: (p: string) => post<Clerk>(`/stores/${store.id}/clerks`, { phone: p }),
    onSuccess: () => {
      setPhone('');
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (accountId: number) => api<void>(`/stores/${store.id}/clerks/${accountId}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (phone.trim()) add.mutate(phone.trim());
  };
  return (
    <div className="store-page">
      <h1 className="section-title">{t('stores.clerks.title')}</h1>
      <section className="card">
        <form className="clerk-form" onSubmit={submit}>
          <Field label={t('stores.clerks.phone')} hint={t('stores.clerks.hint')} invalid={!!add.error}>
            <input name="phone" inputMode="tel" maxLength={20} value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="clerk-phone" />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={add.isPending || !phone.trim()} data-testid="clerk-add">
            {add.isPending ? t('stores.clerks.adding') : t('stores.clerks.add')}
          </button>
        </form>
        <ErrorNote error={add.error} />
      </section>
      <section className="card">
        {clerks.isPending ? (
          <Loading />
        ) : clerks.error ? (
          <ErrorNote error={clerks.error} onRetry={() => void clerks.refetch()} />
        ) : clerks.data.items.length === 0 ? (
          <p className="muted small">{t('stores.clerks.none')}</p>
        ) : (
          <ul className="plain-list">
            {clerks.data.items.map((c) => (
              <li key={c.accountId} className="ledger-row" data-testid="clerk-row" data-account-id={c.accountId}>
                <span>
                  <strong>{c.displayName}</strong>
                  <div className="muted small">{c.phone}</div>
                </span>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  data-testid="clerk-remove"
                  disabled={remove.isPending}
                  onClick={() => window.confirm(t('stores.clerks.confirmRemove', { name: c.displayName })) && remove.mutate(c.accountId)}
                >
                  {t('stores.clerks.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <ErrorNote error={remove.error} />
      </section>
    </div>
  );
}
