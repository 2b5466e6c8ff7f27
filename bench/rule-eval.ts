/**
 * NodeFeatureRule evaluation throughput, in process, on the medium preset's rules:
 * - per node: every node's features evaluated from scratch (the engine alone; rules are
 *   parsed once, regexps and templates compiled once, regexp answers remembered);
 * - in the pipeline: `resolveNodeLabels` over one medium cluster (500 nodes, upstream form),
 *   which evaluates once per distinct feature set, as render does. Rule × node evaluations
 *   per second is then nodes × rules / time.
 */
import { loadAssets } from '../src/cli/assets.js';
import { compile } from '../src/compile.js';
import type { NfdRule } from '../src/nfd/execute-rule.js';
import { evaluateNodeFeatureRules } from '../src/nfd/evaluate-rules.js';
import { buildFeatureSet } from '../src/nfd/features.js';
import { resolveNodeLabels } from '../src/nfd/node-labels.js';
import { generateFleet, makeProfile, PRESETS, seededRandom, syntheticRules } from './generate-fleet.js';

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

export function measurePipelineRuleEvaluation(compact: boolean): { ruleEvaluationsPerSecond: number; rules: number; nodes: number; ms: number; form: string } {
  const shape = { ...PRESETS.medium!, clusters: 1, compact };
  const files = generateFleet(shape);
  const result = compile({ files: [...files].map(([path, text]) => ({ path, text })), readDiagnostics: [] }, loadAssets());
  const cluster = result.model!.clusters[0]!;
  resolveNodeLabels(cluster);
  const rounds = 5;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) resolveNodeLabels(cluster);
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
  return { ruleEvaluationsPerSecond: Math.round((cluster.nodes.length * shape.rules) / (ms / 1000)), rules: shape.rules, nodes: cluster.nodes.length, ms: Math.round(ms * 10) / 10, form: compact ? 'compact' : 'upstream' };
}
