// The operator dashboards over HTTP (docs/insights.md, "Dashboards"): traffic → trust →
// conversion per channel, community, cohort, leader, SKU and route, for a region with its
// sub-regions and a range of China-time days; each as JSON or, with ?format=csv, as CSV
// (UTF-8 with BOM, for Excel). Operators only. Every answer reads the read models only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LEADER_SORTS } from '../../modules/insights';
import type { Actor } from '../../modules/people';
import type { Services } from '../../services';
import { commonErrors } from '../schemas';

const positiveId = z.coerce.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
const format = z.enum(['json', 'csv']).default('json').describe('csv: the table as CSV (UTF-8 with BOM)');

const rangeQuery = z.object({
  regionId: positiveId.optional().describe('the region and all its sub-regions; every region when left out'),
  from: day.optional().describe('first China-time day, inclusive (default: 29 days before `to`)'),
  to: day.optional().describe('last China-time day, inclusive (default: today); at most 92 days after `from`'),
  format,
});

const leadersQuery = rangeQuery.extend({
  sort: z.enum(LEADER_SORTS).optional().describe('gmv (default), orders, trust (score, highest first) or warnings (suspended and warned first)'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('leaders per page (default 50, at most 500; the CSV has every leader)'),
  offset: z.coerce.number().int().min(0).optional().describe('leaders skipped (default 0)'),
});

const rate = z.number().nullable().describe('a fraction 0–1; null when its denominator is 0');
const scope = { regionId: z.number().nullable(), from: z.string(), to: z.string() };
const channel = z.enum(['group_buy', 'live', 'store_online', 'store_counter']);

const funnelView = z.object({
  ...scope,
  channels: z.array(
    z.object({
      channel,
      views: z.number().int(),
      shares: z.number().int(),
      clicks: z.number().int(),
      orders: z.number().int(),
      buyers: z.number().int().describe('the rows’ distinct buyers summed: a resident counts once per day, community and actor'),
      units: z.number().int(),
      gmvFen: z.number().int(),
      refundedFen: z.number().int(),
      clickRate: rate.describe('clicks ÷ views'),
      conversion: rate.describe('orders ÷ views'),
    }),
  ),
  otherTraffic: z.object({ views: z.number().int(), shares: z.number().int(), clicks: z.number().int() }).describe('traffic credited to no channel'),
  days: z.array(z.object({ day: z.string(), channel, views: z.number().int(), clicks: z.number().int(), orders: z.number().int(), buyers: z.number().int(), gmvFen: z.number().int() })),
});

const communitiesView = z.object({
  ...scope,
  week: z.string().nullable().describe('the week (Monday) of the active households shown: the latest lying wholly in the range with any, else the latest the range touches'),
  communities: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      regionId: z.number(),
      lat: z.number(),
      lng: z.number(),
      households: z.number().int(),
      activeHouseholds: z.number().int(),
      penetration: rate.describe('active households ÷ households'),
    }),
  ),
});

const cohortsView = z.object({
  ...scope,
  cohorts: z.array(
    z.object({
      week: z.string().describe('the Monday of the cohort’s first-order week'),
      buyers: z.number().int().describe('buyers whose first order fell in that week'),
      cells: z.array(z.object({ weeksSince: z.number().int(), activeWeek: z.string(), buyers: z.number().int(), rate: rate.describe('buyers ÷ the cohort’s buyers') })),
    }),
  ),
});

const leadersView = z.object({
  ...scope,
  sort: z.enum(LEADER_SORTS),
  limit: z.number().int(),
  offset: z.number().int(),
  total: z.number().int().describe('leaders whose pickup point is in the regions'),
  warned: z.number().int().describe('of those, warned or suspended, or with warnings in a row'),
  leaders: z.array(
    z.object({
      accountId: z.number(),
      leaderName: z.string(),
      pickupPointId: z.number(),
      pointName: z.string(),
      communityName: z.string(),
      regionId: z.number(),
      status: z.string().describe('active, warned or suspended'),
      warningsInRow: z.number().int(),
      orders: z.number().int(),
      buyers: z.number().int(),
      units: z.number().int(),
      gmvFen: z.number().int(),
      repeatRate: rate.describe('buyers with ≥ 2 orders within 30 days, from the last trust computation'),
      repeatRate7: rate.describe('the same within 7 days'),
      onTimeRate: rate,
      complaintRate: rate,
      afterSalesRate: rate,
      trustScore: z.number().int().nullable(),
      kpi: z.object({ week: z.string(), verdict: z.string(), reasons: z.array(z.string()) }).nullable().describe('the latest weekly KPI'),
    }),
  ),
});

const skuFigures = { unitsSold: z.number().int(), gmvFen: z.number().int(), unitsRefunded: z.number().int(), unitsShort: z.number().int() };
const skuInfo = { skuId: z.number(), title: z.string(), spec: z.string(), unit: z.string() };
const skusView = z.object({
  ...scope,
  warehouses: z.array(z.object({ gridWarehouseId: z.number().describe('0: sales through no grid warehouse'), name: z.string().nullable(), skus: z.number().int(), ...skuFigures })),
  skus: z.array(z.object({ ...skuInfo, unitsOffered: z.number().int(), sellThrough: rate.describe('sold ÷ offered'), ...skuFigures })),
  rows: z.array(
    z.object({
      gridWarehouseId: z.number(),
      gridWarehouseName: z.string().nullable(),
      ...skuInfo,
      skuUnitsOffered: z.number().int(),
      sellThrough: rate.describe('this warehouse’s part: its units sold ÷ the SKU’s units offered'),
      ...skuFigures,
    }),
  ),
});

const routesView = z.object({
  ...scope,
  routes: z.array(
    z.object({
      gridWarehouseId: z.number(),
      gridWarehouseName: z.string().nullable(),
      seq: z.number().int(),
      name: z.string(),
      runs: z.number().int().describe('days the route ran'),
      stops: z.number().int(),
      orders: z.number().int(),
      units: z.number().int(),
      shortageUnits: z.number().int(),
      afterSales: z.number().int(),
      shortageRate: rate.describe('units short ÷ units'),
      afterSalesRate: rate.describe('after-sales requests ÷ orders'),
    }),
  ),
});

const figures = {
  views: z.number().int(),
  shares: z.number().int(),
  clicks: z.number().int(),
  orders: z.number().int(),
  buyers: z.number().int(),
  units: z.number().int(),
  gmvFen: z.number().int(),
  refundedFen: z.number().int(),
  afterSales: z.number().int(),
  complaints: z.number().int(),
  shortageUnits: z.number().int(),
  pickupsDue: z.number().int(),
  pickupsOnTime: z.number().int(),
  ratings: z.number().int(),
  ratingSum: z.number().int(),
  conversion: rate,
  onTimeRate: rate,
  meanRating: z.number().nullable(),
};
const dailySummaryView = z.object({
  regionId: z.number(),
  day: z.string(),
  totals: z.object(figures),
  channels: z.array(z.object({ channel, ...figures })),
  skus: z.object({ skus: z.number().int(), unitsOffered: z.number().int(), unitsSold: z.number().int(), gmvFen: z.number().int(), unitsRefunded: z.number().int(), unitsShort: z.number().int() }),
  routes: z.object({ routes: z.number().int(), stops: z.number().int(), orders: z.number().int(), units: z.number().int(), shortageUnits: z.number().int(), afterSales: z.number().int() }),
});

const csvHeaders = (file: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"` });
const fileName = (table: string, q: { regionId?: number | undefined; from?: string | undefined; to?: string | undefined }) =>
  `insights-${table}-${q.regionId ?? 'all'}${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.csv`;

// The widest query a table takes (the league table's); the others take a part of it.
type TableQuery = z.infer<typeof leadersQuery>;

/** Each table's JSON answer (for the tests that check answers against them). */
export const INSIGHTS_VIEWS = { funnel: funnelView, communities: communitiesView, cohorts: cohortsView, leaders: leadersView, skus: skusView, routes: routesView };
type Table = 'funnel' | 'communities' | 'cohorts' | 'leaders' | 'skus' | 'routes';

export function insightsRoutes(app: FastifyInstance, s: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['insights'];
  const d = s.insightsDashboards;

  const table = (
    name: Table,
    summary: string,
    view: z.ZodType,
    json: (actor: Actor | null, q: TableQuery) => Promise<unknown>,
    csv: (actor: Actor | null, q: TableQuery) => Promise<string>,
    querystring: z.ZodType<TableQuery> = rangeQuery,
  ) =>
    r.get(`/insights/${name}`, {
      schema: {
        tags,
        summary: `${summary} (operator; ?format=csv for CSV)`,
        querystring,
        response: { 200: z.union([view, z.string()]), ...commonErrors },
      },
      // A city's answer has thousands of rows (10,000 communities on the map): checking it
      // against its schema on every view cost 20–150 ms. The schema still documents it, and
      // insights.test.ts checks every table's answer against it.
      serializerCompiler: () => (data) => JSON.stringify(data),
      handler: async (req, reply) => {
        if (req.query.format === 'csv') return reply.headers(csvHeaders(fileName(name, req.query))).send(await csv(req.actor, req.query));
        return json(req.actor, req.query);
      },
    });

  table('funnel', 'Per channel side by side: views → clicks → orders, buyers, GMV, conversion, and a per-day series', funnelView, (a, q) => d.funnel(a, q), (a, q) => d.funnelCsv(a, q));
  table('communities', 'Communities with lat/lng, households, active households and penetration', communitiesView, (a, q) => d.communities(a, q), (a, q) => d.communitiesCsv(a, q));
  table('cohorts', 'First-order week × weeks since: buyers and repeat rate', cohortsView, (a, q) => d.cohorts(a, q), (a, q) => d.cohortsCsv(a, q));
  table('leaders', 'Leader league table a page at a time: orders, GMV, buyers, repeat, on time, complaints, trust score, KPI; total and warned counts', leadersView, (a, q) => d.leaders(a, q), (a, q) => d.leadersCsv(a, q), leadersQuery);
  table('skus', 'Sell-through (sold ÷ offered) by SKU and grid warehouse', skusView, (a, q) => d.skus(a, q), (a, q) => d.skusCsv(a, q));
  table('routes', 'Shortage rate and after-sales rate by delivery route', routesView, (a, q) => d.routes(a, q), (a, q) => d.routesCsv(a, q));

  r.get('/insights/daily-summary', {
    schema: {
      tags,
      summary: 'One region’s day (with its sub-regions): figures per channel and in total (operator; ?format=csv for CSV)',
      querystring: z.object({ regionId: positiveId, day: day.optional().describe('China-time day (default: today)'), format }),
      response: { 200: z.union([dailySummaryView, z.string()]), ...commonErrors },
    },
    handler: async (req, reply) => {
      if (req.query.format === 'csv') {
        const file = `insights-daily-summary-${req.query.regionId}${req.query.day ? `-${req.query.day}` : ''}.csv`;
        return reply.headers(csvHeaders(file)).send(await d.dailySummaryCsv(req.actor, req.query));
      }
      return d.dailySummary(req.actor, req.query);
    },
  });
}
