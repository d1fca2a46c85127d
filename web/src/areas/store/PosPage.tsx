import { useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState, type Dispatch } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api/client';
import { useIdempotentPost } from '../../api/fulfilment';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../api/money';
import type { Page } from '../../api/types';
import type { PosItem, PosSaleBody, PosSaleResult, SalesToday, ShelfItem } from '../../api/stores';
import { ErrorNote } from '../../components/ErrorNote';
import { Stepper } from '../../components/Stepper';
import { blamedLine } from '../shop/checkoutErrors';
import { RefundView, ReprintView } from './PosAfterSale';
import { CashPanel, ProviderPanel } from './PosPay';
import { EMPTY_CART, lineTotal, posReducer, totals, type PosAction, type PosLine } from './posCart';
import { Receipt } from './Receipt';
import { useStoreCtx } from './storeContext';
import { TodayStrip } from './TodayStrip';

type Phase =
  | { kind: 'cart' }
  | { kind: 'cash' }
  | { kind: 'provider'; sale: PosSaleResult }
  | { kind: 'receipt'; sale: PosSaleResult; cashReceivedFen: number | null }
  // A past sale of today's list: reprint its receipt, or take goods back (退货).
  | { kind: 'reprint'; orderId: number }
  | { kind: 'refund'; orderId: number };

/** A problem to show at the till: the words, and the line it is about (if any). */
interface Problem {
  text: string;
  skuId: number | null;
}

/** 收银: scan or search, adjust, take cash or a provider payment, print, next customer. */
export function PosPage() {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const [cart, dispatch] = useReducer(posReducer, EMPTY_CART);
  const [phase, setPhase] = useState<Phase>({ kind: 'cart' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [paying, setPaying] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);
  const sum = useMemo(() => totals(cart), [cart]);
  const cartRef = useRef(cart);
  cartRef.current = cart;

  const focusScan = useCallback(() => scanRef.current?.focus({ preventScroll: true }), []);

  // A keyboard-wedge scanner types wherever the focus is: keep it in the barcode field unless
  // the clerk is typing into another box (a discount, cash received, search).
  useEffect(() => {
    if (phase.kind !== 'cart') return;
    const typing = (el: Element | null) => !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT');
    const onFocusOut = () => requestAnimationFrame(() => !typing(document.activeElement) && focusScan());
    const onKey = (e: KeyboardEvent) => {
      if (!typing(document.activeElement) && /^[0-9]$/.test(e.key)) focusScan();
    };
    document.addEventListener('focusout', onFocusOut);
    document.addEventListener('keydown', onKey, true);
    focusScan();
    return () => {
      document.removeEventListener('focusout', onFocusOut);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [phase.kind, focusScan]);

  const add = useCallback(
    (item: PosItem) => {
      const inCart = cartRef.current.lines.find((l) => l.skuId === item.skuId)?.quantity ?? 0;
      if (item.available <= inCart) {
        setProblem({ text: item.available <= 0 ? t('stores.pos.soldOutScan', { title: item.title }) : t('stores.pos.onlyLeft', { title: item.title, count: item.available }), skuId: inCart > 0 ? item.skuId : null });
        return;
      }
      setProblem(null);
      dispatch({ type: 'add', item });
    },
    [t],
  );

  const scan = useCallback(
    async (barcode: string) => {
      try {
        const item = await get<PosItem>(`/stores/${store.id}/pos/lookup`, { barcode });
        add(item);
      } catch (e) {
        const notFound = e instanceof ApiError && e.status === 404;
        setProblem({ text: notFound ? t('stores.pos.unknownBarcode', { barcode }) : errorText(t, e), skuId: null });
      }
    },
    [store.id, add, t],
  );

  const body = (payment: 'cash' | 'provider', cashReceivedFen?: number): PosSaleBody => ({
    lines: cart.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, ...(l.discountFen > 0 ? { discountFen: l.discountFen } : {}) })),
    ...(sum.discountFen > 0 ? { discountFen: sum.discountFen } : {}),
    payment,
    ...(cashReceivedFen !== undefined ? { cashReceivedFen } : {}),
  });

  const pay = async (payment: 'cash' | 'provider', cashReceivedFen?: number) => {
    const b = body(payment, cashReceivedFen);
    setPaying(true);
    setProblem(null);
    try {
      const sale = await send<PosSaleResult>(`/stores/${store.id}/pos/sales`, b);
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'today'] });
      if (payment === 'provider' && sale.payment && sale.order.status === 'pending_payment') setPhase({ kind: 'provider', sale });
      else setPhase({ kind: 'receipt', sale, cashReceivedFen: cashReceivedFen ?? null });
    } catch (e) {
      const i = blamedLine(e);
      const line = i !== null ? b.lines[i] : undefined;
      const title = line ? cart.lines.find((l) => l.skuId === line.skuId)?.title : undefined;
      const soldOut = e instanceof ApiError && (e.code === 'sold_out' || (e.status === 409 && /sold out|left/.test(e.message)));
      setProblem({
        text: soldOut ? t('stores.pos.soldOut', { title: title ?? '' }) : errorText(t, e),
        skuId: line?.skuId ?? null,
      });
      setPhase({ kind: 'cart' });
    } finally {
      setPaying(false);
    }
  };

  const next = () => {
    dispatch({ type: 'clear' });
    setProblem(null);
    setPhase({ kind: 'cart' });
  };

  if (phase.kind === 'receipt') return <Receipt sale={phase.sale} cashReceivedFen={phase.cashReceivedFen} onNext={next} />;
  // The cart stays as it was: a return or a reprint can come between two scans.
  const backToCart = () => setPhase({ kind: 'cart' });
  if (phase.kind === 'reprint') return <ReprintView orderId={phase.orderId} onBack={backToCart} />;
  if (phase.kind === 'refund') return <RefundView orderId={phase.orderId} onBack={backToCart} onReprint={() => setPhase({ kind: 'reprint', orderId: phase.orderId })} />;

  return (
    <div className="pos">
      <div className="pos-left">
        <ScanBar inputRef={scanRef} onScan={(c) => void scan(c)} disabled={phase.kind !== 'cart'} />
        <SearchBox storeId={store.id} onPick={add} />
        {problem && (
          <div className="pos-error" role="alert" data-testid="pos-error">
            {problem.text}
            <button type="button" className="icon-btn" aria-label={t('stores.pos.dismiss')} onClick={() => setProblem(null)}>
              ×
            </button>
          </div>
        )}
        <CartLinesView lines={cart.lines} dispatch={dispatch} problemSku={problem?.skuId ?? null} />
      </div>
      <aside className="pos-right">
        <div className="pos-total-box">
          <div className="muted small">{t('stores.pos.count', { count: sum.count })}</div>
          <div className="pos-total" data-testid="pos-total" data-fen={sum.totalFen}>
            {formatFen(sum.totalFen)}
          </div>
          {(sum.lineDiscountFen > 0 || sum.discountFen > 0) && (
            <div className="muted small">
              {t('stores.pos.itemsTotal')} {formatFen(sum.itemsFen)} · {t('stores.pos.saved')} {formatFen(sum.lineDiscountFen + sum.discountFen)}
            </div>
          )}
        </div>
        <OrderDiscount value={cart.discountFen} onChange={(f) => dispatch({ type: 'discount', discountFen: f })} disabled={phase.kind !== 'cart'} />
        {phase.kind === 'cart' && (
          <div className="pos-pay-buttons">
            <button type="button" className="btn btn-primary pos-big-btn" data-testid="pos-pay-cash" disabled={cart.lines.length === 0 || paying} onClick={() => setPhase({ kind: 'cash' })}>
              {t('stores.pos.payCash')}
            </button>
            <button type="button" className="btn btn-secondary pos-big-btn" data-testid="pos-pay-provider" disabled={cart.lines.length === 0 || paying} onClick={() => void pay('provider')}>
              {paying ? t('stores.pos.paying') : t('stores.pos.payProvider')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" disabled={cart.lines.length === 0 || paying} onClick={next}>
              {t('stores.pos.clear')}
            </button>
          </div>
        )}
        {phase.kind === 'cash' && <CashPanel totalFen={sum.totalFen} busy={paying} onConfirm={(fen) => void pay('cash', fen)} onBack={() => setPhase({ kind: 'cart' })} />}
        {phase.kind === 'provider' && (
          <ProviderPanel
            sale={phase.sale}
            onPaid={(sale) => setPhase({ kind: 'receipt', sale, cashReceivedFen: null })}
            onAbandon={() => setPhase({ kind: 'cart' })}
          />
        )}
        <TodayStrip
          onReprint={phase.kind === 'cart' ? (orderId) => setPhase({ kind: 'reprint', orderId }) : undefined}
          onRefund={phase.kind === 'cart' ? (orderId) => setPhase({ kind: 'refund', orderId }) : undefined}
        />
      </aside>
    </div>
  );
}

export function errorText(t: (k: string) => string, e: unknown): string {
  if (e instanceof ApiError) return e.status === 0 ? t('errors.network') : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The barcode field: its own state, so a scanner's keystrokes re-render nothing else. */
function ScanBar({ inputRef, onScan, disabled }: { inputRef: React.RefObject<HTMLInputElement | null>; onScan: (code: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  return (
    <form
      className="pos-scan"
      onSubmit={(e) => {
        e.preventDefault();
        const c = code.trim();
        setCode('');
        if (c) onScan(c);
      }}
    >
      <svg viewBox="0 0 24 24" className="pos-scan-icon" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.8">
        <path d="M4 6v12 M7 6v12 M10 6v12 M14 6v12 M16 6v12 M20 6v12" />
      </svg>
      <input
        ref={inputRef}
        data-testid="pos-barcode"
        className="pos-barcode"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        disabled={disabled}
        aria-label={t('stores.pos.barcode')}
        placeholder={t('stores.pos.barcodePlaceholder')}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
    </form>
  );
}

/** Everything the store sells, loaded once and filtered in the browser (a store has hundreds of items, not millions). */
function useStoreCatalogue(storeId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['store', storeId, 'catalogue'],
    queryFn: async ({ signal }) => {
      const all: ShelfItem[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 40; i++) {
        const page: Page<ShelfItem> = await get<Page<ShelfItem>>(`/storefront/stores/${storeId}/shelf`, { cursor, limit: 100 }, signal);
        all.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return all;
    },
    enabled,
    staleTime: 5 * 60_000,
  });
}

function SearchBox({ storeId, onPick }: { storeId: number; onPick: (item: PosItem) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const cat = useStoreCatalogue(storeId, open);
  const hits = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s || !cat.data) return [];
    const out: ShelfItem[] = [];
    for (const it of cat.data) {
      if (`${it.title} ${it.spec}`.toLowerCase().includes(s)) out.push(it);
      if (out.length >= 8) break;
    }
    return out;
  }, [q, cat.data]);
  return (
    <div className="pos-search">
      <input
        type="search"
        data-testid="pos-search"
        placeholder={t('stores.pos.searchPlaceholder')}
        aria-label={t('stores.pos.search')}
        value={q}
        onFocus={() => setOpen(true)}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setQ('');
          if (e.key === 'Enter' && hits[0]) {
            onPick(hits[0]);
            setQ('');
          }
        }}
      />
      {q.trim() && (
        <ul className="pos-hits" role="listbox">
          {cat.isPending && <li className="muted small">{t('app.loading')}</li>}
          {cat.error && (
            <li>
              <ErrorNote error={cat.error} />
            </li>
          )}
          {cat.data && hits.length === 0 && <li className="muted small">{t('stores.pos.noHits')}</li>}
          {hits.map((h) => (
            <li key={h.skuId}>
              <button
                type="button"
                className="pos-hit"
                data-testid="pos-hit"
                data-sku-id={h.skuId}
                disabled={h.available <= 0}
                onClick={() => {
                  onPick(h);
                  setQ('');
                }}
              >
                <span>
                  {h.title} <span className="muted small">{h.spec}</span>
                </span>
                <span className="muted small">{h.available <= 0 ? t('stores.shelf.soldOut') : t('stores.pos.available', { count: h.available })}</span>
                <strong>{formatFen(h.priceFen)}</strong>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CartLinesView({ lines, dispatch, problemSku }: { lines: PosLine[]; dispatch: Dispatch<PosAction>; problemSku: number | null }) {
  const { t } = useTranslation();
  const endRef = useRef<HTMLDivElement>(null);
  // Braces: newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'nearest' });
  }, [lines.length]);
  if (lines.length === 0) return <p className="pos-empty muted">{t('stores.pos.empty')}</p>;
  return (
    <div className="pos-lines">
      {lines.map((l) => (
        <PosLineRow key={l.skuId} line={l} dispatch={dispatch} problem={l.skuId === problemSku} />
      ))}
      <div ref={endRef} />
    </div>
  );
}

// Memoised: a scan changes one line, so only that row renders again.
const PosLineRow = memo(function PosLineRow({ line: l, dispatch, problem }: { line: PosLine; dispatch: Dispatch<PosAction>; problem: boolean }) {
  const { t } = useTranslation();
  const over = l.quantity > l.available;
  return (
    <div className={`pos-line${problem || over ? ' has-problem' : ''}`} data-testid="pos-line" data-sku-id={l.skuId} data-quantity={l.quantity}>
      <div className="pos-line-info">
        <div className="pos-line-title">{l.title}</div>
        <div className="muted small">
          {l.spec} · {formatFen(l.priceFen)}/{l.unit}
          {over && <span className="line-problem"> · {t('stores.pos.overStock', { count: l.available })}</span>}
        </div>
      </div>
      <Stepper small value={l.quantity} label={l.title} onChange={(n) => dispatch({ type: 'quantity', skuId: l.skuId, quantity: n })} onBelowMin={() => dispatch({ type: 'remove', skuId: l.skuId })} />
      <YuanInput
        className="pos-line-discount"
        label={t('stores.pos.lineDiscount')}
        fen={l.discountFen}
        onCommit={(f) => dispatch({ type: 'lineDiscount', skuId: l.skuId, discountFen: f })}
      />
      <div className="pos-line-total">{formatFen(lineTotal(l))}</div>
      <button type="button" className="icon-btn" aria-label={t('cart.remove')} onClick={() => dispatch({ type: 'remove', skuId: l.skuId })}>
        ×
      </button>
    </div>
  );
});

/** A yuan amount typed freely and committed (as fen) on Enter or leaving the box. */
export function YuanInput({
  fen,
  onCommit,
  label,
  className,
  disabled,
  placeholder,
}: {
  fen: number;
  onCommit: (fen: number) => void;
  label: string;
  className?: string;
  disabled?: boolean;
  placeholder?: string;
}) {
  const [text, setText] = useState<string | null>(null);
  const commit = () => {
    if (text === null) return;
    const f = parseYuanToFen(text || '0');
    if (f !== null) onCommit(f);
    setText(null);
  };
  return (
    <input
      className={`yuan-input ${className ?? ''}`}
      inputMode="decimal"
      aria-label={label}
      title={label}
      placeholder={placeholder ?? label}
      disabled={disabled}
      value={text ?? (fen > 0 ? fenToYuanText(fen) : '')}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

function OrderDiscount({ value, onChange, disabled }: { value: number; onChange: (fen: number) => void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="pos-discount">
      <span className="muted small">{t('stores.pos.orderDiscount')}</span>
      <YuanInput fen={value} onCommit={onChange} label={t('stores.pos.orderDiscount')} placeholder="0.00" disabled={disabled} />
    </label>
  );
}

/** Today's takings for the till header: fetched after every sale, never a growing list. */
export function useSalesToday(storeId: number) {
  return useQuery({
    queryKey: ['store', storeId, 'today'],
    queryFn: ({ signal }) => get<SalesToday>(`/stores/${storeId}/sales/today`, undefined, signal),
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}
