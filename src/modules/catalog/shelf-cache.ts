/**
 * Serialized pages of the resident's product list, kept in process memory.
 *
 * The list is read by every resident who opens the app and changes only when an operator
 * edits the catalog, so the page is cached as the finished JSON text: a hit costs a Map
 * lookup and no serialization. Every catalog write made through CatalogService bumps the
 * version (after its transaction commits), which empties the cache; a load that started
 * under an older version is answered but not stored, so a read racing a write cannot put
 * the pre-write page back.
 *
 * Single process only: with several server processes each holds its own cache, and a write
 * in one would not reach the others. That would need the bump to be broadcast (Redis pub/sub
 * or NATS, see ARCHITECTURE.md), or a short TTL as a fallback.
 */
export class ShelfCache {
  private version = 0;
  private readonly pages = new Map<string, string>();
  // Single-flight: a burst of misses for one key (cold start, right after an edit) runs the
  // query once instead of once per waiting connection.
  private readonly loading = new Map<string, Promise<string>>();

  constructor(private readonly maxEntries = 10_000) {}

  get size(): number {
    return this.pages.size;
  }

  invalidate(): void {
    this.version += 1;
    this.pages.clear();
    this.loading.clear();
  }

  /** The cached text, or a promise of it when it has to be loaded. */
  get(key: string, load: () => Promise<string>): string | Promise<string> {
    const hit = this.pages.get(key);
    if (hit !== undefined) return hit;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const version = this.version;
    const p = load().then(
      (text) => {
        if (this.version === version) {
          // Keys include client-chosen cursors and limits: bound the memory they can take.
          if (this.pages.size >= this.maxEntries) this.pages.clear();
          this.pages.set(key, text);
          this.loading.delete(key);
        }
        return text;
      },
      (err: unknown) => {
        if (this.loading.get(key) === p) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, p);
    return p;
  }
}
