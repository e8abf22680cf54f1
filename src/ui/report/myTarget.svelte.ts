// "My target": the platform the user ships to. Its column is highlighted in
// the matrix and the folder table, and the report's answer speaks of it first.
// Kept in localStorage, on this device only.

import { isTarget, type Target } from '../../report/targets.ts';

export const MY_TARGET_KEY = 'binlens.myTarget';

function load(): Target | null {
  try {
    const v = globalThis.localStorage?.getItem(MY_TARGET_KEY);
    return isTarget(v) ? v : null;
  } catch {
    // Storage disabled (private mode, a sandboxed frame): the choice lasts for the visit.
    return null;
  }
}

class MyTarget {
  value = $state<Target | null>(load());

  set(t: Target | null): void {
    this.value = t;
    try {
      if (t === null) globalThis.localStorage?.removeItem(MY_TARGET_KEY);
      else globalThis.localStorage?.setItem(MY_TARGET_KEY, t);
    } catch {
      // See load().
    }
  }
}

/** The one choice for the whole page. */
export const myTarget = new MyTarget();
