/* The finder's map: markers from the JSON the page embeds. Without Leaflet or tiles the list
   under the map still shows every event, so nothing here is required to use the page. */
(function () {
  "use strict";
  var canvas = document.getElementById("carte-evenements");
  var source = document.getElementById("event-map-data");
  if (!canvas || !source || typeof window.L === "undefined") {
    return;
  }
  var markers = JSON.parse(source.textContent);
  var L = window.L;
  L.Icon.Default.imagePath = canvas.dataset.iconPath;
  // France métropolitaine by default; fitted to the markers when there are any.
  var map = L.map(canvas, { scrollWheelZoom: false }).setView([46.6, 2.4], 5);
  L.tileLayer(canvas.dataset.tileUrl, {
    maxZoom: 18,
    attribution: canvas.dataset.tileAttribution
  }).addTo(map);
  var points = [];
  markers.forEach(function (item) {
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.title;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(item.date));
    L.marker([item.lat, item.lon], { title: item.title, alt: item.title })
      .bindPopup(popup)
      .addTo(map);
    points.push([item.lat, item.lon]);
  });
  if (points.length === 1) {
    map.setView(points[0], 11);
  } else if (points.length > 1) {
    map.fitBounds(points, { padding: [24, 24], maxZoom: 12 });
  }
  canvas.dataset.markers = String(points.length);
})();
