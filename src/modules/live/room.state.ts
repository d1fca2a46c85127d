// The state of one live room in this process (room.service.ts runs it): who is watching, the
// cached snapshot for `hello`, likes, mutes, recent chat and the figures counted since the last
// flush; plus the message shapes and topics the room speaks.
import type { Actor } from '../people';
import type { RoomSnapshot } from './live.service';
import { MinuteCounters } from './minute-counters';

/** What the room needs of a socket (a `ws` WebSocket has it). */
export interface RoomSocket {
  readonly readyState: number;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
}

/** The topic hub (LiveHub in src/http/live.ts): one JSON.stringify per publish. */
export interface RoomHub {
  join(topic: string, socket: RoomSocket): () => void;
  publish(topic: string, message: unknown): number;
  has(topic: string): boolean;
}

export const roomTopic = (sessionId: number) => `live:${sessionId}`;
/** The host's and operators' sockets of a room: `stats` go only here. */
export const moderatorTopic = (sessionId: number) => `live:${sessionId}:mod`;

export const ROOM_TIMING = {
  /** The room's clock: likes and a flash sale's units left go out at most this often. */
  tickMs: 500,
  /** Online counts (when changed), the host's stats and the flush. */
  flushMs: 2_000,
  /** A cached snapshot for `hello` is refreshed after this long (pins, sales and coupons are patched in at once). */
  snapshotMs: 2_000,
  /** An empty room is forgotten after this long (its figures are flushed first). */
  idleMs: 30_000,
} as const;

export const RECENT_CHATS = 20;
/** Likes per message, and like messages a socket may send per second (more are ignored). */
export const MAX_LIKES_PER_MESSAGE = 20;
export const LIKE_MESSAGES_PER_S = 5;

/** 张三 → 张*: the room shows who, not enough to identify anyone (as the relay list does). */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return `${first ?? ''}*`;
}

export interface ChatMessage {
  type: 'chat';
  id: number;
  accountId: number;
  name: string;
  body: string;
  at: string;
}

export interface RoomError {
  type: 'error';
  code: 'bad_input' | 'unauthenticated' | 'rate_limited' | 'muted' | 'not_live';
  message: string;
  retryAfterMs?: number;
}

export interface Viewer {
  socket: RoomSocket;
  actor: Actor | null;
  name: string;
  moderator: boolean;
  leave: Array<() => void>;
  likeWindowStart: number;
  likeMessages: number;
  /** Card opens already counted: once per SKU and pin, so a fidgeting viewer is one click. */
  clicked: Set<string>;
}

export class Room {
  readonly viewers = new Map<RoomSocket, Viewer>();
  readonly seen = new Set<string>();
  readonly counters = new MinuteCounters();
  readonly mutes = new Set<number>();
  /** Bumped by this process's mutes and unmutes, so a slower read of the table does not undo them. */
  mutesVersion = 0;
  recent: ChatMessage[] = [];
  snapshotAt = 0;
  refreshing: Promise<void> | null = null;
  likes = 0;
  likesSent = 0;
  onlineSent = -1;
  cumulativeSent = -1;
  /** A read of the flash sale's units is under way (one at a time). */
  flashChecking = false;
  flashAvailableSent = -1;
  idleSince = 0;

  constructor(
    readonly sessionId: number,
    public snapshot: RoomSnapshot,
    /** Viewers counted before this process opened the room (a restart, another process). */
    readonly cumulativeBase: number,
  ) {}

  get online(): number {
    return this.viewers.size;
  }

  get cumulative(): number {
    return this.cumulativeBase + this.seen.size;
  }
}
