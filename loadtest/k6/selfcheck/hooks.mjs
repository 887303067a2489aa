// Module hooks that let Node run the k6 scripts: `k6` and `k6/*` resolve to the stand-ins in ./k6/,
// and the scripts themselves (plain .js files with ES module syntax) load as modules.
import { readFile } from 'node:fs/promises';

const SCRIPTS = new URL('../', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    const name = specifier === 'k6' ? 'index' : specifier.slice(3);
    return { url: new URL(`./k6/${name}.mjs`, import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith(SCRIPTS) && url.endsWith('.js') && !url.includes('/selfcheck/')) {
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  }
  return next(url, context);
}
