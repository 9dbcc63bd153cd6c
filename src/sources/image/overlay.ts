/** Whether a file a layer wrote is still what `docker run` shows, and if not, which layer hid it. */
export interface Fate {
  visible: boolean;
  /** The first later layer that hid it. */
  deletedBy?: number;
  /** How: a whiteout file, an opaque directory, or a later layer writing the same path. */
  hiddenBy?: 'whiteout' | 'opaque-dir' | 'overwritten';
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** What a layer entry means for the union file system. */
export type EntryEffect =
  | { kind: 'write'; path: string }
  | { kind: 'whiteout'; path: string }
  | { kind: 'opaque'; dir: string }
  | { kind: 'metadata' };

/** Reads a (normalised, slash-free at both ends) entry name as overlayfs does. */
export function entryEffect(name: string): EntryEffect {
  const slash = name.lastIndexOf('/');
  const dir = slash === -1 ? '' : name.slice(0, slash);
  const base = name.slice(slash + 1);
  if (base === OPAQUE) return { kind: 'opaque', dir };
  // Other .wh..wh. names (aufs hard-link bookkeeping) carry no file.
  if (base.startsWith(`${WHITEOUT}${WHITEOUT}`)) return { kind: 'metadata' };
  if (base.startsWith(WHITEOUT)) return { kind: 'whiteout', path: dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length) };
  return { kind: 'write', path: name };
}

/** Records that `layer` has `key`. Layers may stream in any order (two are walked at once). */
function add(map: Map<string, number | number[]>, key: string, layer: number): void {
  const have = map.get(key);
  if (have === undefined) map.set(key, layer);
  else if (typeof have === 'number') {
    if (have !== layer) map.set(key, [have, layer]);
  } else if (!have.includes(layer)) have.push(layer);
}

/** The lowest layer above `layer` in a list, or undefined. */
function firstAbove(value: number | number[] | undefined, layer: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value > layer ? value : undefined;
  let first: number | undefined;
  for (const l of value) if (l > layer && (first === undefined || l < first)) first = l;
  return first;
}

/** Paths of a path's ancestors, nearest first: a/b/c → a/b, a. */
function* ancestors(path: string): Generator<string> {
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) yield path.slice(0, i);
}

/**
 * The union of an image's layers, recorded entry by entry as they stream past, then asked about
 * the files where secrets were found. Holds one small record per non-directory path (not bytes).
 */
export class LayerOverlay {
  private readonly writes = new Map<string, number | number[]>();
  private readonly whiteouts = new Map<string, number | number[]>();
  private readonly opaque = new Map<string, number | number[]>();

  record(layer: number, effect: EntryEffect, isDirectory: boolean): void {
    if (effect.kind === 'write' && !isDirectory) add(this.writes, effect.path, layer);
    else if (effect.kind === 'whiteout') add(this.whiteouts, effect.path, layer);
    else if (effect.kind === 'opaque') add(this.opaque, effect.dir, layer);
  }

  /** The fate of the file `path` written by `layer`: visible, or hidden by which layer and how. */
  fate(layer: number, path: string): Fate {
    let best: Fate = { visible: true };
    const consider = (by: number | undefined, how: NonNullable<Fate['hiddenBy']>) => {
      if (by !== undefined && (best.deletedBy === undefined || by < best.deletedBy)) best = { visible: false, deletedBy: by, hiddenBy: how };
    };
    consider(firstAbove(this.writes.get(path), layer), 'overwritten');
    consider(firstAbove(this.whiteouts.get(path), layer), 'whiteout');
    for (const dir of ancestors(path)) {
      consider(firstAbove(this.whiteouts.get(dir), layer), 'whiteout');
      consider(firstAbove(this.opaque.get(dir), layer), 'opaque-dir');
      // A later layer that puts a file or symlink where a parent directory was hides the directory.
      consider(firstAbove(this.writes.get(dir), layer), 'overwritten');
    }
    // An opaque root (rare, but legal) hides every lower file.
    consider(firstAbove(this.opaque.get(''), layer), 'opaque-dir');
    return best;
  }
}
