// ReDoc on /redoc, from the vendored redoc bundle (no CDN, no inline script). Search is off: its
// worker would be a blob: script, which the page's Content-Security-Policy does not allow.
const root = document.getElementById("redoc");
window.Redoc.init(root.dataset.openapi, { disableSearch: true, hideDownloadButton: false,
  theme: { typography: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" } } }, root);
