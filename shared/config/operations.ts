/** Settings of the operations area (see shared/config/define.ts for how to declare one). */
export const operationsSettings = {};
