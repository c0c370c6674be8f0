// The county's key figures at the top of the workspace, each with its numerator and denominator.
import { t } from './i18n.js';
import { integer, percent, ratio, animateTo } from './numbers.js';
import { el, when } from './county-util.js';

/** Whole numbers, also while a card's number moves to its new value. */
const whole = n => integer(Math.round(n));

/** The cards: what each shows as its value, and the numerator/denominator (or parts) beneath it. */
function figures(s) {
  // Every figure is the summary's own: the page computes none (county-wide linkage is summary.linkage).
  const linkage = s.linkage ?? {};
  const { linked = 0, area = 0 } = linkage;
  const target = linkage.target ?? s.linkageTarget;
  const instructors = s.instructors ?? {};
  const issues = s.issues ?? {};
  const archives = s.archives ?? {};
  const orgLife = s.orgLife ?? {};
  const development = s.development ?? {};
  const training = s.training ?? {};
  const mass = s.massOrganisations ?? {};
  const work = s.stationWork ?? {};
  const evaluations = s.evaluations ?? {};
  const assessments = s.assessments ?? {};
  const rated = (assessments.excellent ?? 0) + (assessments.competent ?? 0) + (assessments.basicallyCompetent ?? 0) + (assessments.incompetent ?? 0);
  const honours = s.honours ?? {};
  return [
    { key: 'registered', label: 'ws.fig.registered', value: s.registered, format: whole,
      parts: [['fig.base', integer(s.base)]] },
    { key: 'orgCoverage', label: 'fig.orgCoverage', value: s.orgCoverage, format: percent, num: s.orgCovered, den: s.base,
      parts: [['fig.organisations', integer(s.organisations?.total)]] },
    { key: 'standaloneRate', label: 'fig.standaloneRate', value: s.standaloneRate, format: percent, num: s.standalone, den: s.base },
    { key: 'workCoverage', label: 'fig.workCoverage', value: s.workCoverage, format: percent, num: s.workCovered, den: s.base },
    { key: 'partyMembers', label: 'fig.partyMembers', value: s.partyMembers, format: whole, num: s.partyMembers, den: s.employees,
      parts: [['ws.fig.membersShare', percent(s.membersShare, 2)]] },
    { key: 'linkage', label: 'fig.linkage', value: linkage.rate ?? 0, format: percent, num: linked, den: area,
      parts: [['fig.linkageTarget', percent(target, 0)], ['ws.fig.stationsMeeting', ratio(s.stationsMeetingTarget, s.stations)]],
      warn: area > 0 && (linkage.rate ?? 0) < target },
    { key: 'instructors', label: 'fig.instructors', value: instructors.total ?? 0, format: whole,
      parts: [['fig.fullTime', integer(instructors.fullTime)], ['fig.partTime', integer(instructors.partTime)],
        ['ws.fig.groupsBelow', integer(instructors.groupsBelowStrength ?? 0)]],
      warn: (instructors.groupsBelowStrength ?? 0) > 0 },
    { key: 'resolutionRate', label: 'fig.resolutionRate', value: issues.resolutionRate, format: percent, num: issues.resolved, den: issues.raised,
      parts: [['fig.issuesOpen', integer(issues.open)], ['fig.issuesEscalated', integer(issues.escalated)], ['fig.issuesOverdue', integer(issues.overdue)]],
      warn: (issues.overdue ?? 0) > 0 },
    { key: 'archives', label: 'fig.archives', value: archives.basicRate, format: percent, num: archives.basic, den: s.base,
      parts: [['ws.fig.featured', integer(archives.featured)]] },
    // The last closed month's: the month is shown, since the figure is not about today.
    { key: 'orgLife', label: 'fig.orgLife', value: orgLife.rate ?? 0, format: percent, num: orgLife.compliant, den: orgLife.organisations,
      parts: [['fig.orgLifeMonth', orgLife.month ?? '']] },
    // Counts only: the people behind them are the committee's and their station's to read.
    { key: 'development', label: 'fig.newProbationary', value: development.newProbationaryThisYear ?? 0, format: whole,
      parts: [['fig.newFull', integer(development.newFullThisYear ?? 0)], ['fig.activists', integer(development.activists ?? 0)],
        ['fig.candidates', integer(development.candidates ?? 0)], ['fig.developmentOverdue', integer(development.overdue ?? 0)]],
      warn: (development.overdue ?? 0) > 0 },
    // The instructors' latest annual ratings: how the county's instructors stand, rating by rating.
    { key: 'assessments', label: 'ws.fig.assessments', value: assessments.excellent ?? 0, format: whole, num: assessments.excellent ?? 0, den: rated,
      parts: [['ws.fig.ratedCompetent', integer(assessments.competent ?? 0)], ['ws.fig.ratedBasicallyCompetent', integer(assessments.basicallyCompetent ?? 0)],
        ['ws.fig.ratedIncompetent', integer(assessments.incompetent ?? 0)]],
      warn: (assessments.incompetent ?? 0) > 0 },
    { key: 'honours', label: 'ws.fig.honours', value: honours.total ?? 0, format: whole,
      parts: Object.entries(honours.byKind ?? {}).filter(([, n]) => n > 0).map(([kind, n]) => [`ws.honourKind.${kind}`, integer(n)]) },
    { key: 'contactPoints', label: 'ws.tab.contactPoints', value: s.contactPoints ?? 0, format: whole },
    { key: 'training', label: 'ws.fig.training', value: training.attendances ?? 0, format: whole,
      parts: [['ws.fig.trainingSessions', integer(training.sessions)], ['ws.f.year', String(training.year ?? '')]] },
    { key: 'massOrganisations', label: 'ws.fig.unions', value: mass.unionRate ?? 0, format: percent, num: mass.unions, den: s.base,
      parts: [['ws.fig.youthLeague', `${percent(mass.youthLeagueRate)} (${ratio(mass.youthLeague, s.base)})`]] },
    // Stations' duties of the same month; the stations outside 6–10 full-time beside them.
    { key: 'stationMeetings', label: 'fig.stationMeetings', value: work.meetingRate ?? 0, format: percent, num: work.heldMeeting, den: work.stations,
      parts: [['fig.orgLifeMonth', work.month ?? ''], ['fig.stationsOutsideStrength', integer(work.outsideStrength ?? 0)]],
      warn: (work.outsideStrength ?? 0) > 0 },
    { key: 'stationReports', label: 'fig.stationReports', value: work.reportRate ?? 0, format: percent, num: work.sentReport, den: work.stations,
      parts: [['fig.orgLifeMonth', work.month ?? '']] },
    { key: 'evaluationsGood', label: 'fig.evaluationsGood', value: evaluations.goodShare ?? 0, format: percent, num: evaluations.good, den: evaluations.evaluated,
      parts: [['fig.evaluationYear', evaluations.year == null ? '' : String(evaluations.year)], ['fig.evaluationsFairlyGood', integer(evaluations.fairlyGood ?? 0)],
        ['fig.evaluationsAverage', integer(evaluations.average ?? 0)], ['fig.evaluationsPoor', integer(evaluations.poor ?? 0)]] },
  ];
}

export class SummaryView {
  constructor() {
    this.root = el('section', { id: 'summary', className: 'summary', 'aria-labelledby': 'summary-title' });
    this.heading = el('div', { className: 'summary-head' },
      el('h2', { id: 'summary-title', i18n: 'ws.summary' }),
      this.live = el('span', { className: 'live-dot', id: 'summary-live', dataset: { state: 'connecting' } }),
      this.asOf = el('span', { className: 'as-of muted', id: 'summary-asof' }));
    this.grid = el('div', { className: 'figures' });
    this.root.append(this.heading, this.grid);
    this.cards = new Map();
    this.summary = null;
  }

  /** Shows a summary; an older one than shown is ignored (the live feed and a fetch may cross). */
  update(summary) {
    if (this.summary && summary.seq < this.summary.seq) return;
    this.summary = summary;
    this.render();
  }

  setLive(state) {
    this.live.dataset.state = state;
    this.live.textContent = t(state === 'connected' ? 'ws.live.on' : 'ws.live.off');
  }

  render() {
    const s = this.summary;
    if (!s) return;
    this.root.dataset.seq = String(s.seq);
    this.asOf.textContent = `${t('ws.asOf')} ${when(s.asOf)}`;
    if (this.live.dataset.state) this.setLive(this.live.dataset.state);
    for (const f of figures(s)) {
      let card = this.cards.get(f.key);
      if (!card) {
        card = {
          root: el('div', { className: 'figure', dataset: { figure: f.key } }),
          label: el('div', { className: 'label' }),
          value: el('div', { className: 'value' }),
          ratio: el('div', { className: 'ratio' }),
          parts: el('div', { className: 'parts' }),
        };
        card.root.append(card.label, card.value, card.ratio, card.parts);
        this.grid.append(card.root);
        this.cards.set(f.key, card);
      }
      card.label.textContent = t(f.label);
      card.root.dataset.value = String(f.value ?? 0);
      card.root.classList.toggle('warn', Boolean(f.warn));
      animateTo(card.value, Number(f.value ?? 0), f.format);
      if (f.num !== undefined) {
        card.root.dataset.num = String(f.num ?? 0);
        card.root.dataset.den = String(f.den ?? 0);
        card.ratio.textContent = ratio(f.num, f.den);
        card.ratio.title = `${t('ws.numerator')} / ${t('ws.denominator')}`;
      } else {
        card.ratio.textContent = '';
      }
      card.parts.replaceChildren(...(f.parts ?? []).map(([label, text]) => el('span', {}, `${t(label)} `, el('b', { text }))));
    }
  }
}
