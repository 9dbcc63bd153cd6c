import { imageOrigin, type Finding, type Origin } from '../types.js';

function short(digest: string | undefined): string {
  if (!digest) return '';
  const colon = digest.indexOf(':');
  return ` ${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}

/** A build step as Dockerfile readers know it: no `/bin/sh -c #(nop)` noise, one line, bounded. */
export function buildStep(createdBy: string): string {
  const step = createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').replace(/\s+/g, ' ').trim();
  return step.length > 90 ? `${step.slice(0, 87)}...` : step;
}

/**
 * One line under an image finding: image and platform, layer and build step, and whether the
 * final image still shows the file. Null for locations that do not come from an image.
 */
export function describeImageOrigin(origin: Origin | undefined): string | null {
  const o = imageOrigin(origin);
  if (!o) return null;
  const parts = [`${o.image} ${o.platform}`];
  if (o.kind === 'image-config') {
    parts.push(o.layer !== undefined ? `image config, history of layer ${o.layer}` : 'image config');
    parts.push('in every pull of the image');
    return parts.join(' · ');
  }
  parts.push(`layer ${o.layer}${short(o.layerDigest)}`);
  if (o.createdBy) parts.push(buildStep(o.createdBy));
  if (o.archive) parts.push(`inside ${o.archive}`);
  if (o.visible) parts.push('still in the final image');
  else {
    const how = o.hiddenBy === 'overwritten' ? 'replaced' : o.hiddenBy === 'opaque-dir' ? 'hidden (opaque directory)' : 'deleted';
    parts.push(`${how} by layer ${o.deletedBy} (still in the image for anyone who pulls it)`);
  }
  return parts.join(' · ');
}

/** Advice when a secret lives on in a lower layer or in the config: deleting it did not un-leak it. */
export function imageAdvice(findings: Finding[]): string | null {
  const origins = findings.flatMap((f) => f.locations.map((l) => imageOrigin(l.origin))).filter((o) => o !== undefined);
  const hidden = origins.some((o) => o.kind === 'image-layer' && !o.visible);
  const config = origins.some((o) => o.kind === 'image-config');
  const lines: string[] = [];
  if (hidden) {
    lines.push('Deleted in a later layer is not removed: the earlier layer still holds the file, and every pull downloads it.');
  }
  if (config) lines.push('ENV values, build args and RUN lines are kept in the image config and history, which every pull downloads.');
  if (lines.length === 0) return null;
  lines.push('Rotate the key first; then rebuild without it (build secrets: RUN --mount=type=secret, or a multi-stage build) and delete the old tags.');
  return lines.join('\n  ');
}
