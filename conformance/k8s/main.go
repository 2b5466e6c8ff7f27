// The Kubernetes oracles of the conformance suite: YAML reading against sigs.k8s.io/yaml
// (as kubectl splits and converts files), name and label syntax against
// k8s.io/apimachinery's util/validation, and every emitted DaemonSet, Job and ConfigMap
// against Kubernetes' own API validation (k8s.io/kubernetes pkg/apis/.../validation).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"kmm-render.io/conformance/harness"
)

func main() {
	flags := harness.ParseFlags()
	allow := harness.LoadAllowlist(flags.Root)
	// CONFORMANCE_YAML_FILE: one file through both readers, both answers printed (to study a case).
	if file := os.Getenv("CONFORMANCE_YAML_FILE"); file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			harness.Fatal(err)
		}
		var ours []ourRead
		harness.Ask(flags.Root, "yaml", []map[string]string{{"text": string(data)}}, &ours)
		out, _ := json.MarshalIndent(map[string]any{"ours": ours[0], "theirs": describe(readAsKubectl(string(data)))}, "", "  ")
		fmt.Println(string(out))
		return
	}
	runYAML(flags, allow).Print()
	runNames(flags, allow).Print()
	runAPIValidation(flags, allow).Print()
}
