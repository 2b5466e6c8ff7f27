// The NodeFeatureRule oracle: generated rules and node features through `nfd dryrun`'s own
// function and through node-feature-discovery v0.18.3 — its rule engine
// (nodefeaturerule.Execute), its Features (rule.matched back-references) and its
// validation of labels, annotations, extended resources and taints (pkg/apis/nfd/validate).
// The loop that nfd-master runs around them (rules sorted by name, prefixes, the
// extraLabelNs/denyLabelNs policy, @ values) is nfd-master's own methods on an unexported
// type, so it is written out here from pkg/nfd-master, line for line.
package main

import (
	"io"

	"encoding/json"
	"errors"
	"fmt"
	"k8s.io/klog/v2"
	"maps"
	"path"
	"reflect"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	nfdv1alpha1 "sigs.k8s.io/node-feature-discovery/api/nfd/v1alpha1"
	"sigs.k8s.io/node-feature-discovery/pkg/apis/nfd/nodefeaturerule"
	"sigs.k8s.io/node-feature-discovery/pkg/apis/nfd/validate"

	"kmm-render.io/conformance/harness"
)

type nfdCase struct {
	Rules       []map[string]any `json:"rules"`
	NodeFeature map[string]any   `json:"nodeFeature"`
	Cluster     map[string]any   `json:"cluster"`
}

type taint struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Effect string `json:"effect"`
}

type ruleResult struct {
	Object            string            `json:"object"`
	Rule              string            `json:"rule"`
	Matched           bool              `json:"matched"`
	Error             *string           `json:"error,omitempty"`
	Labels            map[string]string `json:"labels"`
	Vars              map[string]string `json:"vars"`
	Annotations       map[string]string `json:"annotations"`
	ExtendedResources map[string]string `json:"extendedResources"`
	Taints            []taint           `json:"taints"`
}

type nodeResult struct {
	Labels            map[string]string `json:"labels"`
	Annotations       map[string]string `json:"annotations"`
	ExtendedResources map[string]string `json:"extendedResources"`
	Taints            []taint           `json:"taints"`
}

type report struct {
	Rules []ruleResult `json:"rules"`
	Node  nodeResult   `json:"node"`
}

type ourAnswer struct {
	Report *report `json:"report"`
	Error  string  `json:"error"`
	Crash  string  `json:"crash"`
}

func decode[T any](v any) T {
	var out T
	data, err := json.Marshal(v)
	if err != nil {
		harness.Fatal(err)
	}
	if err := json.Unmarshal(data, &out); err != nil {
		harness.Fatal(err)
	}
	return out
}

// addNsToMapKeys, splitNs and isNamespaceDenied as in pkg/nfd-master.
func addNsToMapKeys(in map[string]string, ns string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		if strings.Contains(k, "/") {
			out[k] = v
		} else if fqn := path.Join(ns, k); true {
			if _, ok := in[fqn]; !ok {
				out[fqn] = v
			}
		}
	}
	return out
}

func splitNs(fullname string) (string, string) {
	if split := strings.SplitN(fullname, "/", 2); len(split) == 2 {
		return split[0], split[1]
	}
	return "", fullname
}

type policy struct {
	extra            map[string]bool
	normal, wildcard map[string]bool
	enableTaints     bool
}

func policyOf(cluster map[string]any) policy {
	spec := decode[struct {
		Spec struct {
			Nfd struct {
				ExtraLabelNs []string `json:"extraLabelNs"`
				DenyLabelNs  []string `json:"denyLabelNs"`
				EnableTaints bool     `json:"enableTaints"`
			} `json:"nfd"`
		} `json:"spec"`
	}](cluster).Spec.Nfd
	p := policy{extra: map[string]bool{}, normal: map[string]bool{}, wildcard: map[string]bool{}, enableTaints: spec.EnableTaints}
	for _, ns := range spec.ExtraLabelNs {
		p.extra[ns] = true
	}
	for _, ns := range spec.DenyLabelNs { // preProcessDeniedNamespaces
		if strings.HasPrefix(ns, "*") {
			p.wildcard[strings.TrimLeft(ns, "*")] = true
		} else {
			p.normal[ns] = true
		}
	}
	return p
}

func (p policy) denied(ns string) bool {
	if p.normal[ns] {
		return true
	}
	for w := range p.wildcard {
		if strings.HasSuffix(ns, w) {
			return true
		}
	}
	return false
}

func dynamicValue(value string, features *nfdv1alpha1.Features) (string, error) {
	split := strings.SplitN(value[1:], ".", 3)
	if len(split) != 3 {
		return "", errors.New("not @domain.feature.element")
	}
	set, ok := features.Attributes[split[0]+"."+split[1]]
	if !ok {
		return "", errors.New("feature not found")
	}
	element, ok := set.Elements[split[2]]
	if !ok {
		return "", errors.New("element not found")
	}
	return element, nil
}

// evaluate runs the case as nfd-master would for one node.
func evaluate(c nfdCase) report {
	nf := decode[nfdv1alpha1.NodeFeature](c.NodeFeature)
	features := &nf.Spec.Features
	if features.Flags == nil {
		features.Flags = map[string]nfdv1alpha1.FlagFeatureSet{}
	}
	if features.Attributes == nil {
		features.Attributes = map[string]nfdv1alpha1.AttributeFeatureSet{}
	}
	if features.Instances == nil {
		features.Instances = map[string]nfdv1alpha1.InstanceFeatureSet{}
	}
	objects := make([]nfdv1alpha1.NodeFeatureRule, len(c.Rules))
	for i, o := range c.Rules {
		objects[i] = decode[nfdv1alpha1.NodeFeatureRule](o)
	}
	sort.Slice(objects, func(i, j int) bool { return objects[i].Name < objects[j].Name })
	p := policyOf(c.Cluster)

	var rep report
	labels, annotations, ers := map[string]string{}, map[string]string{}, map[string]string{}
	var taints []corev1.Taint
	for _, o := range objects {
		for _, rule := range o.Spec.Rules {
			out, err := nodefeaturerule.Execute(&rule, features, true)
			res := ruleResult{Object: o.Name, Rule: rule.Name}
			if err != nil {
				msg := err.Error()
				res.Error = &msg
				rep.Rules = append(rep.Rules, res)
				continue
			}
			res.Matched = out.MatchStatus != nil && out.MatchStatus.IsMatch
			// Copies: InsertAttributeFeatures keeps the map it is given as rule.matched's elements
			// and later rules' outputs are copied into it.
			res.Labels, res.Vars, res.Annotations, res.ExtendedResources = maps.Clone(out.Labels), maps.Clone(out.Vars), out.Annotations, out.ExtendedResources
			for _, t := range out.Taints {
				res.Taints = append(res.Taints, taint{Key: t.Key, Value: t.Value, Effect: string(t.Effect)})
			}
			rep.Rules = append(rep.Rules, res)
			taints = append(taints, out.Taints...)
			maps.Copy(labels, addNsToMapKeys(out.Labels, nfdv1alpha1.FeatureLabelNs))
			maps.Copy(ers, addNsToMapKeys(out.ExtendedResources, nfdv1alpha1.ExtendedResourceNs))
			maps.Copy(annotations, addNsToMapKeys(out.Annotations, nfdv1alpha1.FeatureAnnotationNs))
			features.InsertAttributeFeatures(nfdv1alpha1.RuleBackrefDomain, nfdv1alpha1.RuleBackrefFeature, out.Labels)
			features.InsertAttributeFeatures(nfdv1alpha1.RuleBackrefDomain, nfdv1alpha1.RuleBackrefFeature, out.Vars)
		}
	}

	// refreshNodeFeatures: the NodeFeature's labels, then the rules' over them, filtered.
	all := addNsToMapKeys(nf.Spec.Labels, nfdv1alpha1.FeatureLabelNs)
	maps.Copy(all, labels)
	rep.Node = nodeResult{Labels: map[string]string{}, Annotations: map[string]string{}, ExtendedResources: map[string]string{}}
	for name, value := range all { // filterFeatureLabel
		if strings.HasPrefix(value, "@") {
			v, err := dynamicValue(value, features)
			if err != nil {
				continue
			}
			value = v
		}
		ns, _ := splitNs(name)
		err := validate.Label(name, value)
		if err == validate.ErrNSNotAllowed || p.denied(ns) {
			if !p.extra[ns] {
				continue
			}
		} else if err != nil {
			continue
		}
		rep.Node.Labels[name] = value
	}
	for name, value := range ers { // filterExtendedResource
		if strings.HasPrefix(value, "@") {
			v, err := dynamicValue(value, features)
			if err != nil {
				continue
			}
			value = v
		}
		if validate.ExtendedResource(name, value) == nil {
			rep.Node.ExtendedResources[name] = value
		}
	}
	for name, value := range annotations { // filterFeatureAnnotations
		if validate.Annotation(name, value) == nil {
			rep.Node.Annotations[name] = value
		}
	}
	if p.enableTaints {
		for _, t := range taints { // filterTaints, then setTaints' AddOrUpdateTaint: same key and effect, the later value
			if validate.Taint(&t) != nil {
				continue
			}
			replaced := false
			for i, have := range rep.Node.Taints {
				if have.Key == t.Key && have.Effect == string(t.Effect) {
					rep.Node.Taints[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				rep.Node.Taints = append(rep.Node.Taints, taint{Key: t.Key, Value: t.Value, Effect: string(t.Effect)})
			}
		}
	}
	return rep
}

func emptyIsNil(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sameRule(ours, theirs ruleResult) bool {
	if (ours.Error != nil) != (theirs.Error != nil) || ours.Object != theirs.Object || ours.Rule != theirs.Rule {
		return false
	}
	if ours.Error != nil {
		return true // both skip the rule (messages differ by design, SPEC §3.4)
	}
	return ours.Matched == theirs.Matched &&
		reflect.DeepEqual(emptyIsNil(ours.Labels), emptyIsNil(theirs.Labels)) &&
		reflect.DeepEqual(emptyIsNil(ours.Vars), emptyIsNil(theirs.Vars)) &&
		reflect.DeepEqual(emptyIsNil(ours.Annotations), emptyIsNil(theirs.Annotations)) &&
		reflect.DeepEqual(emptyIsNil(ours.ExtendedResources), emptyIsNil(theirs.ExtendedResources)) &&
		reflect.DeepEqual(sortTaints(ours.Taints), sortTaints(theirs.Taints))
}

func sortTaints(list []taint) []taint {
	if len(list) == 0 {
		return nil
	}
	out := append([]taint(nil), list...)
	sort.SliceStable(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}

func sameNode(ours, theirs nodeResult) bool {
	return reflect.DeepEqual(emptyIsNil(ours.Labels), emptyIsNil(theirs.Labels)) &&
		reflect.DeepEqual(emptyIsNil(ours.Annotations), emptyIsNil(theirs.Annotations)) &&
		reflect.DeepEqual(emptyIsNil(ours.ExtendedResources), emptyIsNil(theirs.ExtendedResources)) &&
		reflect.DeepEqual(sortTaints(ours.Taints), sortTaints(theirs.Taints))
}

func main() {
	f := harness.ParseFlags()
	// nfd's rule engine logs every rule it skips; the report says what matters.
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)
	allow := harness.LoadAllowlist(f.Root)
	rep := harness.NewReport("NodeFeatureRules vs node-feature-discovery v0.18.3 (rule engine, Features, validate)", allow)
	r := f.Rand(3)
	cases := make([]nfdCase, f.Cases(10_000))
	for i := range cases {
		cases[i] = genCase(r)
	}
	var answers []ourAnswer
	harness.Ask(f.Root, "nfd", cases, &answers)
	for i, a := range answers {
		compareCase(rep, cases[i], a)
	}
	rep.Print()
}

// compareCase compares one case. node-feature-discovery evaluates the expressions of a term
// in Go's map order, which is random: when one of them errors and another does not match,
// whether the rule errors depends on the run. So when the rules differ, the case is run
// through node-feature-discovery again, up to 30 times; a run with kmm-render's rule results
// explains those differences (kmm-render takes the keys in sorted order, one of nfd's runs).
// The node's result is then compared with that run's, and what differs there must be
// explained on its own.
func compareCase(rep *harness.Report, c nfdCase, a ourAnswer) {
	theirs := evaluate(c)
	ex := harness.Example{Case: c, Ours: a, Theirs: theirs}
	if a.Crash != "" || a.Report == nil {
		ex.Note = "kmm-render crashed or refused the input"
		rep.Disagree(ex)
		return
	}
	sameRules := func(t report) bool {
		if len(t.Rules) != len(a.Report.Rules) {
			return false
		}
		for j := range t.Rules {
			if !sameRule(a.Report.Rules[j], t.Rules[j]) {
				return false
			}
		}
		return true
	}
	byOrder := false
	if !sameRules(theirs) {
		found := false
		for i := 0; i < 30 && !found; i++ {
			if run := evaluate(c); sameRules(run) {
				theirs, found, byOrder = run, true, true
			}
		}
		if !found {
			ex.Note = "the rules' results differ"
			rep.Disagree(ex)
			return
		}
		ex.Theirs = theirs
	}
	if !sameNode(a.Report.Node, theirs.Node) {
		if id := classifyNodeDifference(c, a.Report.Node, theirs.Node); id != "" {
			rep.Allow(id, ex)
		} else {
			ex.Note = "the node's final labels, annotations, extended resources or taints differ"
			rep.Disagree(ex)
		}
		return
	}
	if byOrder {
		rep.Allow("nfd.expression-order", ex)
	} else {
		rep.Agree()
	}
}

// classifyNodeDifference names the allowlist entry that explains a difference of the node's
// final result, or "". nfd-master takes a label of an extraLabelNs namespace without checking
// its value (validate.Label stops at the namespace); the node update then fails at the API
// server. kmm-render drops such a label with NFD_OUTPUT_DROPPED instead.
func classifyNodeDifference(_ nfdCase, ours, theirs nodeResult) string {
	if !reflect.DeepEqual(emptyIsNil(ours.Annotations), emptyIsNil(theirs.Annotations)) ||
		!reflect.DeepEqual(emptyIsNil(ours.ExtendedResources), emptyIsNil(theirs.ExtendedResources)) ||
		!reflect.DeepEqual(sortTaints(ours.Taints), sortTaints(theirs.Taints)) {
		return ""
	}
	rest := map[string]string{}
	for k, v := range theirs.Labels {
		if len(validation.IsValidLabelValue(v)) > 0 {
			continue // a value Kubernetes refuses: kmm-render dropped it
		}
		rest[k] = v
	}
	if reflect.DeepEqual(emptyIsNil(rest), emptyIsNil(ours.Labels)) {
		return "nfd.extra-ns-invalid-value"
	}
	return ""
}
