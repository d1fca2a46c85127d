// The demo store's last week: wholesale prices on its district's shelf, counter sales rung up
// at the till (cash) and a few online orders each day, moved back to their days — so the
// store's finance has a week of takings by channel, its fast sellers run low and the
// replenishment page has suggestions to show.
import type { Actor, Role } from '../modules/people';
import { seedWholesalePrices } from '../modules/stores';
import type { Services } from '../services';
import { DEMO_ACCOUNTS, DEMO_STORE_NAME, type DemoCity } from './city';
import type { IdOffsets } from './demo.repo';
import { DemoStoresRepo } from './stores.repo';
import { paySandbox } from './orders';

const DAYS = 7;
const COUNTER_SALES_PER_DAY = 6;
/** Wholesale is this share of the shelf price. */
const WHOLESALE_PCT = 72;

const actor = (accountId: number, ...roles: Role[]): Actor => ({ accountId, roles: new Set<Role>(roles) });

export async function seedDemoStore(services: Services, city: DemoCity, off: IdOffsets): Promise<number> {
  const repo = new DemoStoresRepo();
  const accountOf = (i: number) => city.accounts.find((a) => a.phone === DEMO_ACCOUNTS[i]!.phone)!.id + off.accounts;
  const clerk = actor(accountOf(4), 'store_clerk');
  const resident = actor(accountOf(1), 'resident');
  const store = city.stores.find((s) => s.name === DEMO_STORE_NAME)!;
  const storeId = store.id + off.stores;
  await seedWholesalePrices(services.db, store.regionId + off.regions, WHOLESALE_PCT);

  // The store's everyday sellers.
  const skus = await repo.stockedSkus(services.db, storeId, 8);
  let sales = 0;
  for (let back = DAYS; back >= 1; back--) {
    const day: number[] = [];
    for (let k = 0; k < COUNTER_SALES_PER_DAY; k++) {
      const lines = [skus[(back + k) % skus.length]!, skus[(back * 3 + k * 5) % skus.length]!]
        .filter((id, i, all) => all.indexOf(id) === i)
        .map((skuId, i) => ({ skuId, quantity: 1 + ((back + k + i) % 2) }));
      const sale = await services.pos.sell(clerk, storeId, { lines, payment: 'cash', cashReceivedFen: 100_000 }, `demo-pos-${back}-${k}`);
      day.push(sale.body.order.id);
      sales++;
    }
    // And one online order a day from the demo resident's neighbours (the resident herself).
    const online = await services.checkout.placeOrder(
      resident,
      { channel: 'store_online', storeId, fulfilment: 'delivery', lines: [{ skuId: skus[back % skus.length]!, quantity: 1 }] },
      `demo-store-online-${back}`,
    );
    await paySandbox(services, online.body.payment!);
    day.push(online.body.order.id);
    sales++;
    await repo.backdate(services.db, day, back);
  }
  // This morning's shelf count found two of them nearly gone: the suggestion has work to do.
  const locationId = await services.inventory.locationOfStore(storeId);
  for (const skuId of skus.slice(0, 2)) {
    const level = await services.inventory.level({ locationId, skuId });
    await services.inventory.count({ locationId, skuId, counted: Math.min(level.onHand, level.reserved + 2) });
  }
  return sales;
}
