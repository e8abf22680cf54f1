// A unit opened and judged: what it is (a container image, an archive, a
// folder, a single binary), its members, and one verdict per target with the
// failing member and load step. Pure and streamed: bytes come in through a
// ByteSource (a file, a Blob) or a FolderInput; only ELF and Mach-O members
// are read past their first bytes.

import type { ByteSource } from '../parsers/reader.ts';
import type { Compatibility } from '../report/types.ts';
import type { Target } from '../report/targets.ts';
import { TARGETS } from '../report/targets.ts';
import { isGlibcFamily, isMuslFamily } from '../verdict/linux.ts';
import { dyld, linux } from '../verdict/messages.ts';
import { archOfPlatform, findImages, isImage, isImageDocument, type FoundImage } from './image.ts';
import { Budget, DEFAULT_LIMITS, UnitError, type Limits } from './limits.ts';
import { glibcOf, runProgram, type RunResult } from './loader.ts';
import { binaryFacts, HEAD_BYTES, sniff } from './member.ts';
import { bundleSignature } from './seal.ts';
import { bundleChecklist } from './notarize.ts';
import { bundlesOf, nestedProblem, processArch, type BundleInfo } from './bundle.ts';
import { platformTag, requiredLevel, tagProblem, wheelTags, type PlatformTag } from './wheel.ts';
import { nodeProvides, npmPackages, packageOf, platformPackageFor, type NpmPackage } from './npm.ts';
import { basename, dirname, resolveIn } from './paths.ts';
import { SourceStream } from './stream.ts';
import { Tree, type FsNode } from './tree.ts';
import { UNIT_SCHEMA, type ImageInfo, type UnitFailure, type UnitMember, type UnitReport, type UnitVerdict } from './types.ts';
import { isArchiveHead, isFatHead, readArchive, universalArchiveSlices, type Listing, type WalkContext, type WalkOptions } from './walk.ts';

export interface UnitOptions {
  limits?: Limits;
  /** Targets to judge; default: the unit's own (the image's platform, each binary's). */
  targets?: Target[];
  cancelled?: () => boolean;
  /** Called with each member path as the walk reaches it. */
  onMember?: (locator: string[]) => void;
  /** How far into the unit's file the walk is, of its size (called as members are reached, inner archives' members too). */
  onProgress?: (done: number, total: number) => void;
}

/** Loader configuration and package metadata a unit's verdict reads. */
export function isLoaderDocument(path: string): boolean {
  return (
    path.endsWith('/package.json') ||
    /\.dist-info\/WHEEL$/.test(path) ||
    /\.app\/Contents\/Info\.plist$/.test(path) ||
    /\.app\/Contents\/_CodeSignature\/CodeResources$/.test(path) ||
    path === '/etc/ld.so.cache' ||
    path === '/etc/ld.so.conf' ||
    /^\/etc\/ld\.so\.conf\.d\/[^/]+$/.test(path) ||
    /^\/etc\/ld-musl-[a-z0-9_]+\.path$/.test(path)
  );
}

const NAMED_ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.xz|txz|tar\.zst|tzst|zip|whl|deb|a)$/i;

function walkOptions(): WalkOptions {
  const keep = (p: string, head: Uint8Array) => isLoaderDocument(p) || isImageDocument(p, head);
  // A universal (lipo'd) static library is a fat file whose slices are ar archives: opened when its name says `.a`.
  const universal = (p: string, h: Uint8Array) => /\.a$/i.test(p) && isFatHead(h);
  const deeper: WalkOptions = { keep, nested: (p, h) => (NAMED_ARCHIVE.test(p) && isArchiveHead(h)) || universal(p, h) };
  // Depth 1 holds an image's layers (blobs have no file name extension) or a release archive's archives.
  return { keep, nested: (p, h) => isArchiveHead(h) || universal(p, h), inner: { ...deeper, layer: true, inner: deeper } };
}

/** Opens a unit stored in one file: a binary, a tar (compressed or not), an image tarball. */
export async function unitFromSource(source: ByteSource, name: string, opts: UnitOptions = {}): Promise<UnitReport> {
  const budget = new Budget(opts.limits ?? DEFAULT_LIMITS);
  await source.prefetch?.(0, HEAD_BYTES);
  const head = source.read(0, Math.min(source.size, HEAD_BYTES));
  const { format, kind, identity } = sniff(head);
  const base: UnitReport = {
    unitSchema: UNIT_SCHEMA,
    kind: 'file',
    file: { name, size: source.size },
    container: format,
    images: [],
    targets: [],
    members: [],
    errors: [],
    warnings: [],
  };
  const universalLibrary = format === 'macho-fat' && universalArchiveSlices(source) !== null;
  if (format !== 'other' && format !== 'archive' && !universalLibrary) {
    const tree = new Tree(budget.limits.maxSymlinkHops);
    const node: FsNode = { type: 'file', size: source.size, mode: 0o755, format, locator: [] };
    try {
      node.facts = (await binaryFacts(source, name, { identity })).facts;
    } catch (e) {
      node.problem = e instanceof Error ? e.message : String(e);
    }
    tree.put(`/${name.replace(/\//g, '_') || 'file'}`, node);
    return judgeFiles(base, tree, opts);
  }
  if (!isArchiveHead(head) && !universalLibrary) {
    return { ...base, container: 'other', errors: [`${kind}: not a binary, an archive or an image binlens reads`] };
  }
  let done = 0;
  const ctx: WalkContext = {
    budget,
    cancelled: opts.cancelled,
    file: source,
    onMember: (loc, at) => {
      opts.onMember?.(loc);
      // Never backwards: a zip's directory need not follow its members' order.
      done = Math.max(done, at);
      opts.onProgress?.(done, source.size);
    },
  };
  let listing: Listing;
  try {
    listing = await readArchive(new SourceStream(source), [], ctx, walkOptions());
  } catch (e) {
    if (e instanceof UnitError) return { ...base, kind: 'archive', container: 'archive', errors: [unitErrorText(e)] };
    throw e;
  }
  return judgeListing({ ...base, kind: 'archive', container: listing.container }, listing, opts, budget);
}

export function unitErrorText(e: UnitError): string {
  return e.member ? `${e.member}: ${e.message}` : e.message;
}

/** A unit already walked into a listing (an archive, a folder). */
export function judgeListing(base: UnitReport, listing: Listing, opts: UnitOptions, budget: Budget): UnitReport {
  if (isImage(listing)) {
    try {
      const found = findImages(listing);
      return judgeImages({ ...base, kind: found.kind, warnings: [...base.warnings, ...found.warnings] }, found.images, opts);
    } catch (e) {
      if (e instanceof UnitError) return { ...base, kind: 'image', errors: [unitErrorText(e)] };
      throw e;
    }
  }
  const tree = new Tree(budget.limits.maxSymlinkHops);
  mount(tree, listing, '');
  return judgeFiles(base, tree, opts);
}

/** An archive's members at their paths; the members of an archive inside at `<its path>!/…`. */
function mount(tree: Tree, listing: Listing, prefix: string): void {
  tree.apply(listing.entries.map((e) => ({ ...e, path: prefix + e.path, ...('hardlink' in e ? { hardlink: prefix + e.hardlink } : {}) })));
  for (const [p, inner] of listing.nested) mount(tree, inner, `${prefix}${p}!`);
}

// ——— Container images ———

function imageLibc(img: FoundImage): ImageInfo['libc'] {
  const arch = img.arch ?? 'x86_64';
  const musl = { arm64: 'aarch64', arm64e: 'aarch64', x86_64: 'x86_64', i386: 'i386', arm: 'armhf' }[arch as string] ?? arch;
  const triplet = { arm64: 'aarch64-linux-gnu', x86_64: 'x86_64-linux-gnu', i386: 'i386-linux-gnu', arm: 'arm-linux-gnueabihf' }[
    arch as string
  ];
  // The image's own platform first; then any other, for an image whose config names the wrong one.
  const triplets = [triplet, 'x86_64-linux-gnu', 'aarch64-linux-gnu', 'i386-linux-gnu', 'arm-linux-gnueabihf'].filter(
    (x): x is string => !!x,
  );
  for (const dir of [...triplets.flatMap((t) => [`/lib/${t}`, `/usr/lib/${t}`]), '/lib64', '/usr/lib64', '/lib', '/usr/lib']) {
    const r = img.tree.lookup(`${dir}/libc.so.6`);
    const s = r.ok ? r.node.facts?.slices[0] : undefined;
    if (r.ok && s) return { kind: 'glibc', version: glibcOf(s), path: r.path };
  }
  const ld = img.tree.lookup(`/lib/ld-musl-${musl}.so.1`);
  if (ld.ok && ld.node.facts) return { kind: 'musl', version: null, path: ld.path };
  return { kind: null, version: null, path: null };
}

function targetOfImage(arch: FoundImage['arch'], os: string, libc: ImageInfo['libc']): Target | null {
  if (os !== 'linux' || (arch !== 'arm64' && arch !== 'x86_64')) return null;
  return `linux-${arch}-${libc.kind === 'musl' ? 'musl' : 'glibc'}` as Target;
}

function entryPointsOf(img: FoundImage): string[] {
  const { entrypoint, cmd } = img.info.config;
  const argv = entrypoint && entrypoint.length ? entrypoint : (cmd ?? []);
  if (argv.length > 0) return [argv[0]!];
  // No Entrypoint and no Cmd: `docker run` needs a command; every ELF program of the image is checked instead.
  return img.tree
    .files()
    .filter(([, n]) => n.facts?.format === 'elf' && n.facts.slices[0]?.fileType === 'executable')
    .map(([p]) => p);
}

// eslint-disable-next-line max-lines-per-function -- each image's entry points run through the loader, then every member's verdict, in the order docker run meets them
function judgeImages(base: UnitReport, found: FoundImage[], opts: UnitOptions): UnitReport {
  const images: ImageInfo[] = [];
  const runs = new Map<string, RunResult>();
  for (const img of found) {
    const libc = imageLibc(img);
    const os = img.info.platform.split('/')[0] ?? '';
    images.push({ ...img.info, target: targetOfImage(img.arch, os, libc), libc, entryPoints: entryPointsOf(img), graph: [] });
  }
  const members: UnitMember[] = [];
  const loadedBy = new Map<number, Set<string>>();
  const run = (i: number, arch: FoundImage['arch'], argv0: string): RunResult => {
    const key = `${i}\0${arch}\0${argv0}`;
    let r = runs.get(key);
    if (!r) {
      const img = found[i]!;
      r = runProgram(
        {
          tree: img.tree,
          arch: arch ?? 'x86_64',
          env: { ...img.env, ...(img.info.config.workingDir ? { PWD: img.info.config.workingDir } : {}) },
        },
        argv0,
      );
      runs.set(key, r);
      const set = loadedBy.get(i) ?? new Set<string>();
      for (const p of r.loaded) set.add(p);
      loadedBy.set(i, set);
      const info = images[i]!;
      for (const e of r.edges) if (!info.graph.some((g) => g.from === e.from && g.needed === e.needed)) info.graph.push(e);
    }
    return r;
  };

  const targets: UnitVerdict[] = [];
  const wanted = opts.targets ?? [...new Set(images.map((i) => i.target).filter((t): t is Target => t !== null))];
  if (!opts.targets && wanted.length === 0)
    base.warnings.push(`No image is for a platform binlens judges (${images.map((i) => i.platform).join(', ')}).`);
  for (const t of wanted) {
    const arch = t.includes('arm64') ? 'arm64' : 'x86_64';
    if (!t.startsWith('linux-')) {
      targets.push({
        target: t,
        image: null,
        verdict: 'unknown',
        reason: 'A container image runs on Linux; choose a Linux target (Docker Desktop runs images in a Linux virtual machine).',
        checked: [],
        failures: [],
      });
      continue;
    }
    // `docker run` on a host picks the image for the host's platform from an index; a single image is run whatever its platform.
    let i = images.findIndex((im) => archOfPlatform(im.platform.split('/')[1] ?? '') === arch && im.platform.startsWith('linux/'));
    if (i < 0 && images.length === 1) i = 0;
    if (i < 0) {
      const platform = `linux/${arch === 'x86_64' ? 'amd64' : 'arm64'}`;
      targets.push({
        target: t,
        image: null,
        verdict: 'no',
        reason: `The index has no image for ${platform} (it has ${images.map((im) => im.platform).join(', ')}).`,
        checked: [],
        failures: [
          {
            entry: '',
            member: '',
            step: 'platform',
            error: `no matching manifest for ${platform} in the manifest list entries`,
            reason: `The index has no image for ${platform}.`,
          },
        ],
      });
      continue;
    }
    const info = images[i]!;
    const failures: UnitFailure[] = [];
    for (const ep of info.entryPoints) {
      const r = run(i, arch, ep);
      if (r.failure)
        failures.push({ entry: ep, member: r.failure.member, step: r.failure.step, error: r.failure.error, reason: r.failure.reason });
    }
    const where = `the ${info.platform} image${info.reference ? ` ${info.reference}` : ''}`;
    targets.push({
      target: t,
      image: i,
      verdict: failures.length ? 'no' : info.entryPoints.length ? 'runs' : 'unknown',
      reason: failures.length
        ? `${failures[0]!.entry || failures[0]!.member} in ${where} does not start: ${failures[0]!.reason}`
        : info.entryPoints.length
          ? `Every entry point of ${where} starts: its interpreter, libraries and symbol versions are all in the image.`
          : `${where} names no program to run (no Entrypoint or Cmd) and has no ELF program.`,
      checked: info.entryPoints,
      failures,
    });
  }

  found.forEach((img, i) => {
    for (const [path, node] of img.tree.files()) members.push(memberOf(path, node, i, loadedBy.get(i)?.has(path) ?? false));
  });
  return { ...base, images, targets, members: sortMembers(members) };
}

// ——— Archives, folders and single files ———

function memberOf(path: string, node: FsNode, image: number | null, entry: boolean): UnitMember {
  const s = node.facts?.slices ?? [];
  const f = s[0];
  return {
    path,
    image,
    size: node.size,
    format: node.format ?? 'other',
    kind: node.facts
      ? node.facts.format === 'elf'
        ? 'ELF'
        : node.facts.format === 'macho-fat'
          ? 'Mach-O universal'
          : 'Mach-O'
      : (node.kind ?? 'data'),
    arch: node.slice ? [node.slice] : s.map((x) => x.archName),
    fileType: f?.fileType ?? null,
    interpreter: f?.interpreter ?? null,
    needed: f?.needed ?? [],
    glibcFloor: s.reduce<string | null>((a, x) => (x.glibcFloor && (!a || cmpVer(x.glibcFloor, a) > 0) ? x.glibcFloor : a), null),
    entry,
    ...(node.problem ? { problem: node.problem } : {}),
    locator: node.locator,
  };
}

function cmpVer(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function sortMembers(m: UnitMember[]): UnitMember[] {
  const rank = (x: UnitMember) => (x.format === 'other' || x.format === 'archive' ? 1 : 0);
  return m.sort((a, b) => rank(a) - rank(b) || (a.image ?? 0) - (b.image ?? 0) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The targets a binary is built for: its architecture with the C library its interpreter names (both for a static one), macOS or iOS for Mach-O. */
function declaredTargets(node: FsNode): Target[] {
  const out = new Set<Target>();
  for (const s of node.facts?.slices ?? []) {
    if (node.facts!.format === 'elf') {
      if (s.arch !== 'arm64' && s.arch !== 'x86_64') continue;
      const interp = s.interpreter ?? '';
      const libs = /ld-musl-/.test(interp)
        ? ['musl']
        : interp
          ? ['glibc']
          : s.needed.some((n) => /^libc\.musl-|^libc\.so$/.test(n))
            ? ['musl']
            : s.needed.length
              ? ['glibc']
              : ['glibc', 'musl'];
      for (const l of libs) out.add(`linux-${s.arch}-${l}` as Target);
    } else {
      const arch = s.arch === 'arm64e' ? 'arm64' : s.arch;
      if (s.platform === 'ios' && arch === 'arm64') out.add('ios-arm64');
      else if (arch === 'arm64' || arch === 'x86_64') out.add(`macos-${arch}` as Target);
    }
  }
  return [...out];
}

function isEntry(node: FsNode): boolean {
  const s = node.facts?.slices[0];
  return !!s && (s.fileType === 'executable' || s.fileType === 'shared-library' || s.fileType === 'bundle');
}

/** Libraries the target always has: glibc's or musl's own, and the Apple system's (in the dyld shared cache since macOS 11). */
function systemProvides(t: Target, lib: string): boolean {
  if (t.startsWith('linux-')) return t.endsWith('-musl') ? isMuslFamily(lib) : isGlibcFamily(lib);
  return lib.startsWith('/usr/lib/') || lib.startsWith('/System/Library/');
}

/** Finds a needed library inside the unit the way the loader would from `path`'s search paths; the path found or null. */
function resolveInUnit(tree: Tree, path: string, node: FsNode, lib: string, executableDir?: string): string | null {
  const s = node.facts!.slices[0]!;
  const dir = dirname(path);
  const tryPath = (p: string) => {
    const r = tree.lookup(p);
    return r.ok && r.node.type === 'file' ? r.path : null;
  };
  if (node.facts!.format === 'elf') {
    if (lib.includes('/')) return lib.startsWith('/') ? null : null;
    for (const d of [...s.rpath, ...s.runpath].flatMap((x) => x.split(':')).filter(Boolean)) {
      const e = d.replace(/\$\{ORIGIN\}|\$ORIGIN/g, dir);
      if (!e.startsWith('/')) continue;
      const hit = tryPath(resolveIn('/', `${e}/${lib}`));
      if (hit) return hit;
    }
    return null;
  }
  const sub = (p: string) => p.replace(/^@loader_path/, dir).replace(/^@executable_path/, executableDir ?? dir);
  if (lib.startsWith('@rpath/')) {
    for (const r of s.rpath) {
      const base = sub(r);
      if (!base.startsWith('/')) continue;
      const hit = tryPath(resolveIn('/', `${base}/${lib.slice('@rpath/'.length)}`));
      if (hit) return hit;
    }
    return null;
  }
  if (lib.startsWith('@loader_path/') || lib.startsWith('@executable_path/')) return tryPath(resolveIn('/', sub(lib)));
  return null;
}

/** A wheel: its extension modules on each platform its tags claim, by the tags' rules. */
function judgeWheel(base: UnitReport, tree: Tree, opts: UnitOptions, wheelFile: [string, FsNode]): UnitReport {
  const files = tree.files();
  const tags = wheelTags(base.file.name, wheelFile[1].data ? new TextDecoder().decode(wheelFile[1].data) : null);
  const platforms = tags.flatMap(platformTag);
  // Several tags for one target (manylinux_2_17 and manylinux2014): pip installs it from the lowest up.
  const claim = new Map<Target, PlatformTag>();
  for (const p of platforms) {
    const prev = claim.get(p.target);
    if (!prev || cmpVer(p.version, prev.version) < 0) claim.set(p.target, p);
  }
  const exts = files.filter(([, n]) => n.facts && n.facts.slices.some((x) => x.fileType === 'shared-library' || x.fileType === 'bundle'));
  const wanted = opts.targets ?? [...claim.keys()].sort((a, b) => TARGETS.indexOf(a) - TARGETS.indexOf(b));
  const targets: UnitVerdict[] = [];
  for (const t of wanted) {
    const tag = claim.get(t);
    const failures: UnitFailure[] = [];
    if (!tag) {
      const tagText = tags.join('.') || 'none';
      failures.push({
        entry: base.file.name,
        member: '',
        step: 'platform',
        error: `ERROR: ${base.file.name} is not a supported wheel on this platform.`,
        reason: `Its platform tags (${tagText}) do not include ${t}, so pip does not install it there.`,
      });
    } else {
      for (const [path, node] of exts) {
        const cell = node.facts!.compatibility.find((c) => c.target === t);
        if (cell && cell.verdict === 'no') {
          failures.push({
            entry: path,
            member: path,
            step: 'exec',
            error: `ImportError: ${cell.error ?? cell.reason}`,
            reason: `${cell.reason} Its tag ${tag.tag} says ${t}.`,
          });
          continue;
        }
        const slice = node.facts!.slices[cell?.slice ?? 0] ?? node.facts!.slices[0]!;
        const p = tagProblem(tag, slice, path, (lib) => resolveInUnit(tree, path, node, lib) !== null);
        if (p) failures.push({ entry: path, member: path, ...p });
      }
    }
    targets.push({
      target: t,
      image: null,
      verdict: failures.length ? 'no' : 'runs',
      reason: failures.length
        ? `${failures[0]!.member || base.file.name}: ${failures[0]!.reason}`
        : `Every extension module loads on ${tag!.tag}: its symbol versions and libraries are within the tag's policy or vendored in the wheel.`,
      checked: exts.map(([p]) => p),
      failures,
    });
  }
  const members = files.map(([p, n]) =>
    memberOf(
      p,
      n,
      null,
      exts.some(([q]) => q === p),
    ),
  );
  const wheel = {
    tags,
    platforms: platforms.map((p) => ({ tag: p.tag, target: p.target, version: p.version })),
    extensions: exts.map(([path, n]) => ({
      path,
      manylinux: n.facts!.format === 'elf' && n.facts!.slices[0] ? requiredLevel(n.facts!.slices[0]) : null,
    })),
  };
  return { ...base, kind: 'archive', targets, members: sortMembers(members), wheel };
}

/** A macOS bundle: its main executable on each Mac target it has code for, and every Mach-O file nested in it loaded into that process. */
// eslint-disable-next-line max-lines-per-function -- the bundle's main executable on each Mac target it has code for, then every nested Mach-O file in that process, in the order dyld and the kernel meet them
function judgeBundle(base: UnitReport, tree: Tree, opts: UnitOptions, bundle: BundleInfo): UnitReport {
  const files = tree.files();
  const inside = files.filter(([p, n]) => p.startsWith(bundle.root + '/') && n.facts && n.facts.format !== 'elf');
  const mainPath = bundle.executable ? `${bundle.root}/Contents/MacOS/${bundle.executable}` : null;
  const mainNode = mainPath ? tree.lookup(mainPath) : null;
  const main = mainNode?.ok && mainNode.node.facts ? mainNode.node : null;
  const declared: Target[] = main
    ? (['macos-arm64', 'macos-x86_64'] as Target[]).filter((t) => processArch(main.facts!.slices, t) !== null)
    : [];
  const wanted = opts.targets ?? declared;
  const targets: UnitVerdict[] = [];
  for (const t of wanted) {
    const failures: UnitFailure[] = [];
    if (!main || !mainPath) {
      failures.push({
        entry: bundle.root,
        member: mainPath ?? `${bundle.root}/Contents/Info.plist`,
        step: 'entry',
        error: `The application “${basename(bundle.root)}” can’t be opened.`,
        reason: bundle.executable
          ? `Its CFBundleExecutable ${bundle.executable} is not in Contents/MacOS.`
          : 'Its Info.plist names no CFBundleExecutable.',
      });
    } else {
      const arch = processArch(main.facts!.slices, t);
      const cell = main.facts!.compatibility.find((c) => c.target === t);
      if (!arch || cell?.verdict === 'no') {
        failures.push({
          entry: mainPath,
          member: mainPath,
          step: 'exec',
          error: cell?.error ?? 'Bad CPU type in executable',
          reason: cell?.reason ?? `It has no code for ${t}.`,
        });
      } else {
        for (const [path, node] of inside) {
          const p = path === mainPath ? null : nestedProblem(path, node.facts!.slices, arch, mainPath, bundle.minimumSystemVersion, main);
          if (p) failures.push({ entry: mainPath, member: path, ...p });
          const s = node.facts!.slices.find((x) => x.arch === arch || (arch === 'arm64' && x.arch === 'arm64e'));
          if (!s) continue;
          // The kernel checks each page of arm64 code as it comes in, in every file of the process (xnu cs_validate_page).
          if (!p && path !== mainPath && arch === 'arm64' && s.signature?.status === 'invalid')
            failures.push({
              entry: mainPath,
              member: path,
              step: 'library',
              error: 'Killed: 9',
              reason: `${s.signature.reason ?? 'A page changed after it was signed.'} The kernel kills the process when it uses that page: sign it again after the last change, then sign the app.`,
            });
          for (const lib of s.needed) {
            if (systemProvides(t, lib) || resolveInUnit(tree, path, node, lib, dirname(mainPath))) continue;
            failures.push({
              entry: mainPath,
              member: path,
              step: 'library',
              error: dyld.libraryNotLoaded(lib, path, dyld.triedNoSuchFile(lib)),
              reason: `It needs ${lib}, which is not in the bundle where its LC_RPATHs lead, nor on the system.`,
            });
          }
        }
      }
    }
    targets.push({
      target: t,
      image: null,
      verdict: failures.length ? 'no' : 'runs',
      reason: failures.length
        ? `${failures[0]!.member}: ${failures[0]!.reason}`
        : `${basename(bundle.root)} starts, and every Mach-O file in it loads into its ${processArch(main!.facts!.slices, t)} process.`,
      checked: inside.map(([p]) => p),
      failures,
    });
  }
  const members = files.map(([p, n]) =>
    memberOf(
      p,
      n,
      null,
      inside.some(([q]) => q === p),
    ),
  );
  const { signature, sealReasons } = bundleSignature(bundle.root, files, mainPath);
  const notarization = bundleChecklist(bundle.root, files, mainPath, signature, sealReasons);
  return { ...base, targets, members: sortMembers(members), bundle: { ...bundle, main: mainPath, signature, notarization } };
}

function judgeFiles(base: UnitReport, tree: Tree, opts: UnitOptions): UnitReport {
  const files = tree.files();
  const bundles = bundlesOf(files, base.warnings);
  if (bundles.length > 0) return judgeBundle(base, tree, opts, bundles[0]!);
  const wheelFile = files.find(([p, n]) => /^\/[^/]+\.dist-info\/WHEEL$/.test(p) && n.data);
  if (wheelFile || /\.whl$/i.test(base.file.name))
    return judgeWheel(base, tree, opts, wheelFile ?? ['', { type: 'file', size: 0, mode: 0, locator: [] }]);
  const entries = files.filter(([, n]) => isEntry(n));
  const pkgs = npmPackages(tree);
  // A file of an npm package that names its platforms (os/cpu/libc) is installed there, and only there.
  const targetsOf = (path: string, node: FsNode): Target[] => packageOf(pkgs, path)?.targets ?? declaredTargets(node);
  const libs = staticLibraries(files, base.file.name);
  const wanted =
    opts.targets ??
    [
      ...new Set([
        ...entries.flatMap(([p, n]) => targetsOf(p, n)),
        ...libs.flatMap((l) => l.objects.flatMap(([, n]) => declaredTargets(n))),
      ]),
    ].sort((a, b) => TARGETS.indexOf(a) - TARGETS.indexOf(b));
  const targets: UnitVerdict[] = [];
  for (const t of wanted) {
    const checked: string[] = [];
    const failures: UnitFailure[] = [];
    let unknown: string | null = null;
    for (const [path, node] of entries) {
      // npm does not install a package on a platform its os/cpu/libc exclude, asked for or not.
      const own = packageOf(pkgs, path)?.targets;
      if (own ? !own.includes(t) : !opts.targets && !declaredTargets(node).includes(t)) continue;
      checked.push(path);
      const cell = node.facts!.compatibility.find((c) => c.target === t);
      const f = memberFailure(tree, path, node, t, cell, packageOf(pkgs, path));
      if (f === 'unknown') unknown ??= `${path}: ${cell?.reason ?? 'unknown'}`;
      else if (f) failures.push(f);
    }
    failures.push(...missingPlatformPackages(pkgs, t, opts.targets !== undefined));
    for (const lib of libs) {
      // A static library is linked whole for one target: every object in it must be built for that target.
      if (!opts.targets && !lib.objects.some(([, n]) => declaredTargets(n).includes(t))) continue;
      checked.push(lib.name);
      if (lib.slices) {
        // A universal one: the linker takes the slice of the architecture it links, and that slice is linked whole.
        const f = universalFailure(lib.name, lib.slices, t);
        if (f) failures.push(...f);
        continue;
      }
      for (const [path, node] of lib.objects) {
        const f = linkFailure(lib.name, path, node, t);
        if (f) failures.push(f);
      }
    }
    targets.push({
      target: t,
      image: null,
      verdict: failures.length ? 'no' : unknown ? 'unknown' : checked.length ? 'runs' : 'unknown',
      reason: failures.length
        ? `${failures[0]!.member}: ${failures[0]!.reason}`
        : unknown
          ? `binlens cannot tell for ${unknown}`
          : checked.length
            ? `Every program and library of the unit built for it runs or loads there${checked.length > 1 ? ` (${checked.length} checked)` : ''}.`
            : 'The unit has no program or library for this target.',
      checked,
      failures,
    });
  }
  const members = files.map(([p, n]) => memberOf(p, n, null, isEntry(n)));
  const packages = pkgs.map(({ targets: _t, ...p }) => p);
  return { ...base, targets, members: sortMembers(members), ...(packages.length ? { packages } : {}) };
}

/**
 * Object files grouped by the static library (`ar` archive) that holds them: the unit itself, or an archive inside it
 * (`/lib/libx.a!/…`). A universal library (lipo'd: a fat file of ar archives) is one library with a slice per
 * architecture (`libx.a!/arm64!/…`), `slices` its objects by architecture.
 */
function staticLibraries(
  files: [string, FsNode][],
  unitName: string,
): { name: string; objects: [string, FsNode][]; slices?: Map<string, [string, FsNode][]> }[] {
  const nodes = new Map(files);
  const out = new Map<string, { name: string; objects: [string, FsNode][]; slices?: Map<string, [string, FsNode][]> }>();
  const parent = (p: string) => {
    const bang = p.lastIndexOf('!/');
    return bang >= 0 ? p.slice(0, bang) : unitName;
  };
  for (const [path, node] of files) {
    if (!node.facts || !node.facts.slices.length || !node.facts.slices.every((s) => s.fileType === 'object')) continue;
    const archive = parent(path);
    const slice = nodes.get(archive)?.slice;
    const name = slice ? parent(archive) : archive;
    const lib = out.get(name) ?? { name, objects: [] };
    lib.objects.push([path, node]);
    if (slice) {
      lib.slices ??= new Map();
      lib.slices.set(slice, [...(lib.slices.get(slice) ?? []), [path, node]]);
    }
    out.set(name, lib);
  }
  return [...out.values()];
}

/**
 * A universal static library linked for `t`: ld64 takes the slice of the architecture it links ("missing required
 * architecture" when there is none) and links its objects; GNU ld does not read a universal file at all.
 */
function universalFailure(lib: string, slices: Map<string, [string, FsNode][]>, t: Target): UnitFailure[] | null {
  const arch = t.includes('arm64') ? 'arm64' : 'x86_64';
  const name = basename(lib);
  if (t.startsWith('linux-'))
    return [
      {
        entry: lib,
        member: lib,
        step: 'link',
        error: `/usr/bin/ld: ${name}: file not recognized: file format not recognized`,
        reason: `${name} is a universal (Mach-O fat) static library of ${[...slices.keys()].join(', ')} slices; GNU ld reads ELF archives only.`,
      },
    ];
  const objects = slices.get(arch);
  if (!objects)
    return [
      {
        entry: lib,
        member: lib,
        step: 'link',
        error: `ld: warning: ignoring file ${name}, missing required architecture ${arch} in file ${name} (${slices.size} slices)`,
        reason: `${name} has ${[...slices.keys()].join(', ')} slices and no ${arch} one, so the linker for ${t === 'ios-arm64' ? 'iOS' : 'macOS'}-${arch} skips it and its symbols are undefined: build the ${arch} library and lipo -create it in.`,
      },
    ];
  const out = objects.map(([path, node]) => linkFailure(lib, path, node, t)).filter((f): f is UnitFailure => f !== null);
  return out.length ? out : null;
}

const APPLE_PLATFORM: Record<string, string> = {
  macos: 'macOS',
  ios: 'iOS',
  'ios-simulator': 'iOS-simulator',
  maccatalyst: 'macCatalyst',
  tvos: 'tvOS',
  watchos: 'watchOS',
  visionos: 'visionOS',
};

/**
 * An object of a static library that the linker for `t` refuses: ld64's "building for macOS-arm64 but attempting to
 * link with file built for macOS-x86_64" (what cgo prints), GNU ld's "file in wrong format".
 */
function linkFailure(lib: string, path: string, node: FsNode, t: Target): UnitFailure | null {
  const member = path.slice(path.lastIndexOf('!/') + 2 || 1).replace(/^\//, '');
  const slices = node.facts!.slices;
  const arch = t.includes('arm64') ? 'arm64' : 'x86_64';
  if (t.startsWith('linux-')) {
    if (node.facts!.format === 'elf' && slices.some((s) => s.arch === arch)) return null;
    const s = slices[0]!;
    return {
      entry: lib,
      member: path,
      step: 'link',
      error: `/usr/bin/ld: ${basename(lib)}: error adding symbols: file in wrong format`,
      reason: `${member} in ${basename(lib)} is ${node.facts!.format === 'elf' ? `${s.archName} code` : 'a Mach-O object'}; a ${t} link needs ${arch} ELF objects.`,
    };
  }
  const platform = t === 'ios-arm64' ? 'ios' : 'macos';
  const want = `${APPLE_PLATFORM[platform]}-${arch}`;
  if (
    node.facts!.format !== 'elf' &&
    slices.some((s) => (s.arch === arch || (s.arch === 'arm64e' && arch === 'arm64')) && (s.platform === null || s.platform === platform))
  )
    return null;
  const s = slices[0]!;
  if (node.facts!.format === 'elf') {
    return {
      entry: lib,
      member: path,
      step: 'link',
      error: `ld: warning: ignoring file ${basename(lib)}(${member}), file was built for unsupported file format ( 0x7F 0x45 0x4C 0x46 … ) which is not the architecture being linked (${arch})`,
      reason: `${member} in ${basename(lib)} is an ELF object (${s.archName}); Apple's linker reads only Mach-O, so it skips it and its symbols are undefined.`,
    };
  }
  const have = `${APPLE_PLATFORM[s.platform ?? ''] ?? s.platform ?? 'unknown'}-${s.archName}`;
  return {
    entry: lib,
    member: path,
    step: 'link',
    error: `ld: warning: ignoring file ${basename(lib)}(${member}), building for ${want} but attempting to link with file built for ${have}`,
    reason: `${member} in ${basename(lib)} is built for ${have}, so the linker for ${want} skips it and its symbols are undefined (the error cgo shows).`,
  };
}

/**
 * A package whose optionalDependencies name the platform package for `t` (sharp → @img/sharp-linux-x64), when that
 * package is not in the unit: its loader's `require` fails. Judged on targets asked for, or on ones the package itself names.
 */
function missingPlatformPackages(pkgs: NpmPackage[], t: Target, asked: boolean): UnitFailure[] {
  const out: UnitFailure[] = [];
  for (const p of pkgs) {
    // A package that names its own platforms is itself a platform package: its optionalDependencies are companions
    // (sharp-linux-x64 → sharp-libvips-linux-x64) that its files reach through their own search paths.
    if (p.targets !== null) continue;
    void asked;
    const name = platformPackageFor(p, t);
    if (!name || pkgs.some((q) => q.name === name)) continue;
    out.push({
      entry: `${p.dir}/package.json`,
      member: `${p.dir}/package.json`,
      step: 'library',
      error: `Error: Cannot find module '${name}'`,
      reason: `${p.name} loads its ${t} build from the platform package ${name} (an optionalDependency), which is not in the unit: install it for that platform (npm install --os=… --cpu=…, or install on the target itself).`,
    });
  }
  return out;
}

function memberFailure(
  tree: Tree,
  path: string,
  node: FsNode,
  t: Target,
  cell: Compatibility | undefined,
  pkg: NpmPackage | null,
): UnitFailure | 'unknown' | null {
  const name = basename(path);
  if (!cell)
    return {
      entry: path,
      member: path,
      step: 'unknown',
      error: node.problem ?? 'could not be read',
      reason: node.problem ?? 'It could not be read.',
    };
  if (cell.verdict === 'no') return { entry: path, member: path, step: 'exec', error: cell.error ?? cell.reason, reason: cell.reason };
  if (cell.verdict === 'unknown') return 'unknown';
  // Runs if its libraries are there: inside the unit (through its own search paths) or always on the target.
  const s = node.facts!.slices[cell.slice ?? 0] ?? node.facts!.slices[0]!;
  // A library of an npm package is loaded into a Node.js process, which has its own libraries loaded already.
  const inNode = pkg !== null && s.fileType !== 'executable';
  for (const lib of s.needed) {
    if (systemProvides(t, lib) || (inNode && nodeProvides(t, lib))) continue;
    if (resolveInUnit(tree, path, node, lib)) continue;
    const error = t.startsWith('linux-')
      ? s.fileType === 'executable'
        ? linux.missingLibrary(name, lib, t)
        : t.endsWith('-musl')
          ? `Error loading shared library ${lib}: No such file or directory (needed by ${path})`
          : `${lib}: cannot open shared object file: No such file or directory`
      : dyld.libraryNotLoaded(lib, path, dyld.triedNoSuchFile(lib));
    return {
      entry: path,
      member: path,
      step: 'library',
      error,
      reason: `It needs ${lib}, which is neither in the unit (through its search paths) nor always on ${t}.`,
    };
  }
  // A Node.js addon loads, then Node looks for its initializer (node_binding.cc DLOpen): none is "did not self-register".
  if (s.addonEntry?.length === 0)
    return {
      entry: path,
      member: path,
      step: 'symbol',
      error: `Error: Module did not self-register: '${path}'.`,
      reason:
        'It exports no napi_register_module_v1 (Node-API) or node_register_module_v<N>, and registers nothing from a constructor (napi_module_register, node_module_register): it is not a Node.js addon, or it was built or stripped without its entry point. Build it with NAPI_MODULE or NAPI_MODULE_INIT (node-gyp, cmake-js) and keep that symbol exported.',
    };
  return null;
}
