import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError } from '../../kernel';
import { readIdempotencyKey, requestHash, runIdempotent } from '.';

describe('readIdempotencyKey', () => {
  it('names the header when missing or malformed', () => {
    for (const headers of [{}, { 'idempotency-key': '' }, { 'idempotency-key': 'has space' }, { 'idempotency-key': 'x'.repeat(129) }]) {
      try {
        readIdempotencyKey(headers);
        expect.unreachable();
      } catch (e) {
        expect((e as DomainError).kind).toBe('bad_input');
        expect((e as DomainError).field).toBe('Idempotency-Key');
      }
    }
    expect(readIdempotencyKey({ 'idempotency-key': 'a1b2-c3:d4.e5_f6' })).toBe('a1b2-c3:d4.e5_f6');
  });

  it('hashes a body the same whatever its key order', () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(requestHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });
});

describe.each(testBackends())('runIdempotent on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
    await db.exec('CREATE TABLE effects (id serial PRIMARY KEY, note text)');
  });
  afterAll(async () => db.dispose());

  const effects = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM effects'))[0]!.n;
  const work = (note: string) => async (tx: Parameters<Parameters<typeof runIdempotent>[2]>[0]) => {
    const rows = await tx.execute(sql`INSERT INTO effects (note) VALUES (${note}) RETURNING id`);
    const id = ((rows as unknown as { rows?: { id: number }[] }).rows ?? (rows as unknown as { id: number }[]))[0]!.id;
    return { status: 201, body: { id, note, at: new Date(0) } };
  };

  it('same key and body → the same answer and one effect', async () => {
    const before = await effects();
    const a = await runIdempotent(db, { scope: 's1', key: 'k1', request: { x: 1 } }, work('one'));
    const b = await runIdempotent(db, { scope: 's1', key: 'k1', request: { x: 1 } }, work('one'));
    expect(a.replayed).toBe(false);
    expect(b.replayed).toBe(true);
    expect(b.body).toEqual(a.body);
    expect(a.body).toEqual({ id: a.body.id, note: 'one', at: '1970-01-01T00:00:00.000Z' });
    expect(await effects()).toBe(before + 1);
  });

  it('same key, other body → 422 and no effect', async () => {
    await runIdempotent(db, { scope: 's1', key: 'k2', request: { x: 1 } }, work('two'));
    const before = await effects();
    await expect(runIdempotent(db, { scope: 's1', key: 'k2', request: { x: 2 } }, work('two'))).rejects.toMatchObject({
      kind: 'unprocessable',
      field: 'Idempotency-Key',
    });
    expect(await effects()).toBe(before);
  });

  it('the same key in another scope is another request', async () => {
    const a = await runIdempotent(db, { scope: 'buyer:1', key: 'k3', request: {} }, work('a'));
    const b = await runIdempotent(db, { scope: 'buyer:2', key: 'k3', request: {} }, work('b'));
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('a failed attempt keeps nothing, so the retry runs', async () => {
    const before = await effects();
    await expect(
      runIdempotent(db, { scope: 's1', key: 'k4', request: {} }, async (tx) => {
        await work('fails')(tx);
        throw new DomainError('conflict', 'sold out');
      }),
    ).rejects.toThrow('sold out');
    expect(await effects()).toBe(before);
    const retry = await runIdempotent(db, { scope: 's1', key: 'k4', request: {} }, work('retry'));
    expect(retry.replayed).toBe(false);
    expect(await effects()).toBe(before + 1);
  });

  it('concurrent twins with one key → one effect, the same answer for all', async () => {
    const before = await effects();
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        runIdempotent(db, { scope: 's1', key: 'race', request: { y: 1 } }, async (tx) => {
          const r = await work('race')(tx);
          // Hold the transaction open a little so twins really overlap on PostgreSQL.
          await new Promise((res) => setTimeout(res, 30));
          return r;
        }),
      ),
    );
    expect(await effects()).toBe(before + 1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });
});
