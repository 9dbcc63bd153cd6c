// What kind of text a file holds, from its name: decides which syntax counts as a literal value.

/**
 * - `config`: key/value formats (.env, INI, properties, YAML, TOML, HCL, shell, XML, JSON): a bare
 *   value after `NAME=` or `name:` is a literal.
 * - `code`: a programming language: only a quoted string is a literal; a bare word is an
 *   identifier, a call or an expression.
 * - `generated`: minified bundles, source maps and type declarations: still scanned (provider keys
 *   leak into bundles), but a generic match needs much stronger evidence.
 * - `docs`: prose and its code samples (Markdown, reStructuredText, AsciiDoc; `*.example*` and
 *   `*.sample*` files): examples, mostly.
 * - `unknown`: no name, or a name that says nothing (stdin, a commit message): the syntax around
 *   the value decides alone.
 */
export type FileKind = 'config' | 'code' | 'generated' | 'docs' | 'unknown';

// Not .txt: notes files (passwords.txt, creds.txt) are where people keep credentials.
const DOCS_EXT = new Set('md markdown mdx rst adoc asciidoc textile rdoc org'.split(' '));

const GENERATED = /(?:\.min\.[cm]?js|\.bundle\.js|\.chunk\.js|\.map|\.d\.[cm]?ts|\.d\.[\w-]+\.ts)$/i;

const CODE_EXT = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx vue svelte py pyw pyi rb go rs java kt kts scala groovy gradle cs fs vb swift m mm ' +
    'c h cc cpp cxx hh hpp hxx ino php phtml pl pm lua dart ex exs erl hs clj cljs r jl nim zig sol coffee elm ml ' +
    'ps1 psm1 sql'
  ).split(' '),
);

const CONFIG_EXT = new Set(
  (
    'env ini cfg conf cnf config properties props prefs yml yaml toml tf tfvars hcl nomad sh bash zsh ksh fish ' +
    'xml plist csproj vbproj fsproj nuspec pom xaml json jsonc json5 ipynb tpl npmrc pypirc netrc pgpass service ' +
    'desktop reg bat cmd ovpn mk'
  ).split(' '),
);

/** Names without a telling extension that hold key/value settings. */
const CONFIG_NAME = /^(?:\.env(?:\..*)?|.*\.env|dockerfile(?:\..*)?|containerfile|makefile|gnumakefile|procfile|jenkinsfile|vagrantfile|\.[\w-]*rc|[\w.-]*credentials|[\w.-]*config|\.?htpasswd|\.git-credentials|\.?netrc|_netrc|\.?pgpass)$/i;

/** The kind of a file, from its path (either slash). Unknown when there is no path. */
export function fileKindOf(filePath: string | undefined): FileKind {
  if (!filePath) return 'unknown';
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
  if (GENERATED.test(name)) return 'generated';
  // api.examples.json, config.example.yml, .env.example: sample values for readers.
  if (/(?:^|[._-])(?:examples?|samples?)(?:[._-]|$)/i.test(name)) return 'docs';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (CONFIG_NAME.test(name)) return 'config';
  if (CODE_EXT.has(ext)) return 'code';
  if (CONFIG_EXT.has(ext)) return 'config';
  if (DOCS_EXT.has(ext)) return 'docs';
  return 'unknown';
}

/** A line this long is minified or generated text, whatever the file is called. */
export const MINIFIED_LINE = 1000;
