// Swagger UI over the API's own document (served by /api/v1/openapi.json).
window.addEventListener('DOMContentLoaded', function () {
  'use strict';
  window.ui = window.SwaggerUIBundle({
    url: '/api/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    // Tries from this page go out with the browser's session: unsafe ones carry the CSRF cookie's token.
    withCredentials: true,
  });
});
