// Placeholder replaced by the demo-city generator.
import type { Services } from '../services';

export interface DemoLogin {
  role: string;
  phone: string;
  password: string;
  note: string;
}

export interface DemoSummary {
  seeded: boolean;
  logins: DemoLogin[];
  counts: Record<string, number>;
}

export function demoLogins(): DemoLogin[] {
  return [];
}

export async function seedDemoIfEmpty(
  _services: Services,
  _opts: { seed?: number; log?: (m: string) => void } = {},
): Promise<DemoSummary> {
  return { seeded: false, logins: [], counts: {} };
}
