import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/**
 * What every page check shares: screenshots for reviewers, kept by CI in test-results/
 * (.ci/run copies the folder back to the checkout), and the phone-width overflow check.
 */
export const SCREENSHOT_DIR = path.join(process.cwd(), "test-results", "screenshots");

export async function saveScreenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Nothing sticks out sideways: the page is no wider than the window (a wide table scrolls in its own box). */
export async function expectNoHorizontalOverflow(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(
    innerWidth,
  );
}
