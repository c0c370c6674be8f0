import { lang } from './i18n.js';

/** A fraction as a percentage: 0.2216 → "22.2%". */
export const percent = (fraction, digits = 1) => `${(100 * (fraction ?? 0)).toFixed(digits)}%`;

export const integer = n => (n ?? 0).toLocaleString(lang() === 'en' ? 'en-US' : 'zh-CN');

/** "113 / 509": the numerator and denominator every figure is shown with. */
export const ratio = (numerator, denominator) => `${integer(numerator)} / ${integer(denominator)}`;

/**
 * Moves an element's number to its new value over a short animation, the way a wall screen should change.
 * The element keeps the target in data-value, so a later call starts from where the last one aimed.
 */
export function animateTo(el, value, format = integer, ms = 700) {
  const from = Number(el.dataset.value ?? value);
  el.dataset.value = value;
  if (from === value || matchMedia('(prefers-reduced-motion: reduce)').matches) { el.textContent = format(value); return; }
  const start = performance.now();
  const step = now => {
    const k = Math.min(1, (now - start) / ms);
    const eased = 1 - (1 - k) ** 3;
    el.textContent = format(from + (value - from) * eased);
    if (k < 1 && Number(el.dataset.value) === value) requestAnimationFrame(step);
    else if (k >= 1) el.textContent = format(value);
  };
  requestAnimationFrame(step);
}
