import { defineFallback } from '../../shared/http/fallback';

/** Catch-all for unknown routes: answers 404 (or 405) in the contract's envelope. */
export const { handler, main_handler } = defineFallback();
