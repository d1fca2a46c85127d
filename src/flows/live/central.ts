// Where a region's goods are: the stock location of its central warehouse. A district usually
// shares its city's, so the search looks upwards a few levels. Warehouses rarely change, so the
// answer is kept for a minute.
import type { InventoryService } from '../../modules/inventory';
import type { PlaceService } from '../../modules/place';

export function centralLocationFinder(place: PlaceService, inventory: InventoryService, ttlMs = 60_000): (regionId: number) => Promise<number | null> {
  const cache = new Map<number, { at: number; value: Promise<number | null> }>();
  const find = async (regionId: number): Promise<number | null> => {
    let at: number | null = regionId;
    for (let hops = 0; at !== null && hops < 4; hops++) {
      const page = await place.warehouses.list({ afterId: null, limit: 1, regionId: at, kind: 'central' });
      const central = page.items[0];
      if (central) return inventory.locationOfWarehouse(central.id);
      at = await place.areas.getRegion(at).then(
        (r) => r.parentId,
        () => null,
      );
    }
    return null;
  };
  return (regionId) => {
    const hit = cache.get(regionId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = find(regionId);
    cache.set(regionId, { at: Date.now(), value });
    value.catch(() => cache.delete(regionId));
    return value;
  };
}
