// Opened from file://, Chromium does not load a CSS mask image from a file, so the icon files of
// td-icons.css would not show: turn that stylesheet off, and the theme's own data: icons apply (a page
// opened from a file has no Content-Security-Policy to refuse them). See troubledocs/csp.py.
if (location.protocol === "file:") {
  for (const link of document.querySelectorAll('link[href$="assets/stylesheets/td-icons.css"]')) {
    link.disabled = true;
  }
}
