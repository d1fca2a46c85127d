// The middle leg of a wave's goods: the central warehouse sends each grid warehouse its share
// (the sum of its pickup points' sorting lists) and the grid warehouse's staff count it in and
// sign. What is short or damaged here is recorded on the hand-off, not refunded: the residents'
// refunds come from what their pickup point finally receives (the arrival sign-off), so a unit
// lost on this leg is refunded exactly once, to the resident who would have got it.
import type { Database, Tx } from '../../db';
import { conflict, notFound, type Clock } from '../../kernel';
import { HandoffsRepo, type Handoff } from '../../modules/fulfilment';
import { requireRole, type Actor } from '../../modules/people';
import { checkCounts, type CountInput } from './handoffs';

export interface GridShare {
  gridWarehouse: { id: number; name: string };
  lines: { skuId: number; title: string; spec: string; unit: string; expected: number }[];
  /** The grid warehouse's sign-off, once done. */
  handoff: Handoff | null;
}

export class GridReceiptFlow {
  private readonly repo = new HandoffsRepo();

  constructor(private readonly d: { db: Database; clock: Clock }) {}

  /** Each grid warehouse's share of a wave, and whether it has been counted in. */
  async shares(actor: Actor | null, waveId: number): Promise<GridShare[]> {
    requireRole(actor, 'warehouse_staff', 'operator');
    const db = this.d.db.orm;
    if (!(await this.repo.getWave(db, waveId))) throw notFound('wave', waveId);
    const out: GridShare[] = [];
    for (const grid of await this.repo.gridWarehousesOfWave(db, waveId)) {
      const signed = await this.repo.findHandoff(db, waveId, 'grid_receipt', { gridWarehouseId: grid.id });
      const handoff = signed ? ((await this.repo.views(db, [signed.id])).get(signed.id) ?? null) : null;
      const sent = handoff ? handoff.lines.map((l) => ({ skuId: l.skuId, quantity: l.expected })) : await this.repo.sentToGrid(db, waveId, grid.id);
      const skus = await this.repo.skus(db, sent.map((l) => l.skuId));
      out.push({
        gridWarehouse: grid,
        lines: sent.map((l) => {
          const s = skus.get(l.skuId);
          return { skuId: l.skuId, title: s?.title ?? '', spec: s?.spec ?? '', unit: s?.unit ?? '', expected: l.quantity };
        }),
        handoff,
      });
    }
    return out;
  }

  /** Grid warehouse staff (or an operator) count their share in, once per wave. */
  async receive(actor: Actor | null, waveId: number, gridWarehouseId: number, input: CountInput, tx?: Tx): Promise<Handoff> {
    const a = requireRole(actor, 'warehouse_staff', 'operator');
    const run = async (t: Tx) => {
      const wave = await this.repo.getWave(t, waveId);
      if (!wave) throw notFound('wave', waveId);
      const sent = await this.repo.sentToGrid(t, waveId, gridWarehouseId);
      if (sent.length === 0) throw notFound('grid warehouse in this wave', gridWarehouseId);
      if (await this.repo.findHandoff(t, waveId, 'grid_receipt', { gridWarehouseId })) {
        throw conflict(`grid warehouse ${gridWarehouseId} already signed for wave ${waveId}`);
      }
      const counts = checkCounts(input.lines, new Map(sent.map((l) => [l.skuId, l.quantity])));
      const h = await this.repo.insertHandoff(t, {
        waveId,
        kind: 'grid_receipt',
        gridWarehouseId,
        signedBy: a.accountId,
        signedAt: this.d.clock.now(),
        note: (input.note ?? '').slice(0, 200),
      });
      await this.repo.insertLines(t, counts.map((c) => ({ handoffId: h.id, ...c })));
      return (await this.repo.views(t, [h.id])).get(h.id)!;
    };
    return tx ? run(tx) : this.d.db.orm.transaction(run);
  }
}
