// A camera-sized JPEG (2400×1800) drawn by the browser itself, so it is a real, decodable photo:
// run in the page (Playwright's `evaluate`, WebdriverIO's `execute`), it returns the JPEG as
// base64. Shared by both suites (e2e/photos.ts, e2e-webkit/helpers.mjs).
export function drawCameraPhoto(text) {
  const canvas = document.createElement('canvas');
  canvas.width = 2400;
  canvas.height = 1800;
  const g = canvas.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, 2400, 1800);
  gradient.addColorStop(0, '#6a8caf');
  gradient.addColorStop(1, '#c8102e');
  g.fillStyle = gradient;
  g.fillRect(0, 0, 2400, 1800);
  g.fillStyle = '#fff';
  g.font = '200px sans-serif';
  g.fillText(text, 200, 900);
  return canvas.toDataURL('image/jpeg', 0.95).split(',')[1];
}
