import type { Page } from '@playwright/test';

/** A camera-sized JPEG (2400×1800), drawn in the page so it is a real, decodable photo. */
export async function cameraPhoto(page: Page, label: string): Promise<Buffer> {
  const bytes = await page.evaluate(async (text) => {
    const canvas = new OffscreenCanvas(2400, 1800);
    const g = canvas.getContext('2d')!;
    const gradient = g.createLinearGradient(0, 0, 2400, 1800);
    gradient.addColorStop(0, '#6a8caf');
    gradient.addColorStop(1, '#c8102e');
    g.fillStyle = gradient;
    g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = '#fff';
    g.font = '200px sans-serif';
    g.fillText(text, 200, 900);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  }, label);
  return Buffer.from(bytes);
}
