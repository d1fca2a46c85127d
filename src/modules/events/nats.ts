// NATS JetStream transport: the relay publishes outbox events to one stream; each subscriber is
// a durable pull consumer whose messages are handed to its SubscriberWorker in batches.
import { AckPolicy, DeliverPolicy, JetStreamApiError, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { errorText, type OutboxEvent } from './events.types';
import type { SubscriberWorker } from './subscriber';

export interface NatsOptions {
  url: string;
  /** JetStream stream name (tests use their own so parallel runs never meet). */
  stream: string;
  /** Subjects are `<prefix>.<topic>`; the stream holds `<prefix>.>`. */
  subjectPrefix: string;
  batchSize: number;
  /** How often an idle consumer looks at its retry set. */
  retryCheckMs: number;
  log: (msg: string) => void;
}

const nanos = (ms: number) => ms * 1_000_000;
// A message not acked in this time is redelivered (to this or another process); processed_events
// makes that harmless. Long enough for a batch waiting behind a slow one.
const ACK_WAIT_MS = 60_000;
// JetStream drops a re-published msgID within this window: a relay that died between publish and
// marking the rows published re-sends them on restart without duplicating.
const DUPLICATE_WINDOW_MS = 2 * 60_000;
// The stream is a transport, not the record (outbox_events is): a week covers any outage.
const MAX_AGE_MS = 7 * 24 * 3600_000;

export function redactNatsUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export class NatsTransport {
  private readonly loops = new Map<string, ConsumerLoop>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly o: NatsOptions,
  ) {}

  /** Connect and make sure the stream exists; fails fast (like the database) if NATS is not there. */
  static async open(o: NatsOptions): Promise<NatsTransport> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: o.url, name: 'linli-events', timeout: 5000, maxReconnectAttempts: -1 });
    } catch (e) {
      throw new Error(`cannot connect to NATS at ${redactNatsUrl(o.url)}: ${errorText(e)}`, { cause: e });
    }
    try {
      const jsm = await jetstreamManager(nc);
      const t = new NatsTransport(nc, jetstream(nc), jsm, o);
      await t.ensureStream();
      return t;
    } catch (e) {
      await nc.close();
      throw e;
    }
  }

  subject(topic: string): string {
    return `${this.o.subjectPrefix}.${topic}`;
  }

  private async ensureStream(): Promise<void> {
    try {
      await this.jsm.streams.info(this.o.stream);
    } catch (e) {
      if (!(e instanceof JetStreamApiError) || e.code !== 10059) throw e;
      await this.jsm.streams.add({
        name: this.o.stream,
        subjects: [`${this.o.subjectPrefix}.>`],
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        max_age: nanos(MAX_AGE_MS),
      });
    }
  }

  /** Publish in id order, pipelined on one connection; resolves when JetStream has stored all. */
  async publish(events: readonly OutboxEvent[]): Promise<void> {
    await Promise.all(events.map((e) => this.js.publish(this.subject(e.topic), JSON.stringify(e), { msgID: String(e.id) })));
  }

  /** Create (or update the filter of) the subscriber's durable consumer and start consuming. */
  async startConsumer(worker: SubscriberWorker): Promise<void> {
    const name = worker.name;
    const topics = worker.sub.topics;
    // Multi-subject filters need NATS 2.10; older servers get everything and the worker filters
    // (acking what is not its topic), which is correct, only more traffic.
    const multi = serverAtLeast(this.nc.info?.version, 2, 10);
    const filter: Partial<ConsumerConfig> =
      topics === '*' ? { filter_subject: `${this.o.subjectPrefix}.>` }
      : topics.size === 1 ? { filter_subject: this.subject([...topics][0]!) }
      : multi ? { filter_subjects: [...topics].sort().map((t) => this.subject(t)) }
      : { filter_subject: `${this.o.subjectPrefix}.>` };
    const cfg: Partial<ConsumerConfig> = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: this.o.batchSize * 4,
      ...filter,
    };
    try {
      await this.jsm.consumers.add(this.o.stream, cfg);
    } catch (e) {
      // Exists with another configuration: the subscriber's topics changed since last start.
      if (!(e instanceof JetStreamApiError)) throw e;
      this.o.log(`consumer ${name}: ${e.message}; updating its filter`);
      await this.jsm.consumers.update(this.o.stream, name, filter);
    }
    const consumer = await this.js.consumers.get(this.o.stream, name);
    const messages = await consumer.consume({ max_messages: this.o.batchSize });
    this.loops.set(name, new ConsumerLoop(messages, worker, this.o));
  }

  /** Nothing waiting for this subscriber: none undelivered, none delivered and unacked. */
  async consumerIdle(name: string): Promise<boolean> {
    const loop = this.loops.get(name);
    if (!loop || !loop.idle) return false;
    const info = await this.jsm.consumers.info(this.o.stream, name);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.loops.values()].map((l) => l.stop()));
    this.loops.clear();
    await this.nc.drain().catch(() => this.nc.close());
  }
}

/**
 * Pulls a consumer's messages into a queue while the previous batch is being handled, so
 * batches grow with load (one transaction per batch) and an idle event goes through alone at
 * once. Acks follow the worker's commit; on a database failure the batch is nak'ed with a delay.
 */
class ConsumerLoop {
  private readonly queue: JsMsg[] = [];
  private wake: (() => void) | null = null;
  private busy = false;
  private ended = false;
  private stopping = false;
  private readonly done: Promise<unknown>;

  constructor(
    private readonly messages: ConsumerMessages,
    private readonly worker: SubscriberWorker,
    private readonly o: NatsOptions,
  ) {
    this.done = Promise.all([this.pump(), this.process()]);
  }

  get idle(): boolean {
    return !this.busy && this.queue.length === 0;
  }

  private kick(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async pump(): Promise<void> {
    try {
      for await (const m of this.messages) {
        this.queue.push(m);
        this.kick();
      }
    } catch (e) {
      if (!this.stopping) this.o.log(`consumer ${this.worker.name} stopped: ${errorText(e)}`);
    } finally {
      this.ended = true;
      this.kick();
    }
  }

  private async process(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      if (this.queue.length === 0) {
        if (this.ended) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.o.retryCheckMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (this.stopping) break;
      }
      this.busy = true;
      try {
        await this.worker.retryDue();
        const batch = this.queue.splice(0, this.o.batchSize);
        if (batch.length > 0) await this.handle(batch, failures);
        failures = 0;
      } catch (e) {
        failures += 1;
        this.o.log(`consumer ${this.worker.name}: ${errorText(e)}`);
        await new Promise((r) => setTimeout(r, backoff(failures)));
      } finally {
        this.busy = false;
      }
    }
  }

  private async handle(batch: JsMsg[], failures: number): Promise<void> {
    const events: OutboxEvent[] = [];
    const held: JsMsg[] = [];
    for (const m of batch) {
      const e = parseEvent(m);
      if (!e) {
        this.o.log(`consumer ${this.worker.name}: dropping malformed message ${m.seq} on ${m.subject}`);
        m.term();
      } else if (!this.worker.matches(e.topic)) {
        m.ack();
      } else {
        events.push(e);
        held.push(m);
      }
    }
    try {
      await this.worker.deliver(events);
    } catch (e) {
      for (const m of held) m.nak(backoff(failures + 1));
      throw e;
    }
    for (const m of held) m.ack();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages.close().catch(() => undefined);
    this.kick();
    await this.done;
    // Hand what was fetched but not handled back at once rather than after ack_wait.
    for (const m of this.queue.splice(0)) m.nak();
  }
}

function backoff(failures: number): number {
  return Math.min(30_000, 250 * 2 ** Math.min(10, failures - 1));
}

function parseEvent(m: JsMsg): OutboxEvent | null {
  try {
    const raw = JSON.parse(new TextDecoder().decode(m.data)) as Record<string, unknown>;
    if (typeof raw.id !== 'number' || typeof raw.topic !== 'string' || typeof raw.aggregateType !== 'string' || typeof raw.aggregateId !== 'number') return null;
    return {
      id: raw.id,
      topic: raw.topic,
      aggregateType: raw.aggregateType,
      aggregateId: raw.aggregateId,
      payload: raw.payload,
      createdAt: new Date(String(raw.createdAt)),
    };
  } catch {
    return null;
  }
}

function serverAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}
