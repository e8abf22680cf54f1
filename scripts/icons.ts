// Renders the app icons (public/icon.svg, public/icon-maskable.svg) to the
// PNG sizes the web app manifest lists, with Debian's Chromium. Run after
// changing an SVG: npx tsx scripts/icons.ts
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PUBLIC = join(import.meta.dirname, '..', 'public');
const JOBS = [
  { svg: 'icon.svg', out: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', out: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', out: 'icon-maskable-192.png', size: 192 },
  { svg: 'icon-maskable.svg', out: 'icon-maskable-512.png', size: 512 },
  // iOS ignores manifest icons and reads apple-touch-icon (180, opaque).
  { svg: 'icon-maskable.svg', out: 'apple-touch-icon.png', size: 180 },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const job of JOBS) {
    const svg = readFileSync(join(PUBLIC, job.svg), 'utf8');
    await page.setViewportSize({ width: job.size, height: job.size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${job.size}px;height:${job.size}px}</style>${svg}`,
    );
    await page.screenshot({ path: join(PUBLIC, job.out), omitBackground: true });
    console.log(`${job.out} ${job.size}x${job.size}`);
  }
} finally {
  await browser.close();
}
