// The page a browser gets for an address that has none (the gateway answers it with 404 for any page address a
// browser asks for and the API's ProblemDetails for everyone else). A file rather than inline, as the
// Content-Security-Policy runs no inline script.
import { pageChrome } from './chrome.js';

pageChrome();
