// "Copier mon lien" on the ambassador's home page: copies the personal tracked link.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.copy);
    input.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value); } else { document.execCommand("copy"); }
    button.textContent = "Lien copié";
  });
});
