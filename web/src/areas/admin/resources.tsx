import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { FieldDef, RefKind } from './form';

export type ResourceKey = 'regions' | 'communities' | 'pickupPoints' | 'stores' | 'warehouses' | 'products';

export interface Ctx {
  t: TFunction;
  nameOf: Record<'regions' | 'communities' | 'warehouses' | 'categories', (id: number | null | undefined) => string>;
}

type Row = Record<string, unknown> & { id: number };

export interface Column {
  key: string;
  label: string;
  render?: (row: Row, ctx: Ctx) => ReactNode;
  numeric?: boolean;
}

export type FilterDef =
  | { name: string; type: 'search' }
  | { name: string; type: 'ref'; ref: RefKind; label: string }
  | { name: string; type: 'enum'; options: readonly string[]; labelKey: string; label: string };

export interface ResourceDef {
  key: ResourceKey;
  path: string;
  columns: Column[];
  fields: FieldDef[];
  filters: FilterDef[];
  defaults?: Record<string, string>;
}

const STATUS = ['active', 'paused', 'closed'] as const;
const num = (v: unknown) => (typeof v === 'number' ? v.toFixed(5) : '');
const statusCell = (row: Row, { t }: Ctx) => (
  <span className={`status status-${String(row.status)}`}>{t(`admin.status.${String(row.status)}`)}</span>
);
const hoursCell = (row: Row) => `${String(row.opensAt)}–${String(row.closesAt)}`;
const latLngCell = (row: Row) => (
  <span className="mono">
    {num(row.lat)}, {num(row.lng)}
  </span>
);

const latLngFields: FieldDef[] = [
  { name: 'lat', kind: { type: 'float', step: '0.000001' }, required: true },
  { name: 'lng', kind: { type: 'float', step: '0.000001' }, required: true },
];
const hoursFields: FieldDef[] = [
  { name: 'opensAt', kind: { type: 'time' }, required: true },
  { name: 'closesAt', kind: { type: 'time' }, required: true },
];

export const RESOURCES: Record<ResourceKey, ResourceDef> = {
  regions: {
    key: 'regions',
    path: '/regions',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'kind', label: 'kind', render: (r, { t }) => t(`admin.kinds.${String(r.kind)}`) },
      { key: 'code', label: 'code', render: (r) => <span className="mono">{String(r.code)}</span> },
      { key: 'parentId', label: 'parentId', render: (r, c) => c.nameOf.regions(r.parentId as number | null) },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 64 }, required: true },
      { name: 'kind', kind: { type: 'enum', options: ['city', 'county'], labelKey: 'admin.kinds' }, required: true, createOnly: true },
      { name: 'code', kind: { type: 'text', maxLength: 32 }, required: true },
      { name: 'parentId', kind: { type: 'ref', ref: 'cities' }, nullable: true, createOnly: true },
    ],
    filters: [],
    defaults: { kind: 'county' },
  },
  communities: {
    key: 'communities',
    path: '/communities',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'regionId', label: 'regionId', render: (r, c) => c.nameOf.regions(r.regionId as number) },
      { key: 'address', label: 'address' },
      { key: 'households', label: 'households', numeric: true },
      { key: 'location', label: 'location', render: latLngCell },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 64 }, required: true },
      { name: 'regionId', kind: { type: 'ref', ref: 'regions' }, required: true },
      { name: 'address', kind: { type: 'text' }, wide: true },
      ...latLngFields,
      { name: 'households', kind: { type: 'int', min: 0 } },
    ],
    filters: [
      { name: 'q', type: 'search' },
      { name: 'regionId', type: 'ref', ref: 'regions', label: 'regionId' },
    ],
  },
  pickupPoints: {
    key: 'pickupPoints',
    path: '/pickup-points',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'communityId', label: 'communityId', render: (r, c) => c.nameOf.communities(r.communityId as number) },
      { key: 'address', label: 'address' },
      { key: 'hours', label: 'hours', render: hoursCell },
      { key: 'capacity', label: 'capacity', numeric: true },
      { key: 'gridWarehouseId', label: 'gridWarehouseId', render: (r, c) => c.nameOf.warehouses(r.gridWarehouseId as number | null) },
      { key: 'status', label: 'status', render: statusCell },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 64 }, required: true },
      { name: 'communityId', kind: { type: 'ref', ref: 'communities' }, required: true },
      { name: 'address', kind: { type: 'text' }, required: true, wide: true },
      // Optional: the server places the point at its community when left empty.
      { name: 'lat', kind: { type: 'float', step: '0.000001' } },
      { name: 'lng', kind: { type: 'float', step: '0.000001' } },
      ...hoursFields,
      { name: 'capacity', kind: { type: 'int', min: 1 }, required: true },
      { name: 'leaderAccountId', kind: { type: 'int', min: 1 }, nullable: true },
      { name: 'gridWarehouseId', kind: { type: 'ref', ref: 'gridWarehouses' }, nullable: true },
      { name: 'status', kind: { type: 'enum', options: STATUS, labelKey: 'admin.status' } },
    ],
    filters: [
      { name: 'regionId', type: 'ref', ref: 'regions', label: 'regionId' },
      { name: 'communityId', type: 'ref', ref: 'communities', label: 'communityId' },
    ],
    defaults: { opensAt: '08:00', closesAt: '20:00', capacity: '200', status: 'active' },
  },
  stores: {
    key: 'stores',
    path: '/stores',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'regionId', label: 'regionId', render: (r, c) => c.nameOf.regions(r.regionId as number) },
      { key: 'communityId', label: 'communityId', render: (r, c) => c.nameOf.communities(r.communityId as number | null) },
      { key: 'hours', label: 'hours', render: hoursCell },
      { key: 'deliveryRadiusM', label: 'deliveryRadiusM', numeric: true },
      { key: 'status', label: 'status', render: statusCell },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 64 }, required: true },
      { name: 'regionId', kind: { type: 'ref', ref: 'regions' }, required: true },
      { name: 'communityId', kind: { type: 'ref', ref: 'communities' }, nullable: true },
      { name: 'ownerAccountId', kind: { type: 'int', min: 1 }, required: true },
      { name: 'address', kind: { type: 'text' }, required: true, wide: true },
      ...latLngFields,
      ...hoursFields,
      { name: 'deliveryRadiusM', kind: { type: 'int', min: 0 } },
      { name: 'gridWarehouseId', kind: { type: 'ref', ref: 'gridWarehouses' }, nullable: true },
      { name: 'status', kind: { type: 'enum', options: STATUS, labelKey: 'admin.status' } },
    ],
    filters: [{ name: 'regionId', type: 'ref', ref: 'regions', label: 'regionId' }],
    defaults: { opensAt: '07:00', closesAt: '22:00', deliveryRadiusM: '3000', status: 'active' },
  },
  warehouses: {
    key: 'warehouses',
    path: '/warehouses',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'kind', label: 'kind', render: (r, { t }) => t(`admin.kinds.${String(r.kind)}`) },
      { key: 'regionId', label: 'regionId', render: (r, c) => c.nameOf.regions(r.regionId as number) },
      { key: 'centralWarehouseId', label: 'centralWarehouseId', render: (r, c) => c.nameOf.warehouses(r.centralWarehouseId as number | null) },
      { key: 'address', label: 'address' },
      { key: 'location', label: 'location', render: latLngCell },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 64 }, required: true },
      { name: 'kind', kind: { type: 'enum', options: ['central', 'grid'], labelKey: 'admin.kinds' }, required: true, createOnly: true },
      { name: 'regionId', kind: { type: 'ref', ref: 'regions' }, required: true },
      { name: 'centralWarehouseId', kind: { type: 'ref', ref: 'centralWarehouses' }, nullable: true },
      { name: 'address', kind: { type: 'text' }, wide: true },
      ...latLngFields,
    ],
    filters: [
      { name: 'regionId', type: 'ref', ref: 'regions', label: 'regionId' },
      { name: 'kind', type: 'enum', options: ['central', 'grid'], labelKey: 'admin.kinds', label: 'kind' },
    ],
    defaults: { kind: 'grid' },
  },
  products: {
    key: 'products',
    path: '/products',
    columns: [
      { key: 'id', label: 'id', numeric: true },
      { key: 'name', label: 'name' },
      { key: 'categoryId', label: 'categoryId', render: (r, c) => c.nameOf.categories(r.categoryId as number) },
      { key: 'description', label: 'description', render: (r) => <span className="clip">{String(r.description ?? '')}</span> },
      {
        key: 'status',
        label: 'status',
        render: (r, { t }) => (
          <span className={`status status-${String(r.status)}`}>{t(`admin.productStatus.${String(r.status)}`)}</span>
        ),
      },
    ],
    fields: [
      { name: 'name', kind: { type: 'text', maxLength: 80 }, required: true },
      { name: 'categoryId', kind: { type: 'ref', ref: 'categories' }, required: true },
      { name: 'description', kind: { type: 'textarea' }, wide: true },
      { name: 'imageUrls', kind: { type: 'lines' }, wide: true },
      { name: 'status', kind: { type: 'enum', options: ['active', 'archived'], labelKey: 'admin.productStatus' } },
    ],
    filters: [
      { name: 'q', type: 'search' },
      { name: 'categoryId', type: 'ref', ref: 'categories', label: 'categoryId' },
    ],
    defaults: { status: 'active' },
  },
};
