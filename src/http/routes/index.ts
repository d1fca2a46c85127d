import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services';
import { peopleRoutes } from './people';
import { placeRoutes } from './place';
import { catalogRoutes } from './catalog';
import { trafficRoutes } from './traffic';
import { paymentsRoutes } from './payments';
import { ledgerRoutes } from './ledger';
import { orderRoutes } from './orders';
import { waveRoutes } from './waves';
import { handoffRoutes } from './handoffs';
import { campaignRoutes } from './campaigns';
import { leaderRoutes } from './leaders';
import { matchingRoutes } from './matching';
import { replenishmentRoutes } from './replenishment';
import { storeRoutes } from './stores';
import { liveRoutes } from '../live';
import { liveRoomSocketRoutes } from '../live-room';
import { liveModerationRoutes } from './live-moderation';
import { liveSellingRoutes } from './live';
import { trustRoutes } from './trust';
import { insightsRoutes } from './insights';
import { ratingRoutes } from './ratings';

/** Every module's routes, mounted under /api. Add a module's routes here. */
export function registerRoutes(app: FastifyInstance, services: Services): void {
  peopleRoutes(app, services);
  placeRoutes(app, services);
  catalogRoutes(app, services);
  trafficRoutes(app, services);
  paymentsRoutes(app, services);
  ledgerRoutes(app, services);
  orderRoutes(app, services);
  waveRoutes(app, services);
  handoffRoutes(app, services);
  campaignRoutes(app, services);
  leaderRoutes(app, services);
  matchingRoutes(app, services);
  replenishmentRoutes(app, services);
  storeRoutes(app, services);
  liveRoutes(app, services);
  liveRoomSocketRoutes(app, services);
  liveModerationRoutes(app, services);
  liveSellingRoutes(app, services);
  trustRoutes(app, services);
  insightsRoutes(app, services);
  ratingRoutes(app, services);
}
