import { t, translate, toggleLang, lang } from './i18n.js';
import { claims, signOut } from './session.js';

/**
 * The strip at the top of every page: whose scope this is, the language toggle, sign-out.
 * `onLangChange` re-renders what the page drew itself.
 */
export function pageChrome(onLangChange) {
  const bar = document.createElement('header');
  bar.className = 'chrome';
  const c = claims();
  const who = c ? `${t('role.' + c.role)} · ${c.scope}${c.station ? ' · ' + c.station : ''}` : t('scope.none');
  bar.innerHTML = `<span class="brand" data-i18n="app.name"></span>
    <span class="who"><span data-i18n="scope.label"></span>: <b id="scope-who"></b></span>
    <button type="button" id="lang-toggle" data-i18n="lang.toggle"></button>
    <button type="button" id="sign-out" data-i18n="signout"></button>`;
  document.body.prepend(bar);
  bar.querySelector('#scope-who').textContent = who;
  bar.querySelector('#lang-toggle').addEventListener('click', () => toggleLang(() => {
    bar.querySelector('#scope-who').textContent = c ? `${t('role.' + c.role)} · ${c.scope}${c.station ? ' · ' + c.station : ''}` : t('scope.none');
    onLangChange?.();
  }));
  bar.querySelector('#sign-out').addEventListener('click', signOut);
  translate();
  return { lang };
}
