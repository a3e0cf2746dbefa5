// Swagger UI on /docs, from the vendored swagger-ui-dist bundle (no CDN, no inline script).
window.ui = window.SwaggerUIBundle({
  url: document.getElementById("swagger").dataset.openapi,
  dom_id: "#swagger",
  deepLinking: false, // its links inside the operation buttons fail axe's nested-interactive
  validatorUrl: null, // the online validator badge would call validator.swagger.io
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
