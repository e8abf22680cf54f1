// `npm run bench`: every benchmark, each against the peer tools on the same
// files in the same run, printing ratios. Nothing here is a test: timings vary
// with the machine; the figures go into the closing notes and docs.
//
//   1. whole report: the CLI vs readelf -a / llvm-readobj on the largest corpus
//      files and a folder of system binaries (bench/report.ts)
//   2. ARM64 engine: scan and disassembly throughput vs llvm-objdump, on the
//      largest arm64 corpus file and Biome's 90 MB arm64 executable (bench/arm64.ts),
//      and the CLI's whole report on them vs the objdump pipeline
//   3. Go: build info and function recovery vs `go version -m` (bench/go.ts)
//   4. the page in Chromium: time to the verdict and to the whole report,
//      folder throughput and memory, reopening from the history, a 2 GB
//      file, beside the CLI on the same files (bench/browser.ts)
//   5. Units: time to a verdict on the largest test image vs `tar -xf` of it (bench/units.ts)
//   6. code signatures: a 100 MB signed slice verified vs `shasum -a 256` over
//      the same bytes (bench/signature.ts)
//   7. size map: `binlens size --by symbol` on Biome and on the Node binary vs
//      llvm-nm -S --size-sort + llvm-size -A (bench/size.ts)

import { benchArm64, biomeBinary, formatArm64Bench, largestArm64CorpusFile } from './arm64.ts';
import { benchBrowser, formatBrowserBench } from './browser.ts';
import { benchGo, benchSyntheticFunctions, formatGoBench, formatSyntheticBench } from './go.ts';
import { benchFile, benchReports, formatReportBench } from './report.ts';
import { benchUnits, formatUnitBench } from './units.ts';
import { benchSignature, formatSignatureBench } from './signature.ts';
import { benchSize, formatSizeBench } from './size.ts';

async function main(): Promise<void> {
  const reports = await benchReports();
  console.log(formatReportBench(reports));
  console.log();

  const arm64Files = [largestArm64CorpusFile(), biomeBinary()].filter((f): f is string => f !== null);
  console.log(formatArm64Bench(await benchArm64(arm64Files)));
  const endToEnd = [];
  for (const f of arm64Files) endToEnd.push(await benchFile(f, 3));
  console.log(formatReportBench({ files: endToEnd, folder: null }).replace(/^Whole report/, 'Whole report on the arm64 files'));
  console.log();

  console.log(formatGoBench(benchGo()));
  console.log(formatSyntheticBench(benchSyntheticFunctions()));
  console.log();

  console.log(formatUnitBench(await benchUnits()));
  console.log();

  console.log(formatBrowserBench(await benchBrowser({ trace: process.argv.includes('--trace') })));
  console.log();
  console.log(formatSignatureBench(await benchSignature()));
  console.log();
  console.log(formatSizeBench(benchSize()));
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
