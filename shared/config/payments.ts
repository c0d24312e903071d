/** Settings of the payments area (see shared/config/define.ts for how to declare one). */
export const paymentsSettings = {};
