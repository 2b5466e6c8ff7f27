/**
 * The Dockerfile KMM 1.1's signer builds (upstream release-1.1 `internal/sign/job`, its
 * `Dockerfile.gotmpl`): the unsigned image as a stage, a stage from the signer image that
 * copies each file to sign out of it and runs the kernel's `sign-file sha256` on it with the
 * key and certificate mounted under /run/secrets, and the unsigned image again with the
 * signed files copied back. Kaniko builds it and pushes the result. Byte for byte what
 * KMM's template writes (`conformance/` checks it against KMM's own code).
 */

/** Where the signing Job mounts the private key and the certificate (KMM's paths). */
export const SIGN_KEY_DIR = '/run/secrets/key';
export const SIGN_CERT_DIR = '/run/secrets/cert';

/** The signing Dockerfile for an unsigned image, the signer image and the files to sign. */
export function makeSignDockerfile(unsignedImage: string, signerImage: string, filesToSign: readonly string[]): string {
  let text = `FROM ${unsignedImage} as source\n\nFROM ${signerImage} AS signimage\n\nRUN mkdir -p /tmp/signroot\n`;
  for (const file of filesToSign) {
    text += `\nCOPY --from=source ${file} /tmp/signroot${file}`;
    text += `\nRUN /usr/local/bin/sign-file sha256 ${SIGN_KEY_DIR}/key.pem ${SIGN_CERT_DIR}/cert.pem /tmp/signroot${file}`;
  }
  text += '\n\nFROM source\n';
  for (const file of filesToSign) text += `\nCOPY --from=signimage /tmp/signroot${file} ${file}`;
  return text + '\n';
}

/**
 * Why a value cannot go into that Dockerfile, or undefined: a Dockerfile is line- and
 * word-based, so a space, a tab or a line break in an image or a file path would split an
 * instruction or start a new one (KMM pastes them in as they are).
 */
export function unsafeDockerfileValue(value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'it contains whitespace or a control character, which would split or add Dockerfile instructions';
  return undefined;
}
