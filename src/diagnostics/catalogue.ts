/**
 * Every diagnostic code kmm-render can emit, with its default severity and a one-line
 * summary. docs/diagnostics.md explains each one with its fix; a test keeps the two in step.
 */
/** How bad a diagnostic is: errors stop the render, warnings do not (unless --strict). */
export type Severity = 'error' | 'warning';

interface Entry {
  severity: Severity;
  summary: string;
}

export const CATALOGUE = {
  // load: files and documents
  FILE_UNREADABLE: { severity: 'error', summary: 'an input file could not be read' },
  SYMLINK_OUTSIDE_REPO: { severity: 'warning', summary: 'a symbolic link points outside the repository and was not followed' },
  YAML_SYNTAX: { severity: 'error', summary: 'the file is not valid YAML' },
  YAML_TAG: { severity: 'error', summary: 'a document uses a custom YAML tag, or a standard tag its value does not fit' },
  YAML_NOT_JSON: { severity: 'error', summary: 'a value (.inf, .nan) or map key (null, a collection) that Kubernetes cannot convert to JSON' },
  YAML_ALIAS_RECURSIVE: { severity: 'error', summary: 'an alias inside the node its anchor names (a value that contains itself)' },
  YAML_MERGE_INVALID: { severity: 'error', summary: 'a merge key (<<) whose value is not a mapping or a list of mappings' },
  DOCUMENT_NOT_OBJECT: { severity: 'error', summary: 'a document is not a mapping' },
  DOCUMENT_WITHOUT_KIND: { severity: 'warning', summary: 'a document has no apiVersion or kind and was ignored' },
  UNKNOWN_KIND: { severity: 'warning', summary: 'a document of a kind kmm-render does not read was ignored' },
  INVENTORY_OUTSIDE_CLUSTER: { severity: 'error', summary: 'an inventory object is outside clusters/<name>/' },
  RENDER_CONFIG_MISPLACED: { severity: 'error', summary: 'a RenderConfig is anywhere but kmm-render.yaml at the repo root' },
  CONFIG_DIAGNOSTIC_UNKNOWN: { severity: 'error', summary: 'kmm-render.yaml sets the severity of a diagnostic code that does not exist' },
  CONFIG_DIAGNOSTIC_ERROR: { severity: 'error', summary: 'kmm-render.yaml makes an error a warning or turns it off' },
  CLUSTER_NAME_INVALID: { severity: 'error', summary: 'a cluster folder name is not a DNS-1123 label' },
  CLUSTER_NAME_MISMATCH: { severity: 'error', summary: "a Cluster's metadata.name differs from its folder" },
  LIMIT_FILE_SIZE: { severity: 'error', summary: 'an input file is larger than limits.maxFileBytes' },
  LIMIT_DOCUMENTS: { severity: 'error', summary: 'a file holds more documents than limits.maxDocumentsPerFile' },
  LIMIT_ALIASES: { severity: 'error', summary: 'a document\'s aliases expand more than limits.maxAliasCount times' },
  LIMIT_DEPTH: { severity: 'error', summary: 'a document nests deeper than limits.maxDepth' },
  LIMIT_NODES: { severity: 'error', summary: 'a cluster has more nodes than limits.maxNodesPerCluster' },
  LIMIT_OBJECTS: { severity: 'error', summary: 'a cluster would get more objects than limits.maxObjectsPerCluster' },
  LIMIT_REGEXP: { severity: 'error', summary: 'a regular expression is longer than limits.maxRegexpLength' },
  DUPLICATE_OBJECT: { severity: 'error', summary: 'two objects with the same kind, namespace and name in one scope' },
  // validate: schemas
  SCHEMA_UNKNOWN_FIELD: { severity: 'error', summary: 'a field the kind does not have' },
  SCHEMA_REQUIRED: { severity: 'error', summary: 'a required field is missing' },
  SCHEMA_TYPE: { severity: 'error', summary: 'a value has the wrong type' },
  SCHEMA_ENUM: { severity: 'error', summary: 'a value is not one of the allowed values' },
  SCHEMA_INVALID: { severity: 'error', summary: 'a value breaks another schema rule (pattern, length, count)' },
  // validate: KMM Module semantics (SPEC §4.4)
  MODULE_NAMESPACE_DEFAULTED: { severity: 'warning', summary: 'a Module without metadata.namespace is rendered into "default"' },
  MAPPING_MATCHER: { severity: 'error', summary: 'a kernel mapping needs exactly one of literal and regexp' },
  MAPPING_REGEXP_INVALID: { severity: 'error', summary: 'a kernel mapping regexp is not valid RE2' },
  IMAGE_MISSING: { severity: 'error', summary: 'a kernel mapping resolves to no containerImage' },
  IMAGE_UNTAGGED: { severity: 'warning', summary: 'a containerImage has neither tag nor digest' },
  MODPROBE_RAWARGS_WITH_NAME: { severity: 'error', summary: 'modprobe.moduleName and modprobe.rawArgs are both set' },
  MODPROBE_RAWARGS_REQUIRED: { severity: 'error', summary: 'without moduleName, rawArgs.load and rawArgs.unload are required' },
  LOADING_ORDER_TOO_SHORT: { severity: 'error', summary: 'modulesLoadingOrder has fewer than two entries' },
  LOADING_ORDER_FIRST: { severity: 'error', summary: 'modulesLoadingOrder does not start with moduleName' },
  LOADING_ORDER_DUPLICATE: { severity: 'error', summary: 'modulesLoadingOrder lists a module twice' },
  MODULE_NAME_TOO_LONG: { severity: 'error', summary: 'name + namespace longer than 40 characters with a version set' },
  MODULE_VERSION_INVALID: { severity: 'error', summary: 'moduleLoader.container.version is not a valid label value' },
  DOCKERFILE_CONFIGMAP_MISSING: { severity: 'error', summary: 'build.dockerfileConfigMap names no ConfigMap in scope' },
  DOCKERFILE_KEY_MISSING: { severity: 'error', summary: 'the Dockerfile ConfigMap has no "dockerfile" key' },
  SIGN_SECRET_MISSING: { severity: 'error', summary: 'sign needs keySecret and certSecret' },
  SIGN_NO_FILES: { severity: 'warning', summary: 'sign.filesToSign is empty, KMM would sign nothing' },
  SIGN_VALUE_UNSAFE: { severity: 'error', summary: 'an image or file to sign would split an instruction of the signing Dockerfile' },
  TLS_INSECURE: { severity: 'warning', summary: 'an insecure registry TLS flag is set' },
  SERVICE_ACCOUNT_MISSING: { severity: 'warning', summary: 'a Module outside the operator namespace has no serviceAccountName' },
  SHELL_UNSAFE_VALUE: { severity: 'error', summary: 'a value for the loader scripts contains control characters' },
  MODPROBE_VALUE_QUOTED: { severity: 'warning', summary: 'a loader-script value the shell would split or expand under KMM is quoted here' },
  // validate: inventory
  NODE_KERNEL_MISSING: { severity: 'error', summary: 'a Node has no status.nodeInfo.kernelVersion' },
  NODE_KERNEL_NOT_LABEL_VALUE: { severity: 'error', summary: 'a kernel version cannot be used as a label value' },
  NODE_FEATURE_UNASSIGNED: { severity: 'warning', summary: 'a NodeFeature names no node of its cluster' },
  NODE_DUPLICATE: { severity: 'error', summary: 'a node is listed twice in one cluster (HardwareProfiles, Nodes)' },
  // plan (SPEC §4, §5)
  KERNEL_MAPPING_MISSING: { severity: 'warning', summary: 'targeted nodes run a kernel that no mapping matches' },
  VARIABLE_UNKNOWN: { severity: 'warning', summary: 'an unknown variable was substituted with ""' },
  SUBSTITUTION_UNCLOSED: { severity: 'error', summary: 'a "${" has no closing "}"' },
  KERNEL_TOO_FEW_PARTS: { severity: 'error', summary: 'a kernel version has fewer than three parts' },
  DTK_UNRESOLVED: { severity: 'error', summary: 'DTK_AUTO has no Driver Toolkit image for the nodes\' RHCOS' },
  MODULE_EMPTY: { severity: 'error', summary: 'a Module has neither moduleLoader nor devicePlugin' },
  KMM_VERSION_FIELD: { severity: 'error', summary: 'a Module uses a field of a KMM version the repository does not render for (spec.kmmVersion)' },
  MODULE_FIELD_IGNORED: { severity: 'warning', summary: 'a Module field with no meaning offline is ignored' },
  DTK_UNAVAILABLE: { severity: 'error', summary: 'DTK_AUTO in a Dockerfile on a distribution without a Driver Toolkit' },
  FIRMWARE_PATH_NOT_SEARCHED: { severity: 'warning', summary: 'firmwareHostPath is not where the kernel looks for firmware, and this distribution cannot tell it' },
  SIGN_UNSIGNED_IMAGE_MISSING: { severity: 'error', summary: 'sign without build needs sign.unsignedImage' },
  MCM_WITHOUT_HUB: { severity: 'warning', summary: 'a ManagedClusterModule is in the scope of no hub cluster' },
  MCM_IN_TREE_LIST: { severity: 'warning', summary: 'a spoke mapping must carry several in-tree modules, which KMM 1.1 spokes drop' },
  MCM_SPOKE_WITHOUT_NODES: { severity: 'warning', summary: 'a spoke selected by a ManagedClusterModule has no node for it' },
  NODE_WITHOUT_POOL: { severity: 'warning', summary: 'a node that needs the firmware path is in no MachineConfigPool' },
  NODE_IN_SEVERAL_POOLS: { severity: 'warning', summary: 'a node matches several custom MachineConfigPools' },
  // nfd (SPEC §3)
  NFD_LEGACY_SHORTHAND: { severity: 'error', summary: 'a NodeFeatureRule uses a pre-v0.15 shorthand' },
  NFD_RULE_ERROR: { severity: 'warning', summary: 'a NodeFeatureRule rule cannot be evaluated and is skipped' },
  NFD_FEATURE_ABSENT: { severity: 'warning', summary: 'a rule references a feature no node of the cluster has' },
  NFD_OUTPUT_DROPPED: { severity: 'warning', summary: 'a label, annotation, extended resource or taint of a rule was dropped' },
} as const satisfies Record<string, Entry>;

/** A stable diagnostic code. */
export type DiagnosticCode = keyof typeof CATALOGUE;

/** All codes, sorted. */
export const DIAGNOSTIC_CODES = Object.keys(CATALOGUE).sort() as DiagnosticCode[];
