/**
 * In-memory state shared by the vendor modules of one sandbox instance.
 * Nothing persists: `reset()` (POST /_sandbox/reset) returns everything to a fresh start.
 */

/** A fault a vendor module understands: its normal value and the values it accepts. */
export interface FaultSpec {
  readonly defaultValue: string;
  readonly values: readonly string[];
}

export const BUILTIN_FAULTS = {
  runninghub: { defaultValue: 'ok', values: ['ok', 'fail', 'hang'] },
  // `slow`: processing answers only after SANDBOX_CI_SLOW_MS, to test the API's own deadlines.
  ci: { defaultValue: 'ok', values: ['ok', 'fail', 'slow'] },
  moderation: { defaultValue: 'pass', values: ['pass', 'block'] },
  garment: { defaultValue: 'found', values: ['found', 'none'] },
  sms: { defaultValue: 'ok', values: ['ok', 'fail'] },
} as const satisfies Record<string, FaultSpec>;

export type BuiltinFault = keyof typeof BUILTIN_FAULTS;

/** Any of these clears a fault back to its default, whatever the key (the control surface promises this). */
export const FAULT_RESET_VALUES: ReadonlySet<string> = new Set(['ok', 'pass', 'found']);

export interface SentSms {
  /** Mainland numbers as 11 digits without +86; other numbers in E.164. */
  readonly phone: string;
  /** TemplateParamSet[0], which is the verification code in our templates. */
  readonly code: string | null;
  readonly templateId: string;
  readonly params: readonly string[];
  readonly signName: string | null;
  readonly sentAt: string;
}

/** Keys handed out by the (future) STS module; accepted by the TC3 verifier together with X-TC-Token. */
export interface TemporaryCredential {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export type FaultPatchResult =
  | { readonly ok: true; readonly faults: Record<string, string> }
  | { readonly ok: false; readonly error: string };

export class SandboxState {
  readonly sentSms: SentSms[] = [];
  readonly temporaryCredentials = new Map<string, TemporaryCredential>();

  private readonly faultSpecs = new Map<string, FaultSpec>(Object.entries(BUILTIN_FAULTS));
  private readonly faultOverrides = new Map<string, string>();
  private readonly resetHooks: Array<() => void> = [];

  /**
   * Lets a later vendor module declare its own fault (e.g. `notify: deliver|drop`) so its values are
   * validated and it shows in the fault map. Undeclared keys are still accepted with any value.
   */
  defineFault(name: string, spec: FaultSpec): void {
    if (!spec.values.includes(spec.defaultValue)) {
      throw new Error(`fault ${name}: default ${spec.defaultValue} is not one of its values`);
    }
    this.faultSpecs.set(name, spec);
  }

  /** Current value of a fault: the override if set, else its default, else "ok" for undeclared keys. */
  fault(name: BuiltinFault | (string & {})): string {
    return this.faultOverrides.get(name) ?? this.faultSpecs.get(name)?.defaultValue ?? 'ok';
  }

  /** Declared faults with their current values, plus any undeclared keys that are set. */
  faultMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const [name, spec] of this.faultSpecs) map[name] = spec.defaultValue;
    for (const [name, value] of this.faultOverrides) map[name] = value;
    return map;
  }

  /** Merges a patch. All-or-nothing: one bad entry rejects the whole patch so tests never half-apply. */
  applyFaults(patch: unknown): FaultPatchResult {
    if (!isPlainObject(patch)) return { ok: false, error: 'faults must be a JSON object' };
    const accepted: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(patch)) {
      if (typeof value !== 'string' || value === '') {
        return { ok: false, error: `fault ${name} must be a non-empty string` };
      }
      const problem = this.faultValueProblem(name, value);
      if (problem) return { ok: false, error: problem };
      accepted.push([name, value]);
    }
    for (const [name, value] of accepted) this.setFault(name, value);
    return { ok: true, faults: this.faultMap() };
  }

  /** Runs when the sandbox is reset; later modules clear their own stores (COS objects, tasks, orders) here. */
  onReset(hook: () => void): void {
    this.resetHooks.push(hook);
  }

  reset(): void {
    this.sentSms.length = 0;
    this.temporaryCredentials.clear();
    this.faultOverrides.clear();
    for (const hook of this.resetHooks) hook();
  }

  private setFault(name: string, value: string): void {
    const spec = this.faultSpecs.get(name);
    if (FAULT_RESET_VALUES.has(value) || value === spec?.defaultValue) {
      this.faultOverrides.delete(name);
    } else {
      this.faultOverrides.set(name, value);
    }
  }

  private faultValueProblem(name: string, value: string): string | null {
    const spec = this.faultSpecs.get(name);
    if (!spec || FAULT_RESET_VALUES.has(value) || spec.values.includes(value)) return null;
    return `fault ${name} must be one of ${spec.values.join('|')}`;
  }
}

export function createSandboxState(): SandboxState {
  return new SandboxState();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
