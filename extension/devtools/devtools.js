// Adds the "Okta" panel to DevTools. Paths start with '/' because Chromium resolves them from
// the extension's root and Firefox from this page (MDN devtools.panels.create).
import { api } from '../lib/api.js';

api.devtools.panels.create('Okta', '/icons/icon-32.png', '/devtools/panel.html');
