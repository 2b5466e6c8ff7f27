package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	kmmv1beta1 "github.com/kubernetes-sigs/kernel-module-management/api/v1beta1"
	"github.com/kubernetes-sigs/kernel-module-management/internal/build"
	buildjob "github.com/kubernetes-sigs/kernel-module-management/internal/build/job"
	"github.com/kubernetes-sigs/kernel-module-management/internal/daemonset"
	"github.com/kubernetes-sigs/kernel-module-management/internal/module"
	"github.com/kubernetes-sigs/kernel-module-management/internal/sign"
	signjob "github.com/kubernetes-sigs/kernel-module-management/internal/sign/job"
	"github.com/kubernetes-sigs/kernel-module-management/internal/utils"

	"kmm-render.io/conformance/harness"
)

// The images KMM's operator is deployed with (RELATED_IMAGES_*); kmm-render's defaults
// of builderImage and signerImage are the same two.
const (
	kanikoImage = "gcr.io/kaniko-project/executor:latest"
	signImage   = "gcr.io/k8s-staging-kmm/kernel-module-management-signimage:latest"
)

// kmmAnswer is what KMM 1.1's operator would create for a case, each object as JSON.
type kmmAnswer struct {
	Refused      string                    `json:"refused,omitempty"`
	Loaders      map[string]map[string]any `json:"loaders"` // by kernel
	Builds       map[string]map[string]any `json:"builds"`
	Signs        map[string]map[string]any `json:"signs"`
	DevicePlugin map[string]any            `json:"devicePlugin,omitempty"`
	Dockerfile   string                    `json:"-"`
}

var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		harness.Fatal(err)
	}
	if err := kmmv1beta1.AddToScheme(s); err != nil {
		harness.Fatal(err)
	}
	return s
}()

// askKMM runs the case's Module through KMM 1.1's own code, as its Module reconciler does:
// the webhook, the nodes its selector picks (schedulable ones), one ModuleLoaderData per
// kernel (a trailing + removed), the loader DaemonSet, the build and signing Jobs, and the
// device-plugin DaemonSet.
func askKMM(c harness.ModuleCase) kmmAnswer {
	os.Setenv("RELATED_IMAGES_BUILD", kanikoImage)
	os.Setenv("RELATED_IMAGES_SIGN", signImage)
	answer := kmmAnswer{Loaders: map[string]map[string]any{}, Builds: map[string]map[string]any{}, Signs: map[string]map[string]any{}, Dockerfile: c.Dockerfile}

	data, _ := json.Marshal(c.Module)
	mod := &kmmv1beta1.Module{}
	if err := json.Unmarshal(data, mod); err != nil {
		harness.Fatal(err)
	}
	if mod.Spec.ModuleLoader.Container.Modprobe.DirName == "" {
		mod.Spec.ModuleLoader.Container.Modprobe.DirName = "/opt" // the CRD's default
	}
	mod.SetGroupVersionKind(kmmv1beta1.GroupVersion.WithKind("Module"))
	if _, err := mod.ValidateCreate(); err != nil {
		answer.Refused = err.Error()
		return answer
	}

	ctx := context.Background()
	ns := mod.Namespace
	client := fake.NewClientBuilder().WithScheme(scheme).WithObjects(
		&v1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: mod.Name + "-dockerfile", Namespace: ns}, Data: map[string]string{"dockerfile": c.Dockerfile}},
		&v1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "signing-key", Namespace: ns}, Data: map[string][]byte{"key": []byte("k")}},
		&v1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "signing-cert", Namespace: ns}, Data: map[string][]byte{"cert": []byte("c")}},
	).Build()
	mapper := module.NewKernelMapper(build.NewHelper(), sign.NewSignerHelper())
	creator := daemonset.NewCreator(client, harness.KernelLabel, scheme)
	jobHelper := utils.NewJobHelper(client)
	maker := buildjob.NewMaker(client, build.NewHelper(), jobHelper, scheme)
	signer := signjob.NewSigner(client, scheme, jobHelper)

	selector := labels.SelectorFromSet(mod.Spec.Selector)
	for _, node := range c.Nodes {
		if !selector.Matches(labels.Set(node.Labels)) || !schedulable(node) {
			continue
		}
		kernel := strings.TrimSuffix(node.Kernel, "+")
		if _, done := answer.Loaders[kernel]; done {
			continue
		}
		mld, err := mapper.GetModuleLoaderDataForKernel(mod, kernel)
		if err != nil {
			continue // the node is left without the module
		}
		ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{GenerateName: mod.Name + "-", Namespace: ns}}
		if err := creator.SetDriverContainerAsDesired(ctx, ds, mld); err != nil {
			harness.Fatal(fmt.Errorf("SetDriverContainerAsDesired: %w", err))
		}
		answer.Loaders[kernel] = asJSON(ds)
		if module.ShouldBeBuilt(mld) {
			job, err := maker.MakeJobTemplate(ctx, mld, mod, true)
			if err != nil {
				harness.Fatal(fmt.Errorf("build MakeJobTemplate: %w", err))
			}
			answer.Builds[kernel] = asJSON(job)
		}
		if module.ShouldBeSigned(mld) {
			previous := ""
			if module.ShouldBeBuilt(mld) {
				previous = module.IntermediateImageName(mld.Name, mld.Namespace, mld.ContainerImage)
			}
			labels := jobHelper.JobLabels(mld.Name, mld.KernelVersion, utils.JobTypeSign)
			job, err := signer.MakeJobTemplate(ctx, mld, labels, previous, true, mod)
			if err != nil {
				harness.Fatal(fmt.Errorf("sign MakeJobTemplate: %w", err))
			}
			answer.Signs[kernel] = asJSON(job)
		}
	}
	if mod.Spec.DevicePlugin != nil {
		ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: mod.Name + "-device-plugin", Namespace: ns}}
		if err := creator.SetDevicePluginAsDesired(ctx, ds, mod); err != nil {
			harness.Fatal(fmt.Errorf("SetDevicePluginAsDesired: %w", err))
		}
		answer.DevicePlugin = asJSON(ds)
	}
	return answer
}

// asJSON is an object as its JSON form, the form kmm-render's output is compared in.
func asJSON(v any) map[string]any {
	data, err := json.Marshal(v)
	if err != nil {
		harness.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		harness.Fatal(err)
	}
	return out
}

// schedulable is KMM's isNodeSchedulable: a node with a NoSchedule taint is not targeted.
func schedulable(node harness.CaseNode) bool {
	for _, t := range node.Taints {
		if t["effect"] == "NoSchedule" {
			return false
		}
	}
	return true
}
