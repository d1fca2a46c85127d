// Composition root: builds every module's service on one database. Modules never construct
// each other; anything that needs two modules at once lives in src/flows/ and receives them here.
import type { Database } from './db';
import { systemClock, type Clock } from './kernel';
import { PeopleService } from './modules/people';

export interface Services {
  db: Database;
  clock: Clock;
  people: PeopleService;
}

export async function createServices(db: Database, opts: { clock?: Clock } = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const people = new PeopleService(db, clock);
  return { db, clock, people };
}
