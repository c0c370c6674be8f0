import { labels } from './labels.js';

const KEY = 'beacon.lang';

/** The page language: Chinese unless the user chose English. */
export function lang() {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
}

/** The label for a key in the current language; the key itself if the dictionary lacks it, so a gap is visible. */
export function t(key) {
  const entry = labels[key];
  return entry ? entry[lang()] : key;
}

/** Fills every element carrying data-i18n (text) or data-i18n-placeholder / data-i18n-title (attributes). */
export function translate(root = document) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

/** Switches language and tells the page, which re-renders what it drew itself (charts, tables). */
export function toggleLang(onChange) {
  localStorage.setItem(KEY, lang() === 'en' ? 'zh' : 'en');
  translate();
  onChange?.();
}
