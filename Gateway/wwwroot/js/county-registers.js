// What the workspace knows about each register: its route and id, its table columns and filters, and its form.
import { api } from './api.js';
import { t } from './i18n.js';
import { integer } from './numbers.js';
import { el, enumLabel, day } from './county-util.js';

export const KINDS = ['enterprise', 'socialOrganisation'];
export const MODES = ['none', 'standalone', 'joint', 'affiliated'];
export const CATEGORIES = ['financing', 'labour', 'policy', 'landAndPremises', 'partyOrganisation', 'other'];
export const STATES = ['open', 'escalated', 'resolved'];
export const RATINGS = ['excellent', 'competent', 'basicallyCompetent', 'incompetent'];
export const ORG_KINDS = ['committee', 'generalBranch', 'branch', 'jointBranch'];
export const ORG_HOSTS = ['enterprise', 'joint', 'chamber', 'park', 'region', 'station'];
export const MEETING_KINDS = ['committeeMeeting', 'groupMeeting', 'memberAssembly', 'partyLecture', 'themedPartyDay', 'lifeMeeting'];
export const GENDERS = ['female', 'male'];
export const TRAINING_KINDS = ['secretaries', 'partyWorkers', 'members', 'instructors'];
export const HONOUR_KINDS = ['demonstrationSite', 'exemplar', 'pioneerOrganisation', 'pioneerPost', 'harmoniousEnterprise'];
/** A term is due for election from this many days before it ends (CountyTally.TermsDueWithin). */
export const TERMS_DUE_WITHIN_DAYS = 90;

/**
 * The stations, groups and instructors of the county, for the selects of filters and forms and for showing a
 * station's name beside its id. Reloaded after a change to one of those registers.
 */
export const refs = { county: '', stations: [], groups: [], instructors: [], organisations: [] };

async function loadAll(route) {
  const items = [];
  for (let offset = 0; offset < 5000;) {
    const r = await api(`/api/counties/${refs.county}/${route}?limit=200&sort=id&offset=${offset}`);
    if (!r.ok) return { ok: false, result: r, items };
    items.push(...r.data.items);
    offset += r.data.items.length;
    if (r.data.items.length === 0 || offset >= r.data.total) break;
  }
  return { ok: true, items };
}

export const REF_REGISTERS = ['stations', 'groups', 'instructors', 'organisations'];

export async function loadRefs(which = REF_REGISTERS) {
  const answers = await Promise.all(which.map(loadAll));
  which.forEach((route, i) => { if (answers[i].ok) refs[route] = answers[i].items; });
  return answers.every(a => a.ok);
}

const stationName = id => refs.stations.find(s => s.stationId === id)?.name;
const groupName = id => refs.groups.find(g => g.groupId === id)?.name;
const instructorName = id => refs.instructors.find(i => i.instructorId === id)?.name;
export const organisationName = id => refs.organisations.find(o => o.organisationId === id)?.name;

/** A reference cell: the id, with the name beside it when the register knows it. */
function refCell(id, nameOf) {
  if (!id) return el('span', { className: 'muted', text: '—' });
  const name = nameOf(id);
  return el('span', { title: name ?? id }, el('code', { text: id }), name ? el('span', { className: 'ref-name', text: ' ' + name }) : null);
}

const yesNo = v => t(v ? 'ws.yes' : 'ws.no');
const count = v => (v === null || v === undefined ? '' : integer(v));

/** When an organisation's term ends: its start and its years; null without a start. */
export function termEnds(o) {
  if (!o.termStartedOn) return null;
  const [y, m, d] = o.termStartedOn.split('-').map(Number);
  return `${String(y + (o.termYears ?? 3)).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether an end day (YYYY-MM-DD) falls within the days the county calls due, or has passed. */
function dueSoon(endsOn) {
  if (!endsOn) return false;
  return new Date(endsOn) - Date.now() <= TERMS_DUE_WITHIN_DAYS * 86_400_000;
}

/**
 * Where an applicant stands on the path to membership: the last step taken (DESIGN.md's stages); withdrawn ends it.
 */
export function applicantStage(a) {
  if (a.withdrawnOn) return 'withdrawn';
  if (a.fullOn) return 'full';
  if (a.probationaryOn) return 'probationary';
  if (a.candidateOn) return 'candidate';
  if (a.activistOn) return 'activist';
  return 'applicant';
}

// ---- option lists for selects: [value, label] ----
const enumOptions = (prefix, values) => () => values.map(v => [v, enumLabel(prefix, v)]);
const stationOptions = () => refs.stations.map(s => [s.stationId, `${s.stationId} ${s.name}`]);
const groupOptions = values => refs.groups
  .filter(g => !values?.stationId || g.stationId === values.stationId)
  .map(g => [g.groupId, `${g.groupId} ${g.name}`]);
const organisationOptions = () => refs.organisations.map(o => [o.organisationId, `${o.organisationId} ${o.name}`]);
/** Only a committee or a general branch has organisations under it; an organisation is never its own parent. */
const parentOptions = values => refs.organisations
  .filter(o => ['committee', 'generalBranch'].includes(o.kind) && o.organisationId !== values?.organisationId)
  .map(o => [o.organisationId, `${o.organisationId} ${o.name}`]);
const instructorOptions = values => refs.instructors
  .filter(i => !values?.stationId || !i.stationId || i.stationId === values.stationId)
  .filter(i => !values?.groupId || !i.groupId || i.groupId === values.groupId)
  .map(i => [i.instructorId, `${i.instructorId} ${i.name}（${t(i.fullTime ? 'fig.fullTime' : 'fig.partTime')}）`]);

/**
 * Each register. columns: { key, label, sort ('id'|'name'), cell(item) }. filters: { param, label, options }.
 * workbook: the server has the register as workbooks ({route}.xlsx and its template) and imports it; issues, which go
 * through steps rather than being replaced, have none.
 * fields: the form's inputs, named by the JSON path the server's `errors` use.
 * Field: { name, label, type: text|number|select|checkbox|textarea|list, options, required, min, max, step, id (the
 * register's id: read-only when editing), showIf(values), dependsOn (names whose change refills its options), wide }.
 */
export const registers = {
  enterprises: {
    route: 'enterprises', idField: 'creditCode', label: 'ws.tab.enterprises', noun: 'ws.noun.enterprise', workbook: true,
    admin: false, // station staff may change the enterprises of their own station
    columns: [
      { key: 'creditCode', label: 'ws.f.creditCode', sort: 'id', cell: e => el('code', { text: e.creditCode }) },
      { key: 'name', label: 'ws.f.name', sort: 'name', cell: e => e.name },
      { key: 'kind', label: 'ws.f.kind', cell: e => enumLabel('kind', e.kind) },
      { key: 'township', label: 'ws.f.township', cell: e => e.township ?? '' },
      { key: 'stationId', label: 'ws.f.stationId', cell: e => refCell(e.stationId, stationName) },
      { key: 'mode', label: 'ws.f.organisation.mode', cell: e => el('span', { className: `mode mode-${e.organisation?.mode}`, text: enumLabel('mode', e.organisation?.mode) }) },
      { key: 'employees', label: 'ws.f.employees', num: true, cell: e => integer(e.employees) },
      { key: 'partyMembers', label: 'ws.f.partyMembers', num: true, cell: e => integer(e.partyMembers) },
      { key: 'inBase', label: 'ws.f.inBase', cell: e => el('span', { className: e.inBase ? 'yes' : 'no', text: yesNo(e.inBase) }) },
    ],
    filters: [
      { param: 'station', label: 'ws.f.stationId', options: stationOptions },
      { param: 'mode', label: 'ws.f.organisation.mode', options: enumOptions('mode', MODES) },
      { param: 'inBase', label: 'ws.f.inBase', options: () => [['true', t('ws.inBase.true')], ['false', t('ws.inBase.false')]] },
    ],
    fields: [
      { section: 'basic', name: 'creditCode', label: 'ws.f.creditCode', type: 'text', required: true, id: true, span: 2, maxlength: 18, hint: 'ws.hint.creditCode', mono: true },
      { section: 'basic', name: 'name', label: 'ws.f.name', type: 'text', required: true, maxlength: 200, span: 2 },
      { section: 'basic', name: 'kind', label: 'ws.f.kind', type: 'select', required: true, options: enumOptions('kind', KINDS) },
      { section: 'basic', name: 'industry', label: 'ws.f.industry', type: 'text', maxlength: 100 },
      { section: 'basic', name: 'township', label: 'ws.f.township', type: 'text', maxlength: 50 },
      { section: 'basic', name: 'aboveDesignatedSize', label: 'ws.f.aboveDesignatedSize', type: 'checkbox' },
      { section: 'org', name: 'employees', label: 'ws.f.employees', type: 'number', required: true, min: 0, step: 1 },
      { section: 'org', name: 'partyMembers', label: 'ws.f.partyMembers', type: 'number', required: true, min: 0, step: 1 },
      { section: 'org', name: 'organisation.mode', label: 'ws.f.organisation.mode', type: 'select', required: true, options: enumOptions('mode', MODES) },
      { section: 'org', name: 'organisation.organisationId', label: 'ws.f.organisation.organisationId', type: 'text', showIf: v => v['organisation.mode'] && v['organisation.mode'] !== 'none' },
      { section: 'org', name: 'demonstrationPosts', label: 'ws.f.demonstrationPosts', type: 'number', min: 0, step: 1 },
      { section: 'org', name: 'responsibilityZones', label: 'ws.f.responsibilityZones', type: 'number', min: 0, step: 1 },
      { section: 'org', name: 'union', label: 'ws.f.union', type: 'checkbox' },
      { section: 'org', name: 'youthLeague', label: 'ws.f.youthLeague', type: 'checkbox' },
      { section: 'basic', name: 'inBase', label: 'ws.f.inBase', type: 'checkbox', default: true },
      { section: 'basic', name: 'exclusionReason', label: 'ws.f.exclusionReason', type: 'text', maxlength: 200, span: 2, showIf: v => !v.inBase },
      { section: 'guidance', name: 'stationId', label: 'ws.f.stationId', type: 'select', options: stationOptions },
      { section: 'guidance', name: 'groupId', label: 'ws.f.groupId', type: 'select', options: groupOptions, dependsOn: ['stationId'] },
      { section: 'guidance', name: 'instructorId', label: 'ws.f.instructorId', type: 'select', options: instructorOptions, dependsOn: ['stationId', 'groupId'] },
      { section: 'archive', name: 'archive.basic', label: 'ws.f.archive.basic', type: 'checkbox' },
      { section: 'archive', name: 'archive.featured', label: 'ws.f.archive.featured', type: 'checkbox' },
      { section: 'archive', name: 'location.lat', label: 'ws.f.location.lat', type: 'number', min: -90, max: 90, step: 'any' },
      { section: 'archive', name: 'location.lon', label: 'ws.f.location.lon', type: 'number', min: -180, max: 180, step: 'any' },
    ],
    /** Nested parts the form sends as null when all their inputs are empty or off. */
    optionalGroups: { location: ['lat', 'lon'], archive: ['basic', 'featured'] },
    summary: e => [
      ['ws.f.creditCode', e.creditCode], ['ws.f.name', e.name], ['ws.f.kind', enumLabel('kind', e.kind)],
      ['ws.f.industry', e.industry], ['ws.f.township', e.township],
      ['ws.f.aboveDesignatedSize', yesNo(e.aboveDesignatedSize)],
      ['ws.f.employees', integer(e.employees)], ['ws.f.partyMembers', integer(e.partyMembers)],
      ['ws.f.organisation.mode', enumLabel('mode', e.organisation?.mode)], ['ws.f.organisation.organisationId', e.organisation?.organisationId],
      ['ws.f.inBase', yesNo(e.inBase)], ['ws.f.exclusionReason', e.exclusionReason],
      ['ws.f.stationId', e.stationId && `${e.stationId} ${stationName(e.stationId) ?? ''}`],
      ['ws.f.groupId', e.groupId && `${e.groupId} ${groupName(e.groupId) ?? ''}`],
      ['ws.f.instructorId', e.instructorId && `${e.instructorId} ${instructorName(e.instructorId) ?? ''}`],
      ['ws.f.archive.basic', yesNo(e.archive?.basic)], ['ws.f.archive.featured', yesNo(e.archive?.featured)],
      ['ws.f.demonstrationPosts', integer(e.demonstrationPosts)], ['ws.f.responsibilityZones', integer(e.responsibilityZones)],
      ['ws.f.union', yesNo(e.union)], ['ws.f.youthLeague', yesNo(e.youthLeague)],
      ['ws.f.location', e.location ? `${e.location.lat}, ${e.location.lon}` : null],
    ],
  },

  stations: {
    route: 'stations', idField: 'stationId', label: 'ws.tab.stations', noun: 'ws.noun.station', admin: true, workbook: true,
    activity: 'station',
    columns: [
      { key: 'stationId', label: 'ws.f.stationId.id', sort: 'id', cell: s => el('code', { text: s.stationId }) },
      { key: 'name', label: 'ws.f.name', sort: 'name', cell: s => s.name },
      { key: 'townships', label: 'ws.f.townships', cell: s => (s.townships ?? []).join('、') },
      { key: 'chief', label: 'ws.f.chief', cell: s => s.chief ?? '' },
      { key: 'deputy', label: 'ws.f.deputy', cell: s => s.deputy ?? '' },
      { key: 'branch', label: 'ws.f.branch.members', num: true, cell: s => (s.branch ? integer(s.branch.members) : '—') },
    ],
    filters: [],
    fields: [
      { name: 'stationId', label: 'ws.f.stationId.id', type: 'text', required: true, id: true, maxlength: 50, mono: true },
      { name: 'name', label: 'ws.f.name', type: 'text', required: true, maxlength: 100 },
      { name: 'townships', label: 'ws.f.townships', type: 'list', required: true, hint: 'ws.hint.townships', wide: true },
      { name: 'chief', label: 'ws.f.chief', type: 'text', maxlength: 50 },
      { name: 'deputy', label: 'ws.f.deputy', type: 'text', maxlength: 50 },
      { name: 'address', label: 'ws.f.address', type: 'text', maxlength: 200, wide: true },
      { name: 'branch.members', label: 'ws.f.branch.members', type: 'number', min: 0, step: 1 },
      { name: 'branch.applications', label: 'ws.f.branch.applications', type: 'number', min: 0, step: 1 },
      { name: 'branch.surfaced', label: 'ws.f.branch.surfaced', type: 'number', min: 0, step: 1 },
    ],
    optionalGroups: { branch: ['members', 'applications', 'surfaced'] },
    summary: s => [
      ['ws.f.stationId.id', s.stationId], ['ws.f.name', s.name], ['ws.f.townships', (s.townships ?? []).join('、')],
      ['ws.f.chief', s.chief], ['ws.f.deputy', s.deputy], ['ws.f.address', s.address],
      ['ws.f.branch.members', s.branch ? integer(s.branch.members) : null],
      ['ws.f.branch.applications', s.branch ? integer(s.branch.applications) : null],
      ['ws.f.branch.surfaced', s.branch ? integer(s.branch.surfaced ?? 0) : null],
    ],
  },

  groups: {
    route: 'groups', idField: 'groupId', label: 'ws.tab.groups', noun: 'ws.noun.group', admin: true, workbook: true,
    columns: [
      { key: 'groupId', label: 'ws.f.groupId.id', sort: 'id', cell: g => el('code', { text: g.groupId }) },
      { key: 'name', label: 'ws.f.name', sort: 'name', cell: g => g.name },
      { key: 'stationId', label: 'ws.f.stationId', cell: g => refCell(g.stationId, stationName) },
      { key: 'members', label: 'ws.f.groupMembers', num: true, cell: g => {
        const members = refs.instructors.filter(i => i.groupId === g.groupId);
        const full = members.filter(i => i.fullTime).length;
        return el('span', { className: full < 2 ? 'below' : '', title: t('fig.groupsBelow') },
          `${integer(full)} ${t('fig.fullTime')} · ${integer(members.length - full)} ${t('fig.partTime')}`);
      } },
    ],
    filters: [{ param: 'station', label: 'ws.f.stationId', options: stationOptions }],
    fields: [
      { name: 'groupId', label: 'ws.f.groupId.id', type: 'text', required: true, id: true, maxlength: 50, mono: true },
      { name: 'name', label: 'ws.f.name', type: 'text', required: true, maxlength: 100 },
      { name: 'stationId', label: 'ws.f.stationId', type: 'select', required: true, options: stationOptions },
    ],
    summary: g => [
      ['ws.f.groupId.id', g.groupId], ['ws.f.name', g.name],
      ['ws.f.stationId', g.stationId && `${g.stationId} ${stationName(g.stationId) ?? ''}`],
    ],
  },

  instructors: {
    route: 'instructors', idField: 'instructorId', label: 'ws.tab.instructors', noun: 'ws.noun.instructor', admin: true, workbook: true,
    activity: 'instructor',
    columns: [
      { key: 'instructorId', label: 'ws.f.instructorId.id', sort: 'id', cell: i => el('code', { text: i.instructorId }) },
      { key: 'name', label: 'ws.f.name', sort: 'name', cell: i => i.name },
      { key: 'fullTime', label: 'ws.f.fullTime', cell: i => t(i.fullTime ? 'fig.fullTime' : 'fig.partTime') },
      { key: 'sourceUnit', label: 'ws.f.sourceUnit', cell: i => i.sourceUnit ?? '' },
      { key: 'stationId', label: 'ws.f.stationId', cell: i => refCell(i.stationId, stationName) },
      { key: 'groupId', label: 'ws.f.groupId', cell: i => (i.groupId ? el('code', { text: i.groupId }) : '—') },
      { key: 'rating', label: 'ws.f.rating', cell: i => enumLabel('rating', i.rating) || '—' },
      { key: 'dutyDaysPerWeek', label: 'ws.f.dutyDaysPerWeek', num: true, cell: i => integer(i.dutyDaysPerWeek) },
    ],
    filters: [{ param: 'station', label: 'ws.f.stationId', options: stationOptions }],
    fields: [
      { name: 'instructorId', label: 'ws.f.instructorId.id', type: 'text', required: true, id: true, maxlength: 50, mono: true },
      { name: 'name', label: 'ws.f.name', type: 'text', required: true, maxlength: 50 },
      { name: 'fullTime', label: 'ws.f.fullTime', type: 'select', required: true, boolean: true,
        options: () => [['true', t('fig.fullTime')], ['false', t('fig.partTime')]] },
      { name: 'sourceUnit', label: 'ws.f.sourceUnit', type: 'text', maxlength: 50, hint: 'ws.hint.sourceUnit' },
      { name: 'stationId', label: 'ws.f.stationId', type: 'select', options: stationOptions },
      { name: 'groupId', label: 'ws.f.groupId', type: 'select', options: groupOptions, dependsOn: ['stationId'] },
      { name: 'rating', label: 'ws.f.rating', type: 'select', options: enumOptions('rating', RATINGS) },
      { name: 'dutyDaysPerWeek', label: 'ws.f.dutyDaysPerWeek', type: 'number', min: 0, max: 7, step: 1 },
    ],
    summary: i => [
      ['ws.f.instructorId.id', i.instructorId], ['ws.f.name', i.name], ['ws.f.fullTime', t(i.fullTime ? 'fig.fullTime' : 'fig.partTime')],
      ['ws.f.sourceUnit', i.sourceUnit],
      ['ws.f.stationId', i.stationId && `${i.stationId} ${stationName(i.stationId) ?? ''}`],
      ['ws.f.groupId', i.groupId && `${i.groupId} ${groupName(i.groupId) ?? ''}`],
      ['ws.f.rating', enumLabel('rating', i.rating)], ['ws.f.dutyDaysPerWeek', integer(i.dutyDaysPerWeek)],
    ],
  },

  issues: {
    route: 'issues', idField: 'id', label: 'ws.tab.issues', noun: 'ws.noun.issue', admin: false, issues: true,
    defaultSort: '-id',
    columns: [
      { key: 'id', label: 'ws.f.issueId', sort: 'id', cell: i => el('code', { text: i.id }) },
      { key: 'creditCode', label: 'ws.f.enterprise', cell: i => el('code', { text: i.creditCode }) },
      { key: 'category', label: 'ws.f.category', cell: i => enumLabel('category', i.category) },
      { key: 'text', label: 'ws.f.text', cell: i => el('span', { className: 'clip', title: i.text, text: i.text }) },
      { key: 'state', label: 'ws.f.state', cell: i => el('span', { className: `state state-${i.state}`, dataset: { state: i.state }, text: enumLabel('state', i.state) }) },
      { key: 'stationId', label: 'ws.f.stationId', cell: i => refCell(i.stationId, stationName) },
      { key: 'raisedAt', label: 'ws.f.raisedAt', cell: i => day(i.raisedAt) },
      { key: 'deadline', label: 'ws.f.deadline', cell: i => {
        const overdue = i.state !== 'resolved' && new Date(i.deadline) < new Date();
        return el('span', { className: overdue ? 'overdue' : '' }, day(i.deadline), overdue ? el('span', { className: 'tag', i18n: 'fig.issuesOverdue' }) : null);
      } },
    ],
    filters: [
      { param: 'state', label: 'ws.f.state', options: enumOptions('state', STATES) },
      { param: 'station', label: 'ws.f.stationId', options: stationOptions },
    ],
    fields: [
      { name: 'creditCode', label: 'ws.f.enterprise', type: 'enterprise', required: true, hint: 'ws.hint.enterprise', mono: true, wide: true },
      { name: 'category', label: 'ws.f.category', type: 'select', required: true, options: enumOptions('category', CATEGORIES) },
      { name: 'text', label: 'ws.f.text', type: 'textarea', required: true, maxlength: 2000, wide: true },
    ],
  },
};

Object.assign(registers, {
  organisations: {
    route: 'organisations', idField: 'organisationId', label: 'ws.tab.organisations', noun: 'ws.noun.organisation', admin: true, workbook: true,
    tree: { parent: 'parentId' },
    treeNote: o => [enumLabel('orgKind', o.kind), o.counts?.enterprises ? `${integer(o.counts.enterprises)} ${t('ws.f.coveredEnterprises')}` : null].filter(Boolean).join(' · '),
    activity: 'organisation',
    /** Fields whose values the history shows by their labels: the prefix of each value's label. */
    enums: { kind: 'orgKind', host: 'host' },
    columns: [
      { key: 'organisationId', label: 'ws.f.organisationId.id', sort: 'id', cell: o => el('code', { text: o.organisationId }) },
      { key: 'name', label: 'ws.f.name', sort: 'name', cell: o => o.name },
      { key: 'kind', label: 'ws.f.orgKind', cell: o => enumLabel('orgKind', o.kind) },
      { key: 'host', label: 'ws.f.host', cell: o => enumLabel('host', o.host) },
      { key: 'parentId', label: 'ws.f.parentId', cell: o => refCell(o.parentId, organisationName) },
      { key: 'stationId', label: 'ws.f.stationId', cell: o => refCell(o.stationId, stationName) },
      { key: 'secretary', label: 'ws.f.secretary', cell: o => o.secretary ?? '' },
      { key: 'termEnds', label: 'ws.f.termEnds', cell: o => {
        const ends = termEnds(o);
        return ends ? el('span', { className: dueSoon(ends) ? 'overdue' : '', title: dueSoon(ends) ? t('fig.termsDue') : '', text: ends }) : '—';
      } },
      { key: 'enterprises', label: 'ws.f.coveredEnterprises', num: true, cell: o => count(o.counts?.enterprises) },
    ],
    filters: [
      { param: 'kind', label: 'ws.f.orgKind', options: enumOptions('orgKind', ORG_KINDS) },
      { param: 'host', label: 'ws.f.host', options: enumOptions('host', ORG_HOSTS) },
      { param: 'station', label: 'ws.f.stationId', options: stationOptions },
      { param: 'parent', label: 'ws.f.parentId', options: parentOptions },
    ],
    fields: [
      { name: 'organisationId', label: 'ws.f.organisationId.id', type: 'text', required: true, id: true, maxlength: 40, mono: true },
      { name: 'name', label: 'ws.f.name', type: 'text', required: true, maxlength: 200, wide: true },
      { name: 'kind', label: 'ws.f.orgKind', type: 'select', required: true, options: enumOptions('orgKind', ORG_KINDS) },
      { name: 'host', label: 'ws.f.host', type: 'select', required: true, options: enumOptions('host', ORG_HOSTS) },
      { name: 'parentId', label: 'ws.f.parentId', type: 'select', options: parentOptions, dependsOn: ['organisationId'] },
      { name: 'stationId', label: 'ws.f.stationId', type: 'select', options: stationOptions },
      { name: 'secretary', label: 'ws.f.secretary', type: 'text', maxlength: 50 },
      { name: 'secretaryIsOwner', label: 'ws.f.secretaryIsOwner', type: 'checkbox' },
      { name: 'establishedOn', label: 'ws.f.establishedOn', type: 'date' },
      { name: 'termStartedOn', label: 'ws.f.termStartedOn', type: 'date' },
      { name: 'termYears', label: 'ws.f.termYears', type: 'number', required: true, min: 1, max: 5, step: 1, default: 3 },
    ],
    summary: o => [
      ['ws.f.organisationId.id', o.organisationId], ['ws.f.name', o.name], ['ws.f.orgKind', enumLabel('orgKind', o.kind)],
      ['ws.f.host', enumLabel('host', o.host)],
      ['ws.f.parentId', o.parentId && `${o.parentId} ${organisationName(o.parentId) ?? ''}`],
      ['ws.f.stationId', o.stationId && `${o.stationId} ${stationName(o.stationId) ?? ''}`],
      ['ws.f.secretary', o.secretary], ['ws.f.secretaryIsOwner', yesNo(o.secretaryIsOwner)],
      ['ws.f.establishedOn', o.establishedOn], ['ws.f.termStartedOn', o.termStartedOn], ['ws.f.termYears', count(o.termYears)],
      ['ws.f.termEnds', termEnds(o)], ['ws.f.coveredEnterprises', count(o.counts?.enterprises)],
    ],
  },

  applicants: {
    route: 'applicants', idField: 'applicantId', label: 'ws.tab.applicants', noun: 'ws.noun.applicant', admin: false, workbook: true,
    // Names and birth years: the county committee and the hosting station only (the server answers 403 to others).
    personal: true,
    columns: [
      { key: 'applicantId', label: 'ws.f.applicantId.id', sort: 'id', cell: a => el('code', { text: a.applicantId }) },
      { key: 'name', label: 'ws.f.personName', sort: 'name', cell: a => a.name },
      { key: 'gender', label: 'ws.f.gender', cell: a => enumLabel('gender', a.gender) },
      { key: 'birthYear', label: 'ws.f.birthYear', cell: a => String(a.birthYear ?? '') },
      { key: 'organisationId', label: 'ws.f.developingOrganisation', cell: a => refCell(a.organisationId, organisationName) },
      { key: 'stage', label: 'ws.f.stage', cell: a => el('span', { className: `stage stage-${applicantStage(a)}`, text: enumLabel('stage', applicantStage(a)) }) },
      { key: 'appliedOn', label: 'ws.f.appliedOn', cell: a => a.appliedOn ?? '' },
    ],
    filters: [{ param: 'station', label: 'ws.f.stationId', options: stationOptions }],
    fields: [
      { section: 'person', name: 'applicantId', label: 'ws.f.applicantId.id', type: 'text', required: true, id: true, maxlength: 40, mono: true },
      { section: 'person', name: 'name', label: 'ws.f.personName', type: 'text', required: true, maxlength: 50 },
      { section: 'person', name: 'gender', label: 'ws.f.gender', type: 'select', required: true, options: enumOptions('gender', GENDERS) },
      { section: 'person', name: 'birthYear', label: 'ws.f.birthYear', type: 'number', required: true, min: 1900, max: 2100, step: 1 },
      { section: 'person', name: 'organisationId', label: 'ws.f.developingOrganisation', type: 'select', required: true, options: organisationOptions },
      { section: 'person', name: 'stationId', label: 'ws.f.stationId', type: 'select', options: stationOptions },
      { section: 'person', name: 'creditCode', label: 'ws.f.enterprise', type: 'enterprise', mono: true },
      { section: 'path', name: 'appliedOn', label: 'ws.f.appliedOn', type: 'date', required: true },
      { section: 'path', name: 'talkedOn', label: 'ws.f.talkedOn', type: 'date' },
      { section: 'path', name: 'activistOn', label: 'ws.f.activistOn', type: 'date' },
      { section: 'path', name: 'candidateOn', label: 'ws.f.candidateOn', type: 'date' },
      { section: 'path', name: 'probationaryOn', label: 'ws.f.probationaryOn', type: 'date' },
      { section: 'path', name: 'extendedMonths', label: 'ws.f.extendedMonths', type: 'number', min: 6, max: 12, step: 1, nullable: true },
      { section: 'path', name: 'fullOn', label: 'ws.f.fullOn', type: 'date' },
      { section: 'path', name: 'withdrawnOn', label: 'ws.f.withdrawnOn', type: 'date' },
    ],
    summary: a => [
      ['ws.f.applicantId.id', a.applicantId], ['ws.f.personName', a.name], ['ws.f.gender', enumLabel('gender', a.gender)],
      ['ws.f.birthYear', a.birthYear], ['ws.f.stage', enumLabel('stage', applicantStage(a))],
      ['ws.f.developingOrganisation', a.organisationId && `${a.organisationId} ${organisationName(a.organisationId) ?? ''}`],
      ['ws.f.stationId', a.stationId && `${a.stationId} ${stationName(a.stationId) ?? ''}`], ['ws.f.enterprise', a.creditCode],
      ['ws.f.appliedOn', a.appliedOn], ['ws.f.talkedOn', a.talkedOn], ['ws.f.activistOn', a.activistOn],
      ['ws.f.candidateOn', a.candidateOn], ['ws.f.probationaryOn', a.probationaryOn], ['ws.f.extendedMonths', a.extendedMonths],
      ['ws.f.fullOn', a.fullOn], ['ws.f.withdrawnOn', a.withdrawnOn],
    ],
  },

  trainings: {
    route: 'trainings', idField: 'trainingId', label: 'ws.tab.trainings', noun: 'ws.noun.training', admin: true, workbook: true,
    enums: { kind: 'trainingKind' },
    columns: [
      { key: 'trainingId', label: 'ws.f.trainingId.id', sort: 'id', cell: x => el('code', { text: x.trainingId }) },
      { key: 'name', label: 'ws.f.trainingName', sort: 'name', cell: x => x.name },
      { key: 'kind', label: 'ws.f.trainingKind', cell: x => enumLabel('trainingKind', x.kind) },
      { key: 'startsOn', label: 'ws.f.startsOn', cell: x => x.startsOn ?? '' },
      { key: 'days', label: 'ws.f.days', num: true, cell: x => count(x.days) },
      { key: 'hours', label: 'ws.f.hours', num: true, cell: x => count(x.hours) },
      { key: 'attendances', label: 'ws.f.attendances', num: true, cell: x => count(x.attendances) },
      { key: 'organiser', label: 'ws.f.organiser', cell: x => x.organiser ?? '' },
    ],
    filters: [{ param: 'kind', label: 'ws.f.trainingKind', options: enumOptions('trainingKind', TRAINING_KINDS) }],
    fields: [
      { name: 'trainingId', label: 'ws.f.trainingId.id', type: 'text', required: true, id: true, maxlength: 40, mono: true },
      { name: 'name', label: 'ws.f.trainingName', type: 'text', required: true, maxlength: 200, wide: true },
      { name: 'kind', label: 'ws.f.trainingKind', type: 'select', required: true, options: enumOptions('trainingKind', TRAINING_KINDS) },
      { name: 'startsOn', label: 'ws.f.startsOn', type: 'date', required: true },
      { name: 'days', label: 'ws.f.days', type: 'number', required: true, min: 1, step: 1 },
      { name: 'hours', label: 'ws.f.hours', type: 'number', required: true, min: 0, step: 'any' },
      { name: 'attendances', label: 'ws.f.attendances', type: 'number', required: true, min: 0, step: 1 },
      { name: 'organiser', label: 'ws.f.organiser', type: 'text', maxlength: 100 },
    ],
    summary: x => [
      ['ws.f.trainingId.id', x.trainingId], ['ws.f.trainingName', x.name], ['ws.f.trainingKind', enumLabel('trainingKind', x.kind)],
      ['ws.f.startsOn', x.startsOn], ['ws.f.days', count(x.days)], ['ws.f.hours', x.hours], ['ws.f.attendances', count(x.attendances)],
      ['ws.f.organiser', x.organiser],
    ],
  },

  honours: {
    route: 'honours', idField: 'honourId', label: 'ws.tab.honours', noun: 'ws.noun.honour', admin: true, workbook: true,
    enums: { kind: 'honourKind' },
    columns: [
      { key: 'honourId', label: 'ws.f.honourId.id', sort: 'id', cell: x => el('code', { text: x.honourId }) },
      { key: 'name', label: 'ws.f.honourName', sort: 'name', cell: x => x.name },
      { key: 'kind', label: 'ws.f.honourKind', cell: x => enumLabel('honourKind', x.kind) },
      { key: 'year', label: 'ws.f.year', cell: x => String(x.year ?? '') },
      { key: 'awardedBy', label: 'ws.f.awardedBy', cell: x => x.awardedBy ?? '' },
      { key: 'creditCode', label: 'ws.f.enterprise', cell: x => (x.creditCode ? el('code', { text: x.creditCode }) : '—') },
      { key: 'organisationId', label: 'ws.f.organisation', cell: x => refCell(x.organisationId, organisationName) },
    ],
    filters: [{ param: 'kind', label: 'ws.f.honourKind', options: enumOptions('honourKind', HONOUR_KINDS) }],
    fields: [
      { name: 'honourId', label: 'ws.f.honourId.id', type: 'text', required: true, id: true, maxlength: 40, mono: true },
      { name: 'name', label: 'ws.f.honourName', type: 'text', required: true, maxlength: 200, wide: true },
      { name: 'kind', label: 'ws.f.honourKind', type: 'select', required: true, options: enumOptions('honourKind', HONOUR_KINDS) },
      { name: 'year', label: 'ws.f.year', type: 'number', required: true, min: 1949, max: 2100, step: 1 },
      { name: 'awardedBy', label: 'ws.f.awardedBy', type: 'text', required: true, maxlength: 100 },
      { name: 'creditCode', label: 'ws.f.enterprise', type: 'enterprise', mono: true, wide: true },
      { name: 'organisationId', label: 'ws.f.organisation', type: 'select', options: organisationOptions },
    ],
    summary: x => [
      ['ws.f.honourId.id', x.honourId], ['ws.f.honourName', x.name], ['ws.f.honourKind', enumLabel('honourKind', x.kind)],
      ['ws.f.year', x.year], ['ws.f.awardedBy', x.awardedBy], ['ws.f.enterprise', x.creditCode],
      ['ws.f.organisation', x.organisationId && `${x.organisationId} ${organisationName(x.organisationId) ?? ''}`],
    ],
  },

  contactPoints: {
    route: 'contactPoints', idField: 'contactPointId', label: 'ws.tab.contactPoints', noun: 'ws.noun.contactPoint', admin: true, workbook: true,
    columns: [
      { key: 'contactPointId', label: 'ws.f.contactPointId.id', sort: 'id', cell: x => el('code', { text: x.contactPointId }) },
      { key: 'cadre', label: 'ws.f.cadre', sort: 'name', cell: x => x.cadre },
      { key: 'position', label: 'ws.f.position', cell: x => x.position ?? '' },
      { key: 'creditCode', label: 'ws.f.enterprise', cell: x => (x.creditCode ? el('code', { text: x.creditCode }) : '—') },
      { key: 'organisationId', label: 'ws.f.organisation', cell: x => refCell(x.organisationId, organisationName) },
      { key: 'since', label: 'ws.f.since', cell: x => x.since ?? '' },
    ],
    filters: [],
    fields: [
      { name: 'contactPointId', label: 'ws.f.contactPointId.id', type: 'text', required: true, id: true, maxlength: 40, mono: true },
      { name: 'cadre', label: 'ws.f.cadre', type: 'text', required: true, maxlength: 50 },
      { name: 'position', label: 'ws.f.position', type: 'text', required: true, maxlength: 100 },
      { name: 'creditCode', label: 'ws.f.enterprise', type: 'enterprise', mono: true, wide: true },
      { name: 'organisationId', label: 'ws.f.organisation', type: 'select', options: organisationOptions },
      { name: 'since', label: 'ws.f.since', type: 'date', required: true },
    ],
    summary: x => [
      ['ws.f.contactPointId.id', x.contactPointId], ['ws.f.cadre', x.cadre], ['ws.f.position', x.position],
      ['ws.f.enterprise', x.creditCode],
      ['ws.f.organisation', x.organisationId && `${x.organisationId} ${organisationName(x.organisationId) ?? ''}`],
      ['ws.f.since', x.since],
    ],
  },
});

export const order = ['enterprises', 'organisations', 'stations', 'groups', 'instructors', 'issues', 'applicants', 'trainings', 'honours', 'contactPoints'];
