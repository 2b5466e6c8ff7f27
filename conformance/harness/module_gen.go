package harness

import (
	"fmt"
	"math/rand/v2"
)

// ModuleCase is one generated input repository: a Module, the ConfigMap its builds read,
// and a cluster of nodes. The KMM oracle runs the Module through KMM 1.1's own code and
// compares; the API oracle validates what kmm-render renders from it.
type ModuleCase struct {
	Module     map[string]any `json:"module"`
	Dockerfile string         `json:"dockerfile"`
	Nodes      []CaseNode     `json:"nodes"`
	// Valid is false when the generator deliberately broke a rule of KMM's webhook.
	Valid bool `json:"valid"`
	// Distribution of the cluster kmm-render renders for: "openshift" (BuildConfigs) or
	// "kubernetes" (Kaniko build Jobs, which KMM's own build maker makes too).
	Distribution string `json:"distribution"`
}

// CaseNode is a node of the generated cluster.
type CaseNode struct {
	Name   string            `json:"name"`
	Kernel string            `json:"kernel"`
	Labels map[string]string `json:"labels"`
	Taints []map[string]any  `json:"taints,omitempty"`
}

// KernelLabel is the node label the generated cluster selects kernels by: KMM's own, so
// both sides put the same label on DaemonSets and in their node selectors.
const KernelLabel = "kmm.node.kubernetes.io/kernel-version.full"

var (
	caseKernels = []string{
		"5.14.0-427.22.1.el9_4.x86_64", "5.14.0-284.30.1.el9_2.x86_64", "5.14.0-427.22.1.el9_4.aarch64",
		"4.18.0-372.9.1.el8.x86_64", "6.8.0-45-generic", "6.1.0-rc1+", "6.10.3-200.fc40.x86_64", "5.15.0-1051-azure",
	}
	caseRegexps = []string{
		`^.+$`, `^5\.14\..*$`, `^6\.`, `el9`, `^.+\.x86_64$`, `^(4|5)\.\d+`, `generic$`, `^6\.1\.0-rc1$`,
	}
	caseImages = []string{
		"quay.io/example/driver:${KERNEL_FULL_VERSION}",
		"quay.io/example/${MOD_NAME}:${KERNEL_XYZ}",
		"registry.example.com:5000/${MOD_NAMESPACE}/kmod:v${KERNEL_X}.${KERNEL_Y}-${KERNEL_Z}",
		"quay.io/example/driver:${KERNEL_VERSION:-none}",
		"quay.io/example/driver:fixed",
		"quay.io/example/driver@sha256:0000000000000000000000000000000000000000000000000000000000000001",
	}
	caseModuleNames = []string{"simple_kmod", "ice", "nvidia", "mlx5_core", "kmm_ci_a"}
	caseNamespaces  = []string{"default", "gpu-operators", "kmm-tests"}
	caseNames       = []string{"simple-kmod", "gpu", "nic-driver", "fpga.ofs"}
)

// GenerateModuleCase makes one case; roughly one in eight breaks a webhook rule.
func GenerateModuleCase(r *rand.Rand) ModuleCase {
	c := ModuleCase{Valid: true, Dockerfile: "ARG KERNEL_VERSION\nFROM registry.example.com/base:${KERNEL_VERSION}\nRUN make\n", Distribution: Pick(r, []string{"openshift", "openshift", "kubernetes"})}
	name := Pick(r, caseNames)
	namespace := Pick(r, caseNamespaces)
	moduleName := Pick(r, caseModuleNames)

	modprobe := map[string]any{"moduleName": moduleName}
	if r.IntN(3) == 0 {
		modprobe["dirName"] = Pick(r, []string{"/opt", "/usr", "/opt/drivers"})
	}
	switch r.IntN(5) {
	case 0:
		modprobe["args"] = map[string]any{"load": []string{"-v", "--first-time"}, "unload": []string{"-r", "-v"}}
	case 1:
		modprobe["args"] = map[string]any{"load": []string{"--ignore-install"}}
	case 2:
		delete(modprobe, "moduleName")
		modprobe["rawArgs"] = map[string]any{"load": []string{"-v", moduleName}, "unload": []string{"-rv", moduleName}}
	}
	if r.IntN(3) == 0 && modprobe["moduleName"] != nil {
		modprobe["parameters"] = Pick(r, [][]string{{"debug=1"}, {"a=1", "b=2"}})
	}
	if r.IntN(4) == 0 {
		modprobe["firmwarePath"] = Pick(r, []string{"/firmware", "/opt/lib/firmware/vendor"})
	}
	if r.IntN(5) == 0 && modprobe["moduleName"] != nil {
		modprobe["modulesLoadingOrder"] = []string{moduleName, moduleName + "_dep", "base_dep"}
	}

	container := map[string]any{"modprobe": modprobe}
	if r.IntN(2) == 0 {
		container["containerImage"] = Pick(r, caseImages)
	}
	if r.IntN(4) == 0 {
		container["imagePullPolicy"] = Pick(r, []string{"Always", "IfNotPresent", "Never"})
	}
	if r.IntN(5) == 0 {
		container["inTreeModuleToRemove"] = moduleName + "_intree"
	}
	if r.IntN(6) == 0 {
		container["version"] = Pick(r, []string{"v1", "2024.1"})
	}
	if r.IntN(6) == 0 {
		container["registryTLS"] = map[string]any{"insecure": r.IntN(2) == 0, "insecureSkipTLSVerify": r.IntN(2) == 0}
	}
	build := func() map[string]any {
		b := map[string]any{"dockerfileConfigMap": map[string]any{"name": name + "-dockerfile"}}
		if r.IntN(2) == 0 {
			b["buildArgs"] = []map[string]any{{"name": "EXTRA", "value": "x"}, {"name": "KERNEL_VERSION", "value": "ignored"}}
		}
		if r.IntN(3) == 0 {
			b["secrets"] = []map[string]any{{"name": "build-secret"}}
		}
		if r.IntN(4) == 0 {
			b["baseImageRegistryTLS"] = map[string]any{"insecure": true}
		}
		return b
	}
	sign := func() map[string]any {
		s := map[string]any{
			"keySecret":   map[string]any{"name": "signing-key"},
			"certSecret":  map[string]any{"name": "signing-cert"},
			"filesToSign": []string{"/opt/lib/modules/${KERNEL_FULL_VERSION}/" + moduleName + ".ko"},
		}
		if r.IntN(3) == 0 {
			s["unsignedImage"] = "quay.io/example/unsigned:${KERNEL_FULL_VERSION}"
		}
		if r.IntN(4) == 0 {
			s["unsignedImageRegistryTLS"] = map[string]any{"insecure": r.IntN(2) == 0, "insecureSkipTLSVerify": true}
		}
		return s
	}
	withBuildOrSign := func(m map[string]any) {
		switch r.IntN(6) {
		case 0:
			m["build"] = build()
		case 1:
			m["sign"] = sign()
			if m["sign"].(map[string]any)["unsignedImage"] == nil {
				m["sign"].(map[string]any)["unsignedImage"] = "quay.io/example/unsigned:${KERNEL_FULL_VERSION}"
			}
		case 2:
			m["build"] = build()
			m["sign"] = sign()
		}
	}
	if r.IntN(5) == 0 {
		withBuildOrSign(container)
	}

	var mappings []map[string]any
	for i, n := 0, 1+r.IntN(3); i < n; i++ {
		m := map[string]any{}
		if r.IntN(2) == 0 {
			m["literal"] = Pick(r, caseKernels)
		} else {
			m["regexp"] = Pick(r, caseRegexps)
		}
		if container["containerImage"] == nil || r.IntN(2) == 0 {
			m["containerImage"] = Pick(r, caseImages)
		}
		if r.IntN(6) == 0 {
			m["inTreeModuleToRemove"] = moduleName + "_old"
		}
		if container["build"] == nil && container["sign"] == nil {
			withBuildOrSign(m)
		}
		mappings = append(mappings, m)
	}
	container["kernelMappings"] = mappings

	spec := map[string]any{
		"moduleLoader": map[string]any{"container": container},
		"selector":     Pick(r, []map[string]any{{"kubernetes.io/arch": "amd64"}, {"node-role.kubernetes.io/worker": ""}, {"example.com/accelerator": "true", "kubernetes.io/arch": "amd64"}}),
	}
	if r.IntN(2) == 0 {
		spec["moduleLoader"].(map[string]any)["serviceAccountName"] = "kmm-loader"
	}
	if r.IntN(3) == 0 {
		spec["imageRepoSecret"] = map[string]any{"name": "pull-secret"}
	}
	if r.IntN(3) == 0 {
		dp := map[string]any{"image": "quay.io/example/device-plugin:1.0"}
		if r.IntN(2) == 0 {
			dp["args"] = []string{"--verbose"}
			dp["env"] = []map[string]any{{"name": "NODE_NAME", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "spec.nodeName"}}}}
		}
		if r.IntN(2) == 0 {
			dp["volumeMounts"] = []map[string]any{{"name": "dev", "mountPath": "/dev"}}
		}
		plugin := map[string]any{"container": dp}
		if dp["volumeMounts"] != nil {
			plugin["volumes"] = []map[string]any{{"name": "dev", "hostPath": map[string]any{"path": "/dev"}}}
		}
		if r.IntN(2) == 0 {
			plugin["serviceAccountName"] = "kmm-device-plugin"
		}
		spec["devicePlugin"] = plugin
	}

	c.Valid = breakWebhookRule(r, modprobe, container, mappings)
	c.Module = map[string]any{
		"apiVersion": "kmm.sigs.x-k8s.io/v1beta1",
		"kind":       "Module",
		"metadata":   map[string]any{"name": name, "namespace": namespace},
		"spec":       spec,
	}

	for i, n := 0, 1+r.IntN(4); i < n; i++ {
		labels := map[string]string{"kubernetes.io/arch": Pick(r, []string{"amd64", "arm64"})}
		if r.IntN(2) == 0 {
			labels["node-role.kubernetes.io/worker"] = ""
		}
		if r.IntN(2) == 0 {
			labels["example.com/accelerator"] = "true"
		}
		node := CaseNode{Name: fmt.Sprintf("node-%d", i), Kernel: Pick(r, caseKernels), Labels: labels}
		if r.IntN(5) == 0 {
			node.Taints = []map[string]any{{"key": "example.com/maintenance", "effect": Pick(r, []string{"NoSchedule", "PreferNoSchedule", "NoExecute"})}}
		}
		c.Nodes = append(c.Nodes, node)
	}
	return c
}

// breakWebhookRule breaks one rule of KMM 1.1's Module webhook in about one case in eight
// and reports whether the Module is still valid.
func breakWebhookRule(r *rand.Rand, modprobe, container map[string]any, mappings []map[string]any) bool {
	if r.IntN(8) != 0 {
		return true
	}
	switch r.IntN(5) {
	case 0:
		mappings[0]["literal"], mappings[0]["regexp"] = caseKernels[0], `^.+$`
	case 1:
		mappings[0]["regexp"] = `^(5\.14`
		delete(mappings[0], "literal")
	case 2:
		delete(container, "containerImage")
		delete(mappings[0], "containerImage")
	case 3:
		modprobe["moduleName"] = Pick(r, caseModuleNames)
		modprobe["rawArgs"] = map[string]any{"load": []string{"-v"}, "unload": []string{"-rv"}}
	case 4:
		name, _ := modprobe["moduleName"].(string)
		if name == "" {
			name = "x"
			modprobe["moduleName"] = name
			delete(modprobe, "rawArgs")
		}
		modprobe["modulesLoadingOrder"] = Pick(r, [][]string{{name}, {"other", name}, {name, "dep", "dep"}})
	}
	return false
}

// Files is the case as an input repository for the bridge's render op.
// clusterSpec is the Cluster of the case. A kubernetes cluster keeps the operator namespace
// and firmware path KMM's side is run with, so that only what the distribution changes
// (the build object, the trusted CA) differs.
func (c ModuleCase) clusterSpec() map[string]any {
	spec := map[string]any{"kernelVersionLabel": KernelLabel}
	if c.Distribution == "kubernetes" {
		spec["distribution"] = "kubernetes"
		spec["operatorNamespace"] = "openshift-kmm"
		spec["firmwareHostPath"] = "/var/lib/firmware"
	}
	return spec
}

func (c ModuleCase) Files() map[string]any {
	ns := c.Module["metadata"].(map[string]any)["namespace"]
	name := c.Module["metadata"].(map[string]any)["name"].(string)
	nodes := make([]map[string]any, 0, len(c.Nodes))
	for _, n := range c.Nodes {
		nodes = append(nodes, map[string]any{
			"apiVersion": "v1", "kind": "Node",
			"metadata": map[string]any{"name": n.Name, "labels": n.Labels},
			"spec":     map[string]any{"taints": n.Taints},
			"status":   map[string]any{"nodeInfo": map[string]any{"kernelVersion": n.Kernel, "osImage": "Red Hat Enterprise Linux CoreOS 416.94"}},
		})
	}
	return map[string]any{
		"modules/module.json": c.Module,
		"modules/dockerfile.json": map[string]any{
			"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": name + "-dockerfile", "namespace": ns},
			"data":     map[string]any{"dockerfile": c.Dockerfile},
		},
		"clusters/c/cluster.json": map[string]any{
			"apiVersion": "kmm-render.io/v1alpha1", "kind": "Cluster",
			"metadata": map[string]any{"name": "c"},
			"spec":     c.clusterSpec(),
		},
		"clusters/c/nodes.json": map[string]any{"apiVersion": "v1", "kind": "List", "items": nodes},
	}
}
