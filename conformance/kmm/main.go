// The KMM oracle of the conformance suite: generated Modules (harness.GenerateModuleCase)
// through KMM 1.1's own webhook, kernel mapper, DaemonSet creator and build and signing
// Job makers (github.com/kubernetes-sigs/kernel-module-management v1.1.0, the code the
// operator runs), compared with what kmm-render renders from the same repository.
//
// The module path sits under KMM's own so that its internal packages can be imported.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"

	"kmm-render.io/conformance/harness"
)

// ourObject is one object kmm-render rendered (the bridge's render op).
type ourObject struct {
	Kind   string         `json:"kind"`
	Name   string         `json:"name"`
	Object map[string]any `json:"object"`
}

type ourRender struct {
	OK          bool `json:"ok"`
	Diagnostics []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"diagnostics"`
	Objects []ourObject `json:"objects"`
	Crash   string      `json:"crash"`
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == workerFlag {
		runSubstitutionWorker()
		return
	}
	flags := harness.ParseFlags()
	allow := harness.LoadAllowlist(flags.Root)
	runSubstitution(flags, allow).Print()
	runModules(flags, allow).Print()
}

// runModules compares rendered Modules with KMM's objects for them.
func runModules(flags harness.Flags, allow harness.Allowlist) *harness.Report {
	report := harness.NewReport("Modules vs kernel-module-management v1.1.0 (webhook, kernel mapper, DaemonSets, build and signing Jobs)", allow)

	r := flags.Rand(4)
	cases := make([]harness.ModuleCase, flags.Cases(3000))
	requests := make([]map[string]any, len(cases))
	for i := range cases {
		cases[i] = harness.GenerateModuleCase(r)
		requests[i] = map[string]any{"files": cases[i].Files()}
	}
	var ours []ourRender
	harness.Ask(flags.Root, "render", requests, &ours)

	for i, c := range cases {
		theirs := askKMM(c)
		ex := harness.Example{Case: c, Ours: ours[i], Theirs: theirs}
		if ours[i].Crash != "" {
			ex.Note = "kmm-render crashed"
			report.Disagree(ex)
			continue
		}
		if theirs.Refused != "" || !ours[i].OK {
			if theirs.Refused != "" && !ours[i].OK {
				report.Agree()
			} else {
				ex.Note = "one side refuses the Module"
				report.Disagree(ex)
			}
			continue
		}
		allowed, differences := compareRender(c, ours[i], theirs)
		switch {
		case len(differences) > 0:
			ex.Note = fmt.Sprint(differences)
			report.Disagree(ex)
		case len(allowed) > 0:
			report.AllowAll(allowed, ex)
		default:
			report.Agree()
		}
	}
	return report
}

// compareRender compares every object of both answers; it returns the allowlist entries
// that explained a difference and the differences nothing explains.
func compareRender(c harness.ModuleCase, ours ourRender, theirs kmmAnswer) ([]string, []string) {
	cmp := &comparison{allowed: map[string]bool{}, modprobe: asMap(dig(clone(c.Module), "spec", "moduleLoader", "container", "modprobe"))}
	cmp.intermediateDigest(theirs.Builds)
	cmp.intermediateDigest(theirs.Signs)
	loaders, devicePlugins, signs, builds, configMaps := map[string]map[string]any{}, []map[string]any{}, map[string]map[string]any{}, map[string]map[string]any{}, map[string]map[string]any{}
	for _, o := range ours.Objects {
		labels := stringMap(dig(o.Object, "metadata", "labels"))
		switch {
		case o.Kind == "DaemonSet" && labels["kmm.node.kubernetes.io/role"] == "module-loader":
			loaders[labels[harness.KernelLabel]] = o.Object
		case o.Kind == "DaemonSet" && labels["kmm.node.kubernetes.io/role"] == "device-plugin":
			devicePlugins = append(devicePlugins, o.Object)
		case o.Kind == "Job" && labels["kmm.openshift.io/build.type"] == "sign":
			signs[labels["kmm.node.kubernetes.io/target-kernel"]] = o.Object
		case o.Kind == "BuildConfig", o.Kind == "Job" && labels["kmm.node.kubernetes.io/job-type"] == "build":
			builds[labels["kmm.node.kubernetes.io/target-kernel"]] = o.Object
		case o.Kind == "ConfigMap":
			configMaps[o.Name] = o.Object
		}
	}
	cmp.sameKeys("loader DaemonSets by kernel", harness.SortedKeys(loaders), harness.SortedKeys(theirs.Loaders))
	for kernel, t := range theirs.Loaders {
		if o, ok := loaders[kernel]; ok {
			cmp.loader(kernel, o, t)
		}
	}
	cmp.sameKeys("signing Jobs by kernel", harness.SortedKeys(signs), harness.SortedKeys(theirs.Signs))
	for kernel, t := range theirs.Signs {
		if o, ok := signs[kernel]; ok {
			cmp.signJob(kernel, o, t)
		}
	}
	cmp.sameKeys("builds by kernel", harness.SortedKeys(builds), harness.SortedKeys(theirs.Builds))
	for kernel, t := range theirs.Builds {
		if o, ok := builds[kernel]; ok && o["kind"] == "Job" {
			cmp.buildJob(kernel, o, t, theirs.Dockerfile, configMaps)
		} else if ok {
			cmp.build(kernel, o, t, theirs.Dockerfile)
		}
	}
	switch {
	case theirs.DevicePlugin == nil && len(devicePlugins) == 0:
	case theirs.DevicePlugin != nil && len(devicePlugins) == 1:
		cmp.devicePlugin(devicePlugins[0], theirs.DevicePlugin)
	case theirs.DevicePlugin != nil && len(devicePlugins) == 0 && len(theirs.Loaders) == 0:
		// KMM creates the device-plugin DaemonSet even when no node can load the module;
		// kmm-render writes it only for nodes that get the module (nothing would run).
		cmp.allow("kmm.device-plugin-without-nodes")
	default:
		cmp.differ(fmt.Sprintf("device-plugin DaemonSets: ours %d, KMM %v", len(devicePlugins), theirs.DevicePlugin != nil))
	}
	allowed := harness.SortedKeys(cmp.allowed)
	return allowed, cmp.differences
}

type comparison struct {
	modprobe    map[string]any
	allowed     map[string]bool
	differences []string
}

func (c *comparison) allow(id string)    { c.allowed[id] = true }
func (c *comparison) differ(what string) { c.differences = append(c.differences, what) }
func (c *comparison) same(what string, ours, theirs any) {
	var paths []string
	diffPaths("", normalize(ours), normalize(theirs), &paths)
	if len(paths) > 0 {
		c.differ(fmt.Sprintf("%s: %s", what, strings.Join(paths, "; ")))
	}
}

// diffPaths lists where two JSON values differ, with both values.
func diffPaths(at string, ours, theirs any, out *[]string) {
	om, ok1 := ours.(map[string]any)
	tm, ok2 := theirs.(map[string]any)
	if ok1 && ok2 {
		for _, k := range harness.SortedKeys(union(om, tm)) {
			diffPaths(at+"."+k, om[k], tm[k], out)
		}
		return
	}
	ol, ok1 := ours.([]any)
	tl, ok2 := theirs.([]any)
	if ok1 && ok2 && len(ol) == len(tl) {
		for i := range ol {
			diffPaths(fmt.Sprintf("%s[%d]", at, i), ol[i], tl[i], out)
		}
		return
	}
	if !reflect.DeepEqual(ours, theirs) {
		o, _ := json.Marshal(ours)
		t, _ := json.Marshal(theirs)
		*out = append(*out, fmt.Sprintf("%s ours %s KMM %s", at, o, t))
	}
}

func union(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func (c *comparison) sameKeys(what string, ours, theirs []string) {
	if !reflect.DeepEqual(ours, theirs) {
		c.differ(fmt.Sprintf("%s: ours %v, KMM %v", what, ours, theirs))
	}
}
