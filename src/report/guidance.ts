import type { Revocation, Urgency } from '../types.js';

export const URGENCY_LABEL: Record<Urgency, string> = {
  'revoke-now': 'revoke now',
  rotate: 'rotate',
  'restrict-or-rotate': 'restrict or rotate',
};

/** Revocation guidance as plain lines, shared by the text and SARIF reports. */
export function guidanceLines(r: Revocation): string[] {
  const lines = [`${URGENCY_LABEL[r.urgency]}: ${r.summary}`];
  if (r.url) lines.push(`Where: ${r.url}`);
  r.steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  if (r.api) lines.push(`API: ${r.api}`);
  for (const a of r.after) lines.push(`After: ${a}`);
  return lines;
}

export function guidanceMarkdown(r: Revocation, references: string[]): string {
  const out = [`**${URGENCY_LABEL[r.urgency]}**: ${r.summary}`, ''];
  if (r.url) out.push(`Where: <${r.url}>`, '');
  r.steps.forEach((s, i) => out.push(`${i + 1}. ${s}`));
  out.push('');
  if (r.api) out.push(`API: \`${r.api}\``, '');
  if (r.after.length) {
    out.push('Then check:', '');
    for (const a of r.after) out.push(`- ${a}`);
    out.push('');
  }
  out.push('Deleting the line or rewriting history does not un-leak a pushed key: revoke or rotate it first.');
  if (references.length) {
    out.push('', 'References:', '');
    for (const ref of references) out.push(`- <${ref}>`);
  }
  return out.join('\n');
}
