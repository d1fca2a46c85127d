import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import type { PosSaleResult } from '../../api/stores';
import { formatTime } from '../../components/time';
import { useStoreCtx } from './storeContext';

const PAPER = 'linli.store.paper';
export type Paper = '58' | '80';

/** The roll width the till prints on, remembered on this device. */
export function usePaper(): [Paper, (p: Paper) => void] {
  const [paper, setPaper] = useState<Paper>(() => (localStorage.getItem(PAPER) === '58' ? '58' : '80'));
  return [
    paper,
    (p: Paper) => {
      setPaper(p);
      localStorage.setItem(PAPER, p);
    },
  ];
}

/** The roll width picker and the print button; @page cannot read a class, so the size is written here. */
export function PrintControls({ paper, onPaper }: { paper: Paper; onPaper: (p: Paper) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <style>{`@media print { @page { size: ${paper}mm auto; margin: 0; } }`}</style>
      <label className="small">
        {t('stores.receipt.paper')}{' '}
        <select value={paper} onChange={(e) => onPaper(e.target.value as Paper)}>
          <option value="58">58 mm</option>
          <option value="80">80 mm</option>
        </select>
      </label>
      <button type="button" className="btn btn-ghost" onClick={() => window.print()}>
        {t('stores.receipt.print')}
      </button>
    </>
  );
}

/** The sale's receipt: readable on screen, and printed on a 58 or 80 mm roll (see store.css @media print). */
export function Receipt({ sale, cashReceivedFen, onNext }: { sale: PosSaleResult; cashReceivedFen: number | null; onNext: () => void }) {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const [paper, setPaper] = usePaper();
  const nextRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    nextRef.current?.focus();
  }, []);
  const o = sale.order;
  const cash = cashReceivedFen !== null;
  return (
    <div className="receipt-page">
      <div className={`receipt paper-${paper}`} data-testid="pos-receipt" data-order-id={o.id}>
        <div className="receipt-head">
          <strong>{store.name}</strong>
          <div>{store.address}</div>
        </div>
        <div className="receipt-meta">
          <div>
            {t('stores.receipt.no')} {o.orderNo}
          </div>
          <div>{formatTime(o.paidAt ?? o.createdAt)}</div>
        </div>
        <table className="receipt-lines">
          <tbody>
            {o.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.title}
                  <div className="receipt-sub">
                    {l.quantity} × {formatFen(l.unitPriceFen)}
                    {l.discountFen > 0 && <> −{formatFen(l.discountFen)}</>}
                  </div>
                </td>
                <td className="num">{formatFen(l.lineTotalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="receipt-totals">
          {o.discountFen > 0 && (
            <div>
              <span>{t('stores.pos.orderDiscount')}</span>
              <span>−{formatFen(o.discountFen)}</span>
            </div>
          )}
          <div className="receipt-total">
            <span>{t('stores.receipt.total')}</span>
            <span>{formatFen(o.totalFen)}</span>
          </div>
          <div>
            <span>{cash ? t('stores.receipt.cash') : t('stores.receipt.provider')}</span>
            <span>{formatFen(cash ? cashReceivedFen : o.paidFen || o.totalFen)}</span>
          </div>
          {cash && (
            <div>
              <span>{t('stores.pos.change')}</span>
              <span data-testid="receipt-change">{formatFen(sale.changeFen)}</span>
            </div>
          )}
        </div>
        <div className="receipt-foot">{t('stores.receipt.thanks')}</div>
      </div>
      <div className="receipt-actions no-print">
        <PrintControls paper={paper} onPaper={setPaper} />
        <button ref={nextRef} type="button" className="btn btn-primary pos-big-btn" data-testid="pos-next" onClick={onNext}>
          {t('stores.pos.next')}
        </button>
      </div>
    </div>
  );
}
