import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Order, OrderEvent, OrderStatus } from '../../api/commerce';
import { formatFen } from '../../api/money';
import type { Page } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { useStoreCtx } from './storeContext';
import { queueKey, upsertOrder } from './useStoreLive';

const GROUPS: Array<{ status: OrderStatus; event: OrderEvent; testId: string }> = [
  { status: 'paid', event: 'fulfil', testId: 'queue-accept' },
  { status: 'fulfilling', event: 'mark_ready', testId: 'queue-ready' },
  { status: 'ready', event: 'complete', testId: 'queue-complete' },
];

/** Only the store's own online orders are queue work: counter sales and 进货 are not. */
const isQueueOrder = (o: Order) => o.channel === 'store_online';

/** 订单: online orders by stage, moved along with one tap, kept current over the live socket. */
export function OrdersQueuePage() {
  const { t } = useTranslation();
  const { store, live } = useStoreCtx();
  const qc = useQueryClient();
  const queue = useQuery({
    queryKey: queueKey(store.id),
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(GROUPS.map((g) => get<Page<Order>>(`/stores/${store.id}/orders`, { status: g.status, limit: 50 }, signal)));
      return pages.flatMap((p) => p.items);
    },
    // The socket keeps it fresh; a slow poll covers a socket that is down.
    refetchInterval: live.connected ? false : 30_000,
  });
  const act = useMutation({
    mutationFn: ({ id, event }: { id: number; event: OrderEvent }) => post<Order>(`/orders/${id}/events`, { event }),
    onSuccess: (o) => {
      qc.setQueryData<Order[]>(queueKey(store.id), (list) => upsertOrder(list, o));
      live.seen(o.id);
    },
    onError: () => void qc.invalidateQueries({ queryKey: queueKey(store.id) }),
  });

  if (queue.isPending) return <Loading />;
  if (queue.error) return <ErrorNote error={queue.error} onRetry={() => void queue.refetch()} />;
  const orders = queue.data.filter(isQueueOrder);

  return (
    <div className="queue">
      <div className="page-head-row">
        <h1 className="section-title">{t('stores.queue.title')}</h1>
        <span className="muted small">{live.connected ? t('stores.queue.liveHint') : t('stores.queue.offlineHint')}</span>
      </div>
      {act.error && <ErrorNote error={act.error} />}
      <div className="queue-cols">
        {GROUPS.map((g) => {
          const list = orders.filter((o) => o.status === g.status).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
          return (
            <section key={g.status} className="queue-col card" data-testid={`queue-col-${g.status}`}>
              <h2 className="queue-col-title">
                {t(`stores.queue.group.${g.status}`)} <span className="count-pill">{list.length}</span>
              </h2>
              {list.length === 0 && <p className="muted small">{t('stores.queue.none')}</p>}
              {list.map((o) => (
                <QueueCard
                  key={o.id}
                  order={o}
                  fresh={live.fresh.has(o.id)}
                  button={t(`stores.queue.action.${g.event === 'complete' ? (o.fulfilment === 'delivery' ? 'delivered' : 'pickedUp') : g.event}`)}
                  testId={g.testId}
                  busy={act.isPending && act.variables?.id === o.id}
                  onAct={() => act.mutate({ id: o.id, event: g.event })}
                  onSeen={() => live.seen(o.id)}
                />
              ))}
            </section>
          );
        })}
      </div>
    </div>
  );
}

function QueueCard({
  order: o,
  fresh,
  button,
  testId,
  busy,
  onAct,
  onSeen,
}: {
  order: Order;
  fresh: boolean;
  button: string;
  testId: string;
  busy: boolean;
  onAct: () => void;
  onSeen: () => void;
}) {
  const { t } = useTranslation();
  return (
    <article className={`queue-order${fresh ? ' is-fresh' : ''}`} data-testid="queue-order" data-order-id={o.id} data-status={o.status} onMouseEnter={fresh ? onSeen : undefined}>
      <div className="queue-order-head">
        <strong>{o.orderNo}</strong>
        {fresh && <span className="new-chip">{t('stores.queue.new')}</span>}
        <span className={`tag ${o.fulfilment === 'delivery' ? 'tag-store' : 'tag-muted'}`}>{t(`orders.fulfilment.${o.fulfilment}`)}</span>
      </div>
      <ul className="queue-lines">
        {o.lines.map((l) => (
          <li key={l.id}>
            <span>
              {l.title} <span className="muted small">{l.spec}</span>
            </span>
            <strong>×{l.quantity}</strong>
          </li>
        ))}
      </ul>
      {o.note && <div className="queue-note small">{o.note}</div>}
      <div className="queue-order-foot">
        <span className="muted small">
          {formatTime(o.paidAt ?? o.createdAt)} · {formatFen(o.totalFen)}
        </span>
        <button type="button" className="btn btn-primary btn-small" data-testid={testId} disabled={busy} onClick={onAct}>
          {button}
        </button>
      </div>
    </article>
  );
}
