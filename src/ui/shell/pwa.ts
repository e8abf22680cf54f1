/// <reference types="vite-plugin-pwa/vanillajs" />
// The installed-app side of the page: the service worker (registered through
// vite-plugin-pwa's virtual module, never an inline script, so the CSP keeps
// script-src 'self'), the "new version" prompt, and files the operating
// system hands to the installed app ("Open with binlens", manifest
// file_handlers). Loaded after the first paint (App.svelte imports it
// dynamically) so Workbox's window code is not in the first-load bundle.

import { registerSW } from 'virtual:pwa-register';

export interface PwaEvents {
  /** A new version is installed and waiting; the page shows "Reload". */
  onNeedRefresh(): void;
  /** The app shell, worker and engine are cached: the page works offline from now on. */
  onOfflineReady(): void;
  onError(message: string): void;
}

export interface Pwa {
  /** Activates the waiting version; the page reloads when it takes control. */
  update(): Promise<void>;
}

/** How often an open page asks the server for a new version (the browser also checks on navigation). */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function startPwa(events: PwaEvents): Pwa {
  const update = registerSW({
    onNeedRefresh: () => events.onNeedRefresh(),
    onOfflineReady: () => events.onOfflineReady(),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      setInterval(() => {
        // Offline, or the server is down: try again next time.
        if (navigator.onLine) void registration.update().catch(() => {});
      }, UPDATE_CHECK_MS);
    },
    onRegisterError: (e: unknown) => events.onError(`Offline use is not available: ${e instanceof Error ? e.message : String(e)}`),
  });
  return { update: () => update(true) };
}

// The File Handling API (Chromium): not in TypeScript's DOM library yet.
export interface LaunchParams {
  readonly files: readonly { kind: string; getFile(): Promise<File> }[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/** The files of one launch; handles the browser will not read are counted, not thrown. */
export async function launchedFiles(params: LaunchParams): Promise<{ files: File[]; unreadable: number }> {
  const files: File[] = [];
  let unreadable = 0;
  for (const handle of params.files) {
    if (handle.kind !== 'file') continue;
    try {
      files.push(await handle.getFile());
    } catch {
      unreadable++;
    }
  }
  return { files, unreadable };
}

/**
 * Calls `onFiles` with the files of every launch of the installed app that
 * carries files. Returns false where the browser has no launch queue.
 */
export function consumeLaunches(onFiles: (files: File[], unreadable: number) => void): boolean {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue || typeof queue.setConsumer !== 'function') return false;
  queue.setConsumer((params) => {
    if (!params.files || params.files.length === 0) return;
    void launchedFiles(params).then(({ files, unreadable }) => {
      if (files.length > 0 || unreadable > 0) onFiles(files, unreadable);
    });
  });
  return true;
}
