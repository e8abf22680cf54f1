// Work that waits for the browser to show what is already there: the report
// paints its answer first and mounts the rest after that frame.

/**
 * Runs `fn` once the next frame is painted: a task posted from a
 * requestAnimationFrame callback runs after that frame's paint. Returns a
 * function that cancels it.
 */
export function afterPaint(fn: () => void): () => void {
  let live = true;
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') {
    const t = setTimeout(() => live && fn(), 0);
    return () => clearTimeout(t);
  }
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      if (live) fn();
    };
    ch.port2.postMessage(null);
  });
  return () => {
    live = false;
  };
}
