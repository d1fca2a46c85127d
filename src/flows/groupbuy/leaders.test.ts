import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testBackends, type TestDatabase } from '../../db/testing';
import { DomainError, ManualClock } from '../../kernel';
import { checkIdCard, lastFullWeek, lastSettledWeek } from '../../modules/leaders';
import { createServices, type Services } from '../../services';
import { makeCommerceWorld, type CommerceWorld } from '../testing';
import { addArrival, addCampaign, addComplaint, addGridWarehouse, addOrder, addPickup, applicationInput, validIdCard } from './leaders.testing';

const expectDomain = async (p: Promise<unknown>, kind: DomainError['kind'], field?: string) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).kind).toBe(kind);
  if (field !== undefined) expect((e as DomainError).field).toBe(field);
  return e as DomainError;
};

describe('ID numbers (GB 11643)', () => {
  it('accepts a valid number (X as check character too) and keeps only a hash and the last four', () => {
    expect(checkIdCard('11010519491231002X').last4).toBe('002X');
    const c = checkIdCard(validIdCard(7));
    expect(c.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(c.last4).toBe(validIdCard(7).slice(-4));
  });
  it('refuses a wrong check digit, wrong length or letters', () => {
    expect(() => checkIdCard('110105194912310021')).toThrow(/check digit/);
    expect(() => checkIdCard('11010519491231002')).toThrow(/18 characters/);
    expect(() => checkIdCard('1101051949123100AX')).toThrow(/18 characters/);
  });
});

describe('ISO weeks in China time', () => {
  it('finds the last full and the last settled week', () => {
    // Wednesday 2026-03-11 10:00 Beijing.
    expect(lastFullWeek(new Date('2026-03-11T02:00:00Z'))).toBe('2026-03-02');
    expect(lastSettledWeek(new Date('2026-03-11T02:00:00Z'))).toBe('2026-03-02');
    // Monday 2026-03-09 00:30 Beijing (Sunday 16:30 UTC): last week ended, but its Sunday pickups run to Monday's end.
    expect(lastFullWeek(new Date('2026-03-08T16:30:00Z'))).toBe('2026-03-02');
    expect(lastSettledWeek(new Date('2026-03-08T16:30:00Z'))).toBe('2026-02-23');
  });
});

describe.each(testBackends())('leader approval, status and KPIs on %s', (backend) => {
  let db: TestDatabase;
  let s: Services;
  let w: CommerceWorld;
  let gridNear: number;
  const clock = new ManualClock('2026-02-20T10:00:00+08:00');
  const op = () => w.actor(w.operatorId, 'operator');
  const count = async (sqlText: string, params: unknown[] = []) => (await db.query<{ n: number }>(sqlText, params))[0]!.n;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
    s = await createServices(db, { clock });
    w = await makeCommerceWorld(db, { buyers: 8, skus: [{ priceFen: 1000, stock: 100 }] });
    await addGridWarehouse(db, w, { name: '远网格仓', lat: 31.5, lng: 121.5 });
    gridNear = await addGridWarehouse(db, w, { name: '近网格仓', lat: 30.12, lng: 120.12 });
  });
  afterAll(async () => {
    await s.checkout.close();
    await db.dispose();
  });

  it('refuses a bad application naming the field and writes nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM leader_applications');
    const buyer = w.actor(w.buyerIds[0]!);
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { idCardNumber: '110105194912310021' })), 'bad_input', 'idCardNumber');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { realName: '王' })), 'bad_input', 'realName');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { communityId: 999_999 })), 'bad_input', 'communityId');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { closesAt: '07:00' })), 'bad_input', 'closesAt');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { capacity: 0 })), 'bad_input', 'capacity');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 1, { lat: 91 })), 'bad_input', 'lat');
    expect(await count('SELECT count(*)::int AS n FROM leader_applications')).toBe(before);
  });

  it('keeps one pending application per account; the world’s leader may not apply', async () => {
    const buyer = w.actor(w.buyerIds[1]!);
    const app = await s.leaders.apply(buyer, applicationInput(w, 2));
    expect(app).toMatchObject({ status: 'pending', idCardLast4: validIdCard(2).slice(-4) });
    expect(app).not.toHaveProperty('idCardHash');
    await expectDomain(s.leaders.apply(buyer, applicationInput(w, 3)), 'conflict');
    await expectDomain(s.leaders.apply(w.actor(w.leaderId, 'leader'), applicationInput(w, 4)), 'conflict');
    const stored = await db.query<{ id_card_hash: string }>('SELECT id_card_hash FROM leader_applications WHERE id = $1', [app.id]);
    expect(stored[0]!.id_card_hash).not.toContain(validIdCard(2));
  });

  it('approves: opens the point at the nearest grid warehouse, grants the role, writes the profile at the lowest level', async () => {
    const applicant = w.buyerIds[1]!;
    const app = (await s.leaders.mine(w.actor(applicant)))!;
    const decided = await s.leaderFlow.decide(op(), app.id, { approve: true });
    expect(decided.status).toBe('approved');
    const point = await s.place.pickupPoints.get(decided.pickupPointId!);
    expect(point).toMatchObject({ leaderAccountId: applicant, gridWarehouseId: gridNear, name: app.pointName, status: 'active', capacity: 300 });
    expect((await s.people.getAccount(op(), applicant)).roles).toContain('leader');
    const levels = await s.leaders.levels();
    expect(levels.map((l) => [l.name, l.minWeeklyItems, l.bonusBp])).toEqual([
      ['见习团长', 0, 0],
      ['铜牌', 50, 100],
      ['银牌', 200, 200],
      ['金牌', 500, 300],
    ]);
    const profile = (await s.leaders.profile(applicant))!;
    expect(profile).toMatchObject({ status: 'active', levelId: levels[0]!.id, pickupPointId: point.id, realName: '王小明' });
    expect(await s.leaders.pointOf(applicant)).toBe(point.id);
    expect(await s.leaders.commissionBonusBp(applicant)).toBe(0);
    await expectDomain(s.leaderFlow.decide(op(), app.id, { approve: true }), 'conflict');
    await expectDomain(s.leaders.apply(w.actor(applicant), applicationInput(w, 5)), 'conflict');
  });

  it('leaves nothing behind when the approval fails part-way', async () => {
    const applicant = w.buyerIds[2]!;
    const app = await s.leaders.apply(w.actor(applicant), applicationInput(w, 6));
    const points = await count('SELECT count(*)::int AS n FROM pickup_points WHERE status <> $1', ['closed']);
    // A grid warehouse that is not one: the point is refused before anything is written.
    await expectDomain(s.leaderFlow.decide(op(), app.id, { approve: true, gridWarehouseId: w.centralWarehouseId }), 'bad_input', 'gridWarehouseId');
    // The last step fails (someone decided meanwhile): the point is closed and the role taken back.
    const original = s.leaders.recordApproval.bind(s.leaders);
    s.leaders.recordApproval = () => Promise.reject(new DomainError('conflict', 'this application has already been decided'));
    try {
      await expectDomain(s.leaderFlow.decide(op(), app.id, { approve: true }), 'conflict');
    } finally {
      s.leaders.recordApproval = original;
    }
    expect(await count('SELECT count(*)::int AS n FROM pickup_points WHERE status <> $1', ['closed'])).toBe(points);
    expect(await count(`SELECT count(*)::int AS n FROM pickup_points WHERE leader_account_id = $1`, [applicant])).toBe(0);
    expect((await s.people.getAccount(op(), applicant)).roles).not.toContain('leader');
    expect(await s.leaders.profile(applicant)).toBeNull();
    expect((await s.leaders.getApplication(app.id)).status).toBe('pending');
  });

  it('rejects only with a reason', async () => {
    const app = await s.leaders.apply(w.actor(w.buyerIds[3]!), applicationInput(w, 8));
    await expectDomain(s.leaderFlow.decide(op(), app.id, { approve: false }), 'bad_input', 'reason');
    await expectDomain(s.leaderFlow.decide(w.actor(w.buyerIds[3]!), app.id, { approve: false, reason: 'x' }), 'forbidden');
    const r = await s.leaderFlow.decide(op(), app.id, { approve: false, reason: '地址不在服务范围' });
    expect(r).toMatchObject({ status: 'rejected', reason: '地址不在服务范围', pickupPointId: null, decidedBy: w.operatorId });
    // A rejected applicant may apply again.
    expect((await s.leaders.apply(w.actor(w.buyerIds[3]!), applicationInput(w, 9))).status).toBe('pending');
  });

  it('computes a week’s KPIs from hand-made orders, warns, and a rerun counts nothing twice', async () => {
    const leader = w.buyerIds[1]!;
    const pointId = (await s.leaders.pointOf(leader))!;
    // A second leader who sells 60 items on time: an ok week and level 铜牌.
    const app2 = await s.leaders.apply(w.actor(w.buyerIds[4]!), applicationInput(w, 10));
    const point2 = (await s.leaderFlow.decide(op(), app2.id, { approve: true })).pickupPointId!;

    const c1 = await addCampaign(db, w, '2026-03-04');
    const c2 = await addCampaign(db, w, '2026-03-09');
    const base = { buyerId: w.buyerIds[5]!, pickupPointId: pointId, leaderId: leader, unitPriceFen: 1000 };
    const o1 = await addOrder(db, w, { ...base, campaignId: c1, status: 'completed', paidAt: '2026-03-03T10:00:00+08:00', quantity: 2 });
    const o2 = await addOrder(db, w, { ...base, campaignId: c1, status: 'paid', paidAt: '2026-03-03T11:00:00+08:00', quantity: 3 });
    const o3 = await addOrder(db, w, { ...base, campaignId: c1, status: 'completed', paidAt: '2026-03-03T12:00:00+08:00', quantity: 1 });
    const o4 = await addOrder(db, w, { ...base, campaignId: c1, status: 'completed', paidAt: '2026-03-03T13:00:00+08:00', quantity: 1 });
    await addOrder(db, w, { ...base, campaignId: c2, status: 'paid', paidAt: '2026-03-08T20:00:00+08:00', quantity: 4, unitPriceFen: 500 });
    // Paid the week before, collected this week: due this week, not sold this week.
    const o6 = await addOrder(db, w, { ...base, campaignId: c1, status: 'completed', paidAt: '2026-03-01T23:00:00+08:00', quantity: 5 });
    // Refunded before arrival: neither due nor on time, but it was paid this week.
    await addOrder(db, w, { ...base, campaignId: c1, status: 'refunded', paidAt: '2026-03-03T14:00:00+08:00', quantity: 1 });
    // Goods arrived at the point on the pickup day (o2 is still 'paid': the arrival makes it due).
    await addArrival(db, w, { pickupPointId: pointId, pickupDate: '2026-03-04', campaignIds: [c1, c2], signedBy: leader, at: '2026-03-04T07:30:00+08:00' });
    await addPickup(db, { ...o1, quantity: 2, by: leader, at: '2026-03-05T23:59:00+08:00' }); // end of the next day: on time
    await addPickup(db, { ...o3, quantity: 1, by: leader, at: '2026-03-06T00:01:00+08:00' }); // late
    await addPickup(db, { ...o4, quantity: 1, by: leader, at: '2026-03-04T09:00:00+08:00', undoneAt: '2026-03-04T09:10:00+08:00' }); // undone
    await addPickup(db, { ...o6, quantity: 5, by: leader, at: '2026-03-04T18:00:00+08:00' });
    await addComplaint(db, { ...o2, buyerId: w.buyerIds[5]!, at: '2026-03-05T10:00:00+08:00' });
    await addComplaint(db, { ...o6, buyerId: w.buyerIds[5]!, at: '2026-03-09T10:00:00+08:00' }); // next week
    const b2 = { buyerId: w.buyerIds[6]!, pickupPointId: point2, leaderId: w.buyerIds[4]!, unitPriceFen: 100 };
    const p2 = await addOrder(db, w, { ...b2, campaignId: c1, status: 'completed', paidAt: '2026-03-02T09:00:00+08:00', quantity: 60 });
    await addPickup(db, { ...p2, quantity: 60, by: w.buyerIds[4]!, at: '2026-03-04T12:00:00+08:00' });

    clock.set('2026-03-11T10:00:00+08:00');
    await expectDomain(s.leaderFlow.runKpis(op(), '2026-03-03'), 'bad_input', 'weekStart');
    await expectDomain(s.leaderFlow.runKpis(op(), '2026-03-09'), 'bad_input', 'weekStart');
    await expectDomain(s.leaderFlow.runKpis(w.actor(leader, 'leader')), 'forbidden');
    const run = await s.leaderFlow.runKpis(op());
    expect(run).toEqual({ weekStart: '2026-03-02', leaders: 2, warnings: 1, suspended: 0 });
    const [week] = await s.leaders.kpisOf(op(), leader);
    expect(week).toEqual({
      weekStart: '2026-03-02',
      orders: 6,
      itemsSold: 12,
      gmvFen: 10_000,
      pickupsDue: 5,
      pickupsOnTime: 2,
      complaints: 1,
      onTimeBp: 4000,
      complaintBp: 1666,
      verdict: 'warning',
      reasons: ['on_time_below_min', 'complaints_above_max'],
    });
    expect(await s.leaders.profile(leader)).toMatchObject({ status: 'warned', warningsInRow: 1 });
    const [ok] = await s.leaders.kpisOf(op(), w.buyerIds[4]!);
    expect(ok).toMatchObject({ orders: 1, itemsSold: 60, pickupsDue: 1, pickupsOnTime: 1, onTimeBp: 10_000, verdict: 'ok', reasons: [] });
    const lvl = (await s.leaders.levels()).find((l) => l.name === '铜牌')!;
    expect((await s.leaders.profile(w.buyerIds[4]!))!.levelId).toBe(lvl.id);
    expect(await s.leaders.commissionBonusBp(w.buyerIds[4]!)).toBe(100);

    // The same week again: same answer, the warning is not counted twice.
    expect(await s.leaderFlow.runKpis(op(), '2026-03-02')).toEqual(run);
    expect(await s.leaders.profile(leader)).toMatchObject({ status: 'warned', warningsInRow: 1 });
  });

  it('suspends after N warnings in a row, pausing the point; the paused point takes no group-buy order; reactivation reopens it', async () => {
    const leader = w.buyerIds[1]!;
    const pointId = (await s.leaders.pointOf(leader))!;
    await s.groupbuySettings.update(op(), w.regionId, { kpiSuspendAfterWarnings: 2 });
    // Week of 03-09: o5 (campaign of 03-09) arrived and was never picked up.
    const c = (await db.query<{ id: number }>(`SELECT id FROM campaigns WHERE pickup_date = '2026-03-09'`))[0]!.id;
    await addArrival(db, w, { pickupPointId: pointId, pickupDate: '2026-03-09', campaignIds: [c], signedBy: leader, at: '2026-03-09T08:00:00+08:00' });
    clock.set('2026-03-17T10:00:00+08:00');
    const run = await s.leaderFlow.runKpis(op(), '2026-03-09');
    expect(run).toMatchObject({ weekStart: '2026-03-09', suspended: 1 });
    const [week] = await s.leaders.kpisOf(op(), leader);
    // The complaint opened on 03-09 about last week's order counts fully when nothing was sold.
    expect(week).toMatchObject({ weekStart: '2026-03-09', orders: 0, pickupsDue: 1, pickupsOnTime: 0, onTimeBp: 0, complaints: 1, complaintBp: 10_000, verdict: 'suspended' });
    expect(week!.reasons).toEqual(['on_time_below_min', 'complaints_above_max', 'warnings_in_row']);
    expect(await s.leaders.profile(leader)).toMatchObject({ status: 'suspended', warningsInRow: 2 });
    expect((await s.place.pickupPoints.get(pointId)).status).toBe('paused');
    // The other leader, whose week was empty, is fine.
    expect(await s.leaders.profile(w.buyerIds[4]!)).toMatchObject({ status: 'active', warningsInRow: 0 });

    const refused = await expectDomain(
      s.checkout.placeOrder(w.actor(w.buyerIds[7]!), { channel: 'group_buy', pickupPointId: pointId, lines: [{ skuId: w.skuIds[0]!, quantity: 1 }] }, 'k-paused'),
      'bad_input',
      'pickupPointId',
    );
    expect(refused.message).toMatch(/not taking orders/);

    const back = await s.leaderFlow.setStatus(op(), leader, { status: 'active', reason: '已整改' });
    expect(back).toMatchObject({ status: 'active', warningsInRow: 0, statusReason: '已整改' });
    expect((await s.place.pickupPoints.get(pointId)).status).toBe('active');
    await expectDomain(s.leaderFlow.setStatus(op(), leader, { status: 'suspended' }), 'bad_input', 'reason');
    const off = await s.leaderFlow.setStatus(op(), leader, { status: 'suspended', reason: '投诉较多' });
    expect(off).toMatchObject({ status: 'suspended', statusReason: '投诉较多' });
    expect((await s.place.pickupPoints.get(pointId)).status).toBe('paused');
    await s.leaderFlow.setStatus(op(), leader, { status: 'active' });
    expect((await s.place.pickupPoints.get(pointId)).status).toBe('active');
  });
});
