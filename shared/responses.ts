import * as z from 'zod/mini';

/**
 * Response shapes for the OpenAPI document (infra/openapi/) and the tests' conformance check
 * (test/helpers/conformance.ts). Function code never imports a `responses.ts` file
 * (.dependency-cruiser.cjs `no-responses-in-functions`), so none of this is in a bundle's cold start.
 */

/** Timestamps leave the API as `Date.toISOString()`: UTC with milliseconds and a `Z`. */
export const isoDateTime = z.iso.datetime();

/** One field a request got wrong: `body`, `query`, `path` or the field's dotted path. */
export const fieldIssue = z.object({ field: z.string(), message: z.string() });

/** The contract's error envelope (shared/http/respond.ts errorResponse), with the request id and, for 1000, the fields. */
export const errorEnvelope = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.int(),
    /** The user-facing Chinese message (README "Errors"). */
    message: z.string(),
    /** Also in the `x-request-id` header and the function's log lines. */
    requestId: z.string(),
    details: z.optional(z.array(fieldIssue)),
  }),
});

/** The contract's success envelope around one route's `data` (shared/http/respond.ts toHttpResponse). */
export const successEnvelope = <T extends z.ZodMiniType>(data: T) => z.object({ success: z.literal(true), data, message: z.optional(z.string()) });
