import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Order } from '../../api/commerce';
import { liveUrl, type LiveMessage } from '../../api/stores';
import type { StoreLive } from './storeContext';

/** The queue's cache key: the store's open online orders (see OrdersPage). */
export const queueKey = (storeId: number) => ['store', storeId, 'queue'] as const;

/** Put an order that changed into the cached queue (new ones first). */
export function upsertOrder(list: Order[] | undefined, o: Order): Order[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === o.id);
  if (i < 0) return [o, ...list];
  const next = list.slice();
  next[i] = o;
  return next;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * One WebSocket per store for the whole area: every change of one of its orders arrives as
 * {type:'order', order}. It reconnects with a doubling back-off (1 s … 30 s) and, once back,
 * refetches the queue, since messages sent while it was away are gone.
 */
export function useStoreLive(storeId: number): StoreLive {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(() => new Set());
  const [last, setLast] = useState<Order | null>(null);
  const known = useRef(new Set<number>());

  useEffect(() => {
    let ws: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1000;
    let stopped = false;
    let opened = false;
    setFresh(new Set());
    known.current = new Set();

    const connect = () => {
      if (stopped) return;
      try {
        ws = new WebSocket(liveUrl(storeId));
      } catch {
        retry();
        return;
      }
      ws.onopen = () => {
        backoff = 1000;
        setConnected(true);
        if (opened) void qc.invalidateQueries({ queryKey: queueKey(storeId) });
        opened = true;
      };
      ws.onmessage = (e) => {
        let msg: LiveMessage;
        try {
          msg = JSON.parse(String(e.data)) as LiveMessage;
        } catch {
          return;
        }
        if (msg?.type !== 'order' || !msg.order) return;
        const o = msg.order;
        qc.setQueryData<Order[]>(queueKey(storeId), (list) => upsertOrder(list, o));
        // An online order turning paid is new work for the store: highlight it until someone acts.
        if (o.channel !== 'store_counter' && o.status === 'paid' && !known.current.has(o.id)) {
          known.current.add(o.id);
          setFresh((s) => new Set(s).add(o.id));
        }
        setLast(o);
      };
      ws.onclose = (e) => {
        setConnected(false);
        // 4401/4403/4404: signed out, not this store's staff, no such store. Retrying won't help.
        if (e.code >= 4400 && e.code < 4500) return;
        retry();
      };
      ws.onerror = () => ws?.close();
    };
    const retry = () => {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(connect, backoff);
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (ws) {
        ws.onclose = null;
        ws.close();
      }
      setConnected(false);
    };
  }, [storeId, qc]);

  const seen = useCallback((id: number) => {
    setFresh((s) => {
      if (!s.has(id)) return s;
      const n = new Set(s);
      n.delete(id);
      return n;
    });
  }, []);

  return { connected, fresh, seen, last };
}
