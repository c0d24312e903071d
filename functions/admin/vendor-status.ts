import { vendorStatus } from '../../shared/admin/vendor-status';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { createPorts } from '../../shared/wiring/task-create';

/** GET /admin/vendor-status — RunningHub account status and whether COS and CI answer, each with its latency (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-vendor-status',
  auth: 'admin',
  async run() {
    return ok(await vendorStatus(createPorts));
  },
});
