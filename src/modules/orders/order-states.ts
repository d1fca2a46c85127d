// The order life cycle as data: states, the events that move between them and the guards that
// must hold. Every status change in the code goes through `transition`, so an illegal move
// (paying an expired order, completing an unpaid one) is refused in one place, and the table
// below is the whole story a newcomer needs to read.
import { DomainError } from '../../kernel';

export const CHANNELS = ['group_buy', 'live', 'store_online', 'store_counter', 'replenishment'] as const;
export type Channel = (typeof CHANNELS)[number];
export const FULFILMENTS = ['pickup', 'delivery', 'counter'] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];

export const ORDER_STATUSES = [
  'pending_payment', // placed, stock held, waiting for the buyer to pay
  'paid', // money received, stock committed
  'fulfilling', // on its way: a group-buy order's van has left (a cutoff alone writes nothing per order) / accepted by the store
  'ready', // at the pickup point or store counter, waiting for the buyer
  'completed', // handed over (picked up, delivered, sold at the counter)
  'cancelled', // the buyer or operator withdrew it before payment
  'expired', // never paid within the time allowed
  'refunded', // every fen paid has been returned
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_EVENTS = ['pay', 'cancel', 'expire', 'fulfil', 'mark_ready', 'complete', 'reopen', 'refund_full'] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** What a guard can look at: the order's own figures and the time of the event. */
export interface GuardContext {
  status: OrderStatus;
  totalFen: number;
  paidFen: number;
  refundedFen: number;
  expiresAt: Date | null;
  now: Date;
}

interface Transition {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Returns the reason the move is refused, or null when it may go ahead. */
  guard?: (o: GuardContext) => string | null;
}

export const ORDER_MACHINE: Readonly<Record<OrderEvent, Transition>> = {
  pay: {
    from: ['pending_payment'],
    to: 'paid',
    // A late payment for an expired order is refused here and refunded by the payment flow.
    guard: (o) => (o.expiresAt && o.now > o.expiresAt ? 'the order expired before it was paid' : null),
  },
  cancel: { from: ['pending_payment'], to: 'cancelled' },
  expire: {
    from: ['pending_payment'],
    to: 'expired',
    guard: (o) => (!o.expiresAt || o.now < o.expiresAt ? 'the order has not reached its payment deadline' : null),
  },
  fulfil: { from: ['paid'], to: 'fulfilling', guard: notFullyRefunded },
  mark_ready: { from: ['paid', 'fulfilling'], to: 'ready', guard: notFullyRefunded },
  complete: { from: ['paid', 'fulfilling', 'ready'], to: 'completed', guard: notFullyRefunded },
  // A pickup undone within the leader's undo window: the goods are back on the shelf.
  reopen: { from: ['completed'], to: 'ready', guard: notFullyRefunded },
  refund_full: {
    from: ['paid', 'fulfilling', 'ready', 'completed'],
    to: 'refunded',
    guard: (o) => (o.refundedFen !== o.paidFen || o.paidFen === 0 ? 'not every fen paid has been refunded' : null),
  },
};

function notFullyRefunded(o: GuardContext): string | null {
  return o.paidFen > 0 && o.refundedFen >= o.paidFen ? 'the order has been refunded in full' : null;
}

export const TERMINAL_STATUSES: readonly OrderStatus[] = ['cancelled', 'expired', 'refunded'];

/** The status after `event`, or a 409 naming why the move is not allowed. */
export function transition(event: OrderEvent, ctx: GuardContext): OrderStatus {
  const t = ORDER_MACHINE[event];
  if (!t.from.includes(ctx.status)) {
    throw new DomainError('conflict', `cannot ${event.replace('_', ' ')} an order that is ${ctx.status.replace('_', ' ')}`, {
      details: { event, status: ctx.status },
    });
  }
  const refusal = t.guard?.(ctx) ?? null;
  if (refusal) throw new DomainError('conflict', refusal, { details: { event, status: ctx.status } });
  return t.to;
}

/** The events that may be applied in `status` (ignoring guards): for buttons in the UI. */
export function eventsFrom(status: OrderStatus): OrderEvent[] {
  return ORDER_EVENTS.filter((e) => ORDER_MACHINE[e].from.includes(status));
}
