import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { newIdempotencyKey, type AfterSales, type AfterSalesStatus } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { Modal } from './Modal';
import { OrderDrawer } from './OrderDrawer';
import { PagedTableCard, TableState, useCursorPage } from './paging';

const STATUSES: AfterSalesStatus[] = ['open', 'approved', 'rejected', 'withdrawn'];

export function AfterSalesPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('open');
  const [order, setOrder] = useState<number | null>(null);
  const [deciding, setDeciding] = useState<{ req: AfterSales; decision: 'approve' | 'reject' } | null>(null);
  const { list, pager } = useCursorPage<AfterSales>('/after-sales', { status });

  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('adminAfterSales.title')}</h1>
      </div>
      <div className="filters">
        <label className="filter">
          <span>{t('adminOrders.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('admin.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`afterSales.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTableCard paged={{ list, pager }}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`}>
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('adminAfterSales.order')}</th>
                <th>{t('afterSales.reasonLabel')}</th>
                <th>{t('afterSales.description')}</th>
                <th className="num">{t('adminAfterSales.requested')}</th>
                <th>{t('adminOrders.createdAt')}</th>
                <th>{t('adminOrders.status')}</th>
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={8} empty={page.items.length === 0} />
              {page.items.map((r) => (
                <tr key={r.id}>
                  <td className="num">{r.id}</td>
                  <td>
                    <button type="button" className="link-btn" onClick={() => setOrder(r.orderId)}>
                      #{r.orderId}
                    </button>
                  </td>
                  <td>{t(`afterSales.reason.${r.reason}`)}</td>
                  <td className="clip-cell" title={r.description}>
                    {r.description || '—'}
                    {r.photoUrls.map((u, i) => (
                      <a key={u} href={u} target="_blank" rel="noreferrer noopener" className="photo-chip">
                        {t('afterSales.photoN', { n: i + 1 })}
                      </a>
                    ))}
                  </td>
                  <td className="num">{formatFen(r.requestedFen)}</td>
                  <td>{formatTime(r.createdAt)}</td>
                  <td>
                    <span className={`refund-status as-${r.status}`}>{t(`afterSales.status.${r.status}`)}</span>
                    {r.decisionNote && <div className="muted small clip">{r.decisionNote}</div>}
                  </td>
                  <td className="actions-col">
                    {r.status === 'open' && (
                      <span className="button-row">
                        <button type="button" className="btn btn-primary btn-small" onClick={() => setDeciding({ req: r, decision: 'approve' })}>
                          {t('adminAfterSales.approve')}
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setDeciding({ req: r, decision: 'reject' })}>
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
      {deciding && <DecisionModal req={deciding.req} decision={deciding.decision} onClose={() => setDeciding(null)} />}
      {order !== null && <OrderDrawer orderId={order} onClose={() => setOrder(null)} />}
    </div>
  );
}

function DecisionModal({ req, decision, onClose }: { req: AfterSales; decision: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const attempt = useRef<string | null>(null);
  const decide = useMutation({
    mutationFn: () => {
      attempt.current ??= newIdempotencyKey();
      return api(`/after-sales/${req.id}/decision`, {
        method: 'POST',
        body: { decision, note: note.trim() },
        headers: { 'Idempotency-Key': attempt.current },
      });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      void qc.invalidateQueries({ queryKey: ['orders', req.orderId] });
      onClose();
    },
    onError: (e) => {
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
    },
  });
  const title = decision === 'approve' ? t('adminAfterSales.approveTitle', { id: req.id }) : t('adminAfterSales.rejectTitle', { id: req.id });
  return (
    <Modal title={title} onClose={onClose}>
      <div className="form-stack">
        <p className="small">
          {decision === 'approve'
            ? t('adminAfterSales.approveNote', { amount: formatFen(req.requestedFen) })
            : t('adminAfterSales.rejectNote')}
        </p>
        <textarea rows={3} maxLength={200} value={note} placeholder={t('adminAfterSales.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
        <ErrorNote error={decide.error} />
        <div className="form-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            {t('admin.cancel')}
          </button>
          <button
            type="button"
            className={`btn ${decision === 'approve' ? 'btn-primary' : 'btn-accent'}`}
            disabled={decide.isPending || (decision === 'reject' && !note.trim())}
            onClick={() => decide.mutate()}
          >
            {decision === 'approve' ? t('adminAfterSales.approve') : t('adminAfterSales.reject')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
