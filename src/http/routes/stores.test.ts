import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { validIdCard } from '../../flows/groupbuy/leaders.testing';
import { connectSandbox, makeCommerceWorld, sessionToken, type CommerceWorld } from '../../flows/testing';
import { licenceCheckChar } from '../../modules/stores';
import { createTestApp, type TestApp } from '../testing';

/** A well-formed 统一社会信用代码 that differs by `n`. */
function licence(n: number): string {
  const first17 = `92330106MA${String(n).padStart(7, '0')}`;
  return first17 + licenceCheckChar(first17);
}

/** HH:MM in China time, `minutes` from now. */
function chinaHhmm(minutes: number): string {
  const t = new Date(Date.now() + 8 * 3600_000 + minutes * 60_000);
  return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

describe.each(testBackends())('stores over HTTP on %s', (backend) => {
  let t: TestApp;
  let w: CommerceWorld;
  let operator: string;
  let owner: string;
  let clerk: { id: number; token: string };
  let otherClerk: { id: number; token: string };
  let resident: { id: number; token: string };
  let otherStoreId: number;
  const BARCODE = ['6901234567892', '6901234567908'];

  beforeAll(async () => {
    t = await createTestApp(backend);
    connectSandbox(t.services);
    w = await makeCommerceWorld(t.db, {
      buyers: 0,
      skus: [
        { priceFen: 1000, stock: 20, storeStock: 5 },
        { priceFen: 250, stock: 20, storeStock: 3 },
        { priceFen: 990, stock: 20 },
      ],
    });
    for (const [i, code] of BARCODE.entries()) await t.db.query(`UPDATE skus SET barcode = $1 WHERE id = $2`, [code, w.skuIds[i]]);
    operator = await sessionToken(t.db, w.operatorId);
    owner = await sessionToken(t.db, w.storeOwnerId);
    clerk = await t.user(['resident'], 'clerk');
    await t.services.place.stores.addClerk(w.actor(w.storeOwnerId, 'store_owner'), w.storeId, { accountId: clerk.id });
    // The store_clerk role came after the login: a new session carries it.
    clerk.token = await sessionToken(t.db, clerk.id);
    // Another store in the same community, with its own owner and clerk.
    const otherOwner = await t.user(['store_owner'], 'other-owner');
    otherStoreId = (
      await t.db.query<{ id: number }>(
        `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
         VALUES ($1, $2, $3, '隔壁小卖部', '9号楼', 30.2, 120.2, 500, '00:00', '23:59') RETURNING id`,
        [w.regionId, w.communityId, otherOwner.id],
      )
    )[0]!.id;
    otherClerk = await t.user(['store_clerk'], 'other-clerk');
    await t.db.query(`INSERT INTO store_clerks (store_id, account_id) VALUES ($1, $2)`, [otherStoreId, otherClerk.id]);
    resident = await t.user(['resident'], 'resident');
  });
  afterAll(async () => {
    await t.services.checkout.close();
    await t.close();
  });

  const count = async (table: string) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const storeLevel = async (skuId: number) =>
    (
      await t.db.query<{ on_hand: number; reserved: number }>(
        `SELECT l.on_hand, l.reserved FROM stock_levels l JOIN stock_locations s ON s.id = l.location_id WHERE s.store_id = $1 AND l.sku_id = $2`,
        [w.storeId, skuId],
      )
    )[0]!;
  const sale = (token: string, key: string, body: object, storeId = w.storeId) =>
    t.call('POST', `/api/stores/${storeId}/pos/sales`, { token, payload: body, headers: { 'idempotency-key': key } });
  const application = (n: number, extra: object = {}) => ({
    storeName: `邻家便利${n}`,
    licenceNumber: licence(n),
    address: `${n}号楼底商`,
    communityId: w.communityId,
    lat: 30.11 + n / 1000,
    lng: 120.11,
    opensAt: '07:00',
    closesAt: '23:00',
    deliveryRadiusM: 1500,
    modes: ['pickup', 'delivery'],
    ...extra,
  });

  describe('onboarding', () => {
    it('checks the licence check character (GB 32100) and names each bad field, writing nothing', async () => {
      const a = await t.user(['resident'], 'applicant');
      const before = await count('store_applications');
      const wrongCheck = licence(1).slice(0, 17) + (licence(1).endsWith('0') ? '1' : '0');
      const cases: [object, string][] = [
        [{ licenceNumber: wrongCheck }, 'licenceNumber'],
        [{ licenceNumber: '1234' }, 'licenceNumber'],
        [{ storeName: '   ' }, 'storeName'],
        [{ closesAt: '07:00' }, 'closesAt'],
        [{ deliveryRadiusM: 20_000 }, 'deliveryRadiusM'],
        [{ modes: [] }, 'modes'],
        [{ communityId: 999_999_999 }, 'communityId'],
        [{ ownerName: '王老板' }, 'idCardNumber'],
      ];
      for (const [extra, field] of cases) {
        const res = await t.call('POST', '/api/store-applications', { token: a.token, payload: application(1, extra) });
        expect(res.status, JSON.stringify(extra)).toBe(400);
        expect(res.body.error.field, JSON.stringify(extra)).toBe(field);
      }
      expect(await count('store_applications')).toBe(before);
      expect((await t.call('POST', '/api/store-applications', { payload: application(1) })).status).toBe(401);
    });

    it('one pending application per account; an operator approves it: store opened, store_owner granted, my/stores shows it to its owner only', async () => {
      const a = await t.user(['resident'], 'applicant');
      const first = await t.call('POST', '/api/store-applications', { token: a.token, payload: application(2) });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'pending', licenceNumber: licence(2), modes: ['pickup', 'delivery'], storeId: null });
      expect((await t.call('POST', '/api/store-applications', { token: a.token, payload: application(3) })).status).toBe(409);
      expect((await t.call('GET', '/api/store-applications/mine', { token: a.token })).body.id).toBe(first.body.id);

      const decide = (token: string, body: object) => t.call('POST', `/api/admin/store-applications/${first.body.id}/decision`, { token, payload: body });
      expect((await decide(resident.token, { approve: true })).status).toBe(403);
      expect((await decide(owner, { approve: true })).status).toBe(403);
      expect((await t.call('GET', '/api/admin/store-applications?status=pending', { token: resident.token })).status).toBe(403);
      const listed = await t.call('GET', '/api/admin/store-applications?status=pending', { token: operator });
      expect(listed.body.items.map((x: { id: number }) => x.id)).toContain(first.body.id);
      // A pickup point needs an identified leader: this application named nobody.
      const noId = await decide(operator, { approve: true, alsoPickupPoint: true });
      expect(noId.status).toBe(400);
      expect(noId.body.error.field).toBe('alsoPickupPoint');

      const approved = await decide(operator, { approve: true });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      const storeId = approved.body.storeId as number;
      const row = (await t.db.query<{ owner_account_id: number; name: string; delivery_radius_m: number; status: string }>(`SELECT * FROM stores WHERE id = $1`, [storeId]))[0]!;
      expect(row).toMatchObject({ owner_account_id: a.id, name: '邻家便利2', delivery_radius_m: 1500, status: 'active' });
      const roles = await t.db.query<{ role: string }>(`SELECT role FROM account_roles WHERE account_id = $1`, [a.id]);
      expect(roles.map((r) => r.role)).toContain('store_owner');
      expect((await decide(operator, { approve: false, reason: 'late' })).status).toBe(409);

      // The role is read from the session: a fresh login carries it.
      const token = await sessionToken(t.db, a.id);
      const mine = await t.call('GET', '/api/my/stores', { token });
      expect(mine.body.map((s: { id: number }) => s.id)).toEqual([storeId]);
      const theirs = await t.call('GET', '/api/my/stores', { token: owner });
      expect(theirs.body.map((s: { id: number }) => s.id)).toEqual([w.storeId]);
      const clerks = await t.call('GET', '/api/my/stores', { token: otherClerk.token });
      expect(clerks.body.map((s: { id: number }) => s.id)).toEqual([otherStoreId]);
      expect((await t.call('GET', '/api/my/stores', { token: resident.token })).status).toBe(403);
    });

    it('alsoPickupPoint: the owner leads a pickup point at the store, with a leader profile', async () => {
      const a = await t.user(['resident'], 'applicant');
      const applied = await t.call('POST', '/api/store-applications', {
        token: a.token,
        payload: application(4, { ownerName: '李店主', idCardNumber: validIdCard(4) }),
      });
      expect(applied.status).toBe(201);
      expect(applied.body.idCardLast4).toBe(validIdCard(4).slice(-4));
      const approved = await t.call('POST', `/api/admin/store-applications/${applied.body.id}/decision`, { token: operator, payload: { approve: true, alsoPickupPoint: true } });
      expect(approved.status).toBe(200);
      const pointId = approved.body.pickupPointId as number;
      expect(pointId).toBeGreaterThan(0);
      const point = (await t.db.query<{ leader_account_id: number; lat: number; lng: number; status: string }>(`SELECT * FROM pickup_points WHERE id = $1`, [pointId]))[0]!;
      expect(point).toMatchObject({ leader_account_id: a.id, lat: applied.body.lat, lng: applied.body.lng, status: 'active' });
      const profile = await t.db.query<{ pickup_point_id: number; real_name: string }>(`SELECT * FROM leader_profiles WHERE account_id = $1`, [a.id]);
      expect(profile[0]).toMatchObject({ pickup_point_id: pointId, real_name: '李店主' });
      const roles = (await t.db.query<{ role: string }>(`SELECT role FROM account_roles WHERE account_id = $1`, [a.id])).map((r) => r.role);
      expect(roles).toEqual(expect.arrayContaining(['store_owner', 'leader']));
    });

    it('a rejection needs a reason', async () => {
      const a = await t.user(['resident'], 'applicant');
      const applied = await t.call('POST', '/api/store-applications', { token: a.token, payload: application(5) });
      const url = `/api/admin/store-applications/${applied.body.id}/decision`;
      const noReason = await t.call('POST', url, { token: operator, payload: { approve: false } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.field).toBe('reason');
      const rejected = await t.call('POST', url, { token: operator, payload: { approve: false, reason: '营业执照照片不清楚' } });
      expect(rejected.body).toMatchObject({ status: 'rejected', reason: '营业执照照片不清楚', storeId: null });
    });
  });

  describe('the till', () => {
    it('looks up a barcode at the store’s price and stock; other stores’ staff and residents get 404', async () => {
      const res = await t.call('GET', `/api/stores/${w.storeId}/pos/lookup?barcode=${BARCODE[0]}`, { token: clerk.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ skuId: w.skuIds[0], priceFen: 1000, available: 5, unit: '份' });
      expect((await t.call('GET', `/api/stores/${w.storeId}/pos/lookup?barcode=${BARCODE[0]}`, { token: otherClerk.token })).status).toBe(404);
      expect((await t.call('GET', `/api/stores/${w.storeId}/pos/lookup?barcode=${BARCODE[0]}`, { token: resident.token })).status).toBe(404);
      expect((await t.call('GET', `/api/stores/${w.storeId}/pos/lookup?barcode=0000`, { token: clerk.token })).status).toBe(404);
    });

    it('a cash sale is paid and completed at once: discounts, change, stock down, ledger balanced; replayed by its key', async () => {
      const body = {
        lines: [
          { barcode: BARCODE[0], quantity: 2, discountFen: 100 },
          { skuId: w.skuIds[1], quantity: 1 },
        ],
        discountFen: 50,
        payment: 'cash',
        cashReceivedFen: 5000,
      };
      const res = await sale(clerk.token, 'cash-1', body);
      expect(res.status).toBe(201);
      // 2 × 1000 − 100 + 250 = 2150; the 50 off the sale is spread: 1900 → 1856, 250 → 244 (rounded down, remainder first).
      expect(res.body.order).toMatchObject({ channel: 'store_counter', fulfilment: 'counter', status: 'completed', storeId: w.storeId, buyerAccountId: clerk.id, totalFen: 2100, discountFen: 150 });
      expect(res.body.order.lines.map((l: { lineTotalFen: number }) => l.lineTotalFen).reduce((a: number, b: number) => a + b, 0)).toBe(2100);
      expect(res.body.order.lines.every((l: { lineTotalFen: number }) => l.lineTotalFen >= 0)).toBe(true);
      expect(res.body.payment).toBeNull();
      expect(res.body.changeFen).toBe(2900);
      expect(await storeLevel(w.skuIds[0]!)).toEqual({ on_hand: 3, reserved: 0 });
      const pay = await t.db.query<{ provider: string; status: string }>(`SELECT provider, status FROM payments WHERE order_id = $1`, [res.body.order.id]);
      expect(pay).toEqual([{ provider: 'cash', status: 'succeeded' }]);
      // Cash stays in the store's till: booked against platform:psp:cash, nothing owed to the store.
      expect(await t.services.ledger.verify()).toEqual([]);
      const commissions = await t.db.query(`SELECT * FROM commissions WHERE order_id = $1`, [res.body.order.id]);
      expect(commissions).toEqual([]);

      const again = await sale(clerk.token, 'cash-1', body);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(res.body);
      expect(await storeLevel(w.skuIds[0]!)).toEqual({ on_hand: 3, reserved: 0 });
      const other = await sale(clerk.token, 'cash-1', { ...body, cashReceivedFen: 10_000 });
      expect(other.status).toBe(422);
    });

    it('refuses short cash and over-large discounts, naming the field and keeping the stock', async () => {
      const orders = await count('orders');
      const short = await sale(clerk.token, 'short-1', { lines: [{ barcode: BARCODE[1], quantity: 1 }], payment: 'cash', cashReceivedFen: 100 });
      expect(short.status).toBe(400);
      expect(short.body.error.field).toBe('cashReceivedFen');
      const noCash = await sale(clerk.token, 'short-2', { lines: [{ barcode: BARCODE[1], quantity: 1 }], payment: 'cash' });
      expect(noCash.body.error.field).toBe('cashReceivedFen');
      const lineTooBig = await sale(clerk.token, 'disc-1', { lines: [{ barcode: BARCODE[1], quantity: 1, discountFen: 251 }], payment: 'cash', cashReceivedFen: 1000 });
      expect(lineTooBig.status).toBe(400);
      expect(lineTooBig.body.error.field).toBe('lines.0.discountFen');
      const orderTooBig = await sale(clerk.token, 'disc-2', { lines: [{ barcode: BARCODE[1], quantity: 1 }], discountFen: 250, payment: 'cash', cashReceivedFen: 1000 });
      expect(orderTooBig.body.error.field).toBe('discountFen');
      const unknown = await sale(clerk.token, 'bc-1', { lines: [{ barcode: '123', quantity: 1 }], payment: 'cash', cashReceivedFen: 1000 });
      expect(unknown.body.error.field).toBe('lines.0.barcode');
      expect(await count('orders')).toBe(orders);
      expect(await storeLevel(w.skuIds[1]!)).toEqual({ on_hand: 2, reserved: 0 });
    });

    it('a provider sale waits for its payment (pay QR), then completes', async () => {
      const res = await sale(owner, 'prov-1', { lines: [{ barcode: BARCODE[1], quantity: 1 }], payment: 'provider' });
      expect(res.status).toBe(201);
      expect(res.body.order.status).toBe('pending_payment');
      expect(res.body.payment).toMatchObject({ amountFen: 250, payUrl: expect.stringContaining('/pay/') });
      expect(res.body.changeFen).toBe(0);
      expect(await storeLevel(w.skuIds[1]!)).toEqual({ on_hand: 2, reserved: 1 });
      await t.services.sandboxGateway.complete({ id: res.body.payment.paymentId, amountFen: 250 }, 'succeeded');
      const after = await t.call('GET', `/api/orders/${res.body.order.id}`, { token: owner });
      expect(after.body.status).toBe('completed');
      expect(await storeLevel(w.skuIds[1]!)).toEqual({ on_hand: 1, reserved: 0 });
      // Paid through the provider, the store is owed the whole sale (no platform fee on counter sales).
      const c = await t.db.query<{ amount_fen: number; beneficiary_account_id: number }>(`SELECT amount_fen, beneficiary_account_id FROM commissions WHERE order_id = $1`, [res.body.order.id]);
      expect(c).toEqual([{ amount_fen: 250, beneficiary_account_id: w.storeOwnerId }]);
      expect(await t.services.ledger.verify()).toEqual([]);
    });

    it('only the store’s own staff sell at its counter: another store’s clerk and residents get 404, operators 403', async () => {
      const body = { lines: [{ barcode: BARCODE[0], quantity: 1 }], payment: 'cash', cashReceivedFen: 1000 };
      expect((await sale(otherClerk.token, 'x-1', body)).status).toBe(404);
      expect((await sale(resident.token, 'x-2', body)).status).toBe(404);
      expect((await sale(operator, 'x-3', body)).status).toBe(403);
      expect((await sale(clerk.token, 'x-4', body, otherStoreId)).status).toBe(404);
      expect((await t.call('POST', `/api/stores/${w.storeId}/pos/sales`, { token: clerk.token, payload: body })).body.error.field).toBe('Idempotency-Key');
    });

    it('sells the last unit once: the next sale gets 409 sold_out naming the line', async () => {
      const left = (await storeLevel(w.skuIds[1]!)).on_hand;
      const first = await sale(clerk.token, 'last-1', { lines: [{ barcode: BARCODE[1], quantity: left }], payment: 'cash', cashReceivedFen: 100_000 });
      expect(first.status).toBe(201);
      const second = await sale(clerk.token, 'last-2', { lines: [{ barcode: BARCODE[1], quantity: 1 }], payment: 'cash', cashReceivedFen: 1000 });
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ field: 'lines.0.quantity', details: { reason: 'sold_out' } });
    });

    it('today’s takings by channel, and the latest sales', async () => {
      const res = await t.call('GET', `/api/stores/${w.storeId}/sales/today`, { token: clerk.token });
      expect(res.status).toBe(200);
      expect(res.body.orders).toBe(3);
      expect(res.body.byChannel).toEqual({ counter: 2100 + 250 + 250, online: 0 });
      expect(res.body.itemsFen).toBe(2600);
      expect(res.body.last[0].channel).toBe('store_counter');
      expect((await t.call('GET', `/api/stores/${w.storeId}/sales/today`, { token: otherClerk.token })).status).toBe(404);
    });
  });

  describe('storefront', () => {
    it('lists stores whose radius covers the point, open now first, and a store’s shelf at regional prices', async () => {
      const mk = async (name: string, lat: number, radius: number, opensAt: string, closesAt: string) =>
        (
          await t.db.query<{ id: number }>(
            `INSERT INTO stores (region_id, community_id, owner_account_id, name, address, lat, lng, delivery_radius_m, opens_at, closes_at)
             VALUES ($1, $2, $3, $4, '街边', $5, 121.5, $6, $7, $8) RETURNING id`,
            [w.regionId, w.communityId, w.storeOwnerId, name, lat, radius, opensAt, closesAt],
          )
        )[0]!.id;
      // ~111 m per 0.001° of latitude.
      const open = await mk('营业中', 31.001, 1000, chinaHhmm(-60), chinaHhmm(60));
      const closed = await mk('已打烊', 31.0005, 1000, chinaHhmm(60), chinaHhmm(120));
      const tooSmall = await mk('送不到', 31.002, 100, '00:00', '23:59');
      await t.services.place.reloadGeoIndex();
      const res = await t.call('GET', '/api/storefront/stores?lat=31&lng=121.5', { token: resident.token });
      expect(res.status).toBe(200);
      const ids = res.body.map((x: { store: { id: number } }) => x.store.id);
      expect(ids).toEqual([open, closed]);
      expect(ids).not.toContain(tooSmall);
      expect(res.body[0]).toMatchObject({ openNow: true, modes: ['pickup', 'delivery'] });
      expect(res.body[0].distanceM).toBeGreaterThan(100);
      expect(res.body[1].openNow).toBe(false);
      expect((await t.call('GET', '/api/storefront/stores?lat=31&lng=121.5')).status).toBe(401);
    });

    it('the shelf: in stock first, priced by the region, paged', async () => {
      const page1 = await t.call('GET', `/api/storefront/stores/${w.storeId}/shelf?limit=1`, { token: resident.token });
      expect(page1.status).toBe(200);
      expect(page1.body.items).toEqual([expect.objectContaining({ skuId: w.skuIds[0], priceFen: 1000, available: 3, title: '测试商品1' })]);
      const page2 = await t.call('GET', `/api/storefront/stores/${w.storeId}/shelf?limit=5&cursor=${page1.body.nextCursor}`, { token: resident.token });
      // SKU 2 is sold out at the store: listed after everything in stock.
      expect(page2.body.items).toEqual([expect.objectContaining({ skuId: w.skuIds[1], priceFen: 250, available: 0 })]);
      expect(page2.body.nextCursor).toBeNull();
    });
  });
});
