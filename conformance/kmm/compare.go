package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Labels kmm-render adds to what it writes, beyond KMM's: the owner of the object for
// GitOps tools and, on build objects, OpenShift KMM's build type. They select nothing.
var ourExtraLabels = []string{"app.kubernetes.io/managed-by", "kmm.openshift.io/build.type"}

const versionLabelPrefix = "beta.kmm.node.kubernetes.io/version-"

// loader compares a module-loader DaemonSet: its labels and its whole spec.
func (c *comparison) loader(kernel string, ours, theirs map[string]any) {
	c.labels("loader "+kernel, ours, theirs)
	ospec, tspec := clone(dig(ours, "spec")), clone(dig(theirs, "spec"))
	dropDefaultUpdateStrategy(ospec)
	c.podFinalizer(tspec)
	c.versionSelector(ospec, tspec)
	c.rawUnloadFirmware(ospec, tspec)
	c.same("loader "+kernel+" spec", ospec, tspec)
}

// devicePlugin compares the device-plugin DaemonSet; where it runs is kmm-render's own
// (SPEC §11: KMM waits for a node label its operator sets, which no one sets here).
func (c *comparison) devicePlugin(ours, theirs map[string]any) {
	c.labels("device plugin", ours, theirs)
	ospec, tspec := clone(dig(ours, "spec")), clone(dig(theirs, "spec"))
	dropDefaultUpdateStrategy(ospec)
	c.podFinalizer(tspec)
	c.versionSelector(ospec, tspec)
	opod, tpod := asMap(dig(ospec, "template", "spec")), asMap(dig(tspec, "template", "spec"))
	for _, k := range []string{"nodeSelector", "affinity", "initContainers"} {
		delete(opod, k)
	}
	delete(tpod, "nodeSelector")
	c.allow("kmm.device-plugin-scheduling")
	c.same("device plugin spec", ospec, tspec)
}

// jobDifferences takes KMM's backoffLimit and pod metadata into ours where kmm-render's
// Jobs differ on purpose (both allowlisted), for signing and build Jobs alike.
func (c *comparison) jobDifferences(ospec, tspec map[string]any) {
	if !equal(ospec["backoffLimit"], tspec["backoffLimit"]) {
		ospec["backoffLimit"] = tspec["backoffLimit"]
		c.allow("kmm.job-backoff-limit")
	}
	if meta := asMap(dig(ospec, "template", "metadata")); meta["labels"] != nil {
		delete(meta, "labels")
		if len(meta) == 0 {
			delete(asMap(dig(ospec, "template")), "metadata")
		}
		c.allow("kmm.job-pod-labels")
	}
}

// signJob compares a signing Job: labels, and the pod that builds and pushes the signed image.
func (c *comparison) signJob(kernel string, ours, theirs map[string]any) {
	c.labels("signing Job "+kernel, ours, theirs)
	ospec, tspec := clone(dig(ours, "spec")), clone(dig(theirs, "spec"))
	c.jobDifferences(ospec, tspec)
	pod := asMap(dig(ospec, "template", "spec"))
	if removeNamed(pod, "volumes", "trusted-ca") {
		container := asMap(asList(pod["containers"])[0])
		removeNamed(container, "volumeMounts", "trusted-ca")
		removeNamed(container, "env", "SSL_CERT_DIR")
		c.allow("kmm.sign-trusted-ca")
	}
	c.same("signing Job "+kernel+" spec", ospec, tspec)
}

// buildJob compares the Kaniko build Job of a kubernetes cluster with KMM's own, whole: the
// pod, its arguments, mounts and volumes. Ours builds the Dockerfile of a ConfigMap it
// renders (named like the Job) where KMM mounts the user's ConfigMap from the cluster; the
// Dockerfile in it must be KMM's.
func (c *comparison) buildJob(kernel string, ours, theirs map[string]any, dockerfile string, configMaps map[string]map[string]any) {
	what := "build Job " + kernel
	c.labels(what, ours, theirs)
	ospec, tspec := clone(dig(ours, "spec")), clone(dig(theirs, "spec"))
	c.jobDifferences(ospec, tspec)
	for _, v := range asList(dig(ospec, "template", "spec", "volumes")) {
		if vol := asMap(v); vol["name"] == "dockerfile" {
			cm := asMap(vol["configMap"])
			name, _ := cm["name"].(string)
			c.same(what+" Dockerfile", dig(configMaps[name], "data", "dockerfile"), dockerfile)
			if theirName := dig(theirs, "spec", "template", "spec", "volumes"); theirName != nil {
				for _, tv := range asList(theirName) {
					if t := asMap(tv); t["name"] == "dockerfile" {
						cm["name"] = asMap(t["configMap"])["name"]
					}
				}
			}
			c.allow("kmm.build-dockerfile-configmap")
		}
	}
	// KMM passes the user's build arguments in their order, then the injected ones; ours
	// are sorted by name. The same arguments, in another order, build the same image.
	oargs := asList(asMap(asList(dig(ospec, "template", "spec", "containers"))[0])["args"])
	targs := asList(asMap(asList(dig(tspec, "template", "spec", "containers"))[0])["args"])
	if !equal(oargs, targs) && equal(sortedBuildArgs(oargs), sortedBuildArgs(targs)) {
		asMap(asList(dig(ospec, "template", "spec", "containers"))[0])["args"] = targs
		c.allow("kmm.build-arg-order")
	}
	c.same(what+" spec", ospec, tspec)
}

// sortedBuildArgs is Kaniko's argument list with the --build-arg pairs sorted.
func sortedBuildArgs(args []any) []string {
	var out, pairs []string
	for i := 0; i < len(args); i++ {
		if a, _ := args[i].(string); a == "--build-arg" && i+1 < len(args) {
			pairs = append(pairs, args[i+1].(string))
			i++
		} else {
			out = append(out, fmt.Sprint(args[i]))
		}
	}
	sort.Strings(pairs)
	return append(out, pairs...)
}

// build compares an OpenShift BuildConfig with the Kaniko Job KMM 1.1 makes of the same
// build: the image it pushes, its build arguments, where it runs, the Dockerfile and the
// secrets it is given.
func (c *comparison) build(kernel string, ours, theirs map[string]any, dockerfile string) {
	what := "build " + kernel
	c.labels(what, ours, theirs)
	container := asMap(asList(dig(theirs, "spec", "template", "spec", "containers"))[0])
	args := asList(container["args"])
	var destination string
	var buildArgs, tls []string
	for i := 0; i < len(args); i++ {
		switch a := args[i].(string); a {
		case "--destination":
			destination = args[i+1].(string)
			i++
		case "--build-arg":
			buildArgs = append(buildArgs, args[i+1].(string))
			i++
		default:
			tls = append(tls, a)
		}
	}
	c.same(what+" image", dig(ours, "spec", "output", "to", "name"), destination)
	var ourArgs []string
	for _, a := range asList(dig(ours, "spec", "strategy", "dockerStrategy", "buildArgs")) {
		m := asMap(a)
		ourArgs = append(ourArgs, m["name"].(string)+"="+m["value"].(string))
	}
	sort.Strings(ourArgs)
	sort.Strings(buildArgs)
	c.same(what+" build arguments", ourArgs, buildArgs)
	c.same(what+" node selector", dig(ours, "spec", "nodeSelector"), dig(theirs, "spec", "template", "spec", "nodeSelector"))
	c.same(what+" Dockerfile", dig(ours, "spec", "source", "dockerfile"), dockerfile)
	if len(tls) > 0 {
		// OpenShift builds take registry TLS from the cluster's image configuration.
		c.allow("kmm.buildconfig-tls")
	}
	var theirSecrets, pushSecret []string
	for _, m := range asList(container["volumeMounts"]) {
		mount := asMap(m)
		name := strings.TrimPrefix(mount["name"].(string), "secret-")
		switch path := mount["mountPath"].(string); {
		case path == "/kaniko/.docker":
			pushSecret = append(pushSecret, name)
		case strings.HasPrefix(path, "/run/secrets/"):
			theirSecrets = append(theirSecrets, name)
		}
	}
	var ourSecrets, ourPush []string
	for _, v := range asList(dig(ours, "spec", "strategy", "dockerStrategy", "volumes")) {
		if name, ok := dig(v, "source", "secret", "secretName").(string); ok {
			ourSecrets = append(ourSecrets, name)
		}
	}
	if name, ok := dig(ours, "spec", "output", "pushSecret", "name").(string); ok {
		ourPush = append(ourPush, name)
	}
	c.same(what+" build secrets", ourSecrets, theirSecrets)
	c.same(what+" push secret", ourPush, pushSecret)
}

// rawUnloadFirmware takes KMM's preStop for ours where KMM appends the firmware clean-up
// after every raw unload argument and ours runs it once after the command.
func (c *comparison) rawUnloadFirmware(ospec, tspec map[string]any) {
	raw, fw := asList(dig(c.modprobe, "rawArgs", "unload")), dig(c.modprobe, "firmwarePath")
	if len(raw) == 0 || fw == nil {
		return
	}
	cleanup := fmt.Sprintf(" && cd %s && find |sort -r |xargs -I{} rm -d /var/lib/firmware/{}", fw)
	once, each := "modprobe", "modprobe"
	for _, a := range raw {
		once += " " + a.(string)
		each += " " + a.(string) + cleanup
	}
	once += cleanup
	path := []string{"template", "spec", "containers"}
	ours, theirs := preStop(ospec, path), preStop(tspec, path)
	if ours == nil || theirs == nil || ours[2] != once || theirs[2] != each {
		return
	}
	theirs[2] = once
	c.allow("kmm.raw-unload-firmware")
}

func preStop(spec map[string]any, path []string) []any {
	containers := asList(dig(spec, path...))
	if len(containers) == 0 {
		return nil
	}
	cmd := asList(dig(containers[0], "lifecycle", "preStop", "exec", "command"))
	if len(cmd) != 3 {
		return nil
	}
	return cmd
}

// KMM appends the intermediate image's suffix to whatever follows the last ':', a digest too.
var digestIntermediate = regexp.MustCompile(`@sha256:[0-9a-f]{64}_([^"\s]*_kmm_unsigned)`)

// intermediateDigest rewrites KMM's intermediate image of a digest reference to the tag
// kmm-render gives it.
func (c *comparison) intermediateDigest(objects map[string]map[string]any) {
	for kernel, o := range objects {
		data, _ := json.Marshal(o)
		fixed := digestIntermediate.ReplaceAll(data, []byte(":$1"))
		if string(fixed) != string(data) {
			var m map[string]any
			_ = json.Unmarshal(fixed, &m)
			objects[kernel] = m
			c.allow("kmm.intermediate-image-digest")
		}
	}
}

// labels compares the object labels: KMM's, and ours without the extra ones.
func (c *comparison) labels(what string, ours, theirs map[string]any) {
	ol := clone(dig(ours, "metadata", "labels"))
	for _, k := range ourExtraLabels {
		delete(ol, k)
	}
	c.same(what+" labels", ol, dig(theirs, "metadata", "labels"))
}

// podFinalizer removes KMM's node-labeler finalizer: its operator removes it once it has
// labelled the node; with no operator, it would keep every deleted pod forever.
func (c *comparison) podFinalizer(tspec map[string]any) {
	if meta := asMap(dig(tspec, "template", "metadata")); meta["finalizers"] != nil {
		delete(meta, "finalizers")
		c.allow("kmm.pod-finalizer")
	}
}

// versionSelector removes the version label from KMM's immutable selectors (kmm-render
// keeps it on objects and pods but selects without it: docs/inputs.md, Module versions).
func (c *comparison) versionSelector(ospec, tspec map[string]any) {
	for _, path := range [][]string{{"selector", "matchLabels"}, {"template", "spec", "nodeSelector"}} {
		theirs, ours := asMap(dig(tspec, path...)), asMap(dig(ospec, path...))
		for k := range theirs {
			if _, kept := ours[k]; strings.HasPrefix(k, versionLabelPrefix) && !kept {
				delete(theirs, k)
				c.allow("kmm.version-selector")
			}
		}
	}
}

// dropDefaultUpdateStrategy removes an updateStrategy that is the API server's default,
// which is what KMM's DaemonSets get.
func dropDefaultUpdateStrategy(spec map[string]any) {
	want := map[string]any{"type": "RollingUpdate", "rollingUpdate": map[string]any{"maxUnavailable": 1.0, "maxSurge": 0.0}}
	if equal(spec["updateStrategy"], want) {
		delete(spec, "updateStrategy")
	}
}

func removeNamed(m map[string]any, key, name string) bool {
	list := asList(m[key])
	kept := list[:0:0]
	for _, item := range list {
		if asMap(item)["name"] != name {
			kept = append(kept, item)
		}
	}
	m[key] = kept
	return len(kept) != len(list)
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	for k, x := range asMap(v) {
		out[k], _ = x.(string)
	}
	return out
}

func clone(v any) map[string]any {
	data, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func equal(a, b any) bool {
	x, _ := json.Marshal(normalize(a))
	y, _ := json.Marshal(normalize(b))
	return string(x) == string(y)
}

// normalize is a JSON value without nulls, empty objects and empty lists: Go's encoding of
// KMM's structs writes some (resources: {}, creationTimestamp: null) that mean nothing.
func normalize(v any) any {
	data, _ := json.Marshal(v)
	var x any
	_ = json.Unmarshal(data, &x)
	return prune(x)
}

func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			if p := prune(x); p != nil {
				out[k] = p
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(t) == 0 {
			return nil
		}
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = prune(x)
		}
		return out
	}
	return v
}
