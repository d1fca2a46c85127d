// Inline line icons for the side nav: symbol glyphs render unevenly across CJK fonts.
const PATHS: Record<string, string> = {
  map: 'M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z M9 3v15 M15 6v15',
  regions: 'M4 4h7v7H4z M13 4h7v7h-7z M4 13h7v7H4z M13 13h7v7h-7z',
  communities: 'M3 11l9-7 9 7 M5 10v10h14V10 M10 20v-6h4v6',
  pickupPoints: 'M12 21s-7-6.5-7-12a7 7 0 0114 0c0 5.5-7 12-7 12z M12 11.5a2.5 2.5 0 100-5 2.5 2.5 0 000 5z',
  stores: 'M3 9l2-5h14l2 5 M3 9h18v2a3 3 0 01-6 0 3 3 0 01-6 0 3 3 0 01-6 0z M5 13v7h14v-7',
  warehouses: 'M2 9l10-5 10 5v11H2z M6 20v-8h12v8 M6 15h12',
  products: 'M4 7l8-4 8 4v10l-8 4-8-4z M4 7l8 4 8-4 M12 11v10',
  orders: 'M6 3h12v18l-3-2-3 2-3-2-3 2z M9 8h6 M9 12h6 M9 16h3',
  afterSales: 'M4 12a8 8 0 108-8 8 8 0 00-6.3 3 M4 4v4h4 M12 8v4l3 2',
  refunds: 'M9 14L4 9l5-5 M4 9h10.5a5.5 5.5 0 010 11H11',
  ledger: 'M5 3h11l3 3v15H5z M9 8h6 M9 12h6 M9 16h6',
  campaigns: 'M4 10l12-6v16L4 14z M4 10v4 M16 8a4 4 0 010 8 M7 14l1.5 6h3L10 15',
  leaders: 'M9 11a4 4 0 100-8 4 4 0 000 8z M2 21a7 7 0 0114 0 M17 4l1.2 2.4 2.6.4-1.9 1.8.5 2.6-2.4-1.2',
  waves: 'M2 17h3l2-9 4 12 3-16 3 13h5 M2 21h20',
  incidents: 'M12 3l10 18H2z M12 10v5 M12 18v.5',
  storeApplications: 'M3 9l2-5h14l2 5 M3 9h18v2a3 3 0 01-6 0 3 3 0 01-6 0 3 3 0 01-6 0z M5 13v7h6 M16 15v6 M13 18h6',
  live: 'M3 6h13v12H3z M16 10l5-3v10l-5-3 M7 10.5v3l3-1.5z',
  insights: 'M4 20V10 M10 20V4 M16 20v-7 M22 20H2 M3 8l6-4 6 6 6-5',
};

export function NavIcon({ name }: { name: string }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
}
