import type { Page } from '@playwright/test';
import { drawCameraPhoto } from './draw-photo.mjs';

/** A camera-sized JPEG (2400×1800), drawn in the page so it is a real, decodable photo. */
export async function cameraPhoto(page: Page, label: string): Promise<Buffer> {
  return Buffer.from(await page.evaluate(drawCameraPhoto, label), 'base64');
}
