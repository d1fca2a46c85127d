import type { MapDot, MapKind, PlaceMap } from '../../api/types';

export const MAP_KINDS: MapKind[] = ['community', 'pickup_point', 'store', 'warehouse'];

/** Flatten the map response into dots, drawn in this order (warehouses on top). */
export function toDots(m: PlaceMap): MapDot[] {
  return [
    ...m.communities.map((c) => ({ kind: 'community' as const, id: c.id, name: c.name, lat: c.lat, lng: c.lng })),
    ...m.pickupPoints.map((p) => ({ kind: 'pickup_point' as const, id: p.id, name: p.name, lat: p.lat, lng: p.lng, sub: p.status })),
    ...m.stores.map((s) => ({ kind: 'store' as const, id: s.id, name: s.name, lat: s.lat, lng: s.lng, sub: s.status })),
    ...m.warehouses.map((w) => ({ kind: 'warehouse' as const, id: w.id, name: w.name, lat: w.lat, lng: w.lng, sub: w.kind })),
  ];
}

/** Supply lines grid warehouse → its central warehouse, as pairs of dots. */
export function supplyLines(m: PlaceMap): Array<[MapDot, MapDot]> {
  const byId = new Map(m.warehouses.map((w) => [w.id, w]));
  const out: Array<[MapDot, MapDot]> = [];
  for (const w of m.warehouses) {
    const c = w.centralWarehouseId !== null ? byId.get(w.centralWarehouseId) : undefined;
    if (!c) continue;
    out.push([
      { kind: 'warehouse', id: w.id, name: w.name, lat: w.lat, lng: w.lng },
      { kind: 'warehouse', id: c.id, name: c.name, lat: c.lat, lng: c.lng },
    ]);
  }
  return out;
}
