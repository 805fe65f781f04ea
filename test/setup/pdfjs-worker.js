// Jest cannot run pdf-parse's dynamic import() of its worker without
// --experimental-vm-modules; pdf-parse skips that import when the worker is
// already on globalThis. The worker must be pdf-parse's own pinned pdfjs-dist.
const path = require('node:path');
const entry = require.resolve('pdf-parse');
const pdfParseDir = entry.slice(0, entry.lastIndexOf(`${path.sep}node_modules${path.sep}pdf-parse${path.sep}`) + `${path.sep}node_modules${path.sep}pdf-parse`.length);
const workerPath = require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs', { paths: [pdfParseDir] });
globalThis.pdfjsWorker = require(workerPath);
