// Saving text the page made (exports) as a file: a Blob, an object URL and an
// <a download> click. Nothing leaves the device.

// eslint-disable-next-line no-control-regex -- control characters are what a file name must not carry
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f/\\:*?"<>|]+/g;

/** A file name built from a binary's name: no path, no control characters, not empty. */
export function safeFileName(name: string, suffix: string): string {
  const base = name.replace(UNSAFE_IN_NAME, '_').replace(/^\.+/, '').trim().slice(0, 120);
  return `${base === '' ? 'binary' : base}${suffix}`;
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is kept a little for
  // browsers that read it asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
