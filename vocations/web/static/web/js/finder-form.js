// The finder's GET form: leave empty fields out of the address, so that a search reads
// /evenements/?departement=69 rather than a line of empty parameters. The server redirects
// to the same clean address when this script does not run (vocations/web/events/views.py).
(function () {
  "use strict";
  document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var postal = form.elements.namedItem(form.dataset.postalCode);
      var noPostalCode = !postal || !postal.value.trim();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.disabled) {
          return;
        }
        var empty = typeof field.value === "string" && field.value.trim() === "";
        var idleRadius = field.name === form.dataset.radius && noPostalCode;
        if (empty || idleRadius) {
          // Disabled fields are not submitted; re-enabled once the page is left, so the
          // back button finds the form as it was.
          field.disabled = true;
          window.setTimeout(function () {
            field.disabled = false;
          }, 0);
        }
      });
    });
  });
})();
