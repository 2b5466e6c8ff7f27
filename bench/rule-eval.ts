/**
 * NodeFeatureRule evaluation throughput, in process, on the medium preset's rules:
 * - per node: every node's features evaluated from scratch (the engine alone; rules are
 *   parsed once and compiled on first use — expressions into predicates, regexps and
 *   templates once — regexp answers remembered); a warm-up round, then the median of five;
 * - in the pipeline: `resolveNodeLabels` over one medium cluster (500 nodes, upstream form),
 *   which evaluates once per distinct feature set, as render does. Rule × node evaluations
 *   per second is then nodes × rules / time.
 */
import { loadAssets } from '../src/package/assets.js';
import { compile } from '../src/compile.js';
import type { NfdRule } from '../src/nfd/execute-rule.js';
import { evaluateNodeFeatureRules } from '../src/nfd/evaluate-rules.js';
import { buildFeatureSet } from '../src/nfd/features.js';
import { resolveNodeLabels } from '../src/nfd/node-labels.js';
import { generateFleet, makeProfile, PRESETS, seededRandom, syntheticRules } from './generate-fleet.js';

/** Throughput in rule × node evaluations per second: median, min and max of `rounds` rounds after a warm-up round. */
export function measureRuleEvaluation(
  nodes = 5000,
  rounds = 5,
): { ruleEvaluationsPerSecond: number; min: number; max: number; rules: number; nodes: number; rounds: number; ms: number } {
  const shape = PRESETS.medium!;
  const rules = syntheticRules(shape.rules) as NfdRule[];
  const rnd = seededRandom(1);
  const profiles = Array.from({ length: shape.profiles }, (_, i) =>
    buildFeatureSet([{ ref: undefined as never, name: `p${i}`, namespace: '', labels: {}, features: makeProfile(i, rnd).features }]),
  );
  const objects = [{ name: 'bench', rules }];
  const settings = { extraLabelNs: [], denyLabelNs: [], enableTaints: false };
  const round = () => {
    const start = process.hrtime.bigint();
    for (let n = 0; n < nodes; n++) evaluateNodeFeatureRules(objects, profiles[n % profiles.length]!, settings);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  round(); // warm-up: compiles rules, patterns and templates, and lets the JIT settle
  const times = Array.from({ length: rounds }, round).sort((a, b) => a - b);
  const rate = (ms: number) => Math.round((nodes * rules.length) / (ms / 1000));
  const median = times[Math.floor(times.length / 2)]!;
  return { ruleEvaluationsPerSecond: rate(median), min: rate(times[times.length - 1]!), max: rate(times[0]!), rules: rules.length, nodes, rounds, ms: Math.round(median) };
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
