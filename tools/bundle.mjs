// Builds the release bundle into dist/ from the wasm that cargo built (`./run` builds it with
// `--profile wasm-release` and `--cfg wasm_split -Clink-args=--emit-relocs`).
//
// Why not Trunk: Trunk 0.21 cannot split a wasm module (trunk-rs/trunk#1022), and one module
// holding every screen cannot meet the first-load budget. The steps are the ones cargo-leptos
// runs for `--split`:
//   1. wasm-split-cli cuts the module at the `#[wasm_split]` functions (src/pages/lazy.rs) into
//      the main module, one chunk per group of screens, shared chunks and a loader (__wasm_split.js);
//   2. wasm-bindgen generates the JS glue for the main module (keeping the exports the chunks link to);
//   3. wasm-opt shrinks every module (npm's binaryen, never Debian's), terser the JS;
//   4. everything goes into dist/pkg-<hash>/, named by a hash of its contents, so the server may
//      let browsers keep it for a year; the chunks find each other by relative URLs inside it;
//   5. index.html (the same file `trunk serve` reads) gets the stylesheet and the start script;
//   6. sw.js, the service worker (tools/service-worker.js), gets the list of files to cache;
//   7. a gzip copy beside every module, script, style sheet and the catalog, which the server
//      sends instead of compressing on each request. Zopfli writes it (Debian's `zopfli`, which
//      ./run installs): still gzip, which every webview takes, about 4 % smaller than zlib's -9
//      for the same file (the main module: 171.8 against 179.1 KB), at about 1 s per 0.5 MB.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INPUT = 'target/wasm32-unknown-unknown/wasm-release/citizen-cloud.wasm';
const NAME = 'citizen-cloud';
const WORK = 'target/bundle';
const DIST = 'dist';

// wasm-opt warns once per module about the extended name section it drops anyway; other lines
// are shown.
const NOISE = /^warning: unknown name subsection/;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  const lines = (r.stderr ?? '').split('\n').filter((line) => line && !NOISE.test(line));
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
};
const hash16 = (...buffers) => {
  const h = createHash('sha256');
  for (const b of buffers) h.update(b);
  return h.digest('hex').slice(0, 16);
};

rmSync(WORK, { recursive: true, force: true });
const split = join(WORK, 'split');
const pkg = join(WORK, 'pkg');
mkdirSync(split, { recursive: true });
mkdirSync(pkg, { recursive: true });

// 1. Split.
run('wasm-split-cli', [INPUT, split, '--out-name', NAME]);
const chunks = readdirSync(split).filter((f) => f.endsWith('.wasm') && f !== `${NAME}.wasm`);
if (chunks.length === 0) {
  throw new Error(`${INPUT} has no split points: was it built with --cfg wasm_split?`);
}

// 2. JS glue for the main module; the chunks import its exports by name.
run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-demangle', '--no-typescript',
  '--out-dir', pkg, '--out-name', NAME, join(split, `${NAME}.wasm`)]);
for (const f of chunks) copyFileSync(join(split, f), join(pkg, f));
markUncompilableChunks(join(split, '__wasm_split.js'), join(pkg, '__wasm_split.js'));
dropUnusedStreams(join(pkg, `${NAME}_bg.wasm`), join(pkg, `${NAME}.js`));

// 2a. A chunk that this browser cannot compile (an old webview: the main module compiled, a chunk
// uses what it lacks) would fail like one that could not be fetched, with a retry that cannot
// help. The loader shows index.html's "please update" page instead (the same one an old webview
// gets for the main module; the app keeps it, hidden, in #boot), which hides the app.
function markUncompilableChunks(from, to) {
  const caught = '            console.error(e);\n';
  const loader = readFileSync(from, 'utf8');
  if (loader.split(caught).length !== 2) {
    throw new Error("wasm-split's loader changed: revisit markUncompilableChunks");
  }
  const show = 'const boot = document.getElementById("boot"); if (boot) boot.className = "no-wasm";';
  writeFileSync(to, loader.replace(caught, `${caught}            if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) { ${show} }\n`));
}

// 2b. Leptos always builds `server_fn` with its browser client, whose `wasm-streams` dependency
// exports three stream adapter classes to JS. Exports are roots, so their code stays in the main
// module although this app has no server functions and never creates one: 1.5 KB gzip of the
// first load. Their exports and JS classes go here; wasm-opt then drops the code behind them.
function dropUnusedStreams(wasmPath, jsPath) {
  const unused = /^(__wbg_)?intounderlying(bytesource|sink|source)_/;
  const buf = readFileSync(wasmPath);
  const leb = (i) => { let r = 0, s = 0, x; do { x = buf[i++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return [r >>> 0, i]; };
  const uleb = (n) => { const o = []; do { let x = n & 0x7f; n >>>= 7; if (n) x |= 0x80; o.push(x); } while (n); return Buffer.from(o); };
  const parts = [buf.subarray(0, 8)];
  let dropped = 0;
  for (let i = 8; i < buf.length;) {
    const [size, body] = leb(i + 1);
    const end = body + size;
    if (buf[i] === 7) {
      let [count, k] = leb(body);
      const kept = [];
      for (let e = 0; e < count; e++) {
        const from = k;
        const [len, nameAt] = leb(k);
        const name = buf.subarray(nameAt, nameAt + len).toString();
        [, k] = leb(nameAt + len + 1);
        if (unused.test(name)) dropped++; else kept.push(buf.subarray(from, k));
      }
      const section = Buffer.concat([uleb(kept.length), ...kept]);
      parts.push(Buffer.from([7]), uleb(section.length), section);
    } else {
      parts.push(buf.subarray(i, end));
    }
    i = end;
  }
  const js = readFileSync(jsPath, 'utf8')
    .replace(/^export class IntoUnderlying\w+ \{\n[\s\S]*?^if \(Symbol\.dispose\) IntoUnderlying\w+\.prototype\[Symbol\.dispose\] = .*\n/gm, '')
    .replace(/^const IntoUnderlying\w+Finalization = [^;]*;\n/gm, '');
  if (dropped !== 13 || /intounderlying/i.test(js)) {
    throw new Error(`wasm-streams' exports changed (dropped ${dropped} of 13): revisit dropUnusedStreams`);
  }
  writeFileSync(wasmPath, Buffer.concat(parts));
  writeFileSync(jsPath, js);
}

// 3. Shrink every module. Measured on the main module, gzip as served: -Os with the two options
// below is 1.8 KB smaller than -Oz alone (-Oz leaves more, smaller instructions that compress
// worse). --low-memory-unused: rustc's wasm layout puts the stack first and the data at 1 MiB, so
// nothing lives in the low 1 KiB and constant offsets may fold into loads and stores. --converge
// repeats the passes while they still shrink the module (about 10 s more per build).
const WASM_OPT = ['-Os', '--low-memory-unused', '--converge', '--strip-debug', '--strip-producers'];
for (const f of readdirSync(pkg).filter((f) => f.endsWith('.wasm'))) {
  const path = join(pkg, f);
  run('wasm-opt', [...WASM_OPT, path, '-o', path]);
}

for (const f of readdirSync(pkg).filter((f) => f.endsWith('.js'))) {
  const path = join(pkg, f);
  run('terser', [path, '--module', '--compress', '--mangle', '--output', path]);
}

// 4. dist/pkg-<hash>/ and dist/main-<hash>.css. Stylesheets lose their comments and spare
// whitespace (−0.85 KB gzip of the first load); they hold no strings or URLs where either could
// matter. main.css (the shell, the home page) loads with the page; each chunk's own sheet,
// style/<chunk>.css, and shared.css (what several chunks' screens use) go beside the chunks and
// are added by the app when one of the chunk's screens opens (src/browser/styles.rs), which finds
// them through a <meta>.
const minified = (file) => readFileSync(join('style', file), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s+/g, ' ')
  .replace(/ ?([{};]) ?/g, '$1')
  .trim();
const chunkStyles = readdirSync('style').filter((f) => f.endsWith('.css') && f !== 'main.css').sort();
for (const f of chunkStyles) writeFileSync(join(pkg, f), minified(f));
const files = readdirSync(pkg).sort();
const pkgHash = hash16(...files.flatMap((f) => [Buffer.from(f), readFileSync(join(pkg, f))]));
const pkgDir = `pkg-${pkgHash}`;
const css = minified('main.css');
const cssName = `main-${hash16(css)}.css`;

rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST);
renameSync(pkg, join(DIST, pkgDir));
writeFileSync(join(DIST, cssName), css);
copyFileSync('public/config.json', join(DIST, 'config.json'));
copyFileSync('crates/core/data/catalog.json', join(DIST, 'catalog.json'));

// 5. index.html: Trunk's directives out, ours in. Relative URLs: the server writes <base href>.
const template = readFileSync('index.html', 'utf8');
const trunkLinks = /^\s*<link data-trunk [^>]*>\n/gm;
if (!template.includes('<base data-trunk-public-url>') || (template.match(trunkLinks) ?? []).length === 0) {
  throw new Error('index.html no longer has the Trunk directives this script replaces');
}
const start = [
  `<link rel="stylesheet" href="./${cssName}">`,
  `<meta name="chunk-styles" content="./${pkgDir}/" data-chunks="${chunkStyles.map((f) => f.replace(/\.css$/, '')).join(' ')}">`,
  `<link rel="modulepreload" href="./${pkgDir}/${NAME}.js">`,
  `<link rel="modulepreload" href="./${pkgDir}/__wasm_split.js">`,
  `<script type="module">`,
  `import init from './${pkgDir}/${NAME}.js';`,
  `// Not awaited: when this webview cannot compile the module (Safari 15), the rejection stays an`,
  `// unhandled one, which the boot script answers with the "please update" page; an awaited one`,
  `// would end the module with an uncaught error instead, and leave the loading shell up.`,
  `init({ module_or_path: './${pkgDir}/${NAME}_bg.wasm' }).then(() => {`,
  `  // Offline starts (see sw.js), registered once the first screen is up: installing caches the`,
  `  // whole bundle, which must not compete with the first render. Without service workers, none.`,
  `  if ('serviceWorker' in navigator) setTimeout(() => navigator.serviceWorker.register('./sw.js').catch(() => {}), 3000);`,
  `});`,
  `</script>`,
].map((line) => `  ${line}\n`).join('');
const html = template
  .replace('<base data-trunk-public-url>', '<base href="./">')
  .replace(trunkLinks, '')
  .replace('</head>', `${start}</head>`);
writeFileSync(join(DIST, 'index.html'), html);

// 6. The service worker caches the whole bundle, so every screen opens offline.
const cached = ['./', 'config.json', 'catalog.json', cssName, ...files.map((f) => `${pkgDir}/${f}`)];
const worker = readFileSync('tools/service-worker.js', 'utf8')
  .replace("'__BUILD__'", JSON.stringify(pkgHash))
  .replace('__FILES__', JSON.stringify(cached));
writeFileSync(join(DIST, 'sw.js'), worker);

// 7. Precompressed copies (index.html and config.json are served from the server's memory).
for (const f of [cssName, 'catalog.json', 'sw.js', ...files.map((f) => `${pkgDir}/${f}`)]) {
  const path = join(DIST, f);
  run('zopfli', ['--gzip', path]);
}

console.log(`dist/: index.html, sw.js, ${cssName}, ${pkgDir}/ (${files.join(', ')})`);
