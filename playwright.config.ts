import { defineConfig } from '@playwright/test';

// Runs against the production build (`vite build` first), served by
// `vite preview`, in Debian's Chromium: Playwright's own browser download
// cannot work here, so never `npx playwright install`.
const CI = !!process.env.CI;
// BINLENS_E2E_PORT: another port when several checkouts test on one machine
// (outside CI a server already on the port is reused, whichever checkout built it).
const port = Number(process.env.BINLENS_E2E_PORT ?? 5173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  forbidOnly: CI,
  workers: CI ? 1 : 2,
  // The runner sets PLAYWRIGHT_JSON_OUTPUT_NAME and adds the json reporter;
  // alone, the list is enough.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: 'test-results/e2e',
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
