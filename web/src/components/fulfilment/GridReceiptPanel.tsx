// The central → grid warehouse leg: each grid warehouse of the wave counts in its share (its
// pickup points' sorting lists summed per SKU) and signs. Differences are kept on the hand-off;
// residents are refunded for what their own pickup point finally lacks.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { useIdempotentPost, type Handoff } from '../../api/fulfilment';
import { ErrorNote, Loading } from '../ErrorNote';
import { CountForm, type CountLine } from './WavePanels';

interface GridShare {
  gridWarehouse: { id: number; name: string };
  lines: CountLine[];
  handoff: Handoff | null;
}

export function GridReceiptPanel({ waveId }: { waveId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const shares = useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'grid-shares'],
    queryFn: ({ signal }) => get<GridShare[]>(`/admin/waves/${waveId}/grid-shares`, undefined, signal),
  });
  if (shares.isPending) return <Loading />;
  if (shares.error) return <ErrorNote error={shares.error} onRetry={() => void shares.refetch()} />;
  if (shares.data.length === 0) return <p className="muted empty">{t('fulfil.grid.none')}</p>;
  return (
    <div className="po-panel">
      {shares.data.map((g) => {
        const head = (
          <div className="po-head">
            <strong>{g.gridWarehouse.name}</strong>
            <span className="muted small">{t('fulfil.po.lines', { count: g.lines.length })}</span>
            <span className={`status po-status-${g.handoff ? 'received' : 'open'}`}>{t(g.handoff ? 'fulfil.grid.signed' : 'fulfil.grid.open')}</span>
          </div>
        );
        if (g.handoff) {
          const h = g.handoff;
          return (
            <div key={g.gridWarehouse.id} className="card po-card" data-testid={`grid-${g.gridWarehouse.id}`}>
              {head}
              <p className="muted small">{t('fulfil.grid.summary', { missing: h.lines.reduce((n, l) => n + l.missing, 0), damaged: h.lines.reduce((n, l) => n + l.damaged, 0) })}</p>
            </div>
          );
        }
        return (
          <CountForm
            key={g.gridWarehouse.id}
            head={head}
            lines={g.lines}
            testId={`grid-${g.gridWarehouse.id}`}
            signedNote={(h) => t('fulfil.grid.summary', { missing: h.lines.reduce((n, l) => n + l.missing, 0), damaged: h.lines.reduce((n, l) => n + l.damaged, 0) })}
            submit={(lines, note) => send<Handoff>(`/waves/${waveId}/grid-receipts`, { gridWarehouseId: g.gridWarehouse.id, lines, ...(note ? { note } : {}) })}
            onDone={() => void qc.invalidateQueries({ queryKey: ['fulfil', 'wave', waveId, 'grid-shares'] })}
          />
        );
      })}
    </div>
  );
}
