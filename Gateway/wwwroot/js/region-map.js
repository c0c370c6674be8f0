// The map of a province's or a prefecture's screen: its counties' outlines (GET /api/outlines/{code}) coloured by
// organisation coverage; a click opens the county's own screen. Where the map data has no outline for a county, the
// county is still in the screen's tables and rankings; where it has none at all, the panel says so.
import { api } from './api.js';
import { t } from './i18n.js';
import { percent } from './numbers.js';
import { escapeHtml } from './html.js';

export async function regionMap(el, code, colors) {
  const chart = echarts.init(el, null, { renderer: 'svg' });
  const answer = await api(`/api/outlines/${code}`);
  const outlines = answer.ok ? answer.data : { features: [] };
  const drawn = new Set((outlines.features ?? []).map(f => f.properties.code));
  el.dataset.outlines = String(drawn.size);
  if (drawn.size === 0) {
    el.dataset.ready = 'true';
    const note = document.createElement('div');
    note.className = 'empty';
    note.dataset.empty = 'map';
    note.textContent = t('screen.map.noOutline');
    el.replaceChildren(note);
    return { update() {}, resize() {} };
  }
  echarts.registerMap(`beacon-${code}`, outlines);
  chart.on('click', params => {
    if (params.data?.county) location.href = `/screen/county/${params.data.county}`;
  });

  function update(rows) {
    const data = rows.filter(r => drawn.has(r.county)).map(r => ({ name: r.county, county: r.county, label: r.name, value: r.orgCoverage }));
    el.dataset.counties = String(data.length);
    chart.setOption({
      tooltip: {
        trigger: 'item',
        formatter: p => p.data ? `${escapeHtml(p.data.label)}<br>${escapeHtml(t('fig.orgCoverage'))} ${percent(p.data.value)}` : escapeHtml(p.name),
      },
      visualMap: {
        min: 0, max: 1, left: 8, bottom: 8, calculable: false, itemHeight: 120,
        text: ['100%', '0%'], textStyle: { color: colors.muted, fontSize: 14 },
        inRange: { color: ['#3a1f1f', '#8c3b2e', colors.gold] },
      },
      series: [{
        type: 'map', map: `beacon-${code}`, nameProperty: 'code', roam: false, selectedMode: false,
        label: { show: false }, emphasis: { label: { show: true, color: '#fff', formatter: p => p.data?.label ?? '' } },
        itemStyle: { areaColor: '#1d2a3a', borderColor: '#5b6b80', borderWidth: 0.6 },
        data,
      }],
    }, { notMerge: false });
    el.dataset.ready = 'true';
  }
  return { update, resize: () => chart.resize() };
}
