// Container images in the two layouts `docker save` writes and registries
// serve: the Docker image tarball (`manifest.json` naming each image's config
// and its layers in order) and the OCI image layout (`oci-layout`,
// `index.json`, `blobs/sha256/…`; image-spec image-layout.md, image-index.md,
// manifest.md, config.md), nested indexes and multi-platform indexes too.
// Each platform's root filesystem is its layers applied in order (layer.md).

import type { ArchKind } from '../verdict/arch.ts';
import { UnitError } from './limits.ts';
import type { ImageInfo } from './types.ts';
import { Tree, type FsNode } from './tree.ts';
import type { Listing } from './walk.ts';
import { memberPath } from './paths.ts';

export interface FoundImage {
  info: Omit<ImageInfo, 'libc' | 'entryPoints' | 'graph'>;
  tree: Tree;
  arch: ArchKind | null;
  env: Record<string, string>;
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** Docker's GOARCH names → binlens's. */
export function archOfPlatform(architecture: string): ArchKind | null {
  switch (architecture) {
    case 'amd64':
      return 'x86_64';
    case 'arm64':
      return 'arm64';
    case '386':
      return 'i386';
    case 'arm':
      return 'arm';
    default:
      return null;
  }
}

type Json = Record<string, unknown>;

function docs(listing: Listing): Map<string, FsNode> {
  const out = new Map<string, FsNode>();
  for (const e of listing.entries) if ('node' in e && e.node.type === 'file') out.set(e.path, e.node);
  return out;
}

function parseJson(node: FsNode | undefined, what: string): Json {
  if (!node) throw new UnitError('format', `${what} is not in the archive`);
  if (!node.data) throw new UnitError('format', `${what} could not be read${node.problem ? `: ${node.problem}` : ''}`);
  try {
    const v = JSON.parse(new TextDecoder().decode(node.data)) as unknown;
    if (typeof v !== 'object' || v === null) throw new Error('not an object');
    return v as Json;
  } catch (e) {
    throw new UnitError('format', `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strs = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);

function blobPath(digest: unknown): string {
  const d = str(digest) ?? '';
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(d);
  if (!m) throw new UnitError('format', `bad digest '${d.slice(0, 100)}'`);
  return `/blobs/${m[1]}/${m[2]}`;
}

/** Whether a listing holds a container image, by the files each layout must have. */
export function isImage(listing: Listing): boolean {
  const d = docs(listing);
  return d.has('/index.json') || d.has('/manifest.json') || d.has('/oci-layout');
}

/** Whether a member is one of the JSON documents an image is described by (kept whole when read). */
export function isImageDocument(path: string, head: Uint8Array): boolean {
  if (path === '/oci-layout' || path === '/repositories' || path.endsWith('.json')) return true;
  if (!/^\/blobs\/[a-z0-9]+\/[0-9a-f]+$/.test(path)) return false;
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x7b; // '{'
}

// eslint-disable-next-line max-lines-per-function -- the image layouts a tar may hold (OCI index and manifests, docker save's manifest.json) read in turn, each layer applied to the image's tree
export function findImages(
  listing: Listing,
  maxIndexDepth = 4,
): { kind: 'image' | 'image-index'; images: FoundImage[]; warnings: string[] } {
  const d = docs(listing);
  const warnings: string[] = [];
  const images: FoundImage[] = [];
  const build = (manifestRef: string, manifest: Json, reference: string | null, config: Json, layerPaths: string[]) => {
    const tree = new Tree();
    for (const p of layerPaths) {
      const layer = listing.nested.get(p);
      if (!layer) throw new UnitError('format', `the layer ${p} the manifest lists is not in the archive (or is not a tar)`);
      tree.apply(layer.entries);
    }
    const c = (config.config as Json | undefined) ?? {};
    const env = strs(c.Env) ?? [];
    const os = str(config.os) ?? 'unknown';
    const architecture = str(config.architecture) ?? 'unknown';
    const variant = str(config.variant);
    const arch = archOfPlatform(architecture);
    images.push({
      info: {
        index: images.length,
        platform: [os, architecture, ...(variant ? [variant] : [])].join('/'),
        target: null,
        reference,
        manifest: manifestRef,
        config: { entrypoint: strs(c.Entrypoint), cmd: strs(c.Cmd), env, workingDir: str(c.WorkingDir) || null, user: str(c.User) || null },
        layers: layerPaths.length,
      },
      tree,
      arch,
      env: Object.fromEntries(env.map((kv) => [kv.slice(0, Math.max(0, kv.indexOf('='))), kv.slice(kv.indexOf('=') + 1)])),
    });
    void manifest;
  };

  if (d.has('/index.json')) {
    let multi = false;
    const walkIndex = (index: Json, depth: number, refName: string | null) => {
      if (depth > maxIndexDepth) throw new UnitError('limit', `image indexes nested more than ${maxIndexDepth} deep`);
      const list = Array.isArray(index.manifests) ? (index.manifests as Json[]) : [];
      const real = list.filter((m) => {
        const a = (m.annotations as Json | undefined) ?? {};
        const p = (m.platform as Json | undefined) ?? {};
        // BuildKit's attestation manifests (SBOM, provenance) ride in the index with platform unknown/unknown.
        return a['vnd.docker.reference.type'] !== 'attestation-manifest' && p.os !== 'unknown';
      });
      if (real.length > 1) multi = true;
      for (const m of real) {
        const ref = str(((m.annotations as Json | undefined) ?? {})['org.opencontainers.image.ref.name']) ?? refName;
        const path = blobPath(m.digest);
        const doc = parseJson(d.get(path), `the manifest ${str(m.digest)}`);
        const type = str(m.mediaType) ?? str(doc.mediaType) ?? '';
        if (INDEX_TYPES.has(type) || Array.isArray(doc.manifests)) {
          walkIndex(doc, depth + 1, ref);
          continue;
        }
        const cfg = parseJson(d.get(blobPath((doc.config as Json | undefined)?.digest)), `the config of ${str(m.digest)}`);
        const layers = Array.isArray(doc.layers) ? (doc.layers as Json[]).map((l) => blobPath(l.digest)) : [];
        build(str(m.digest) ?? path, doc, ref, cfg, layers);
      }
    };
    walkIndex(parseJson(d.get('/index.json'), 'index.json'), 0, null);
    if (images.length === 0) throw new UnitError('format', 'index.json lists no image manifest');
    return { kind: multi || images.length > 1 ? 'image-index' : 'image', images, warnings };
  }
  if (d.has('/manifest.json')) {
    const raw = JSON.parse(new TextDecoder().decode(d.get('/manifest.json')!.data ?? new Uint8Array())) as unknown;
    if (!Array.isArray(raw)) throw new UnitError('format', 'manifest.json is not a list of images');
    for (const m of raw as Json[]) {
      const cfgPath = memberPath(str(m.Config) ?? '');
      const cfg = parseJson(d.get(cfgPath), `the config ${cfgPath}`);
      const layers = (strs(m.Layers) ?? []).map((l) => memberPath(l));
      build('manifest.json', m, (strs(m.RepoTags) ?? [])[0] ?? null, cfg, layers);
    }
    if (images.length === 0) throw new UnitError('format', 'manifest.json lists no image');
    return { kind: images.length > 1 ? 'image-index' : 'image', images, warnings };
  }
  throw new UnitError('format', 'an OCI layout (oci-layout) without index.json');
}
