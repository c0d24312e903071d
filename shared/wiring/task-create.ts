import type { CreatePorts } from '../tasks/ports';
import { cloudInfinite } from '../vendors/ci';
import { cosOptions, extendPorts, taskPorts } from './ports';

/** POST /task/create's ports: the task ports plus Cloud Infinite (whose COS SDK only this bundle carries). */
export const createPorts: CreatePorts = extendPorts(taskPorts, { ci: () => cloudInfinite(cosOptions()) });
