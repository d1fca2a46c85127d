// The host's writes (docs/live.md, "Host"): each a mutation that carries an Idempotency-Key,
// kept per intended effect (method + path + body) until it is answered. A lost answer retried
// with the same body reuses the key, so the server answers with what it already did (a bag item
// moved once, one flash sale); a refusal frees it so a corrected retry is a new effect.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiError } from '../../api/client';
import { newIdempotencyKey } from '../../api/commerce';
import { hostSessionsKey, liveWrite, sessionKey } from '../../api/live';

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface Call {
  method: Method;
  path: string;
  body?: unknown;
}

export function useKeyedWrite<T = unknown>(opts: { sessionId?: number; onSuccess?: (r: T, call: Call) => void } = {}) {
  const qc = useQueryClient();
  const keys = useRef(new Map<string, string>());
  return useMutation({
    mutationFn: (call: Call) => {
      const sig = `${call.method} ${call.path} ${JSON.stringify(call.body ?? null)}`;
      let key = keys.current.get(sig);
      if (!key) keys.current.set(sig, (key = newIdempotencyKey()));
      return liveWrite<T>(call.method, call.path, call.body, key).then(
        (r) => {
          keys.current.delete(sig);
          return r;
        },
        (e: unknown) => {
          if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.current.delete(sig);
          throw e;
        },
      );
    },
    onSuccess: (r, call) => {
      if (opts.sessionId !== undefined) void qc.invalidateQueries({ queryKey: sessionKey(opts.sessionId) });
      void qc.invalidateQueries({ queryKey: hostSessionsKey });
      opts.onSuccess?.(r, call);
    },
  });
}
