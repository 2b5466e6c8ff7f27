/** What a unit task is: compile one unit (`render`, `check`, `validate`) or diff one (`diff`). */
import type { ReviewOptions } from '../review/diff-fleet.js';
import type { UnitOptions } from '../units/compile-unit.js';
import type { DiffUnit } from '../units/diff-unit.js';
import type { CompileUnit } from '../units/split-units.js';

/** One task for a worker thread or for this thread. */
export type UnitTask = (
  | { readonly kind: 'compile'; readonly unit: CompileUnit; readonly options: UnitOptions }
  | { readonly kind: 'diff'; readonly unit: DiffUnit; readonly options: ReviewOptions }
) & {
  /** Where parsed files are cached (run/file-parse-cache.ts), if anywhere. */
  readonly fileCacheDir?: string;
};

/** Input bytes of a task, to schedule the big ones first and to decide whether workers pay. */
export function taskBytes(task: UnitTask): number {
  const units = task.kind === 'compile' ? [task.unit] : [task.unit.base, task.unit.head];
  return units.reduce((n, u) => n + (u ? u.files.reduce((m, f) => m + (f.bytes ?? f.text.length), 0) : 0), 0);
}
