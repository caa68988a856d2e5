/* CSRF token for public POST forms on cached pages (docs/public-site.md).
   A public page is the same for everyone, so it cannot hold the token. A form marked
   data-csrf-url="/jeton-csrf.json" gets it here, when the visitor first interacts with the form,
   and again just before it is sent. Without script the server answers with a French error that
   asks to reload the page. */
(function () {
  "use strict";

  function fill(form) {
    var url = form.getAttribute("data-csrf-url");
    if (!url) {
      return Promise.resolve();
    }
    return fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "csrfmiddlewaretoken";
          form.appendChild(input);
        }
        input.value = data.token;
        // Anti-bot start time (registration/guard.py): kept if the page already holds one.
        var started = form.querySelector('input[name="form_started"]');
        if (started && !started.value && data.form_started) {
          started.value = data.form_started;
        }
        form.setAttribute("data-csrf-ready", "true");
      });
  }

  document.querySelectorAll("form[data-csrf-url]").forEach(function (form) {
    form.addEventListener("focusin", function once() {
      form.removeEventListener("focusin", once);
      fill(form);
    });
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-csrf-ready") === "true") {
        return;
      }
      event.preventDefault();
      fill(form).then(function () { form.submit(); });
    });
  });
})();
