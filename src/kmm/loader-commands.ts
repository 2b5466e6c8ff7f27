/**
 * The postStart and preStop scripts of the module-loader container (SPEC §5.1), built the
 * way KMM builds them, with every interpolated value shell-quoted.
 */
import type { Modprobe } from '../model/kmm.js';
import { shellQuote as q } from './shell-quote.js';

/** `softdep A pre: B` per consecutive pair of modulesLoadingOrder, as KMM writes softdep.conf. */
export function makeSoftdepConf(order: readonly string[]): string {
  let out = '';
  for (let i = 0; i + 1 < order.length; i++) out += `softdep ${order[i]} pre: ${order[i + 1]}\n`;
  return out;
}

/** The script that loads the module (postStart). */
export function makeLoadScript(modprobe: Modprobe & { dirName: string }, firmwareHostPath: string, inTreeModulesToRemove: readonly string[] = []): string {
  let s = '';
  // KMM removes in-tree modules with the same -d as it loads with.
  if (inTreeModulesToRemove.length === 1) s += `modprobe -r -d ${q(modprobe.dirName)} ${q(inTreeModulesToRemove[0]!)} && `;
  else if (inTreeModulesToRemove.length > 1) s += `modprobe -r -a -d ${q(modprobe.dirName)} ${inTreeModulesToRemove.map(q).join(' ')} && `;
  // The glob stays outside the quotes so that the shell expands it.
  if (modprobe.firmwarePath) s += `cp -r ${q(modprobe.firmwarePath)}/* ${q(firmwareHostPath)} && `;
  s += 'modprobe';
  const raw = modprobe.rawArgs?.load ?? [];
  if (raw.length > 0) return s + raw.map((a) => ' ' + q(a)).join('');
  const load = modprobe.args?.load ?? [];
  s += load.length > 0 ? load.map((a) => ' ' + q(a)).join('') : ' -v';
  s += ` -d ${q(modprobe.dirName)} ${q(modprobe.moduleName ?? '')}`;
  for (const p of modprobe.parameters ?? []) s += ' ' + q(p);
  return s;
}

/** The script that unloads the module and removes the firmware it copied (preStop). */
export function makeUnloadScript(modprobe: Modprobe & { dirName: string }, firmwareHostPath: string): string {
  let s = 'modprobe';
  const fw = modprobe.firmwarePath
    ? ` && cd ${q(modprobe.firmwarePath)} && find |sort -r |xargs -I{} rm -d ${q(firmwareHostPath)}/{}`
    : '';
  const raw = modprobe.rawArgs?.unload ?? [];
  if (raw.length > 0) return s + raw.map((a) => ' ' + q(a)).join('') + fw;
  const unload = modprobe.args?.unload ?? [];
  s += unload.length > 0 ? unload.map((a) => ' ' + q(a)).join('') : ' -rv';
  s += ` -d ${q(modprobe.dirName)} ${q(modprobe.moduleName ?? '')}`;
  return s + fw;
}
