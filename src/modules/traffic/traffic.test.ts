import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';
import { TrafficService } from './traffic.service';

interface EventRow extends Record<string, unknown> {
  kind: string;
  target_type: string;
  target_id: number | null;
  source_type: string;
  source_id: number | null;
  share_link_id: number | null;
  account_id: number | null;
  community_id: number | null;
}
const EVENT_COLS = `kind, target_type, target_id::int AS target_id, source_type, source_id::int AS source_id,
  share_link_id::int AS share_link_id, account_id::int AS account_id, community_id::int AS community_id`;

describe.each(testBackends())('traffic on %s', (backend) => {
  let t: TestApp;
  let communityId: number;
  beforeAll(async () => {
    t = await createTestApp(backend);
    const region = await t.db.query<{ id: number }>(`INSERT INTO regions (kind, name, code) VALUES ('city', '长沙', 'CS') RETURNING id::int AS id`);
    const community = await t.db.query<{ id: number }>(
      `INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, '枫林小区', 28.2, 112.9, 'x') RETURNING id::int AS id`,
      [region[0]!.id],
    );
    communityId = community[0]!.id;
  });
  afterAll(async () => t.close());

  const events = async (where = 'true') =>
    t.db.query<EventRow>(`SELECT ${EVENT_COLS} FROM traffic_events WHERE ${where} ORDER BY id`);

  it('buffers events and writes every one of them in batches on flush', async () => {
    const service = new TrafficService(t.db, t.services.clock, { flushIntervalMs: 60_000, maxBatch: 100, onDrop: () => undefined });
    const before = (await events()).length;
    for (let i = 0; i < 1234; i += 1) {
      await service.record(null, { kind: 'view', targetType: 'product', targetId: i + 1, sourceType: 'direct' });
    }
    // Full batches start writing at once; the remainder waits for the timer or a flush.
    expect(service.pending).toBeLessThan(100);
    await service.flush();
    expect(service.pending).toBe(0);
    const rows = await events(`kind = 'view' AND target_type = 'product'`);
    expect(rows.length - before).toBe(1234);
    expect(new Set(rows.map((r) => r.target_id)).size).toBe(1234);
    await service.close();
  });

  it('flushes by itself after the interval', async () => {
    const service = new TrafficService(t.db, t.services.clock, { flushIntervalMs: 20 });
    await service.record(null, { kind: 'view', targetType: 'page', sourceType: 'direct', communityId });
    expect(service.pending).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(service.pending).toBe(0);
    await service.flush();
    expect((await events(`target_type = 'page' AND community_id = ${communityId}`)).length).toBe(1);
  });

  it('keeps the good events of a batch when the database refuses one row', async () => {
    const dropped: number[] = [];
    const service = new TrafficService(t.db, t.services.clock, { flushIntervalMs: 60_000, onDrop: (n) => dropped.push(n) });
    await service.record(null, { kind: 'view', targetType: 'store', targetId: 501, sourceType: 'direct' });
    await service.record(null, { kind: 'view', targetType: 'store', targetId: 502, sourceType: 'direct', communityId: 999_999 });
    await service.record(null, { kind: 'view', targetType: 'store', targetId: 503, sourceType: 'direct' });
    await service.flush();
    expect((await events(`target_type = 'store' AND target_id > 500`)).map((r) => r.target_id)).toEqual([501, 503]);
    expect(dropped).toEqual([1]);
    expect(service.dropped).toBe(1);
  });

  it('takes the account from the session, never from the body', async () => {
    const me = await t.user(['resident'], 'me');
    const other = await t.user(['resident'], 'other');
    const res = await t.call('POST', '/api/traffic/events', {
      token: me.token,
      payload: { kind: 'view', targetType: 'campaign', targetId: 77, sourceType: 'direct', accountId: other.id, communityId },
    });
    expect(res.status).toBe(202);
    const anon = await t.call('POST', '/api/traffic/events', {
      payload: { kind: 'view', targetType: 'campaign', targetId: 78, sourceType: 'direct', accountId: other.id },
    });
    expect(anon.status).toBe(202);
    await t.services.traffic.flush();
    const rows = await events(`target_type = 'campaign'`);
    expect(rows.map((r) => [r.target_id, r.account_id, r.community_id])).toEqual([
      [77, me.id, communityId],
      [78, null, null],
    ]);
  });

  it('rejects bad events with 400 naming the field, recording nothing', async () => {
    const before = (await events()).length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'like', targetType: 'product', sourceType: 'direct' }, 'kind'],
      [{ kind: 'view', targetType: 'planet', sourceType: 'direct' }, 'targetType'],
      [{ kind: 'view', targetType: 'product', sourceType: 'leader' }, 'sourceId'],
      [{ kind: 'view', targetType: 'product', sourceType: 'direct', sourceId: 5 }, 'sourceId'],
      [{ kind: 'view', targetType: 'product', sourceType: 'share_link', shareCode: 'nosuchcode' }, 'shareCode'],
      [{ kind: 'view', targetType: 'product', sourceType: 'direct', targetId: 1.5 }, 'targetId'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/traffic/events', { payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field, JSON.stringify(payload)).toBe(field);
    }
    await t.services.traffic.flush();
    expect((await events()).length).toBe(before);
  });

  it('credits a share-link click to the named actor and the sharer', async () => {
    const leader = await t.user(['leader'], 'leader');
    const sharer = await t.user(['resident'], 'sharer');
    const visitor = await t.user(['resident'], 'visitor');

    expect((await t.call('POST', '/api/share-links', { payload: { targetType: 'product', targetId: 9 } })).status).toBe(401);
    const linksBefore = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM share_links'))[0]!.n;
    const notALeader = await t.call('POST', '/api/share-links', {
      token: sharer.token,
      payload: { targetType: 'product', targetId: 9, actorType: 'leader', actorId: visitor.id },
    });
    expect(notALeader.status).toBe(400);
    expect(notALeader.body.error.field).toBe('actorId');
    const half = await t.call('POST', '/api/share-links', { token: sharer.token, payload: { targetType: 'product', actorType: 'leader' } });
    expect(half.status).toBe(400);
    expect(half.body.error.field).toBe('actorId');
    const badTarget = await t.call('POST', '/api/share-links', { token: sharer.token, payload: { targetType: 'moon' } });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.field).toBe('targetType');
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM share_links'))[0]!.n).toBe(linksBefore);

    const made = await t.call('POST', '/api/share-links', {
      token: sharer.token,
      payload: { targetType: 'product', targetId: 9, actorType: 'leader', actorId: leader.id },
    });
    expect(made.status).toBe(201);
    expect(made.body.code).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(made.body.url).toMatch(new RegExp(`/s/${made.body.code}$`));

    const opened = await t.call('GET', `/api/share-links/${made.body.code}?communityId=${communityId}`, { token: visitor.token });
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ code: made.body.code, targetType: 'product', targetId: 9, actorType: 'leader', actorId: leader.id });
    // An event sent by the page with the code is credited the same way.
    await t.call('POST', '/api/traffic/events', {
      payload: { kind: 'view', targetType: 'product', targetId: 9, sourceType: 'share_link', shareCode: made.body.code },
    });
    expect((await t.call('GET', '/api/share-links/zzzzzzzzzz')).status).toBe(404);

    await t.services.traffic.flush();
    const link = (await t.db.query<{ id: number; account_id: number }>(
      `SELECT id::int AS id, account_id::int AS account_id FROM share_links WHERE code = $1`,
      [made.body.code],
    ))[0]!;
    expect(link.account_id).toBe(sharer.id);
    const rows = await events(`share_link_id = ${link.id}`);
    expect(rows.map((r) => [r.kind, r.source_type, r.source_id, r.account_id, r.community_id])).toEqual([
      ['share', 'leader', leader.id, sharer.id, null],
      ['click', 'leader', leader.id, visitor.id, communityId],
      ['view', 'leader', leader.id, null, null],
    ]);

    // A link naming no actor is its own source.
    const plain = await t.call('POST', '/api/share-links', { token: sharer.token, payload: { targetType: 'community', targetId: communityId } });
    await t.call('GET', `/api/share-links/${plain.body.code}`);
    await t.services.traffic.flush();
    const plainId = (await t.db.query<{ id: number }>(`SELECT id::int AS id FROM share_links WHERE code = $1`, [plain.body.code]))[0]!.id;
    expect((await events(`share_link_id = ${plainId} AND kind = 'click'`))[0]).toMatchObject({ source_type: 'share_link', source_id: plainId });
  });

  it('summarises by day, kind and source for operators only', async () => {
    const op = await t.user(['operator'], 'op');
    const resident = await t.user(['resident'], 'r');
    expect((await t.call('GET', '/api/traffic/summary', { token: resident.token })).status).toBe(403);
    expect((await t.call('GET', '/api/traffic/summary')).status).toBe(401);

    // Unflushed events are counted too: the summary flushes first.
    await t.call('POST', '/api/traffic/events', { payload: { kind: 'click', targetType: 'live_session', sourceType: 'host', sourceId: 4242 } });
    const res = await t.call('GET', '/api/traffic/summary', { token: op.token });
    expect(res.status).toBe(200);
    const total = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM traffic_events'))[0]!.n;
    expect(res.body.totals.view + res.body.totals.share + res.body.totals.click).toBe(total);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(res.body.byDay).toContainEqual({ day: today, kind: 'click', sourceType: 'host', count: 1 });
    expect(res.body.topSources[0]).toMatchObject({ sourceType: 'leader', count: 3 });

    const onlyHosts = await t.call('GET', '/api/traffic/summary?sourceType=host&targetType=live_session', { token: op.token });
    expect(onlyHosts.body.byDay).toEqual([{ day: today, kind: 'click', sourceType: 'host', count: 1 }]);
    expect(onlyHosts.body.topSources).toEqual([{ sourceType: 'host', sourceId: 4242, count: 1 }]);

    const past = await t.call('GET', '/api/traffic/summary?from=2020-01-01&to=2020-01-08', { token: op.token });
    expect(past.body.byDay).toEqual([]);
    expect(past.body.from).toBe('2019-12-31T16:00:00.000Z');
    const backwards = await t.call('GET', '/api/traffic/summary?from=2020-01-08&to=2020-01-01', { token: op.token });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.field).toBe('from');
    const garbage = await t.call('GET', '/api/traffic/summary?from=yesterday', { token: op.token });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.field).toBe('from');
  });

  it('writes buffered events when the app shuts down', async () => {
    const own = await createTestApp(backend);
    const res = await own.call('POST', '/api/traffic/events', { payload: { kind: 'view', targetType: 'page', sourceType: 'direct' } });
    expect(res.status).toBe(202);
    expect(own.services.traffic.pending).toBe(1);
    await own.app.close();
    expect((await own.db.query<{ n: number }>('SELECT count(*)::int AS n FROM traffic_events'))[0]!.n).toBe(1);
    await own.db.dispose();
  });
});
