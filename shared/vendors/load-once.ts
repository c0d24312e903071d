/**
 * A vendor SDK client built on first use rather than at cold start, then kept for the instance.
 * A failed build (an import or constructor error) is not kept: the next call tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
}
