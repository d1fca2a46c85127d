import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { useCommunityNames, useNameOf, useRefOptions } from './lookups';
import { Modal } from './Modal';
import { ResourceForm } from './ResourceForm';
import { RESOURCES, type Ctx, type FilterDef, type ResourceKey } from './resources';

type Row = Record<string, unknown> & { id: number };
const PAGE_SIZE = 20;

export function ResourcePage({ resource }: { resource: ResourceKey }) {
  const def = RESOURCES[resource];
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Record<string, string>>({});
  // Cursor pagination only goes forward, so remember the cursors that led to each page.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    setFilters({});
    setCursors([null]);
    setEditing(null);
  }, [resource]);

  const list = useQuery({
    queryKey: ['admin', resource, 'list', filters, cursor],
    queryFn: ({ signal }) => get<Page<Row>>(def.path, { ...filters, cursor, limit: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });

  const gridName = useNameOf('gridWarehouses');
  const centralName = useNameOf('centralWarehouses');
  const ctx: Ctx = {
    t,
    nameOf: {
      regions: useNameOf('regions'),
      communities: useCommunityNames(list.data?.items.map((r) => r.communityId as number | null | undefined) ?? []),
      // Warehouses link to central ones and pickup points to grid ones: try both lookups.
      warehouses: (id) => {
        const g = gridName(id);
        return g.startsWith('#') ? centralName(id) : g;
      },
      categories: useNameOf('categories'),
    },
  };

  const setFilter = (name: string, value: string) => {
    setFilters((f) => {
      const next = { ...f };
      if (value) next[name] = value;
      else delete next[name];
      return next;
    });
    setCursors([null]);
  };

  const what = t(`admin.singular.${resource}`);
  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t(`admin.titles.${resource}`)}</h1>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          + {t('admin.create')}
        </button>
      </div>
      {def.filters.length > 0 && (
        <div className="filters">
          {def.filters.map((f) => (
            <FilterControl key={f.name} def={f} value={filters[f.name] ?? ''} onChange={(v) => setFilter(f.name, v)} />
          ))}
        </div>
      )}
      <div className="table-card">
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <table className={`data-table${list.isPlaceholderData ? ' is-stale' : ''}`}>
            <thead>
              <tr>
                {def.columns.map((c) => (
                  <th key={c.key} className={c.numeric ? 'num' : undefined}>
                    {t(`admin.fields.${c.label}`)}
                  </th>
                ))}
                <th className="actions-col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={def.columns.length + 1} className="muted empty">
                    {t('app.empty')}
                  </td>
                </tr>
              )}
              {list.data.items.map((row) => (
                <tr key={row.id}>
                  {def.columns.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {c.render ? c.render(row, ctx) : String(row[c.key] ?? '')}
                    </td>
                  ))}
                  <td className="actions-col">
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(row)}>
                      {t('admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="pager">
          <span className="muted small">
            {t('admin.page', { n: cursors.length })}
            {list.data && <> · {t('admin.count', { count: list.data.items.length })}</>}
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={cursors.length < 2}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            ← {t('admin.prev')}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={!list.data?.nextCursor || list.isPlaceholderData}
            onClick={() => list.data?.nextCursor && setCursors((c) => [...c, list.data.nextCursor])}
          >
            {t('admin.next')} →
          </button>
        </div>
      </div>
      {editing && (
        <Modal
          title={editing === 'new' ? t('admin.newTitle', { what }) : t('admin.editTitle', { what, id: editing.id })}
          onClose={() => setEditing(null)}
        >
          <ResourceForm def={def} row={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        </Modal>
      )}
    </div>
  );
}

function FilterControl({ def, value, onChange }: { def: FilterDef; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  // Search fires after a pause in typing, not on every key.
  useEffect(() => {
    if (def.type !== 'search' || text.trim() === value) return;
    const id = setTimeout(() => onChangeRef.current(text.trim()), 300);
    return () => clearTimeout(id);
  }, [text, value, def.type]);

  if (def.type === 'search') {
    return (
      <input
        type="search"
        className="filter-search"
        placeholder={t('admin.search')}
        aria-label={t('admin.search')}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    );
  }
  if (def.type === 'enum') {
    return (
      <label className="filter">
        <span>{t(`admin.fields.${def.label}`)}</span>
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('admin.all')}</option>
          {def.options.map((o) => (
            <option key={o} value={o}>
              {t(`${def.labelKey}.${o}`)}
            </option>
          ))}
        </select>
      </label>
    );
  }
  return <RefFilter def={def} value={value} onChange={onChange} />;
}

function RefFilter({ def, value, onChange }: { def: FilterDef & { type: 'ref' }; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const { data } = useRefOptions(def.ref);
  return (
    <label className="filter">
      <span>{t(`admin.fields.${def.label}`)}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('admin.all')}</option>
        {data?.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
