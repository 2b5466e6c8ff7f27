/** The variables a kernel version provides for substitution (SPEC §4.3). */

/** Kernel variables, or an error when the kernel has fewer than three parts. */
export function kernelVariables(kernel: string): { vars: Record<string, string> } | { error: string } {
  // KMM splits on ".", "," and "-": 4.18.0-372.26.1.el8_6.x86_64 → 4, 18, 0, 372, ...
  const parts = kernel.split(/[.,-]/);
  if (parts.length < 3) {
    return { error: `kernel "${kernel}" has fewer than three parts (expected at least X.Y.Z)` };
  }
  const [x, y, z] = parts as [string, string, string];
  return {
    vars: {
      KERNEL_FULL_VERSION: kernel,
      KERNEL_VERSION: kernel,
      KERNEL_XYZ: `${x}.${y}.${z}`,
      KERNEL_X: x,
      KERNEL_Y: y,
      KERNEL_Z: z,
    },
  };
}

/** The kernel KMM uses for a node: kernelVersion with a trailing "+" trimmed (SPEC §4.1). */
export function trimKernelVersion(kernelVersion: string): string {
  return kernelVersion.endsWith('+') ? kernelVersion.slice(0, -1) : kernelVersion;
}
