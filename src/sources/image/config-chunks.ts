import type { ImageConfig } from './image-source.js';

/** A piece of an image config to scan: where it sits, its text, and the layer it speaks for. */
export interface ConfigChunk {
  /** `<config>/Env`, `<config>/history[3].created_by`… */
  path: string;
  bytes: Buffer;
  /** For a history entry that made a layer: that layer's index. */
  layer?: number;
}

export const CONFIG_PREFIX = '<config>';

/**
 * The build step behind each layer: history entries marked empty_layer (ENV, LABEL, CMD…) made
 * no layer, so the n-th entry that is not empty made layer n. When the counts disagree (history
 * is optional and sometimes squashed), layers past the end get no step rather than a wrong one.
 */
export function layerSteps(config: ImageConfig, layerCount: number): (string | undefined)[] {
  const steps = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
  return Array.from({ length: layerCount }, (_, i) => (steps.length === layerCount || i < steps.length ? steps[i] : undefined));
}

/** History entry index → the layer it made (undefined for empty_layer entries). */
function historyLayers(config: ImageConfig): (number | undefined)[] {
  let next = 0;
  return (config.history ?? []).map((h) => (h.empty_layer ? undefined : next++));
}

/**
 * What an image's config holds that may leak: Env (ENV and ARG values land here), Labels, Cmd,
 * Entrypoint, and every history created_by (a `RUN --build-arg`-expanded line, an `ENV KEY=…`).
 * One line per Env entry and per label, so a finding's line number points at the entry.
 */
export function configChunks(config: ImageConfig): ConfigChunk[] {
  const chunks: ConfigChunk[] = [];
  const text = (path: string, lines: string[], layer?: number) => {
    if (lines.length === 0) return;
    chunks.push({ path: `${CONFIG_PREFIX}/${path}`, bytes: Buffer.from(`${lines.join('\n')}\n`), ...(layer !== undefined ? { layer } : {}) });
  };
  const c = config.config ?? {};
  text('Env', c.Env ?? []);
  text('Labels', Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`));
  text('Entrypoint', c.Entrypoint?.length ? [c.Entrypoint.join(' ')] : []);
  text('Cmd', c.Cmd?.length ? [c.Cmd.join(' ')] : []);
  const layers = historyLayers(config);
  (config.history ?? []).forEach((h, i) => {
    if (h.created_by) text(`history[${i}].created_by`, [h.created_by], layers[i]);
  });
  return chunks;
}
