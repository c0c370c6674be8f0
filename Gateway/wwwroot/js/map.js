// A county's map (GET /api/counties/{county}/map, GeoJSON) as an ECharts chart: enterprises as points coloured by
// their coverage, stations, activity circles as the outline of their reach, and proposed station sites. There is no
// outline of the county to draw it on, so the points stand on a plain background: a cartesian grid of lon/lat whose
// pixel box keeps a kilometre the same length both ways (a degree of longitude is cos(lat) of a degree of latitude).
// Used by the county workspace's map tab and the county's wall screen; each passes its own colours.
import { t } from './i18n.js';
import { escapeHtml } from './html.js';
import { integer } from './numbers.js';

export const COVERAGES = ['organised', 'workCovered', 'neither'];

/** The map's GeoJSON split into what the chart draws. An enterprise of an unknown coverage counts as neither. */
export function mapLayers(geo) {
  const layers = { enterprises: { organised: [], workCovered: [], neither: [] }, stations: [], circles: [], areas: [], unplaced: geo?.unplaced ?? 0 };
  for (const f of geo?.features ?? []) {
    const p = f?.properties ?? {};
    const g = f?.geometry ?? {};
    if (g.type === 'Point' && Array.isArray(g.coordinates)) {
      const item = { value: g.coordinates.slice(0, 2), props: p };
      if (p.kind === 'enterprise') (layers.enterprises[p.coverage] ?? layers.enterprises.neither).push(item);
      else if (p.kind === 'station') layers.stations.push(item);
      else if (p.kind === 'circle') layers.circles.push(item);
    } else if (g.type === 'Polygon' && p.kind === 'circleArea' && Array.isArray(g.coordinates?.[0])) {
      layers.areas.push({ ring: g.coordinates[0], props: p });
    }
  }
  return layers;
}

/** How many enterprise points the layers draw. */
export const enterpriseCount = layers => COVERAGES.reduce((n, c) => n + layers.enterprises[c].length, 0);

/** The proposed sites of a plan (POST …/plans/stations) as points: [lon, lat] with the site. */
export const siteItems = plan => (plan?.sites ?? []).map(s => ({ value: [s.location.lon, s.location.lat], props: { kind: 'site', ...s } }));

function bounds(points) {
  const b = { minLon: Infinity, maxLon: -Infinity, minLat: Infinity, maxLat: -Infinity };
  for (const [lon, lat] of points) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    b.minLon = Math.min(b.minLon, lon); b.maxLon = Math.max(b.maxLon, lon);
    b.minLat = Math.min(b.minLat, lat); b.maxLat = Math.max(b.maxLat, lat);
  }
  return Number.isFinite(b.minLon) ? b : null;
}

/**
 * The grid's box in pixels and the lon/lat ranges its axes show, so that the points fill the box with a little room
 * and one kilometre east is as long as one north.
 */
export function frame(points, width, height, margin) {
  const w = Math.max(1, width - margin.left - margin.right);
  const h = Math.max(1, height - margin.top - margin.bottom);
  const b = bounds(points) ?? { minLon: 104.6, maxLon: 104.7, minLat: 35.0, maxLat: 35.1 };
  const k = Math.cos(((b.minLat + b.maxLat) / 2) * Math.PI / 180);
  // At least about a kilometre each way, so one point alone is not blown up to fill the box.
  const dx = Math.max((b.maxLon - b.minLon) * k, 0.01);
  const dy = Math.max(b.maxLat - b.minLat, 0.01);
  const scale = Math.min(w / dx, h / dy) / 1.08;
  const cx = (b.minLon + b.maxLon) / 2;
  const cy = (b.minLat + b.maxLat) / 2;
  const halfLon = w / scale / k / 2;
  const halfLat = h / scale / 2;
  return { grid: { left: margin.left, top: margin.top, width: w, height: h }, x: [cx - halfLon, cx + halfLon], y: [cy - halfLat, cy + halfLat] };
}

const line = (label, value) => (value === null || value === undefined || value === '' ? '' : `<br>${escapeHtml(t(label))}: ${escapeHtml(value)}`);

/** A point's tooltip: every value the data carries is escaped (ECharts writes the answer with innerHTML). */
function tooltip(params) {
  const p = params?.data?.props ?? {};
  const head = `<b>${escapeHtml(p.name ?? '')}</b>`;
  switch (p.kind) {
    case 'enterprise':
      return head + line('map.tip.creditCode', p.creditCode) + line('map.tip.coverage', t(`map.coverage.${p.coverage}`))
        + line('map.tip.township', p.township) + line('map.tip.station', p.stationId) + line('map.tip.partyMembers', integer(p.partyMembers));
    case 'station':
      return `${escapeHtml(t('map.station'))} ${head}` + line('map.tip.stationId', p.stationId);
    case 'circle':
    case 'circleArea':
      return `${escapeHtml(t('map.circle'))} ${head}` + line('map.tip.circleId', p.circleId)
        + line('map.tip.members', integer(p.members)) + line('map.tip.radius', `${integer(Math.round(p.radiusMetres ?? 0))} m`);
    case 'site':
      return `${escapeHtml(t('map.site'))} ${head}` + line('map.tip.township', p.township) + line('map.tip.links', integer(p.links));
    default:
      return head;
  }
}

/**
 * The chart's option. theme: { background, grid, text, coverage: { organised, workCovered, neither }, station, circle,
 * circleFill, site, pointSize, fontSize }; sites: siteItems(plan) or [].
 */
export function mapOption(layers, { width, height, theme, sites = [], margin = { left: 8, right: 8, top: 36, bottom: 8 } }) {
  const everything = [
    ...COVERAGES.flatMap(c => layers.enterprises[c].map(i => i.value)),
    ...layers.stations.map(i => i.value), ...layers.areas.flatMap(a => a.ring), ...sites.map(i => i.value),
  ];
  const f = frame(everything, width, height, margin);
  const names = {
    circles: t('map.legend.circles'), stations: t('map.legend.stations'), sites: t('map.legend.sites'),
    ...Object.fromEntries(COVERAGES.map(c => [c, t(`map.coverage.${c}`)])),
  };
  const axis = (range) => ({ type: 'value', min: range[0], max: range[1], show: false, scale: true });
  const areas = layers.areas;
  const series = [
    {
      id: 'circleAreas', name: names.circles, type: 'custom', coordinateSystem: 'cartesian2d', z: 1,
      itemStyle: { color: theme.circle },
      data: areas.map(a => ({ value: a.ring[0], props: a.props })),
      renderItem: (params, api) => ({
        type: 'polygon',
        shape: { points: (areas[params.dataIndex]?.ring ?? []).map(c => api.coord(c)) },
        style: { fill: theme.circleFill, stroke: theme.circle, lineWidth: 1.5 },
      }),
    },
    ...COVERAGES.map((c, i) => ({
      id: `enterprises-${c}`, name: names[c], type: 'scatter', z: 3 + i, symbolSize: theme.pointSize, large: false,
      itemStyle: { color: theme.coverage[c], opacity: 0.85 },
      data: layers.enterprises[c],
    })),
    {
      id: 'circles', name: names.circles, type: 'scatter', z: 7, symbol: 'circle', symbolSize: 4,
      itemStyle: { color: theme.circle },
      label: { show: true, position: 'top', formatter: p => p.data?.props?.name ?? '', color: theme.circle, fontSize: theme.fontSize, fontWeight: 600 },
      labelLayout: { hideOverlap: true },
      data: layers.circles,
    },
    {
      id: 'stations', name: names.stations, type: 'scatter', z: 8, symbol: 'diamond', symbolSize: theme.pointSize * 3,
      itemStyle: { color: theme.station, borderColor: theme.background, borderWidth: 1.5 },
      label: { show: true, position: 'right', formatter: p => p.data?.props?.name ?? '', color: theme.text, fontSize: theme.fontSize },
      data: layers.stations,
    },
  ];
  if (sites.length) {
    series.push({
      id: 'sites', name: names.sites, type: 'scatter', z: 9, symbol: 'pin', symbolSize: theme.pointSize * 5,
      itemStyle: { color: theme.site, borderColor: theme.background, borderWidth: 1 },
      label: { show: true, position: 'right', formatter: p => p.data?.props?.township ?? p.data?.props?.name ?? '', color: theme.text, fontSize: theme.fontSize, fontWeight: 600 },
      data: sites,
    });
  }
  return {
    animation: false,
    backgroundColor: theme.background,
    textStyle: { fontFamily: theme.font },
    grid: { ...f.grid, show: true, backgroundColor: theme.grid, borderColor: 'transparent' },
    xAxis: axis(f.x),
    yAxis: axis(f.y),
    legend: {
      top: 4, left: 'center', textStyle: { color: theme.text, fontSize: theme.fontSize },
      data: [...COVERAGES.map(c => names[c]), names.stations, names.circles, ...(sites.length ? [names.sites] : [])],
    },
    tooltip: { trigger: 'item', confine: true, formatter: tooltip },
    series,
  };
}
