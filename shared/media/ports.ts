import type { Config } from '../config';
import type { TaskSettings } from '../config/tasks';
import type { ObjectStore } from '../vendors/cos';
import type { FederationTokenIssuer } from '../vendors/sts';

/**
 * What the media area needs from outside, handed in by the composition root (shared/wiring.ts):
 * settings, the object store (signed result URLs) and STS (upload keys). Tests hand in fakes.
 */
export interface MediaPorts {
  readonly settings: Config;
  readonly tasks: TaskSettings;
  readonly store: ObjectStore;
  readonly sts: FederationTokenIssuer;
}
