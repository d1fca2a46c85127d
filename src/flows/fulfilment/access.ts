// Who may act for a pickup point: its leader and operators. A point that does not exist is a
// 404; someone else's point a 403 (the point's existence is public: residents pick it).
import type { Executor } from '../../db';
import { forbidden, notFound } from '../../kernel';
import type { HandoffsRepo, PointInfo } from '../../modules/fulfilment';
import { isOperator, requireActor, type Actor } from '../../modules/people';

export async function requirePointAccess(repo: HandoffsRepo, db: Executor, actor: Actor | null, pointId: number): Promise<{ actor: Actor; point: PointInfo }> {
  const a = requireActor(actor);
  const point = await repo.point(db, pointId);
  if (!point) throw notFound('pickup point', pointId);
  if (!isOperator(a) && point.leaderAccountId !== a.accountId) throw forbidden('only this pickup point’s leader or an operator');
  return { actor: a, point };
}

/** The point the signed-in leader runs. */
export async function requireOwnPoint(repo: HandoffsRepo, db: Executor, actor: Actor | null): Promise<{ actor: Actor; point: PointInfo }> {
  const a = requireActor(actor);
  const point = await repo.pointOfLeader(db, a.accountId);
  if (!point) throw forbidden('only a leader with a pickup point');
  return { actor: a, point };
}
