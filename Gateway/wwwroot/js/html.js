// For the few places that hand HTML to a library rather than build elements (ECharts writes a tooltip formatter's
// answer with innerHTML): every value the data carries goes through escapeHtml, so a name shows as the text it is.
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = value => String(value ?? '').replace(/[&<>"']/g, c => ENTITIES[c]);
