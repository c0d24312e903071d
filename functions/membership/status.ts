import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { membershipStatus } from '../../shared/payments/status';
import { paymentPorts } from '../../shared/wiring/payments';

/** GET /membership/status — membership, quota and price; settles overdue pending orders on the way. */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-status',
  auth: 'session',
  async run({ caller }) {
    return ok(await membershipStatus(caller, paymentPorts));
  },
});
