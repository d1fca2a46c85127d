// Chat waiting to be stored: the room broadcasts a message at once, under an id reserved from
// live_chat_messages' own sequence (so a moderator can remove it by that id), and the flush
// stores the waiting ones in one statement.
import type { NewChatRow } from './room.repo';

/** Ids reserved per round trip; a new block is fetched when a quarter is left. */
const ID_BLOCK = 200;
/** A message whose batch keeps failing is dropped after this many flushes, so it cannot block the rest. */
const MAX_ATTEMPTS = 3;

type Waiting = NewChatRow & { attempts: number };

export class ChatBatch {
  private waitingRows: Waiting[] = [];
  private ids: number[] = [];
  private refilling: Promise<void> | null = null;

  constructor(private readonly reserve: (n: number) => Promise<number[]>) {}

  async nextId(): Promise<number> {
    if (this.ids.length < ID_BLOCK / 4) void this.refill().catch(() => undefined); // the loop below retries
    while (this.ids.length === 0) await this.refill();
    return this.ids.shift()!;
  }

  private refill(): Promise<void> {
    this.refilling ??= this.reserve(ID_BLOCK)
      .then((ids) => void this.ids.push(...ids))
      .finally(() => (this.refilling = null));
    return this.refilling;
  }

  add(row: NewChatRow): void {
    this.waitingRows.push({ ...row, attempts: 0 });
  }

  get size(): number {
    return this.waitingRows.length;
  }

  waiting(messageId: number): boolean {
    return this.waitingRows.some((c) => c.id === messageId);
  }

  waitingIn(sessionId: number): boolean {
    return this.waitingRows.some((c) => c.sessionId === sessionId);
  }

  /** Take everything waiting, for a flush. */
  drain(): Waiting[] {
    const out = this.waitingRows;
    this.waitingRows = [];
    return out;
  }

  /** A flush failed: put its rows back in front, each at most a few times. */
  restore(failed: Waiting[]): void {
    this.waitingRows = [...failed.filter((c) => ++c.attempts < MAX_ATTEMPTS), ...this.waitingRows];
  }
}
