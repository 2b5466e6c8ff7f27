/**
 * NodeFeatureRule evaluation throughput, in process: the medium preset's rules against the
 * medium preset's hardware profiles, evaluated node by node (no per-profile cache), after
 * one warm-up pass. Rules are parsed once; templates and regexps are compiled once.
 */
import type { NfdRule } from '../src/nfd/execute-rule.js';
import { evaluateNodeFeatureRules } from '../src/nfd/evaluate-rules.js';
import { buildFeatureSet } from '../src/nfd/features.js';
import { makeProfile, PRESETS, seededRandom, syntheticRules } from './generate-fleet.js';

export function measureRuleEvaluation(nodes = 5000): { ruleEvaluationsPerSecond: number; rules: number; nodes: number; ms: number } {
  const shape = PRESETS.medium!;
  const rules = syntheticRules(shape.rules) as NfdRule[];
  const rnd = seededRandom(1);
  const profiles = Array.from({ length: shape.profiles }, (_, i) =>
    buildFeatureSet([{ ref: undefined as never, name: `p${i}`, namespace: '', labels: {}, features: makeProfile(i, rnd).features }]),
  );
  const objects = [{ name: 'bench', rules }];
  const settings = { extraLabelNs: [], denyLabelNs: [], enableTaints: false };
  for (const p of profiles) evaluateNodeFeatureRules(objects, p, settings);
  const start = process.hrtime.bigint();
  for (let n = 0; n < nodes; n++) evaluateNodeFeatureRules(objects, profiles[n % profiles.length]!, settings);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ruleEvaluationsPerSecond: Math.round((nodes * rules.length) / (ms / 1000)), rules: rules.length, nodes, ms: Math.round(ms) };
}
