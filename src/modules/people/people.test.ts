import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';

describe.each(testBackends())('people over HTTP on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(async () => t.close());

  it('registers a resident, logs in, sees itself, logs out', async () => {
    const reg = await t.call('POST', '/api/auth/register', {
      payload: { phone: '13800000001', password: 'correct-horse', displayName: '王阿姨' },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.roles).toEqual(['resident']);
    expect(reg.body).not.toHaveProperty('passwordHash');

    const login = await t.call('POST', '/api/auth/login', { payload: { phone: '13800000001', password: 'correct-horse' } });
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const me = await t.call('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('王阿姨');

    expect((await t.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await t.call('GET', '/api/me', { token })).status).toBe(401);
  });

  it('stores passwords only as scrypt hashes', async () => {
    const rows = await t.db.query<{ password_hash: string }>(`SELECT password_hash FROM accounts WHERE phone = '13800000001'`);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(rows[0]!.password_hash).not.toContain('correct-horse');
  });

  it('rejects a wrong password with 401 and the same message as an unknown phone', async () => {
    const wrong = await t.call('POST', '/api/auth/login', { payload: { phone: '13800000001', password: 'nope-nope' } });
    const unknown = await t.call('POST', '/api/auth/login', { payload: { phone: '13800000999', password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('bad input on register: 400 naming the field, nothing written', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ phone: '12345', password: 'long-enough', displayName: 'x' }, 'phone'],
      [{ phone: '13800000002', password: 'short', displayName: 'x' }, 'password'],
      [{ phone: '13800000002', password: 'long-enough', displayName: '' }, 'displayName'],
      [{ phone: '13800000002', password: 'long-enough' }, 'displayName'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call('POST', '/api/auth/register', { payload });
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('a duplicate phone is 409 on phone', async () => {
    const res = await t.call('POST', '/api/auth/register', {
      payload: { phone: '13800000001', password: 'another-one', displayName: '李' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.field).toBe('phone');
  });

  it('only an operator lists accounts, creates staff and grants roles; one person holds several roles', async () => {
    const op = await t.user(['operator'], 'op');
    const resident = await t.user(['resident'], 'res');
    expect((await t.call('GET', '/api/accounts')).status).toBe(401);
    expect((await t.call('GET', '/api/accounts', { token: resident.token })).status).toBe(403);
    const list = await t.call('GET', '/api/accounts?limit=2', { token: op.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    const next = await t.call('GET', `/api/accounts?limit=2&cursor=${list.body.nextCursor}`, { token: op.token });
    expect(next.body.items[0].id).toBeGreaterThan(list.body.items[1].id);

    const staffPayload = { phone: '13700000001', password: 'driver-pass', displayName: '张师傅', roles: ['driver', 'warehouse_staff'] };
    const denied = await t.call('POST', '/api/accounts', { token: resident.token, payload: staffPayload });
    expect(denied.status).toBe(403);
    expect((await t.db.query(`SELECT 1 FROM accounts WHERE phone = '13700000001'`)).length).toBe(0);
    const staff = await t.call('POST', '/api/accounts', { token: op.token, payload: staffPayload });
    expect(staff.status).toBe(201);
    expect(staff.body.roles).toEqual(['driver', 'warehouse_staff']);

    const deniedGrant = await t.call('PUT', `/api/accounts/${resident.id}/roles/leader`, { token: resident.token });
    expect(deniedGrant.status).toBe(403);
    const granted = await t.call('PUT', `/api/accounts/${resident.id}/roles/leader`, { token: op.token });
    expect(granted.body.roles).toEqual(['leader', 'resident']);
    const me = await t.call('GET', '/api/me', { token: resident.token });
    expect(me.body.roles).toEqual(['leader', 'resident']);
  });

  it('an account sees itself but not another (404), an operator sees both', async () => {
    const a = await t.user(['resident']);
    const b = await t.user(['resident']);
    expect((await t.call('GET', `/api/accounts/${a.id}`, { token: a.token })).status).toBe(200);
    expect((await t.call('GET', `/api/accounts/${b.id}`, { token: a.token })).status).toBe(404);
  });

  it('bad cursor and bad limit are 400 naming the field', async () => {
    const op = await t.user(['operator']);
    const badCursor = await t.call('GET', '/api/accounts?cursor=zzz', { token: op.token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.field).toBe('cursor');
    const badLimit = await t.call('GET', '/api/accounts?limit=100000', { token: op.token });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.field).toBe('limit');
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await t.call('POST', '/api/auth/login', { payload: '{"phone":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });
});
