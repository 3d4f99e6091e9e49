/**
 * A full garbage collection on demand. Node exposes `gc` only behind a flag; setting the flag at
 * run time exposes it in new contexts (the way jest's leak detector does). Used once per run, when
 * a large heap has just become garbage: the collector would otherwise leave it in place while the
 * process grows for what comes next. Does nothing where the flag cannot be set.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function collectGarbage(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') (gc as () => void)();
  } catch {
    // Not available in this runtime: the collector runs when it would have.
  }
}
