import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Refund } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { formatTime } from '../../components/time';
import { OrderDrawer } from './OrderDrawer';
import { PagedTableCard, TableState, useCursorPage } from './paging';

export function RefundsPage() {
  const { t } = useTranslation();
  const [order, setOrder] = useState<number | null>(null);
  const { list, pager } = useCursorPage<Refund>('/admin/refunds', {});
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('adminRefunds.title')}</h1>
      </div>
      <PagedTableCard paged={{ list, pager }}>
        {(page, stale) => (
          <table className={`data-table${stale ? ' is-stale' : ''}`} data-testid="admin-refunds">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('adminAfterSales.order')}</th>
                <th>{t('adminRefunds.kind')}</th>
                <th className="num">{t('adminOrders.amount')}</th>
                <th>{t('adminOrders.reason')}</th>
                <th>{t('adminRefunds.restock')}</th>
                <th>{t('adminOrders.status')}</th>
                <th>{t('adminOrders.createdAt')}</th>
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
                  <td>{t(`refunds.kind.${r.kind}`)}</td>
                  <td className="num">{formatFen(r.amountFen)}</td>
                  <td className="clip-cell" title={r.reason}>
                    {r.reason || '—'}
                  </td>
                  <td>{r.restock ? t('adminRefunds.yes') : '—'}</td>
                  <td>
                    <span className={`refund-status rs-${r.status}`}>{t(`refunds.status.${r.status}`)}</span>
                  </td>
                  <td>{formatTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      {order !== null && <OrderDrawer orderId={order} onClose={() => setOrder(null)} />}
    </div>
  );
}
