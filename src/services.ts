// Composition root: builds every module's service on one database. Modules never construct
// each other; anything that needs two modules at once lives in src/flows/ and receives them here.
import type { Database } from './db';
import { systemClock, type Clock } from './kernel';
import { PeopleService } from './modules/people';
import { PlaceService } from './modules/place';
import { CatalogService } from './modules/catalog';
import { TrafficService } from './modules/traffic';

export interface Services {
  db: Database;
  clock: Clock;
  people: PeopleService;
  place: PlaceService;
  catalog: CatalogService;
  traffic: TrafficService;
}

export async function createServices(db: Database, opts: { clock?: Clock } = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const people = new PeopleService(db, clock);
  const place = new PlaceService(db, people, clock);
  // The nearby queries answer from memory; fill it before the first request.
  await place.loadGeoIndex();
  const catalog = new CatalogService(db);
  const traffic = new TrafficService(db, clock);
  return { db, clock, people, place, catalog, traffic };
}
