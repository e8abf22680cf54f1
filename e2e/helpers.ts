// Shared pieces of the end-to-end tests: fixture paths, files made on the
// spot (a PNG, damaged binaries), a real drop event, and a guard that fails a
// test on CSP violations, page errors or requests leaving the origin.

import { expect, test as base, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..');
export const ELF_HELLO = join(here, 'fixtures', 'gcc-aarch64-linux-hello');
export const MACHO_EXE = join(ROOT, 'fixtures', 'macho', 'bin', 'lld-arm64-macos-exe');
export const MACHO_UNIVERSAL = join(ROOT, 'fixtures', 'macho', 'bin', 'lld-universal-macos-exe');

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid 2x2 RGB PNG. */
export function tinyPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The ELF fixture cut short: its section header table (at the end of the file) is gone. */
export function truncatedElf(): Buffer {
  return readFileSync(ELF_HELLO).subarray(0, 3000);
}

/** A Mach-O header that claims more load commands than the file holds. */
export function brokenMachO(): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(0xfeedfacf, 0); // MH_MAGIC_64
  b.writeUInt32LE(0x0100000c, 4); // CPU_TYPE_ARM64
  b.writeUInt32LE(0, 8);
  b.writeUInt32LE(2, 12); // MH_EXECUTE
  b.writeUInt32LE(40, 16); // ncmds
  b.writeUInt32LE(4000, 20); // sizeofcmds, far past the end
  b.writeUInt32LE(0x19, 32); // LC_SEGMENT_64 at 32
  b.writeUInt32LE(0x48, 36); // cmdsize 72: runs past the 64-byte file
  return b;
}

/** Dispatches dragenter, dragover and drop carrying these files, as a real drag from the desktop would. */
export async function dropFiles(page: Page, files: { name: string; bytes: Buffer; type?: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type ?? 'application/octet-stream', b64: f.bytes.toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], it.name, { type: it.type }));
    }
    const target = document.querySelector('main') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, payload);
}

/** A stack trace line as V8 prints it, or a source path with a line number. */
export const STACK_TRACE = /\n\s*at\s+\S+|\bat\s+\S+\s+\(.*:\d+:\d+\)|\.ts:\d+:\d+|\.js:\d+:\d+/;

interface Guard {
  problems: string[];
  foreign: string[];
}

/**
 * `page` with a guard: the test fails if the page logs a CSP violation or an
 * uncaught error, or asks anything of another origin.
 */
export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const g: Guard = { problems: [], foreign: [] };
      const origin = new URL(baseURL ?? 'http://localhost:5173').origin;
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) g.problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => g.problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) g.foreign.push(u);
      });
      await use(g);
      expect(g.problems, 'console errors, CSP violations or page errors').toEqual([]);
      expect(g.foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
