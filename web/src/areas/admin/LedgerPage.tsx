import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { LedgerAccount, LedgerEntry, LedgerVerify, Payout, PayoutStatus } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { Modal } from './Modal';
import { PagedTableCard, TableState, useCursorPage } from './paging';

type Tab = 'payouts' | 'accounts' | 'entries';

export function LedgerPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('payouts');
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('adminLedger.title')}</h1>
      </div>
      <VerifyCard />
      <div className="tabs" role="tablist">
        {(['payouts', 'accounts', 'entries'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab-btn${tab === k ? ' is-active' : ''}`} onClick={() => setTab(k)}>
            {t(`adminLedger.tab.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'payouts' ? <Payouts /> : tab === 'accounts' ? <Accounts /> : <Entries />}
    </div>
  );
}

function VerifyCard() {
  const { t } = useTranslation();
  const v = useQuery({ queryKey: ['admin', 'ledger', 'verify'], queryFn: ({ signal }) => get<LedgerVerify>('/admin/ledger/verify', undefined, signal) });
  return (
    <div className={`verify-card${v.data ? (v.data.ok ? ' is-ok' : ' is-bad') : ''}`} data-testid="ledger-verify">
      {v.isPending ? (
        <Loading />
      ) : v.error ? (
        <ErrorNote error={v.error} onRetry={() => void v.refetch()} />
      ) : (
        <>
          <div className="verify-main">
            <strong>{v.data.ok ? t('adminLedger.balanced') : t('adminLedger.unbalanced')}</strong>
            <span className="muted small">
              {t('adminLedger.trial', { sum: formatFen(v.data.trialBalance.sumFen), count: v.data.trialBalance.accounts })}
            </span>
          </div>
          {v.data.problems.length > 0 && (
            <ul className="problems">
              {v.data.problems.slice(0, 20).map((p, i) => (
                <li key={i} className="mono">
                  {JSON.stringify(p)}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="btn btn-ghost btn-small" disabled={v.isFetching} onClick={() => void v.refetch()}>
            {t('adminLedger.recheck')}
          </button>
        </>
      )}
    </div>
  );
}

function Accounts() {
  const { t } = useTranslation();
  const { list, pager } = useCursorPage<LedgerAccount>('/admin/ledger/accounts', {}, 50);
  return (
    <PagedTableCard paged={{ list, pager }}>
      {(page) => (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('adminLedger.code')}</th>
              <th>{t('adminLedger.kind')}</th>
              <th className="num">{t('adminLedger.owner')}</th>
              <th className="num">{t('adminLedger.balance')}</th>
            </tr>
          </thead>
          <tbody>
            <TableState colSpan={4} empty={page.items.length === 0} />
            {page.items.map((a) => (
              <tr key={a.id}>
                <td className="mono">{a.code}</td>
                <td>{t(`adminLedger.kinds.${a.kind}`, { defaultValue: a.kind })}</td>
                <td className="num">{a.ownerAccountId ? `#${a.ownerAccountId}` : '—'}</td>
                <td className="num">{formatFen(a.balanceFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PagedTableCard>
  );
}

function Entries() {
  const { t } = useTranslation();
  const { list, pager } = useCursorPage<LedgerEntry>('/admin/ledger/entries', {});
  return (
    <PagedTableCard paged={{ list, pager }}>
      {(page) => (
        <table className="data-table entries">
          <thead>
            <tr>
              <th className="num">ID</th>
              <th>{t('adminLedger.entryKind')}</th>
              <th>{t('adminLedger.ref')}</th>
              <th>{t('adminOrders.createdAt')}</th>
              <th>{t('adminLedger.lines')}</th>
            </tr>
          </thead>
          <tbody>
            <TableState colSpan={5} empty={page.items.length === 0} />
            {page.items.map((e) => (
              <tr key={e.id}>
                <td className="num">{e.id}</td>
                <td>{t(`ledger.kind.${e.kind}`, { defaultValue: e.kind })}</td>
                <td className="mono">
                  {e.refType}#{e.refId}
                </td>
                <td>{formatTime(e.createdAt)}</td>
                <td>
                  <table className="entry-lines">
                    <tbody>
                      {e.lines.map((l, i) => (
                        <tr key={i}>
                          <td className="mono">{l.code}</td>
                          <td className="num">{l.amountFen > 0 ? formatFen(l.amountFen) : ''}</td>
                          <td className="num">{l.amountFen < 0 ? formatFen(-l.amountFen) : ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PagedTableCard>
  );
}

function Payouts() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [status, setStatus] = useState<PayoutStatus | ''>('requested');
  const { list, pager } = useCursorPage<Payout>('/admin/ledger/payouts', { status });
  const decide = useMutation({
    mutationFn: (v: { id: number; decision: 'paid' | 'rejected'; reason?: string }) =>
      post<Payout>(`/admin/ledger/payouts/${v.id}/decision`, { decision: v.decision, ...(v.reason ? { reason: v.reason } : {}) }),
    onSuccess: () => {
      setRejecting(null);
      setReason('');
      void qc.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const [rejecting, setRejecting] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  return (
    <>
      <div className="filters">
        <label className="filter">
          <span>{t('adminOrders.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as PayoutStatus | '')}>
            <option value="">{t('admin.all')}</option>
            {(['requested', 'paid', 'rejected'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`adminLedger.payout.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={decide.error} />
      <PagedTableCard paged={{ list, pager }}>
        {(page) => (
          <table className="data-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th className="num">{t('adminLedger.beneficiary')}</th>
                <th className="num">{t('adminOrders.amount')}</th>
                <th>{t('adminOrders.status')}</th>
                <th>{t('adminOrders.createdAt')}</th>
                <th>{t('adminLedger.reason')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={7} empty={page.items.length === 0} />
              {page.items.map((p) => (
                <tr key={p.id}>
                  <td className="num">{p.id}</td>
                  <td className="num">#{p.beneficiaryAccountId}</td>
                  <td className="num">{formatFen(p.amountFen)}</td>
                  <td>{t(`adminLedger.payout.${p.status}`)}</td>
                  <td>{formatTime(p.createdAt)}</td>
                  <td className="clip-cell">{p.reason ?? '—'}</td>
                  <td className="actions-col">
                    {p.status === 'requested' && (
                      <span className="button-row">
                        <button type="button" className="btn btn-primary btn-small" disabled={decide.isPending} onClick={() => decide.mutate({ id: p.id, decision: 'paid' })}>
                          {t('adminLedger.markPaid')}
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" disabled={decide.isPending} onClick={() => setRejecting(p.id)}>
                          {t('adminAfterSales.reject')}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      {rejecting !== null && (
        <Modal title={t('adminLedger.rejectTitle', { id: rejecting })} onClose={() => setRejecting(null)}>
          <div className="form-stack">
            <textarea rows={3} maxLength={200} value={reason} placeholder={t('adminLedger.rejectReason')} onChange={(e) => setReason(e.target.value)} />
            <ErrorNote error={decide.error} />
            <div className="form-actions">
              <button type="button" className="btn btn-ghost" onClick={() => setRejecting(null)}>
                {t('admin.cancel')}
              </button>
              <button
                type="button"
                className="btn btn-accent"
                disabled={!reason.trim() || decide.isPending}
                onClick={() => decide.mutate({ id: rejecting, decision: 'rejected', reason: reason.trim() })}
              >
                {t('adminAfterSales.reject')}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}
