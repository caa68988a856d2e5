// Phone menu: a disclosure button opens and closes the main navigation. Without this script the
// button stays hidden and the menu open; on wide screens CSS hides the button and shows the menu.
(function () {
  "use strict";
  function setUp(toggle) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    toggle.hidden = false;
    toggle.closest("nav").classList.add("main-nav--collapsible");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }
  document.querySelectorAll(".main-nav__toggle").forEach(setUp);
})();
