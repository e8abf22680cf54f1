// The unit report: what binlens says about a container image, an archive, a
// package or a folder as a whole. Versioned and documented in docs/report.md
// ("The unit report"); `check` and `report UNIT --json` print it, the page's
// unit view shows it.

import type { BundleChecklistItem } from './notarize.ts';
import type { BundleSignature } from './seal.ts';
import type { Target } from '../report/targets.ts';
import type { Edge, Step } from './loader.ts';

export const UNIT_SCHEMA = 1 as const;

/** An npm package of the unit (its package.json): the platforms npm installs it on, its programs and platform packages. */
export interface UnitPackage {
  /** The package's folder inside the unit. */
  dir: string;
  name: string;
  version: string;
  os: string[];
  cpu: string[];
  libc: string[];
  /** `bin` targets, as paths inside the unit. */
  bin: string[];
  optionalDependencies: string[];
}

export type UnitKind = 'image' | 'image-index' | 'archive' | 'folder' | 'file';

export interface UnitReport {
  unitSchema: typeof UNIT_SCHEMA;
  kind: UnitKind;
  file: { name: string; size: number };
  /** How it is stored: `tar`, `tar+gzip`, `tar+zstd`, `tar+xz`, `folder`, or the binary's format for a single file. */
  container: string;
  /** Container images, one per platform (a multi-platform index has several). */
  images: ImageInfo[];
  /** One verdict per target. */
  targets: UnitVerdict[];
  /** Files of the unit (for an image: of each platform's root filesystem), binaries first. */
  members: UnitMember[];
  /** npm packages (each package.json), when the unit holds any. */
  packages?: UnitPackage[];
  /** A Python wheel: its platform tags (file name and WHEEL), what each means, and each extension module's lowest manylinux level by its symbol versions. */
  wheel?: {
    tags: string[];
    platforms: { tag: string; target: Target; version: string }[];
    extensions: { path: string; manylinux: string | null }[];
  };
  /** A macOS bundle: its folder, Info.plist's CFBundleExecutable, LSMinimumSystemVersion and CFBundleIdentifier, and the main executable's path. */
  bundle?: {
    root: string;
    executable: string | null;
    minimumSystemVersion: string | null;
    identifier: string | null;
    main: string | null;
    /** The bundle's signature as a whole: the seal of its files and every nested Mach-O file's signature (src/units/seal.ts). */
    signature: BundleSignature;
    /** The notarization preflight of the app as a whole (src/units/notarize.ts); absent in reports from before it. */
    notarization?: BundleChecklistItem[];
  };
  /** Why the unit could not be read whole (then the verdicts are `unknown`). */
  errors: string[];
  warnings: string[];
}

export interface ImageInfo {
  index: number;
  /** `linux/arm64/v8` as the config's os, architecture and variant spell it. */
  platform: string;
  /** The report target it runs on, or null when binlens has none for it. */
  target: Target | null;
  /** A name it was saved under (docker save's RepoTags, OCI's org.opencontainers.image.ref.name), or null. */
  reference: string | null;
  /** The manifest's digest or path. */
  manifest: string;
  config: { entrypoint: string[] | null; cmd: string[] | null; env: string[]; workingDir: string | null; user: string | null };
  layers: number;
  /** The C library the image has: glibc with its version (the highest GLIBC_x.y libc.so.6 defines) or musl, with the file it was read from. */
  libc: { kind: 'glibc' | 'musl' | null; version: string | null; path: string | null };
  /** argv[0] of the container's process (Entrypoint, else Cmd), or every ELF program when the config names none. */
  entryPoints: string[];
  /** Who loads whom for the entry points: each DT_NEEDED (and PT_INTERP) with what it resolved to. */
  graph: Edge[];
}

export interface UnitMember {
  /** Path inside the unit (for an image: inside its root filesystem). */
  path: string;
  /** The image it belongs to (`images[].index`), or null. */
  image: number | null;
  size: number;
  /** `elf`, `macho`, `macho-fat`, `archive` (opened and listed too) or `other` (skipped: identified from its first bytes). */
  format: string;
  /** What it is, in a few words (`ELF`, `script`, `gzip-compressed data`…). */
  kind: string;
  /** Architectures of its slices. */
  arch: string[];
  fileType: string | null;
  interpreter: string | null;
  needed: string[];
  /** The highest GLIBC_x.y it needs. */
  glibcFloor: string | null;
  /** A program or library the verdicts check. */
  entry: boolean;
  /** Why it could not be read, when it could not. */
  problem?: string;
  /** Archive member names that lead to its bytes, outermost first (how the page opens its report). */
  locator: string[];
}

export interface UnitVerdict {
  target: Target;
  /** The image judged on this target, or null. */
  image: number | null;
  /** `runs`: every entry point runs; `no`: one does not; `unknown`: binlens cannot tell. */
  verdict: 'runs' | 'no' | 'unknown';
  /** One sentence. */
  reason: string;
  /** Entry points checked. */
  checked: string[];
  failures: UnitFailure[];
}

export interface UnitFailure {
  /** The entry point that fails. */
  entry: string;
  /** The member whose load fails (the entry point, its interpreter's user, or a library it loads). */
  member: string;
  step: Step | 'platform' | 'link' | 'symbol' | 'unknown';
  /** What the system prints. */
  error: string;
  reason: string;
}
