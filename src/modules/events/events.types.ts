import type { Tx } from '../../db';
import { badInput } from '../../kernel';

/** One committed change, as subscribers see it. */
export interface OutboxEvent {
  id: number;
  topic: string;
  aggregateType: string;
  aggregateId: number;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each topic has its own shape
  createdAt: Date;
}

export interface NewEvent {
  topic: string;
  aggregateType: string;
  aggregateId: number;
  payload: unknown;
}

/**
 * Runs inside a transaction that also records (subscriber, event id) as processed; whatever the
 * handler writes through `tx` commits together with that record, or not at all. Delivery is
 * at-least-once: effects outside `tx` (a websocket push) may repeat.
 */
export type EventHandler = (event: OutboxEvent, tx: Tx) => Promise<void>;

export interface Subscription {
  name: string;
  /** Exact topics, or every topic. */
  topics: ReadonlySet<string> | '*';
  handler: EventHandler;
}

// Same rule as the CHECK on outbox_events.topic: dotted words, each a valid NATS subject token.
const TOPIC_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
// A subscriber name is also a JetStream durable consumer name: no dots, wildcards or spaces.
const SUBSCRIBER_RE = /^[a-z][a-z0-9_-]{0,63}$/;

export function checkTopic(topic: string, field = 'topic'): void {
  if (typeof topic !== 'string' || topic.length > 100 || !TOPIC_RE.test(topic)) {
    throw badInput(field, `topic must be dotted lower-case words like "order.created", got ${JSON.stringify(topic)}`);
  }
}

export function checkSubscriberName(name: string): void {
  if (typeof name !== 'string' || !SUBSCRIBER_RE.test(name)) {
    throw badInput('name', `subscriber name must match ${SUBSCRIBER_RE}, got ${JSON.stringify(name)}`);
  }
}

export function matches(sub: Subscription, topic: string): boolean {
  return sub.topics === '*' || sub.topics.has(topic);
}

/** Key of the aggregate an event belongs to; events of one aggregate are delivered in order. */
export function aggregateKey(e: { aggregateType: string; aggregateId: number }): string {
  return `${e.aggregateType}:${e.aggregateId}`;
}

export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 1000 ? `${msg.slice(0, 1000)}…` : msg;
}
