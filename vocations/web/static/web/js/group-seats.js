// The class registration form: the seats left, next to the group's size, as it is typed.
// Progressive enhancement: without this script the page states the seats left and the
// server offers the same choices when the group is larger (docs/registration.md).
(function () {
  "use strict";
  var form = document.querySelector("form[data-seats-left]");
  var note = document.getElementById("places-groupe");
  if (!form || !note) return;
  var seats;
  try {
    seats = JSON.parse(form.getAttribute("data-seats-left"));
  } catch (e) {
    return;
  }
  var pupils = form.elements.namedItem("pupils");
  var adults = form.elements.namedItem("adults");

  function count(input) {
    var value = input ? String(input.value).trim() : "";
    return /^\d{1,6}$/.test(value) ? parseInt(value, 10) : 0;
  }
  function places(n) {
    return n + (n > 1 ? " places" : " place");
  }
  function pool() {
    var checked = form.querySelector('input[name="session"]:checked');
    return checked ? checked.value : "";
  }
  function update() {
    var left = seats[pool()];
    var asked = count(pupils) + count(adults);
    var text = "";
    note.classList.remove("reg__seats-live--short");
    if (left === null || left === undefined) {
      text = "";
    } else if (left <= 0) {
      text = "Complet : le groupe sera inscrit sur liste d'attente.";
    } else if (asked > left) {
      text = "Il reste " + places(left) + ", votre groupe en demande " + asked +
        " : réduisez le groupe à " + left + " personne" + (left > 1 ? "s" : "") +
        " au plus, ou inscrivez-le en entier sur liste d'attente.";
      note.classList.add("reg__seats-live--short");
    } else if (asked > 0) {
      text = "Il reste " + places(left) + " ; votre groupe en demande " + asked + ".";
    } else {
      text = "Il reste " + places(left) + ".";
    }
    note.textContent = text;
    note.hidden = !text;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
