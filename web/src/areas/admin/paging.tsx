import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';

type Query = Record<string, string | number | boolean | null | undefined>;

/**
 * One page of a cursor-paged list. Cursors only go forward, so the ones that led to each page
 * are remembered for "previous"; a change of filters starts again from the first page.
 */
export function useCursorPage<T>(path: string, query: Query, pageSize = 20) {
  const filterKey = JSON.stringify([path, query]);
  const [state, setState] = useState<{ filterKey: string; cursors: Array<string | null> }>({ filterKey, cursors: [null] });
  const cursors = state.filterKey === filterKey ? state.cursors : [null];
  const cursor = cursors[cursors.length - 1] ?? null;
  const list = useQuery({
    queryKey: ['admin', path, query, cursor],
    queryFn: ({ signal }) => get<Page<T>>(path, { ...query, cursor, limit: pageSize }, signal),
    placeholderData: keepPreviousData,
  });
  const pager = {
    page: cursors.length,
    count: list.data?.items.length ?? 0,
    canPrev: cursors.length > 1,
    canNext: !!list.data?.nextCursor && !list.isPlaceholderData,
    prev: () => setState({ filterKey, cursors: cursors.slice(0, -1) }),
    next: () => list.data?.nextCursor && setState({ filterKey, cursors: [...cursors, list.data.nextCursor] }),
  };
  return { list, pager };
}

export type Pager = ReturnType<typeof useCursorPage>['pager'];

export function PagerBar({ pager }: { pager: Pager }) {
  const { t } = useTranslation();
  return (
    <div className="pager">
      <span className="muted small">
        {t('admin.page', { n: pager.page })} · {t('admin.count', { count: pager.count })}
      </span>
      <button type="button" className="btn btn-ghost btn-small" disabled={!pager.canPrev} onClick={pager.prev}>
        ← {t('admin.prev')}
      </button>
      <button type="button" className="btn btn-ghost btn-small" disabled={!pager.canNext} onClick={pager.next}>
        {t('admin.next')} →
      </button>
    </div>
  );
}

/** A table body's "loading / error / empty" row, so every table reads the same. */
export function TableState({ colSpan, empty }: { colSpan: number; empty: boolean }) {
  const { t } = useTranslation();
  if (!empty) return null;
  return (
    <tr>
      <td colSpan={colSpan} className="muted empty">
        {t('app.empty')}
      </td>
    </tr>
  );
}

/**
 * The card every paged admin table sits in: loading, an error with retry, or the table drawn
 * by `children` from the current page (`stale` while the next page loads), and the pager.
 */
export function PagedTableCard<T>({
  paged,
  children,
}: {
  paged: ReturnType<typeof useCursorPage<T>>;
  children: (page: Page<T>, stale: boolean) => ReactNode;
}) {
  const { list, pager } = paged;
  return (
    <div className="table-card">
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        children(list.data, list.isPlaceholderData)
      )}
      <PagerBar pager={pager} />
    </div>
  );
}
