/* Check-in at the door: camera QR scanning and a resilient send queue.
 *
 * Without this script the page still works: the typed-code form posts to the server.
 * With it, every scan (camera or typed) and every attendance correction goes into a queue,
 * kept in localStorage, and is posted with fetch to the JSON endpoints, one at a time, with a
 * timeout. What the network loses is resent later with the same scan id: the server answers a
 * resent scan as the original one, so nothing is counted twice.
 * QR codes: the browser's BarcodeDetector when it reads QR codes, else jsQR (loaded only then)
 * on camera frames.
 */
(function () {
  "use strict";

  var root = document.getElementById("checkin");
  if (!root || !window.fetch || !window.URLSearchParams) return;

  var TIMEOUT_MS = 8000;
  var RETRY_MIN_MS = 2000;
  var RETRY_MAX_MS = 30000;
  var SAME_CODE_PAUSE_MS = 4000;
  var storageKey = "vocations-checkin-" + root.getAttribute("data-event");
  var scanUrl = root.getAttribute("data-scan-url");
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("id_ticket");
  var panel = document.getElementById("checkin-result");
  var network = document.getElementById("checkin-network");
  var logBox = document.getElementById("checkin-log-box");
  var log = document.getElementById("checkin-log");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  var queue = load();
  var sending = false;
  var waitingForNetwork = false;
  var stopped = false; // signed out: wait for a reload after signing in again
  var retryDelay = RETRY_MIN_MS;
  var retryTimer = null;

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(queue));
    } catch (e) {
      /* private mode or full storage: the queue still lives in memory */
    }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function showNetwork() {
    var n = queue.length;
    if (stopped) {
      network.textContent = "Session expirée : reconnectez-vous (" + n + " en attente).";
    } else if (waitingForNetwork && n) {
      network.textContent =
        "⏳ En attente de réseau : " + n + (n > 1 ? " envois" : " envoi") +
        " en attente, renvoi automatique.";
    } else if (n) {
      network.textContent = "Envoi…";
    } else {
      network.textContent = "";
    }
  }

  function showPanel(status, headline) {
    panel.innerHTML = "";
    var box = document.createElement("div");
    box.className = "ci-result ci-result--" + status;
    box.setAttribute("data-status", status);
    var p = document.createElement("p");
    p.className = "ci-result__headline";
    p.textContent = (status === "error" ? "✗ " : "⏳ ") + headline;
    box.appendChild(p);
    panel.appendChild(box);
  }

  function setCounts(counts) {
    if (!counts) return;
    var names = ["arrived", "expected", "checked_in", "confirmed"];
    for (var i = 0; i < names.length; i++) {
      var el = document.getElementById("count-" + names[i].replace("_", "-"));
      if (el && counts[names[i]] !== undefined) el.textContent = counts[names[i]];
    }
  }

  function addLog(text) {
    var li = document.createElement("li");
    var now = new Date();
    li.textContent = now.getHours() + " h " + String(now.getMinutes()).padStart(2, "0") +
      " — " + text;
    log.insertBefore(li, log.firstChild);
    while (log.children.length > 10) log.removeChild(log.lastChild);
    logBox.hidden = false;
  }

  function vibrate(status) {
    if (!navigator.vibrate) return;
    navigator.vibrate(status === "welcome" || status === "updated" ? 80 : [90, 60, 90]);
  }

  function enqueue(url, fields, label) {
    queue.push({ id: newId(), url: url, fields: fields, label: label });
    save();
    showNetwork();
    flush();
  }

  function post(item) {
    var body = new URLSearchParams(item.fields);
    body.set("scan_id", item.id);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        clearTimeout(timer);
        return response;
      },
      function (error) {
        clearTimeout(timer);
        throw error;
      }
    );
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function flush() {
    if (sending || stopped || !queue.length) return;
    sending = true;
    var item = queue[0];
    post(item)
      .then(function (response) {
        // Server busy or a proxy error: keep the scan and try again later.
        if (response.status >= 500 || response.status === 408 || response.status === 429) {
          throw new Error("retry");
        }
        return response.json().then(
          function (data) {
            return { code: response.status, data: data };
          },
          function () {
            throw new Error("retry");
          }
        );
      })
      .then(
        function (answer) {
          sending = false;
          waitingForNetwork = false;
          retryDelay = RETRY_MIN_MS;
          if (answer.code === 401) {
            stopped = true;
            showPanel("error", answer.data.message);
            showNetwork();
            return;
          }
          queue.shift();
          save();
          var data = answer.data || {};
          if (data.html) {
            panel.innerHTML = data.html;
          } else {
            showPanel("error", data.message || "Erreur");
          }
          setCounts(data.counts);
          vibrate(data.status);
          addLog((item.label ? item.label + " : " : "") + (data.message || ""));
          showNetwork();
          flush();
        },
        function () {
          sending = false;
          waitingForNetwork = true;
          showNetwork();
          scheduleRetry();
        }
      );
  }

  function submitTicket(value, label) {
    value = (value || "").trim();
    if (!value) return;
    showPanel("pending", "Envoi du billet…");
    enqueue(scanUrl, { ticket: value }, label);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submitTicket(input.value, "Billet " + input.value.trim().slice(0, 8) + "…");
    input.value = "";
    input.focus();
  });

  // The attendance form arrives inside the server's HTML: listen on the panel.
  panel.addEventListener("submit", function (event) {
    var target = event.target;
    if (!target.classList || !target.classList.contains("ci-attendance")) return;
    event.preventDefault();
    var fields = {};
    var data = new FormData(target);
    data.forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") fields[name] = value;
    });
    showPanel("pending", "Envoi de la présence…");
    enqueue(target.getAttribute("action"), fields, "Présence corrigée");
  });

  window.addEventListener("online", function () {
    retryDelay = RETRY_MIN_MS;
    flush();
  });

  // --- camera --------------------------------------------------------------------------------

  var cameraBox = document.getElementById("checkin-camera");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var video = document.getElementById("camera-video");
  var help = document.getElementById("camera-help");
  var stream = null;
  var detector = null;
  var canvas = null;
  var lastCode = "";
  var lastCodeAt = 0;
  var scanTimer = null;

  function say(text) {
    help.textContent = text;
    help.hidden = !text;
  }

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root.getAttribute("data-jsqr");
      script.onload = function () {
        if (window.jsQR) resolve(window.jsQR);
        else reject(new Error("jsQR"));
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDecoder() {
    if ("BarcodeDetector" in window) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") !== -1) {
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return;
        }
        return loadJsQR();
      });
    }
    return loadJsQR();
  }

  function found(code) {
    var now = Date.now();
    // The same QR stays in front of the camera for a while: read it once.
    if (code === lastCode && now - lastCodeAt < SAME_CODE_PAUSE_MS) return;
    lastCode = code;
    lastCodeAt = now;
    submitTicket(code, "QR code");
  }

  function readFrame() {
    if (!stream) return Promise.resolve();
    if (video.readyState < 2) return Promise.resolve();
    if (detector) {
      return detector.detect(video).then(function (codes) {
        if (codes.length && codes[0].rawValue) found(codes[0].rawValue);
      });
    }
    // jsQR: a scaled-down frame is enough for a ticket held in front of the phone.
    var width = Math.min(video.videoWidth, 640);
    var height = Math.round((video.videoHeight * width) / video.videoWidth) || 0;
    if (!width || !height) return Promise.resolve();
    canvas = canvas || document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var result = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    if (result && result.data) found(result.data);
    return Promise.resolve();
  }

  function loop() {
    readFrame().then(
      function () {
        if (stream) scanTimer = setTimeout(loop, 200);
      },
      function () {
        if (stream) scanTimer = setTimeout(loop, 500);
      }
    );
  }

  function stopCamera() {
    if (scanTimer) clearTimeout(scanTimer);
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function startCamera() {
    say("");
    startButton.disabled = true;
    makeDecoder()
      .then(function () {
        return navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: "environment" } },
          audio: false,
        });
      })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stopButton.hidden = false;
        startButton.hidden = true;
        startButton.disabled = false;
        return video.play();
      })
      .then(function () {
        say("Présentez le QR code du billet devant la caméra.");
        loop();
      })
      .catch(function (error) {
        startButton.disabled = false;
        stopCamera();
        if (error && error.name === "NotAllowedError") {
          say("Accès à la caméra refusé : autorisez-le dans le navigateur, ou saisissez le numéro de billet.");
        } else {
          say("Caméra indisponible sur cet appareil : saisissez le numéro de billet.");
        }
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cameraBox.hidden = false;
    startButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", stopCamera);
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) stopCamera();
    });
  }

  // Scans left unsent by a previous visit (closed tab, dead battery) go first.
  showNetwork();
  flush();
})();
