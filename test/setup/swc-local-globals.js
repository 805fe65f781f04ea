'use strict';
/**
 * Jest's transform: @swc/jest, then each module gets local bindings of the built-in globals it uses
 * (`var Math = globalThis.Math;` and the like, on the line of its "use strict", so no line moves).
 *
 * Why: Jest runs every module inside a vm context whose global object is a Proxy (Jest 30's globals
 * clean-up), and V8 cannot cache a global lookup there: each `Math.round(x)` in a loop goes through
 * node's interceptors and the Proxy's traps. Measured on this project: 40 M `Math.round` calls take
 * 11.7 s under Jest and 0.09 s under plain node; the page deskew and crop before OCR (adapters/ocr)
 * ran 25 times slower. A module-local binding is found in its own scope, at full speed (the
 * workaround of nodejs/node#31658 and #49283). The value bound is the sandbox's own global at the time
 * the module loads: the same object the code would have found, so nothing the tests check changes.
 *
 * Only immutable built-ins are bound (never Date, timers, process or console, which tests fake or
 * replace), only when the module mentions them, and never when the module declares the name itself.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const { createTransformer: createSwcTransformer } = require('@swc/jest');

const BUILT_INS = [
  'Math', 'JSON', 'Number', 'String', 'Boolean', 'Array', 'Object', 'Symbol', 'Reflect', 'Map', 'Set', 'WeakMap', 'WeakSet',
  'Promise', 'RegExp', 'Error', 'TypeError', 'RangeError', 'BigInt', 'ArrayBuffer', 'DataView', 'Uint8Array', 'Uint8ClampedArray',
  'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'isNaN', 'isFinite',
  'parseInt', 'parseFloat',
];
/** This file's own text goes into the cache key: a change here transforms everything again. */
const SELF = fs.readFileSync(__filename);

/** The names of BUILT_INS that `code` uses and does not declare with let, const or class. */
function namesToBind(code) {
  return BUILT_INS.filter((name) => new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`\\b(?:let|const|class)\\s+${name}\\b|[{,]\\s*${name}\\s*[,}=]`).test(code));
}

function withLocalGlobals(code) {
  const names = namesToBind(code);
  if (names.length === 0) return code;
  const bindings = `var ${names.map((n) => `${n} = globalThis.${n}`).join(', ')};`;
  // Right after the "use strict" that opens the module (swc writes one for every module it turns into
  // CommonJS), on its line; a module without one at its head is left as it is (a binding before the
  // directive would turn strict mode off).
  const directive = /^(\s*(?:(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*)(["']use strict["'];?)/.exec(code);
  return directive ? `${directive[0]} ${bindings}${code.slice(directive[0].length)}` : code;
}

function createTransformer(options) {
  const swc = createSwcTransformer(options);
  const wrap = (out) => (typeof out === 'string' ? withLocalGlobals(out) : { ...out, code: withLocalGlobals(out.code) });
  return {
    ...swc,
    process: (src, filename, jestOptions) => wrap(swc.process(src, filename, jestOptions)),
    processAsync: async (src, filename, jestOptions) => wrap(await swc.processAsync(src, filename, jestOptions)),
    getCacheKey: (...args) => crypto.createHash('sha1').update(swc.getCacheKey(...args)).update(SELF).digest('hex'),
  };
}

module.exports = { createTransformer, withLocalGlobals };
