/** A minimal Module as tests write it: one regexp mapping for every kernel, then what a test adds. */
export function moduleYaml(o: { mapping?: string; selector?: string; extra?: string } = {}): string {
  return `apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata: {name: m, namespace: openshift-kmm}
spec:
  moduleLoader:
    container:
      modprobe: {moduleName: m}
      kernelMappings:
        - regexp: '.'
          containerImage: quay.io/x/m:\${KERNEL_FULL_VERSION}
${o.mapping ?? ''}
  selector: {${o.selector ?? 'node-role.kubernetes.io/worker: ""'}}
${o.extra ?? ''}`;
}
