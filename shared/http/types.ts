/** A platform-neutral HTTP request: what every function sees, on AWS and on Tencent SCF alike. */
export interface HttpRequest {
  readonly platform: 'aws' | 'scf';
  readonly method: string;
  /** Path with the API base path (and any stage prefix) removed, e.g. `/auth/login`. */
  readonly path: string;
  /** Header names lower-cased; repeated headers comma-joined. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** From the platform when it gives them, else matched from the route template. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Raw body bytes (base64 already decoded); payment callbacks verify signatures over these. */
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A timer firing, from an EventBridge schedule or an SCF timer trigger. */
export interface TimerEvent {
  readonly platform: 'aws' | 'scf';
  readonly firedAt: Date;
  readonly trigger: string;
  readonly payload?: string;
  readonly requestId: string;
}
