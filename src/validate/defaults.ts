/** Defaults of the Cluster and RenderConfig settings (SPEC §2.3), in one place. */

export const DEFAULT_OPERATOR_NAMESPACE = 'openshift-kmm';
/** A Cluster without `distribution` is OpenShift; kernel label and firmware path default per target. */
export const DEFAULT_DISTRIBUTION = 'openshift';
/** Namespace for Modules that do not set one (the namespace `kubectl apply` would use). */
export const DEFAULT_MODULE_NAMESPACE = 'default';
export const DEFAULT_OUTPUT = 'rendered';
/** The KMM 1.1 signimage, an image with the kernel's sign-file (upstream's RELATED_IMAGES_SIGN). */
export const DEFAULT_SIGNER_IMAGE = 'gcr.io/k8s-staging-kmm/kernel-module-management-signimage:latest';
/** Kaniko, KMM 1.1's builder (upstream's RELATED_IMAGES_BUILD). */
export const DEFAULT_BUILDER_IMAGE = 'gcr.io/kaniko-project/executor:latest';
/** Image of the device plugin's wait-for-module init container; needs only /bin/sh. */
export const DEFAULT_WAIT_IMAGE = 'registry.access.redhat.com/ubi9/ubi-minimal:latest';
