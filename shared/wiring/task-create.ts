import type { CreatePorts } from '../tasks/ports';
import { cloudInfinite } from '../vendors/ci';
import { cosOptions, once, taskPorts } from './ports';

/** POST /task/create's ports: the task ports plus Cloud Infinite (whose COS SDK only this bundle carries). */
export const createPorts: CreatePorts = {
  get settings() {
    return taskPorts.settings;
  },
  get tasks() {
    return taskPorts.tasks;
  },
  get store() {
    return taskPorts.store;
  },
  get runningHub() {
    return taskPorts.runningHub;
  },
  get ci() {
    return once('ci', () => cloudInfinite(cosOptions()));
  },
};
