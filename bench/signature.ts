// Code-signature check benchmark: a 100 MB signed arm64 slice (the linker-signed
// fixture with 100 MB of pseudo-random bytes added to __LINKEDIT before its
// signature, re-signed by the test-only signer with SHA-256, 16 KiB pages),
// verified in this process — parse, then every page hashed through WebCrypto and
// compared — against `shasum -a 256` (and `sha256sum`) over the same file, same run.
//
//   npx tsx bench/signature.ts            (bench/run.ts calls benchSignature())

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sign } from '../fixtures/codesign/signer.ts';
import { MemorySource } from '../src/parsers/reader.ts';
import { buildVerifiedReport } from '../src/report/signatures.ts';
import { portableDigest } from '../src/parsers/macho/codesign/digest.ts';
import { fixtureBytes } from '../test/corpus.ts';
import { median, timeShell } from './timing.ts';

export interface SignatureBench {
  bytes: number;
  pages: number;
  status: string;
  /** Median ms: read the file, parse it, check every page (WebCrypto). */
  verifyMs: number;
  /** The same with the portable JavaScript hashes (a page served without crypto.subtle). */
  portableMs: number;
  peers: { tool: string; ms: number }[];
}

/** The linker-signed arm64 fixture grown by `extra` bytes before its signature, then signed again. */
async function bigSignedSlice(extra: number): Promise<Uint8Array> {
  const base = fixtureBytes('macho/bin/lld-arm64-macos-exe');
  const v = new DataView(base.buffer, base.byteOffset, base.byteLength);
  let at = 32;
  let sig = -1;
  let linkedit = -1;
  for (let i = 0; i < v.getUint32(16, true); i++) {
    const cmd = v.getUint32(at, true);
    if (cmd === 0x1d) sig = at;
    if (cmd === 0x19 && new TextDecoder().decode(base.subarray(at + 8, at + 18)) === '__LINKEDIT') linkedit = at;
    at += v.getUint32(at + 4, true);
  }
  const dataoff = v.getUint32(sig + 8, true);
  const grown = new Uint8Array(dataoff + extra + 16);
  grown.set(base.subarray(0, dataoff));
  // xorshift bytes: hashes of zero pages would be no cheaper, but real code is not zeros.
  let x = 0x2545f491;
  const words = new Uint32Array(grown.buffer, dataoff - (dataoff % 4) + 4, Math.floor(extra / 4) - 1);
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  const g = new DataView(grown.buffer);
  g.setUint32(sig + 8, dataoff + extra, true);
  g.setUint32(sig + 12, 16, true);
  const leOff = g.getBigUint64(linkedit + 40, true);
  g.setBigUint64(linkedit + 48, BigInt(dataoff + extra + 16) - leOff, true);
  return sign(grown, { identifier: 'bench', flags: 0x2, hashTypes: [2], pageShift: 14 });
}

export async function benchSignature(runs = 5): Promise<SignatureBench> {
  const dir = mkdtempSync(join(tmpdir(), 'binlens-sigbench-'));
  try {
    const file = join(dir, 'signed-100mb');
    writeFileSync(file, await bigSignedSlice(100 << 20));
    const once = async (digest?: typeof portableDigest) => {
      const t = performance.now();
      const bytes = new Uint8Array(readFileSync(file));
      const { report } = await buildVerifiedReport(new MemorySource(bytes), 'signed-100mb', {
        skipHash: true,
        ...(digest ? { digest } : {}),
      });
      return { ms: performance.now() - t, v: report.slices[0]!.codeSignature!.validation! };
    };
    const first = await once();
    const times = [first.ms];
    for (let i = 1; i < runs; i++) times.push((await once()).ms);
    const portable = [(await once(portableDigest)).ms];
    const peers: { tool: string; ms: number }[] = [];
    for (const [tool, script] of [
      ['shasum -a 256', 'shasum -a 256 "$1"'],
      ['sha256sum', 'sha256sum "$1"'],
    ] as const) {
      const ms = timeShell(script, [file], runs);
      if (ms !== null) peers.push({ tool, ms });
    }
    return {
      bytes: readFileSync(file).length,
      pages: first.v.pages,
      status: first.v.status,
      verifyMs: median(times),
      portableMs: median(portable),
      peers,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSignatureBench(b: SignatureBench): string {
  const mb = (b.bytes / 1e6).toFixed(1);
  const lines = [
    `Code signature check: a ${mb} MB signed arm64 slice, ${b.pages} pages of 16 KiB, SHA-256 (status ${b.status}); medians, same run`,
    `  binlens (read, parse, hash every page with WebCrypto, compare)  ${b.verifyMs.toFixed(0)} ms`,
    `  binlens with the portable JavaScript hashes (no crypto.subtle)   ${b.portableMs.toFixed(0)} ms`,
  ];
  for (const p of b.peers)
    lines.push(
      `  ${p.tool.padEnd(14)} over the same file ${p.ms.toFixed(0).padStart(31)} ms   binlens/${p.tool} = ${(b.verifyMs / p.ms).toFixed(2)}`,
    );
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatSignatureBench(await benchSignature()));
}
