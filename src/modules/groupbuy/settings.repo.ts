import { eq } from 'drizzle-orm';
import type { Executor } from '../../db';
import { groupbuySettings } from './groupbuy.schema';

export type GroupbuySettingsRow = typeof groupbuySettings.$inferSelect;
export type GroupbuySettingsValues = Omit<GroupbuySettingsRow, 'regionId' | 'updatedAt'>;

export class SettingsRepo {
  async find(db: Executor, regionId: number): Promise<GroupbuySettingsRow | null> {
    const rows = await db.select().from(groupbuySettings).where(eq(groupbuySettings.regionId, regionId)).limit(1);
    return rows[0] ?? null;
  }

  async upsert(db: Executor, regionId: number, values: GroupbuySettingsValues): Promise<GroupbuySettingsRow> {
    const row = { regionId, ...values, updatedAt: new Date() };
    return (await db.insert(groupbuySettings).values(row).onConflictDoUpdate({ target: groupbuySettings.regionId, set: row }).returning())[0]!;
  }
}
