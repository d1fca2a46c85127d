// The demo city as plain rows: no database, no clock, no Math.random. Everything follows from
// the seed, so the same seed gives byte-identical data (see demo.test.ts).
//
// Ids are assigned here, 1-based per table, so relations are plain numbers; demo.repo.ts
// shifts them past any rows already in the database before inserting.
import { latLngToCell } from 'h3-js';
import { CATEGORIES, SUPPLIERS, parseProductLine } from './catalog-data';
import {
  CITY,
  COMPOUND_STEMS,
  COMPOUND_SUFFIXES,
  DISTRICTS,
  FAMILIAR_FORMS,
  GIVEN_CHARS,
  PHONE_PREFIXES,
  POINT_KINDS,
  POINT_PLACES,
  STORE_NAMES,
  SURNAMES,
  type DistrictSpec,
} from './names';
import { Random } from '../kernel';
import { generateStock, type StockLevelRow, type StockLocationRow } from './stock';

export type DemoRole =
  | 'resident'
  | 'leader'
  | 'host'
  | 'store_owner'
  | 'store_clerk'
  | 'warehouse_staff'
  | 'driver'
  | 'operator';

export interface RegionRow {
  id: number;
  parentId: number | null;
  kind: 'city' | 'county';
  name: string;
  code: string;
}
export interface CommunityRow {
  id: number;
  regionId: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  h3Cell: string;
  households: number;
}
export interface WarehouseRow {
  id: number;
  regionId: number;
  kind: 'central' | 'grid';
  name: string;
  address: string;
  lat: number;
  lng: number;
  centralWarehouseId: number | null;
}
export interface AccountRow {
  id: number;
  phone: string;
  displayName: string;
}
export interface AccountRoleRow {
  accountId: number;
  role: DemoRole;
}
export interface ResidentHomeRow {
  accountId: number;
  communityId: number;
}
export interface PickupPointRow {
  id: number;
  communityId: number;
  leaderAccountId: number;
  gridWarehouseId: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  capacity: number;
}
export interface StoreRow {
  id: number;
  regionId: number;
  communityId: number;
  ownerAccountId: number;
  gridWarehouseId: number;
  name: string;
  address: string;
  lat: number;
  lng: number;
  deliveryRadiusM: number;
  opensAt: string;
  closesAt: string;
}
export interface StoreClerkRow {
  storeId: number;
  accountId: number;
}
export interface CategoryRow {
  id: number;
  name: string;
  sortOrder: number;
}
export interface SupplierRow {
  id: number;
  name: string;
  contactName: string;
  contactPhone: string;
}
export interface ProductRow {
  id: number;
  categoryId: number;
  supplierId: number;
  name: string;
  description: string;
}
export interface SkuRow {
  id: number;
  productId: number;
  barcode: string;
  spec: string;
  unit: string;
  basePriceFen: number;
}
export interface RegionSkuRow {
  regionId: number;
  skuId: number;
  /** A district's own price; null sells at the SKU's base price. */
  priceFen: number | null;
  /** 每人每日限购; null: no limit. Set by generateStock. */
  dailyLimitPerPerson: number | null;
}

export interface DemoCity {
  seed: number;
  regions: RegionRow[];
  communities: CommunityRow[];
  warehouses: WarehouseRow[];
  accounts: AccountRow[];
  accountRoles: AccountRoleRow[];
  residentHomes: ResidentHomeRow[];
  pickupPoints: PickupPointRow[];
  stores: StoreRow[];
  storeClerks: StoreClerkRow[];
  categories: CategoryRow[];
  suppliers: SupplierRow[];
  products: ProductRow[];
  skus: SkuRow[];
  regionSkus: RegionSkuRow[];
  stockLocations: StockLocationRow[];
  stockLevels: StockLevelRow[];
}

/** How big the city is. The minimums the product promises are checked in demo.test.ts. */
export const CITY_SIZE = {
  communitiesPerDistrict: 60,
  pickupPoints: 180,
  storesPerDistrict: 6,
  /** Stores that employ a clerk, besides the demo store. */
  extraClerks: 5,
  residents: 6000,
  hosts: 6,
  operators: 3,
  staffPerWarehouse: 2,
  driversPerGridWarehouse: 3,
  /** Share of (district, SKU) pairs sold at a district price instead of the base price. */
  districtPriceShare: 0.04,
} as const;

// ── The fixed demo anchors ──────────────────────────────────────────────────────────────
// The printed demo logins and their notes must not depend on the seed (demoLogins() takes
// none), so the demo accounts and the places they belong to are constants; the rest of the
// city is drawn around them. Their phones use the 138 0000 00xx block, which the random
// phone generator never produces (138 is left out of PHONE_PREFIXES).

export const DEMO_COMMUNITY = { name: '翠苑一区', street: '文晖路', number: 88 } as const;
export const DEMO_POINT_NAME = '翠苑一区 3幢便利点';
export const DEMO_STORE_NAME = '老陈便利店';
/** The demo store stands this far east of the demo community and delivers this far. */
const DEMO_STORE_OFFSET_M = 420;
const DEMO_STORE_RADIUS_M = 2000;

export interface DemoAccountSpec {
  phone: string;
  displayName: string;
  roles: DemoRole[];
  /** The role shown in the login list. */
  role: DemoRole;
  note: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  { phone: '13800000000', displayName: '刘敏', roles: ['operator'], role: 'operator', note: `运营 · ${CITY.name}全城` },
  {
    phone: '13800000001',
    displayName: '张秀英',
    roles: ['resident'],
    role: 'resident',
    note: `居民 · ${DISTRICTS[0]!.name} ${DEMO_COMMUNITY.name}`,
  },
  {
    phone: '13800000002',
    displayName: '王丽华',
    roles: ['leader', 'resident'],
    role: 'leader',
    note: `团长 · ${DEMO_POINT_NAME}`,
  },
  { phone: '13800000003', displayName: '陈建国', roles: ['store_owner'], role: 'store_owner', note: `店主 · ${DEMO_STORE_NAME}` },
  { phone: '13800000004', displayName: '李晓燕', roles: ['store_clerk'], role: 'store_clerk', note: `店员 · ${DEMO_STORE_NAME}` },
  { phone: '13800000005', displayName: '林小鹿', roles: ['host'], role: 'host', note: '主播 · 临溪鲜生直播间' },
  {
    phone: '13800000006',
    displayName: '赵志刚',
    roles: ['warehouse_staff'],
    role: 'warehouse_staff',
    note: `仓配 · ${DISTRICTS[0]!.name}网格仓`,
  },
  { phone: '13800000007', displayName: '孙建军', roles: ['driver'], role: 'driver', note: `司机 · ${DISTRICTS[0]!.name}网格仓` },
];

const DEMO = {
  operator: 0,
  resident: 1,
  leader: 2,
  owner: 3,
  clerk: 4,
  host: 5,
  staff: 6,
  driver: 7,
} as const;

// ── Geometry ────────────────────────────────────────────────────────────────────────────

const M_PER_DEG_LAT = 111_320;

/** Move a point by metres east/north; a flat-earth step is exact enough within a city. */
function offset(lat: number, lng: number, eastM: number, northM: number): { lat: number; lng: number } {
  const dLat = northM / M_PER_DEG_LAT;
  const dLng = eastM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  return { lat: round6(lat + dLat), lng: round6(lng + dLng) };
}

function polar(lat: number, lng: number, bearingDeg: number, distM: number) {
  const b = (bearingDeg * Math.PI) / 180;
  return offset(lat, lng, Math.sin(b) * distM, Math.cos(b) * distM);
}

/** A uniform point in a disc; sqrt keeps the density even instead of bunching at the centre. */
function scatter(rng: Random, lat: number, lng: number, radiusM: number) {
  return polar(lat, lng, rng.float() * 360, Math.sqrt(rng.float()) * radiusM);
}

/** Six decimals (~0.1 m): what a map picker yields, and it keeps dumps readable. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

/** District centres sit this far from the city centre, communities within DISTRICT_RADIUS_M of it. */
const DISTRICT_CENTRE_M = 6000;
const DISTRICT_RADIUS_M = 4500;

// ── Barcodes ────────────────────────────────────────────────────────────────────────────

/** EAN-13 check digit: weights 1,3,1,3… over the first twelve digits. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

// ── Generation ──────────────────────────────────────────────────────────────────────────

const POINT_HOURS: ReadonlyArray<readonly [string, string]> = [
  ['08:00', '21:00'],
  ['07:30', '20:30'],
  ['08:30', '21:30'],
  ['07:00', '20:00'],
  ['09:00', '22:00'],
];
const STORE_HOURS: ReadonlyArray<readonly [string, string]> = [
  ['07:00', '22:00'],
  ['06:30', '23:00'],
  ['08:00', '22:30'],
  ['07:30', '21:30'],
];
const ALL_DAY: readonly [string, string] = ['00:00', '23:59'];
const STORE_RADII = [1000, 1500, 2000, 2500, 3000] as const;

export function generateDemoCity(seed: number): DemoCity {
  const root = new Random(seed);
  // One stream per part: a change in how residents are drawn leaves the map alone.
  const rngMap = root.fork('map');
  const rngPeople = root.fork('people');
  const rngPoints = root.fork('points');
  const rngStores = root.fork('stores');
  const rngGoods = root.fork('goods');

  const city: DemoCity = {
    seed,
    regions: [],
    communities: [],
    warehouses: [],
    accounts: [],
    accountRoles: [],
    residentHomes: [],
    pickupPoints: [],
    stores: [],
    storeClerks: [],
    categories: [],
    suppliers: [],
    products: [],
    skus: [],
    regionSkus: [],
    stockLocations: [],
    stockLevels: [],
  };

  // People first come from one helper so phones stay unique across every role.
  const usedPhones = new Set<string>(DEMO_ACCOUNTS.map((a) => a.phone));
  const randomPhone = (): string => {
    for (;;) {
      const phone = rngPeople.pick(PHONE_PREFIXES) + String(rngPeople.int(0, 99_999_999)).padStart(8, '0');
      if (!usedPhones.has(phone)) {
        usedPhones.add(phone);
        return phone;
      }
    }
  };
  const randomSurname = (rng: Random): string => {
    // Squaring the draw favours the common surnames at the front of the list.
    const u = rng.float();
    return SURNAMES[Math.floor(u * u * SURNAMES.length)]!;
  };
  const randomName = (rng: Random, surname = randomSurname(rng)): string => {
    const given = rng.pick(GIVEN_CHARS) + (rng.chance(0.7) ? rng.pick(GIVEN_CHARS) : '');
    return surname + given;
  };
  const addAccount = (phone: string, displayName: string, roles: readonly DemoRole[]): number => {
    const id = city.accounts.length + 1;
    city.accounts.push({ id, phone, displayName });
    for (const role of roles) city.accountRoles.push({ accountId: id, role });
    return id;
  };

  // Regions: the city and its four districts.
  city.regions.push({ id: 1, parentId: null, kind: 'city', name: CITY.name, code: CITY.code });
  DISTRICTS.forEach((d, i) => city.regions.push({ id: i + 2, parentId: 1, kind: 'county', name: d.name, code: d.code }));
  const districtRegionId = (di: number) => di + 2;
  const districtCentre = (d: DistrictSpec) => polar(CITY.lat, CITY.lng, d.bearing, DISTRICT_CENTRE_M);

  // Warehouses: one central warehouse on the ring road, one grid warehouse per district.
  const central = polar(CITY.lat, CITY.lng, 120, 9500);
  city.warehouses.push({
    id: 1,
    regionId: 1,
    kind: 'central',
    name: `${CITY.name}中心仓`,
    address: `${CITY.name}${DISTRICTS[2]!.name}物流园路1号`,
    ...central,
    centralWarehouseId: null,
  });
  DISTRICTS.forEach((d, i) => {
    // Grid warehouses sit on the outer side of their district, where rents are low.
    const at = polar(CITY.lat, CITY.lng, d.bearing + 15, DISTRICT_CENTRE_M + 2500);
    city.warehouses.push({
      id: i + 2,
      regionId: districtRegionId(i),
      kind: 'grid',
      name: `${d.name}网格仓`,
      address: `${CITY.name}${d.name}${d.streets[d.streets.length - 1]}${rngMap.int(200, 999)}号`,
      ...at,
      centralWarehouseId: 1,
    });
  });
  const gridWarehouseId = (di: number) => di + 2;

  // Communities. Names are stem + suffix; a stem must not end with the suffix's first
  // character (no 翠苑苑), and every name is used once.
  const usedCommunityNames = new Set<string>([DEMO_COMMUNITY.name]);
  const namePool: string[] = [];
  for (const stem of COMPOUND_STEMS)
    for (const suffix of COMPOUND_SUFFIXES) if (!stem.endsWith(suffix[0]!)) namePool.push(stem + suffix);
  const names = rngMap.shuffle(namePool).filter((n) => !usedCommunityNames.has(n));
  const districtOf = new Map<number, number>();
  const addCommunity = (di: number, name: string, at: { lat: number; lng: number }, street: string, no: number, households: number) => {
    const id = city.communities.length + 1;
    const d = DISTRICTS[di]!;
    city.communities.push({
      id,
      regionId: districtRegionId(di),
      name,
      address: `${CITY.name}${d.name}${street}${no}号`,
      lat: at.lat,
      lng: at.lng,
      h3Cell: latLngToCell(at.lat, at.lng, 9),
      households,
    });
    districtOf.set(id, di);
    return id;
  };
  // The demo resident's community: fixed place near the centre of the first district, so
  // it has pickup points and stores all around it.
  const demoCommunityAt = offset(districtCentre(DISTRICTS[0]!).lat, districtCentre(DISTRICTS[0]!).lng, -300, 200);
  const demoCommunityId = addCommunity(0, DEMO_COMMUNITY.name, demoCommunityAt, DEMO_COMMUNITY.street, DEMO_COMMUNITY.number, 1860);
  let nameIndex = 0;
  DISTRICTS.forEach((d, di) => {
    const centre = districtCentre(d);
    const todo = CITY_SIZE.communitiesPerDistrict - (di === 0 ? 1 : 0);
    for (let k = 0; k < todo; k++) {
      const name = names[nameIndex++];
      if (!name) throw new Error('demo city: ran out of community names');
      const at = scatter(rngMap, centre.lat, centre.lng, DISTRICT_RADIUS_M);
      // Most compounds have 500–1500 homes; a few big ones reach 3000.
      const u = rngMap.float();
      const households = 300 + Math.round((u * u * 2700) / 10) * 10;
      addCommunity(di, name, at, rngMap.pick(d.streets), rngMap.int(1, 999), households);
    }
  });

  // Fixed demo accounts.
  const demoIds = DEMO_ACCOUNTS.map((a) => addAccount(a.phone, a.displayName, a.roles));
  const homeOf = (accountId: number, communityId: number) => city.residentHomes.push({ accountId, communityId });
  homeOf(demoIds[DEMO.resident]!, demoCommunityId);
  homeOf(demoIds[DEMO.leader]!, demoCommunityId);

  // Pickup points: the demo leader's first, then the rest spread over shuffled communities,
  // big compounds (≥ 2200 homes) getting two.
  const pointNames = new Set<string>();
  const addPoint = (communityId: number, leaderId: number, name: string, place: string, rng: Random, hours: readonly [string, string]) => {
    const c = city.communities[communityId - 1]!;
    // A point is a shop or a ground-floor flat inside the compound: within 150 m of its centre.
    const at = scatter(rng, c.lat, c.lng, 150);
    pointNames.add(name);
    city.pickupPoints.push({
      id: city.pickupPoints.length + 1,
      communityId,
      leaderAccountId: leaderId,
      gridWarehouseId: gridWarehouseId(districtOf.get(communityId)!),
      name,
      address: `${c.address} ${c.name}${place}`,
      lat: at.lat,
      lng: at.lng,
      opensAt: hours[0],
      closesAt: hours[1],
      capacity: rng.int(8, 40) * 10,
    });
  };
  addPoint(demoCommunityId, demoIds[DEMO.leader]!, DEMO_POINT_NAME, '3幢', rngPoints, ['08:00', '21:00']);
  const pointOrder = rngPoints.shuffle(city.communities.map((c) => c.id));
  // The demo community gets a second, ordinary point so the resident has a choice.
  pointOrder.unshift(demoCommunityId);
  outer: for (const communityId of pointOrder) {
    const c = city.communities[communityId - 1]!;
    const want = c.households >= 2200 || communityId === demoCommunityId ? 2 : 1;
    const have = city.pickupPoints.filter((p) => p.communityId === communityId).length;
    for (let k = have; k < want; k++) {
      if (city.pickupPoints.length >= CITY_SIZE.pickupPoints) break outer;
      const surname = randomSurname(rngPoints);
      const leaderId = addAccount(randomPhone(), randomName(rngPoints, surname), ['leader', 'resident']);
      homeOf(leaderId, communityId);
      const place = rngPoints.pick(POINT_PLACES).replace('{n}', String(rngPoints.int(1, 28)));
      let name = `${c.name} ${place}${rngPoints.pick(POINT_KINDS)}`;
      // About a third are known by the leader ("王姐团购点"), as neighbours call them.
      if (rngPoints.chance(0.35)) {
        const familiar = `${rngPoints.pick(FAMILIAR_FORMS).replace('{s}', surname)}团购点`;
        if (!pointNames.has(familiar)) name = familiar;
      }
      if (pointNames.has(name)) name = `${name}${k + 2}`;
      addPoint(communityId, leaderId, name, place, rngPoints, rngPoints.pick(POINT_HOURS));
    }
  }

  // Stores: the demo store first, then the rest, a fixed number per district.
  const storeNames = new Set<string>([DEMO_STORE_NAME]);
  const addStore = (
    di: number,
    communityId: number,
    ownerId: number,
    name: string,
    at: { lat: number; lng: number },
    radius: number,
    hours: readonly [string, string],
    street: string,
    no: number,
  ) => {
    const id = city.stores.length + 1;
    city.stores.push({
      id,
      regionId: districtRegionId(di),
      communityId,
      ownerAccountId: ownerId,
      gridWarehouseId: gridWarehouseId(di),
      name,
      address: `${CITY.name}${DISTRICTS[di]!.name}${street}${no}号 底商`,
      lat: at.lat,
      lng: at.lng,
      deliveryRadiusM: radius,
      opensAt: hours[0],
      closesAt: hours[1],
    });
    return id;
  };
  const demoStoreAt = offset(demoCommunityAt.lat, demoCommunityAt.lng, DEMO_STORE_OFFSET_M, 0);
  const demoStoreId = addStore(
    0,
    demoCommunityId,
    demoIds[DEMO.owner]!,
    DEMO_STORE_NAME,
    demoStoreAt,
    DEMO_STORE_RADIUS_M,
    ['07:00', '22:00'],
    DEMO_COMMUNITY.street,
    DEMO_COMMUNITY.number + 12,
  );
  city.storeClerks.push({ storeId: demoStoreId, accountId: demoIds[DEMO.clerk]! });
  DISTRICTS.forEach((d, di) => {
    const inDistrict = city.communities.filter((c) => districtOf.get(c.id) === di);
    const todo = CITY_SIZE.storesPerDistrict - (di === 0 ? 1 : 0);
    for (let k = 0; k < todo; k++) {
      const c = rngStores.pick(inDistrict);
      const surname = randomSurname(rngStores);
      const ownerId = addAccount(randomPhone(), randomName(rngStores, surname), ['store_owner']);
      let template: string = rngStores.pick(STORE_NAMES);
      let name = template.replace('{s}', surname);
      // Chain-style names repeat across a city; prefix the compound to tell them apart.
      if (storeNames.has(name)) name = `${c.name}${name}`;
      if (storeNames.has(name)) {
        template = '{s}记便民店';
        name = `${c.name}${template.replace('{s}', surname)}${k + 1}`;
      }
      storeNames.add(name);
      // Shops front the street: up to 300 m from the compound centre.
      const at = scatter(rngStores, c.lat, c.lng, 300);
      const hours = template.startsWith('24小时') ? ALL_DAY : rngStores.pick(STORE_HOURS);
      addStore(di, c.id, ownerId, name, at, rngStores.pick(STORE_RADII), hours, rngStores.pick(d.streets), rngStores.int(1, 999));
    }
  });
  // A few more stores employ a clerk.
  for (const store of rngStores.shuffle(city.stores.filter((s) => s.id !== demoStoreId)).slice(0, CITY_SIZE.extraClerks)) {
    const clerkId = addAccount(randomPhone(), randomName(rngStores), ['store_clerk']);
    city.storeClerks.push({ storeId: store.id, accountId: clerkId });
  }

  // Staff without a place table of their own: hosts, operators, warehouse staff, drivers.
  for (let i = 1; i < CITY_SIZE.hosts; i++) addAccount(randomPhone(), randomName(rngPeople), ['host']);
  for (let i = 1; i < CITY_SIZE.operators; i++) addAccount(randomPhone(), randomName(rngPeople), ['operator']);
  for (let i = 1; i < CITY_SIZE.staffPerWarehouse * city.warehouses.length; i++)
    addAccount(randomPhone(), randomName(rngPeople), ['warehouse_staff']);
  for (let i = 1; i < CITY_SIZE.driversPerGridWarehouse * DISTRICTS.length; i++)
    addAccount(randomPhone(), randomName(rngPeople), ['driver']);

  // Residents, placed in proportion to households (cumulative weights + binary search).
  const cumulative: number[] = [];
  let total = 0;
  for (const c of city.communities) cumulative.push((total += c.households));
  const weightedCommunity = (): number => {
    const x = rngPeople.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return city.communities[lo]!.id;
  };
  for (let i = 0; i < CITY_SIZE.residents; i++) {
    const id = addAccount(randomPhone(), randomName(rngPeople), ['resident']);
    homeOf(id, weightedCommunity());
  }

  generateCatalogue(city, rngGoods);
  // Forked last, so the streams above draw exactly what they drew before stock existed.
  generateStock(city, root.fork('stock'), demoStoreId);
  return city;
}

/**
 * The catalogue is the same in every demo city (barcodes printed for POS demos keep working
 * whatever the seed); only the district price overrides follow the seed.
 *
 * SKUs are attached to each district, not to the city: a resident's community belongs to
 * a district, and product lists look up the community's region_id.
 */
function generateCatalogue(city: DemoCity, rng: Random): void {
  SUPPLIERS.forEach((s, i) => {
    city.suppliers.push({
      id: i + 1,
      name: s.name,
      contactName: s.contactName,
      // 0571 is a real area code; the 8-digit local part is a fixed, invented one.
      contactPhone: `0571-8${String(6000000 + i * 1013).padStart(7, '0')}`,
    });
  });
  // GS1 China hands out 69x prefixes; each supplier gets its own 5-digit company code, and
  // SKUs are numbered within it, so barcodes are unique by construction.
  const companyCode = (supplierId: number) => String(20000 + supplierId * 4567).padStart(5, '0');
  const nextItem = new Map<number, number>();
  CATEGORIES.forEach((cat, ci) => {
    const categoryId = ci + 1;
    city.categories.push({ id: categoryId, name: cat.name, sortOrder: (ci + 1) * 10 });
    cat.products.forEach((line, pi) => {
      const spec = parseProductLine(line);
      const supplierId = cat.suppliers[pi % cat.suppliers.length]! + 1;
      const productId = city.products.length + 1;
      city.products.push({
        id: productId,
        categoryId,
        supplierId,
        name: spec.name,
        description: cat.blurbs[pi % cat.blurbs.length]!,
      });
      for (const sku of spec.skus) {
        const item = (nextItem.get(supplierId) ?? 0) + 1;
        nextItem.set(supplierId, item);
        const first12 = `69${companyCode(supplierId)}${String(item * 7 + 100).padStart(5, '0')}`;
        city.skus.push({
          id: city.skus.length + 1,
          productId,
          barcode: first12 + ean13CheckDigit(first12),
          spec: sku.spec,
          unit: sku.unit,
          basePriceFen: sku.priceFen,
        });
      }
    });
  });
  for (const region of city.regions) {
    if (region.kind !== 'county') continue;
    for (const sku of city.skus) {
      let priceFen: number | null = null;
      if (rng.chance(CITY_SIZE.districtPriceShare)) {
        // A local promotion or a dearer delivery: ±10 %, ending in 9 like a shelf price.
        const p = Math.round((sku.basePriceFen * (0.9 + rng.float() * 0.2)) / 10) * 10 - 1;
        if (p > 0 && p !== sku.basePriceFen) priceFen = p;
      }
      city.regionSkus.push({ regionId: region.id, skuId: sku.id, priceFen, dailyLimitPerPerson: null });
    }
  }
}
