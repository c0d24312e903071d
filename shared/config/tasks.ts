/** Settings of the tasks area (see shared/config/define.ts for how to declare one). */
export const tasksSettings = {};
