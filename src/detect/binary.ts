/** A NUL byte in the first 8 KiB marks a file as binary, as git and grep decide. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}
