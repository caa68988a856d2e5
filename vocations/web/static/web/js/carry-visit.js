/* Carry the opaque visit key (?v=…, set by a tracked link) through this site's own links and
   forms, so a registration can be attributed without any cookie. The HTML itself never holds
   the key: cached pages stay the same for everyone. */
(function () {
  "use strict";
  var key = new URLSearchParams(window.location.search).get("v");
  if (!key || !/^(?:[A-Za-z0-9_-]{22}|[0-9a-f]{32})$/.test(key)) { return; }
  var here = window.location.origin;
  function sameSite(url) { return url.origin === here; }
  document.querySelectorAll("a[href]").forEach(function (link) {
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (!sameSite(url) || url.pathname.indexOf("/l/") === 0) { return; }
    url.searchParams.set("v", key);
    link.setAttribute("href", url.pathname + url.search + url.hash);
  });
  document.querySelectorAll("form").forEach(function (form) {
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (!sameSite(action)) { return; }
    var name = (form.method || "get").toLowerCase() === "post" ? "visit_key" : "v";
    if (form.querySelector('input[name="' + name + '"]')) { return; }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = key;
    form.appendChild(input);
  });
})();
