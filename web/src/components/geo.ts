// Small geometry helpers for the SVG maps; no tile server, just lat/lng on a flat plane.

export interface LatLng {
  lat: number;
  lng: number;
}

/** Great-circle distance in metres. */
export function haversineM(a: LatLng, b: LatLng): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Equirectangular projection around a reference latitude: x grows east, y grows south
 * (SVG's y points down). Good enough at city scale, where the earth is flat to a few %.
 */
export function makeProjection(points: LatLng[], width: number, height: number, padding: number) {
  const lats = points.map((p) => p.lat);
  const lngs = points.map((p) => p.lng);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const minLng = Math.min(...lngs);
  const maxLng = Math.max(...lngs);
  const midLat = (minLat + maxLat) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  // Degenerate spans (one point) still get a sensible scale.
  const spanX = Math.max((maxLng - minLng) * kx, 1e-4);
  const spanY = Math.max(maxLat - minLat, 1e-4);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  const cx = (minLng + maxLng) / 2;
  const cy = (minLat + maxLat) / 2;
  return (p: LatLng) => ({
    x: width / 2 + (p.lng - cx) * kx * scale,
    y: height / 2 - (p.lat - cy) * scale,
  });
}
