/* The reader's book: make every sidebar toggle work (loaded by _ext/readerbook.py).
 *
 * pydata-sphinx-theme 0.17 and sphinx-book-theme 1.3 wire up only the FIRST element with the
 * class .primary-toggle (and .secondary-toggle): document.querySelector. The first one sits in
 * pydata's navbar, which sphinx-book-theme hides; the button a reader sees is the book
 * theme's own, later in the page, and it had no handler: below 992 px the chapter list could
 * not be opened, above it the sidebar could not be collapsed. Each later toggle now forwards
 * its click to the first one, whose handlers (dialog on narrow screens, collapse on wide
 * ones) then run; it stops its own click first, so a future theme that wires every toggle
 * does not get two clicks.
 */
(function () {
  function forwardToggles() {
    ["primary", "secondary"].forEach(function (side) {
      var toggles = Array.prototype.slice.call(document.querySelectorAll("." + side + "-toggle"));
      var wired = toggles[0];
      toggles.slice(1).forEach(function (toggle) {
        toggle.addEventListener(
          "click",
          function (event) {
            event.preventDefault();
            event.stopImmediatePropagation();
            wired.click();
          },
          true
        );
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", forwardToggles);
  } else {
    forwardToggles();
  }
})();
