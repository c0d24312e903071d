import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';

/** The envelope's Chinese message, or ours for failures that never reached the API. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && /[\u4e00-\u9fff]/.test(error.message)) return error.message;
  return '操作失败,请稍后重试';
}

export function ErrorBox({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Card({ title, children }: { title?: string; children: ComponentChildren }) {
  return (
    <section class="card">
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const formatTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

export const typeName = (type: string): string => ({ basic_clean: '基础精修', model_pose12: 'AI 模特 12 姿势' })[type] ?? type;

export const statusName = (status: string): string =>
  ({ processing: '处理中', done: '已完成', failed: '失败', cancelled: '已取消', canceled: '已取消' })[status] ?? status;
