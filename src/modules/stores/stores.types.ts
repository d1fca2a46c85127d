import type { StoreApplicationStatus, StoreMode } from './stores.schema';
import type { storeApplications } from './stores.schema';

export interface NewStoreApplication {
  storeName: string;
  /** 统一社会信用代码 (18 characters, check character verified). */
  licenceNumber: string;
  address: string;
  communityId: number;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  deliveryRadiusM: number;
  modes: StoreMode[];
  /** Optional: the owner's real name and ID number, needed only for the store to be a pickup point too. */
  ownerName?: string | undefined;
  idCardNumber?: string | undefined;
}

export type StoreApplicationRow = typeof storeApplications.$inferSelect;

/** What the API shows of an application: never the ID hash. */
export interface StoreApplication {
  id: number;
  accountId: number;
  storeName: string;
  licenceNumber: string;
  address: string;
  communityId: number;
  lat: number;
  lng: number;
  opensAt: string;
  closesAt: string;
  deliveryRadiusM: number;
  modes: StoreMode[];
  ownerName: string | null;
  idCardLast4: string | null;
  status: StoreApplicationStatus;
  reason: string | null;
  decidedAt: Date | null;
  storeId: number | null;
  pickupPointId: number | null;
  createdAt: Date;
}

export function toApplication(r: StoreApplicationRow): StoreApplication {
  return {
    id: r.id,
    accountId: r.accountId,
    storeName: r.storeName,
    licenceNumber: r.licenceNumber,
    address: r.address,
    communityId: r.communityId,
    lat: r.lat,
    lng: r.lng,
    opensAt: r.opensAt,
    closesAt: r.closesAt,
    deliveryRadiusM: r.deliveryRadiusM,
    modes: r.modes,
    ownerName: r.ownerName,
    idCardLast4: r.idCardLast4,
    status: r.status,
    reason: r.reason,
    decidedAt: r.decidedAt,
    storeId: r.storeId,
    pickupPointId: r.pickupPointId,
    createdAt: r.createdAt,
  };
}

export interface ShelfItem {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  priceFen: number;
  available: number;
}
