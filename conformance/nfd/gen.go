package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A node's features: flags, attributes and instances of the kinds NFD discovers, with
// values chosen so that the generated expressions sometimes match and sometimes do not.
func genFeatures(r *rand.Rand) map[string]any {
	flags := map[string]any{}
	attributes := map[string]any{}
	instances := map[string]any{}
	set := func(names ...string) map[string]any {
		out := map[string]any{}
		for _, n := range names {
			if r.IntN(3) > 0 {
				out[n] = map[string]any{}
			}
		}
		return out
	}
	if r.IntN(5) > 0 {
		flags["cpu.cpuid"] = map[string]any{"elements": set("AVX", "AVX2", "AVX512F", "AVX512VNNI", "SSE4", "VMX", "AMXTILE")}
	}
	if r.IntN(3) > 0 {
		flags["kernel.loadedmodule"] = map[string]any{"elements": set("i915", "nvidia", "ice", "irdma", "kmm_ci_a")}
	}
	if r.IntN(6) == 0 {
		flags["kernel.enabledmodule"] = map[string]any{"elements": map[string]any{}}
	}
	major, minor := 4+r.IntN(3), r.IntN(20)
	if r.IntN(5) > 0 {
		attributes["kernel.version"] = map[string]any{"elements": map[string]any{
			"full": fmt.Sprintf("%d.%d.0-%d.el9_4.x86_64", major, minor, 100+r.IntN(400)), "major": fmt.Sprint(major), "minor": fmt.Sprint(minor), "revision": "0",
		}}
	}
	if r.IntN(4) > 0 {
		attributes["system.osrelease"] = map[string]any{"elements": map[string]any{
			"ID": pick(r, []string{"rhcos", "rhel", "ubuntu"}), "VERSION_ID": pick(r, []string{"4.16", "9.4", "22.04", "416.94"}), "VERSION_ID.major": pick(r, []string{"4", "9", "22"}), "VERSION_ID.minor": pick(r, []string{"16", "4", "04"}),
		}}
	}
	if r.IntN(3) > 0 {
		cfg := map[string]any{}
		for _, k := range []string{"NO_HZ", "E1000", "PREEMPT", "X86_SGX", "MODULE_SIG"} {
			if r.IntN(2) == 0 {
				cfg[k] = pick(r, []string{"y", "m", "n", "true", "false", "1"})
			}
		}
		attributes["kernel.config"] = map[string]any{"elements": cfg}
	}
	if r.IntN(3) > 0 {
		attributes["cpu.model"] = map[string]any{"elements": map[string]any{"vendor_id": pick(r, []string{"Intel", "AMD"}), "family": "6", "id": fmt.Sprint(r.IntN(200))}}
	}
	if r.IntN(5) == 0 {
		attributes["cpu.topology"] = map[string]any{"elements": map[string]any{}}
	}
	device := func() map[string]any {
		return map[string]any{"attributes": map[string]any{
			"class": pick(r, []string{"0300", "0302", "0200", "1200", "0b40"}), "vendor": pick(r, []string{"10de", "8086", "1002", "15b3"}),
			"device": pick(r, []string{"20b5", "56c0", "0bd5", "1017", "740f"}), "subsystem_vendor": pick(r, []string{"10de", "8086"}), "subsystem_device": "0000",
		}}
	}
	if r.IntN(4) > 0 {
		var elems []any
		for i := r.IntN(4); i > 0; i-- {
			elems = append(elems, device())
		}
		instances["pci.device"] = map[string]any{"elements": elems}
	}
	if r.IntN(4) == 0 {
		instances["usb.device"] = map[string]any{"elements": []any{map[string]any{"attributes": map[string]any{"class": "e0", "vendor": "8087", "device": "0aaa", "serial": "x"}}}}
	}
	return map[string]any{"flags": flags, "attributes": attributes, "instances": instances}
}

var (
	featureNames = []string{"cpu.cpuid", "kernel.loadedmodule", "kernel.version", "system.osrelease", "kernel.config", "cpu.model", "pci.device", "usb.device", "cpu.topology", "kernel.enabledmodule", "rule.matched", "CPU.CPUID", "Kernel.Version", "nosuch.feature", "nodot"}
	ops          = []string{"In", "NotIn", "InRegexp", "Exists", "DoesNotExist", "Gt", "Ge", "Lt", "Le", "GtLt", "GeLe", "IsTrue", "IsFalse"}
	elementNames = []string{"AVX", "AVX2", "AVX512F", "i915", "nvidia", "major", "minor", "full", "revision", "ID", "VERSION_ID", "VERSION_ID.major", "NO_HZ", "E1000", "vendor_id", "family", "id", "class", "vendor", "device", "subsystem_vendor", "serial", "gpu", "nic", "tier", "missing"}
	values       = []string{"5", "14", "4", "16", "9", "22", "0300", "10de", "8086", "Intel", "rhcos", "y", "m", "true", "false", "1", "01", "-3", "+7", "1.0", "0x1", "", "4.16", "4.16.2", "v5", "22.04", "abc", "9.4"}
	regexps      = []string{"^AVX", "AVX512.*", "^5\\.", "(?i)intel", "^03", "10de|8086", "\\pL+", "^$", "(", "[z-a]", "x{2,1}", "\\d+", "."}
)

func genExpression(r *rand.Rand) map[string]any {
	op := pick(r, ops)
	e := map[string]any{"op": op}
	n := 0
	switch op {
	case "Exists", "DoesNotExist", "IsTrue", "IsFalse":
		n = pick(r, []int{0, 0, 0, 0, 1})
	case "Gt", "Ge", "Lt", "Le":
		n = pick(r, []int{1, 1, 1, 1, 0, 2})
	case "GtLt", "GeLe":
		n = pick(r, []int{2, 2, 2, 1, 3})
	default:
		n = pick(r, []int{1, 1, 2, 3, 0})
	}
	var vs []string
	for i := 0; i < n; i++ {
		if op == "InRegexp" {
			vs = append(vs, pick(r, regexps))
		} else {
			vs = append(vs, pick(r, values))
		}
	}
	if n > 0 {
		e["value"] = vs
	}
	if r.IntN(8) == 0 {
		e["type"] = "version"
	}
	return e
}

func genTerm(r *rand.Rand, chained []string) map[string]any {
	feature := pick(r, featureNames)
	t := map[string]any{"feature": feature}
	if feature == "rule.matched" && len(chained) > 0 && r.IntN(2) == 0 {
		t["matchExpressions"] = map[string]any{pick(r, chained): map[string]any{"op": pick(r, []string{"Exists", "In", "IsTrue"}), "value": []string{"true"}}}
		if m := t["matchExpressions"].(map[string]any); m != nil {
			for k, v := range m {
				if v.(map[string]any)["op"] == "Exists" {
					m[k] = map[string]any{"op": "Exists"}
				}
			}
		}
		return t
	}
	switch r.IntN(6) {
	case 0: // neither: matches when the feature exists
	case 1:
		t["matchName"] = genExpression(r)
	case 2:
		t["matchExpressions"] = map[string]any{}
	case 3:
		t["matchName"] = genExpression(r)
		t["matchExpressions"] = map[string]any{pick(r, elementNames): genExpression(r)}
	default:
		exprs := map[string]any{}
		for i := 1 + r.IntN(2); i > 0; i-- {
			exprs[pick(r, elementNames)] = genExpression(r)
		}
		t["matchExpressions"] = exprs
	}
	return t
}

// Templates over the matched elements: the Go text/template forms real rules use, Sprig
// helpers kmm-render implements and some it does not, and broken ones.
var templates = []string{
	"{{range .cpu.cpuid}}cpu-{{.Name}}=true\n{{end}}",
	"{{range .kernel.version}}kv-{{.Name}}={{.Value}}\n{{end}}",
	"{{range .pci.device}}pci-{{.vendor}}-{{.device}}.present=true\n{{end}}",
	"{{range .pci.device}}{{if eq .class \"0300\"}}display=true{{end}}\n{{end}}",
	"{{range .pci.device}}vendor-{{index . \"vendor\"}}={{len .device}}\n{{end}}",
	"{{range .cpu.cpuid}}{{.Name | lower}}=yes\n{{end}}",
	"{{range .cpu.cpuid}}{{upper .Name}}=on\n{{end}}",
	"{{range .kernel.version}}{{.Name}}={{trim .Value}}\n{{end}}",
	"{{range .kernel.version}}{{.Name}}={{replace \".\" \"-\" .Value}}\n{{end}}",
	"{{range .kernel.version}}{{.Name}}={{substr 0 2 .Value}}\n{{end}}",
	"{{range .system.osrelease}}os-{{.Name}}={{.Value}}\n{{end}}",
	"{{range .kernel.config}}{{if gt (len .Value) 0}}cfg-{{.Name}}={{.Value}}{{end}}\n{{end}}",
	"{{$x := \"a\"}}{{range .cpu.cpuid}}{{$x = .Name}}{{end}}last={{$x}}",
	"static=value\n\n  spaced = v \n",
	"noequals",
	"{{.missing.key}}=x",
	"{{nosuchfunction}}=x",
	"{{range .cpu.cpuid}}{{.Name | title}}=x\n{{end}}",
	"{{range .cpu.cpuid}}{{quote .Name}}=x\n{{end}}",
	"{{range .cpu.cpuid}",
	"{{range .pci.device}}{{.vendor}}={{.nosuchattr}}\n{{end}}",
	"{{range .CPU.CPUID}}{{.Name}}=upper-feature\n{{end}}",
	"{{range .Kernel.Version}}{{.Name}}={{.Value}}\n{{end}}",
}

var (
	labelKeys  = []string{"gpu", "nic", "example.com/gpu", "example.com/tier", "feature.node.kubernetes.io/extra", "sub.feature.node.kubernetes.io/x", "kubernetes.io/arch", "node-role.kubernetes.io/gpu", "nfd.node.kubernetes.io/x", "profile.node.kubernetes.io/p", "vendor.io/denied", "bad key", "-bad", "a/b/c"}
	labelValue = []string{"true", "", "v1.0", "@kernel.version.major", "@rule.matched.gpu", "@cpu.model.vendor_id", "@nosuch.feature.x", "@bad", "not valid!", strings.Repeat("x", 64), "yes"}
	erValues   = []string{"1", "2Gi", "100m", "@cpu.model.id", "@kernel.version.minor", "abc", "", "-1"}
	effects    = []string{"NoSchedule", "PreferNoSchedule", "NoExecute", "", "Bogus"}
)

func genRule(r *rand.Rand, name string, chained *[]string) map[string]any {
	rule := map[string]any{"name": name}
	strMap := func(keys, vals []string, n int) map[string]any {
		m := map[string]any{}
		for i := 0; i < n; i++ {
			m[pick(r, keys)] = pick(r, vals)
		}
		return m
	}
	if n := r.IntN(3); n > 0 {
		labels := strMap(labelKeys, labelValue, n)
		rule["labels"] = labels
		for k := range labels {
			*chained = append(*chained, k)
		}
	}
	if r.IntN(4) == 0 {
		vars := strMap([]string{"gpu", "tier", "v1", "example.com/v"}, labelValue, 1+r.IntN(2))
		rule["vars"] = vars
		for k := range vars {
			*chained = append(*chained, k)
		}
	}
	if r.IntN(6) == 0 {
		rule["annotations"] = strMap([]string{"note", "example.com/note", "nfd.node.kubernetes.io/x", "feature.node.kubernetes.io/n"}, []string{"v", strings.Repeat("a", 1100), ""}, 1+r.IntN(2))
	}
	if r.IntN(6) == 0 {
		rule["extendedResources"] = strMap([]string{"gpus", "example.com/gpus", "kubernetes.io/x"}, erValues, 1+r.IntN(2))
	}
	if r.IntN(8) == 0 {
		var taints []any
		for i := 1 + r.IntN(2); i > 0; i-- {
			taints = append(taints, map[string]any{"key": pick(r, []string{"example.com/gpu", "gpu", "feature.node.kubernetes.io/t", "node.kubernetes.io/x"}), "value": pick(r, []string{"", "true"}), "effect": pick(r, effects)})
		}
		rule["taints"] = taints
	}
	if r.IntN(4) == 0 {
		rule["labelsTemplate"] = pick(r, templates)
	}
	if r.IntN(10) == 0 {
		rule["varsTemplate"] = pick(r, templates)
	}
	if n := r.IntN(4); n > 0 {
		var terms []any
		for i := 0; i < n; i++ {
			terms = append(terms, genTerm(r, *chained))
		}
		rule["matchFeatures"] = terms
	}
	if r.IntN(4) == 0 {
		var anys []any
		for i := 1 + r.IntN(2); i > 0; i-- {
			var terms []any
			for j := 1 + r.IntN(2); j > 0; j-- {
				terms = append(terms, genTerm(r, *chained))
			}
			anys = append(anys, map[string]any{"matchFeatures": terms})
		}
		rule["matchAny"] = anys
	}
	return rule
}

// One case: NodeFeatureRule objects, one node's NodeFeature, and the nfd-master settings.
func genCase(r *rand.Rand) nfdCase {
	var chained []string
	var rules []map[string]any
	for i := 1 + r.IntN(3); i > 0; i-- {
		var list []any
		obj := fmt.Sprintf("rules-%c", 'a'+r.IntN(5))
		for j := 1 + r.IntN(4); j > 0; j-- {
			list = append(list, genRule(r, fmt.Sprintf("%s-%d", obj, j), &chained))
		}
		rules = append(rules, map[string]any{
			"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeatureRule",
			"metadata": map[string]any{"name": fmt.Sprintf("%s%d", obj, len(rules))},
			"spec":     map[string]any{"rules": list},
		})
	}
	nodeLabels := map[string]any{}
	if r.IntN(3) == 0 {
		nodeLabels[pick(r, []string{"from-nf", "example.com/nf", "kubernetes.io/denied"})] = pick(r, []string{"true", "@kernel.version.major", "x y"})
	}
	nodeFeature := map[string]any{
		"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
		"metadata": map[string]any{"name": "node-1", "namespace": "node-feature-discovery", "labels": map[string]any{"nfd.node.kubernetes.io/node-name": "node-1"}},
		"spec":     map[string]any{"features": genFeatures(r), "labels": nodeLabels},
	}
	nfd := map[string]any{"enableTaints": r.IntN(2) == 0}
	if r.IntN(3) == 0 {
		nfd["extraLabelNs"] = []string{pick(r, []string{"kubernetes.io", "vendor.io", "node-role.kubernetes.io"})}
	}
	if r.IntN(3) == 0 {
		nfd["denyLabelNs"] = []string{pick(r, []string{"vendor.io", "*.example.com", "example.com"})}
	}
	cluster := map[string]any{"apiVersion": "kmm-render.io/v1alpha1", "kind": "Cluster", "metadata": map[string]any{"name": "c"}, "spec": map[string]any{"nfd": nfd}}
	return nfdCase{Rules: rules, NodeFeature: nodeFeature, Cluster: cluster}
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }
