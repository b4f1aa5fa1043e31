// node build.mjs OUT_DIR
// Bundles src/main.ts and src/style.css with esbuild into OUT_DIR/assets, with a content hash in
// each file name, and writes OUT_DIR/index.html naming them. OUT_DIR is emptied first. What
// OUT_DIR holds is what `aisle serve` embeds (cmake/embed_files.cmake): keep it to what the page
// loads.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUT_DIR');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'assets'), { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: 'src/main.ts', style: 'src/style.css' },
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'eof', // Chart.js's MIT notice stays in the bundle
  metafile: true,
  logLevel: 'warning',
});

// The entry point of each output file: "src/main.ts" -> "assets/app-<hash>.js".
const names = {};
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  if (meta.entryPoint) names[meta.entryPoint] = path.relative(out, file).split(path.sep).join('/');
}
const html = readFileSync(path.join(here, 'index.html'), 'utf8')
  .replace('{{script}}', '/' + names['src/main.ts'])
  .replace('{{style}}', '/' + names['src/style.css']);
if (html.includes('{{')) {
  console.error('build.mjs: index.html has a placeholder this script does not fill');
  process.exit(1);
}
writeFileSync(path.join(out, 'index.html'), html);
console.log(`dashboard: ${Object.keys(result.metafile.outputs).length} assets + index.html in ${out}`);
