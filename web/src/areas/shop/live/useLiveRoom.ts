// The live room's WebSocket (docs/live.md "The room"): one per open room page, for viewers and
// the host's control room alike. It keeps what the room shows now (pin, flash sale, coupons,
// viewers, likes, the last chat lines and orders) and sends chat, likes and card clicks.
// Reconnects with a doubling back-off; the hello message on each connect restores the state,
// so nothing that was missed while away is needed.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { roomUrl, sessionKey, type LiveCoupon, type RoomMessage } from '../../../api/live';
import { initialRoom, reduceRoom, type RoomState } from './roomState';

const MAX_BACKOFF_MS = 30_000;
/** Likes are sent in small bunches (the server takes at most 20 per message). */
const LIKE_FLUSH_MS = 400;
const LIKES_PER_MESSAGE = 20;

export function useLiveRoom(sessionId: number, enabled = true) {
  const qc = useQueryClient();
  const [state, setState] = useState<RoomState>(initialRoom);
  const ws = useRef<WebSocket | null>(null);
  const pendingLikes = useRef(0);
  const likeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1000;
    let stopped = false;
    setState(initialRoom);

    const connect = () => {
      if (stopped) return;
      let sock: WebSocket;
      try {
        sock = new WebSocket(roomUrl(sessionId));
      } catch {
        retry();
        return;
      }
      ws.current = sock;
      sock.onopen = () => {
        backoff = 1000;
        setState((s) => ({ ...s, connected: true, closedCode: null }));
      };
      sock.onmessage = (e) => {
        let msg: RoomMessage;
        try {
          msg = JSON.parse(String(e.data)) as RoomMessage;
        } catch {
          return;
        }
        if (!msg || typeof msg !== 'object' || !('type' in msg)) return;
        setState((s) => reduceRoom(s, msg));
        // Pins, flash sales and coupons change what the bag shows (prices, stock): refresh it.
        if (msg.type === 'pin' || msg.type === 'flash' || msg.type === 'session' || msg.type === 'order') {
          void qc.invalidateQueries({ queryKey: sessionKey(sessionId) });
        }
      };
      sock.onclose = (e) => {
        ws.current = null;
        const final = e.code >= 4400 && e.code < 4500;
        setState((s) => ({ ...s, connected: false, closedCode: final ? e.code : null }));
        // The session may have ended (the server closes the room): the page re-reads it.
        void qc.invalidateQueries({ queryKey: sessionKey(sessionId) });
        if (!final) retry();
      };
      sock.onerror = () => sock.close();
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
      clearTimeout(likeTimer.current);
      const sock = ws.current;
      ws.current = null;
      if (sock) {
        sock.onclose = null;
        sock.close();
      }
    };
  }, [sessionId, enabled, qc]);

  const send = useCallback((msg: object): boolean => {
    const sock = ws.current;
    if (!sock || sock.readyState !== WebSocket.OPEN) return false;
    sock.send(JSON.stringify(msg));
    return true;
  }, []);

  const sendChat = useCallback((body: string) => send({ type: 'chat', body }), [send]);
  const sendClick = useCallback((skuId: number) => void send({ type: 'click', skuId }), [send]);

  /** Count a like now (the number on screen moves at once) and send them in bunches. */
  const like = useCallback(() => {
    pendingLikes.current += 1;
    setState((s) => ({ ...s, likes: s.likes + 1 }));
    if (likeTimer.current !== undefined) return;
    likeTimer.current = setTimeout(function flush() {
      const n = Math.min(LIKES_PER_MESSAGE, pendingLikes.current);
      pendingLikes.current -= n;
      if (n > 0) send({ type: 'like', count: n });
      likeTimer.current = pendingLikes.current > 0 ? setTimeout(flush, LIKE_FLUSH_MS) : undefined;
    }, LIKE_FLUSH_MS);
  }, [send]);

  const clearError = useCallback(() => setState((s) => ({ ...s, error: null })), []);
  /** A coupon's state after the viewer claimed it (the claim answer, not a broadcast). */
  const patchCoupon = useCallback((c: Partial<LiveCoupon> & { id: number }) => setState((s) => ({ ...s, coupons: s.coupons.map((x) => (x.id === c.id ? { ...x, ...c } : x)) })), []);

  return { ...state, sendChat, sendClick, like, clearError, patchCoupon };
}

export type LiveRoom = ReturnType<typeof useLiveRoom>;
