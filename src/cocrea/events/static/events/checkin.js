// Check-in: reads QR codes with the camera when the browser has BarcodeDetector,
// otherwise (or always) the code can be typed. No external libraries.
(function () {
  "use strict";
  const root = document.getElementById("checkin");
  if (!root) return;
  const form = document.getElementById("code-form");
  const input = document.getElementById("code");
  const result = document.getElementById("result");
  const video = document.getElementById("camera");
  const startButton = document.getElementById("start-camera");
  const note = document.getElementById("camera-note");
  let busy = false;
  let lastCode = "";
  let lastAt = 0;

  function show(data) {
    result.textContent = data.message;
    result.className = "result outcome-" + data.outcome;
    if (navigator.vibrate) navigator.vibrate(data.outcome === "ok" ? 120 : [80, 60, 80]);
  }

  async function submit(code) {
    if (busy || !code) return;
    busy = true;
    const body = new FormData(form);
    body.set("code", code);
    try {
      const response = await fetch(window.location.pathname + window.location.search, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(response.status);
      show(await response.json());
    } catch (error) {
      show({ outcome: "error", message: "Error de conexión (" + error.message + ")" });
    } finally {
      busy = false;
      input.value = "";
      input.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit(input.value.trim());
  });

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    note.textContent = root.dataset.noCamera;
    return;
  }
  startButton.hidden = false;
  startButton.addEventListener("click", async function () {
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
      video.srcObject = stream;
      video.hidden = false;
      startButton.hidden = true;
      await video.play();
    } catch (error) {
      note.textContent = root.dataset.cameraError;
      return;
    }
    async function scan() {
      if (video.readyState >= 2 && !busy) {
        try {
          const codes = await detector.detect(video);
          const now = Date.now();
          if (codes.length) {
            const value = codes[0].rawValue;
            // The same code held in front of the camera is sent once every 4 seconds.
            if (value !== lastCode || now - lastAt > 4000) {
              lastCode = value;
              lastAt = now;
              await submit(value);
            }
          }
        } catch (error) {
          /* a frame that cannot be decoded: keep scanning */
        }
      }
      window.requestAnimationFrame(scan);
    }
    window.requestAnimationFrame(scan);
  });
})();
