// The viewers of `linli bench live` (bench/live.ts), in a worker thread: N `ws` clients in one
// room. They run beside the server's thread, as real viewers bring their own CPUs; the delivery
// times are still measured on this machine's one clock (performance.timeOrigin + now, shared
// by every thread of the process).
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

export interface ViewersSetup {
  /** ws://…/api/live/sessions/:id/room */
  url: string;
  viewers: number;
  /** Session tokens of the first viewers (they chat); the rest are anonymous. */
  chatterTokens: string[];
  /** Connections opening at once. */
  parallel: number;
}

/** Buyers of the flash sale: each posts one order, at most `concurrency` in flight. */
export interface BuyersTask {
  url: string;
  tokens: string[];
  /** The order body, the same for everyone. */
  body: unknown;
  concurrency: number;
}

/** Main → worker. */
export type ViewersCommand =
  | { type: 'chat'; chatter: number }
  | { type: 'pin-sent'; at: number }
  | { type: 'count' }
  | { type: 'report' }
  | ({ type: 'buy' } & BuyersTask)
  | { type: 'close' };

/** Worker → main. */
export type ViewersEvent =
  | { type: 'joined'; done: number }
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'count'; chat: number; pin: number }
  | { type: 'bought'; done: number }
  | { type: 'buyers'; statuses: Record<string, number>; latencies: number[]; seconds: number }
  | { type: 'report'; chat: number[]; pin: number[] };

const clock = () => performance.timeOrigin + performance.now();

async function main(setup: ViewersSetup): Promise<void> {
  const port = parentPort!;
  const post = (e: ViewersEvent) => port.postMessage(e);
  const sockets: WebSocket[] = [];
  const chat: number[] = [];
  const pin: number[] = [];
  let pinSentAt = 0;
  const onMessage = (data: WebSocket.RawData) => {
    const now = clock();
    const m = JSON.parse(data.toString()) as { type: string; body?: string; pin?: unknown };
    // A timed chat carries its send time: "bench <chatter> <ms since the epoch, fractional>".
    if (m.type === 'chat' && m.body?.startsWith('bench ')) chat.push(now - Number(m.body.split(' ')[2]));
    else if (m.type === 'pin' && m.pin) pin.push(now - pinSentAt);
  };

  port.on('message', (c: ViewersCommand) => {
    if (c.type === 'chat') sockets[c.chatter]!.send(JSON.stringify({ type: 'chat', body: `bench ${c.chatter} ${clock()}` }));
    else if (c.type === 'pin-sent') pinSentAt = c.at;
    else if (c.type === 'count') post({ type: 'count', chat: chat.length, pin: pin.length });
    else if (c.type === 'report') post({ type: 'report', chat, pin });
    else if (c.type === 'buy') void buy(c, post);
    else if (c.type === 'close') {
      for (const ws of sockets) ws.terminate();
      port.close();
    }
  });

  let next = 0;
  let joined = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(setup.parallel, setup.viewers) }, async () => {
        while (next < setup.viewers) {
          const i = next++;
          const query = i < setup.chatterTokens.length ? `?token=${encodeURIComponent(setup.chatterTokens[i]!)}` : `?viewer=bench-viewer-${i}`;
          const ws = new WebSocket(`${setup.url}${query}`);
          sockets[i] = ws;
          await new Promise<void>((resolve, reject) => {
            ws.once('message', () => resolve()); // hello
            ws.once('error', reject);
            ws.once('close', (code) => reject(new Error(`viewer ${i} was closed with ${code}`)));
          });
          ws.removeAllListeners('close');
          ws.on('error', () => undefined);
          ws.on('message', onMessage);
          joined += 1;
          if (joined % 100 === 0 || joined === setup.viewers) post({ type: 'joined', done: joined });
        }
      }),
    );
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * The flash sale's buyers, from this thread too: the server's thread then does only the
 * server's work, as it would with buyers on their own phones.
 */
async function buy(task: BuyersTask, post: (e: ViewersEvent) => void): Promise<void> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const body = JSON.stringify(task.body);
  const started = performance.now();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(task.concurrency, task.tokens.length) }, async () => {
      while (next < task.tokens.length) {
        const i = next++;
        const t0 = performance.now();
        let status = 'error';
        try {
          const res = await fetch(task.url, {
            method: 'POST',
            headers: { authorization: `Bearer ${task.tokens[i]}`, 'content-type': 'application/json', 'idempotency-key': `bench-flash-${i}` },
            body,
          });
          await res.arrayBuffer();
          status = String(res.status);
        } catch {
          // counted as 'error'
        }
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
        done += 1;
        if (done % 50 === 0 || done === task.tokens.length) post({ type: 'bought', done });
      }
    }),
  );
  post({ type: 'buyers', statuses, latencies, seconds: (performance.now() - started) / 1000 });
}

void main(workerData as ViewersSetup);
