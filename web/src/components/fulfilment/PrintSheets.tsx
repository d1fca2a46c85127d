// Print-friendly sorting lists and delivery manifests. On screen they read as cards; printed
// (styles/fulfilment.css, @media print) each pickup point starts a new page, so a sheet can
// travel with that point's crates.
import { useTranslation } from 'react-i18next';
import type { Manifest, SortingGroup } from '../../api/fulfilment';

export function PrintButton({ testId }: { testId?: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn btn-secondary btn-small no-print" onClick={() => window.print()} data-testid={testId}>
      {t('fulfil.print')}
    </button>
  );
}

export function SortingSheets({ groups, heading }: { groups: SortingGroup[]; heading: string }) {
  const { t } = useTranslation();
  if (groups.length === 0) return <p className="muted empty">{t('fulfil.sorting.empty')}</p>;
  return (
    <div className="ps-sheets" data-testid="sorting-list">
      {groups.map((g) => (
        <section key={g.gridWarehouse.id} className="ps-sheet-group">
          <h2 className="ps-sheet-group-title">
            {t('fulfil.sorting.gridWarehouse')}: {g.gridWarehouse.name}
          </h2>
          {g.routes.map((r) => (
            <div key={r.routeId} className="ps-sheet-route">
              <h3 className="ps-sheet-route-title">
                {t('fulfil.routeNo', { n: r.seq })} · {t('fulfil.map.stops', { count: r.stops.length })}
              </h3>
              {r.stops.map((s) => {
                const qty = s.lines.reduce((n, l) => n + l.quantity, 0);
                return (
                  <article key={s.seq} className="ps-sheet">
                    <header className="ps-sheet-head">
                      <span className="ps-sheet-no">{s.seq}</span>
                      <div>
                        <strong>{s.pickupPoint.name}</strong>
                        <div className="muted small">{s.pickupPoint.address}</div>
                      </div>
                      <div className="ps-sheet-meta small">
                        <div>{heading}</div>
                        <div>
                          {g.gridWarehouse.name} · {t('fulfil.routeNo', { n: r.seq })} · {t('fulfil.stopNo', { n: s.seq })}
                        </div>
                      </div>
                    </header>
                    <table className="ps-sheet-table">
                      <thead>
                        <tr>
                          <th className="check-col" aria-label={t('fulfil.sorting.check')} />
                          <th>{t('fulfil.item')}</th>
                          <th>{t('fulfil.spec')}</th>
                          <th className="num">{t('fulfil.quantity')}</th>
                          <th className="num">{t('fulfil.orders')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {s.lines.map((l) => (
                          <tr key={l.skuId}>
                            <td className="check-col">☐</td>
                            <td>{l.title}</td>
                            <td>{l.spec}</td>
                            <td className="num">
                              {l.quantity} {l.unit}
                            </td>
                            <td className="num">{l.orders}</td>
                          </tr>
                        ))}
                      </tbody>
                      <tfoot>
                        <tr>
                          <td />
                          <td colSpan={2}>{t('fulfil.total')}</td>
                          <td className="num">{qty}</td>
                          <td />
                        </tr>
                      </tfoot>
                    </table>
                  </article>
                );
              })}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

export function ManifestSheets({ manifest, heading }: { manifest: Manifest; heading: string }) {
  const { t } = useTranslation();
  if (manifest.stops.length === 0) return <p className="muted empty">{t('fulfil.manifest.empty')}</p>;
  return (
    <div className="ps-sheets" data-testid="manifest">
      {manifest.stops.map((s) => (
        <article key={s.seq} className="ps-sheet manifest-stop" data-testid={`manifest-stop-${s.seq}`}>
          <header className="ps-sheet-head">
            <span className="ps-sheet-no">{s.seq}</span>
            <div>
              <strong>{s.pickupPoint.name}</strong>
              <div className="muted small">{s.pickupPoint.address}</div>
            </div>
            <div className="ps-sheet-meta small">
              <div>{heading}</div>
              <div>{t('fulfil.manifest.stopSummary', { crates: s.crates, items: s.items, orders: s.orders })}</div>
            </div>
          </header>
          <table className="ps-sheet-table">
            <thead>
              <tr>
                <th className="check-col" aria-label={t('fulfil.sorting.check')} />
                <th>{t('fulfil.item')}</th>
                <th>{t('fulfil.spec')}</th>
                <th className="num">{t('fulfil.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((l) => (
                <tr key={l.skuId}>
                  <td className="check-col">☐</td>
                  <td>{l.title}</td>
                  <td>{l.spec}</td>
                  <td className="num">
                    {l.quantity} {l.unit}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <footer className="ps-sheet-sign small">{t('fulfil.manifest.signLine')}</footer>
        </article>
      ))}
    </div>
  );
}
