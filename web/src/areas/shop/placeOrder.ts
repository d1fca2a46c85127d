// Placing an order from any of the shop's checkouts (shelf, group buy, a store): one
// Idempotency-Key per body until it is answered (a lost answer is retried with the same key, a
// refusal frees it), then on to the cashier. `placed` is set before the cart empties so the
// emptied cart does not bounce the page back.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { newIdempotencyKey, type CheckoutResult } from '../../api/commerce';
import { isTransient } from './checkoutErrors';

// The key of an attempt whose answer never arrived, with the body it was for. Kept for the tab
// (sessionStorage), so even a reload and retry reuses it: the server then answers with the
// order it may already have placed instead of placing a second one.
const PENDING = 'linli.checkout.pending';
export function pendingKeyFor(body: string): string {
  try {
    const p = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { key: string; body: string } | null;
    if (p && p.body === body) return p.key;
  } catch {
    // unreadable: start afresh
  }
  const key = newIdempotencyKey();
  try {
    sessionStorage.setItem(PENDING, JSON.stringify({ key, body }));
  } catch {
    // private mode: the key lives for this attempt only
  }
  return key;
}
export const forgetPending = () => {
  try {
    sessionStorage.removeItem(PENDING);
  } catch {
    // nothing to forget
  }
};

export function usePlaceOrder<B extends object>(opts: {
  /** Query keys besides ['orders'] that the new order makes stale. */
  invalidate?: unknown[][];
  /** What the page does with its cart once the order is placed. */
  onPlaced: (body: B) => void;
  /** After a refusal (e.g. sold out: the shelf the buyer saw is stale). */
  onRefused?: () => void;
}) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const placed = useRef(false);
  const place = useMutation({
    mutationFn: async (body: B) => {
      const key = pendingKeyFor(JSON.stringify(body));
      try {
        return await api<CheckoutResult>('/orders', { method: 'POST', body, headers: { 'Idempotency-Key': key } });
      } catch (e) {
        // A refusal placed nothing: the next attempt may use a new key. A lost answer may have.
        if (!isTransient(e)) forgetPending();
        throw e;
      }
    },
    onSuccess: (r, body) => {
      placed.current = true;
      forgetPending();
      for (const queryKey of [['orders'], ...(opts.invalidate ?? [])]) void qc.invalidateQueries({ queryKey });
      void navigate(r.payment?.payUrl ?? `/shop/orders/${r.order.id}`, { replace: true });
      opts.onPlaced(body);
    },
    onError: () => opts.onRefused?.(),
  });
  return { place, placed };
}
