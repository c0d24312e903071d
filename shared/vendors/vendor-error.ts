/**
 * A vendor call that failed: the vendor's own code and message, for logs and for the domain to
 * map onto the contract's codes. Never shown to callers as is.
 */
export class VendorError extends Error {
  constructor(
    readonly vendor: 'cos' | 'ci' | 'sts' | 'runninghub' | 'captcha',
    /** The vendor's code (COS `Code`, RunningHub `msg`, TC3 `Error.Code`), or a transport error name. */
    readonly code: string,
    message: string,
    /** HTTP status when the vendor answered one. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'VendorError';
  }
}
