// Event form helpers; the form works without them (the commune list fills on a second step).
(function () {
  "use strict";

  function fillCommunes(select, url, code) {
    if (!/^\d{5}$/.test(code)) {
      return;
    }
    fetch(url + "?code_postal=" + encodeURIComponent(code), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { communes: [] };
      })
      .then(function (data) {
        var previous = select.value;
        select.innerHTML = "";
        var first = document.createElement("option");
        first.value = "";
        first.textContent = data.communes.length
          ? "— Choisissez la commune —"
          : "— Code postal inconnu —";
        select.appendChild(first);
        data.communes.forEach(function (commune) {
          var option = document.createElement("option");
          option.value = commune.insee;
          option.textContent = commune.name + " (" + commune.insee + ")";
          select.appendChild(option);
        });
        if (data.communes.length === 1) {
          select.value = data.communes[0].insee;
        } else if (previous) {
          select.value = previous;
        }
      })
      .catch(function () {});
  }

  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector("[data-communes-url]");
    var postal = document.getElementById("id_postal_code");
    var select = document.getElementById("id_commune_insee");
    if (picker && postal && select) {
      postal.addEventListener("input", function () {
        fillCommunes(select, picker.dataset.communesUrl, postal.value.trim());
      });
    }

    document.querySelectorAll("[data-filter-target]").forEach(function (input) {
      var list = document.getElementById(input.dataset.filterTarget);
      if (!list) {
        return;
      }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        list.querySelectorAll("label").forEach(function (label) {
          var item = label.parentElement;
          var checked = label.querySelector("input:checked");
          var match = !needle || label.textContent.toLowerCase().indexOf(needle) !== -1;
          item.hidden = !(match || checked);
        });
      });
    });
  });
})();
