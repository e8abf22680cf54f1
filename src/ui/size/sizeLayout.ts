// The treemap's tiles for one level of the size map: d3-hierarchy's
// squarified layout (the Bruls, Huizing and van Wijk algorithm most size
// tools draw with). Only SizeMap imports this, and SizeCard imports SizeMap
// when the card is first opened: the layout library is in that chunk, not in
// the first-load bundle. The page draws the tiles itself (SizeMap).

import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';
import type { SizeItem, SizeLevel } from '../../workers/client.ts';

export interface Tile {
  /** The child drawn here; null for the tile that sums the children not drawn. */
  item: SizeItem | null;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Leaf {
  item: SizeItem | null;
  size: number;
}

/** Tiles of a level in a `width` × `height` box; children of no bytes get none (the table lists them). */
export function layoutTiles(level: SizeLevel, width: number, height: number): Tile[] {
  const leaves: Leaf[] = level.children.filter((c) => c.size > 0).map((c) => ({ item: c, size: c.size }));
  if (level.others && level.others.size > 0) leaves.push({ item: null, size: level.others.size });
  if (leaves.length === 0 || width <= 0 || height <= 0) return [];
  const root = hierarchy<{ children?: Leaf[] } | Leaf>({ children: leaves }, (d) => ('children' in d ? d.children : undefined)).sum((d) =>
    'size' in d ? d.size : 0,
  );
  treemap<{ children?: Leaf[] } | Leaf>().tile(treemapSquarify).size([width, height]).paddingInner(2).round(true)(root);
  const out: Tile[] = [];
  for (const l of root.leaves() as HierarchyRectangularNode<Leaf>[]) {
    out.push({ item: l.data.item, x: l.x0, y: l.y0, w: Math.max(0, l.x1 - l.x0), h: Math.max(0, l.y1 - l.y0) });
  }
  return out;
}
