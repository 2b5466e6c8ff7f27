package main

import (
	"context"
	"encoding/json"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	"k8s.io/kubernetes/pkg/capabilities"
	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/configmap"
	"k8s.io/kubernetes/pkg/registry/core/serviceaccount"
	sigsjson "sigs.k8s.io/json"

	"kmm-render.io/conformance/harness"
)

// createStrategies are the API server's own create paths of the kinds kmm-render emits
// that Kubernetes itself serves (BuildConfig, MachineConfig, ManifestWork and Module are
// custom resources: the KMM oracle decodes them with their own Go types).
var createStrategies = map[schema.GroupVersionKind]createPath{
	{Group: "apps", Version: "v1", Kind: "DaemonSet"}:  {"daemonsets", daemonset.Strategy},
	{Group: "batch", Version: "v1", Kind: "Job"}:       {"jobs", job.Strategy},
	{Group: "", Version: "v1", Kind: "ConfigMap"}:      {"configmaps", configmap.Strategy},
	{Group: "", Version: "v1", Kind: "ServiceAccount"}: {"serviceaccounts", serviceaccount.Strategy},
}

// createPath is a kind's resource and its registry strategy.
type createPath struct {
	resource string
	strategy rest.RESTCreateStrategy
}

type emitted struct {
	Source string          `json:"source"`
	Kind   string          `json:"kind"`
	Name   string          `json:"name"`
	Object json.RawMessage `json:"object"`
}

// runAPIValidation sends every object kmm-render renders — from the bundled fixtures and
// from generated Modules — through the API server's create path: strict decoding (an
// unknown or duplicate field is an error, as with kubectl's default fieldValidation=Strict),
// defaulting, conversion, the registry strategy's PrepareForCreate and Validate, and its
// warnings. Kubernetes accepting the object without a warning is agreement.
func runAPIValidation(f harness.Flags, allow harness.Allowlist) *harness.Report {
	report := harness.NewReport("emitted objects vs k8s.io/kubernetes v1.37.2 API server create", allow)
	// kube-apiserver --allow-privileged=true, as kubeadm, OpenShift and every managed
	// Kubernetes run it (device plugins and KMM's workers are privileged by design).
	capabilities.Initialize(capabilities.Capabilities{AllowPrivileged: true})
	var fixtures []struct {
		Fixture string `json:"fixture"`
		emitted
	}
	harness.Ask(f.Root, "fixtures", nil, &fixtures)
	objects := make([]emitted, 0, len(fixtures))
	for _, o := range fixtures {
		o.emitted.Source = "fixture " + o.Fixture
		objects = append(objects, o.emitted)
	}

	r := f.Rand(3)
	n := f.Cases(400)
	cases := make([]map[string]any, n)
	for i := range cases {
		cases[i] = map[string]any{"files": harness.GenerateModuleCase(r).Files()}
	}
	var rendered []struct {
		OK      bool      `json:"ok"`
		Objects []emitted `json:"objects"`
		Crash   string    `json:"crash"`
	}
	harness.Ask(f.Root, "render", cases, &rendered)
	for i, res := range rendered {
		for _, o := range res.Objects {
			o.Source = fmt.Sprintf("generated case %d", i)
			objects = append(objects, o)
		}
	}

	for _, o := range objects {
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(o.Object, &meta); err != nil {
			harness.Fatal(err)
		}
		gvk := schema.FromAPIVersionAndKind(meta.APIVersion, meta.Kind)
		path, ok := createStrategies[gvk]
		if !ok {
			continue
		}
		problems := createAsAPIServer(gvk, path, meta.Metadata.Namespace, o.Object)
		if len(problems) == 0 {
			report.Agree()
			continue
		}
		report.Disagree(harness.Example{
			Case:   map[string]any{"source": o.Source, "kind": o.Kind, "name": o.Name},
			Ours:   json.RawMessage(o.Object),
			Theirs: problems,
		})
	}
	return report
}

// createAsAPIServer returns what the API server would say creating the object: errors and
// warnings, none when it is accepted as it is.
func createAsAPIServer(gvk schema.GroupVersionKind, path createPath, namespace string, data []byte) []string {
	strategy := path.strategy
	versioned, err := legacyscheme.Scheme.New(gvk)
	if err != nil {
		harness.Fatal(err)
	}
	strict, err := sigsjson.UnmarshalStrict(data, versioned)
	if err != nil {
		return []string{"decode: " + err.Error()}
	}
	var problems []string
	for _, e := range strict {
		problems = append(problems, "strict decoding: "+e.Error())
	}
	legacyscheme.Scheme.Default(versioned)
	internal, err := legacyscheme.Scheme.New(gvk.GroupKind().WithVersion(runtime.APIVersionInternal))
	if err != nil {
		harness.Fatal(err)
	}
	if err := legacyscheme.Scheme.Convert(versioned, internal, nil); err != nil {
		return append(problems, "convert: "+err.Error())
	}
	accessor, err := meta.Accessor(internal)
	if err != nil {
		harness.Fatal(err)
	}
	rest.FillObjectMetaSystemFields(accessor)
	ctx := genericapirequest.WithNamespace(context.Background(), namespace)
	ctx = genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true, Verb: "create", APIPrefix: "apis", APIGroup: gvk.Group, APIVersion: gvk.Version,
		Namespace: namespace, Resource: path.resource,
	})
	if err := rest.BeforeCreate(strategy, ctx, internal); err != nil {
		problems = append(problems, err.Error())
	}
	for _, w := range strategy.WarningsOnCreate(ctx, internal) {
		problems = append(problems, "warning: "+w)
	}
	return problems
}
