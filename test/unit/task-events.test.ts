import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { TaskEventRow } from '../../shared/db/repositories/task-events';
import { eventsFromColumn } from '../../shared/db/repositories/task-events';
import { newWebhookSecret, signWebhook } from '../../shared/tasks/client-webhooks';
import { taskEventKinds, taskEventView, taskProgress, taskTrailView } from '../../shared/tasks/events';

const at = new Date('2026-11-29T12:00:00.123Z');
const event = (kind: string, data: Record<string, unknown> | null = null): TaskEventRow => ({ kind, data, created_at: at });

describe('the event trail as users see it', () => {
  it.each(taskEventKinds)('gives %s a Chinese message and a level', (kind) => {
    // Act
    const view = taskEventView(event(kind, kind === 'failed' ? { code: 3002 } : null));

    // Assert
    expect(view.message).toMatch(/[\u4e00-\u9fff]/);
    expect(['info', 'warn', 'error']).toContain(view.level);
    expect(view.createdAt).toBe('2026-11-29T12:00:00.123Z');
  });

  it('names the failure code and the contract’s reason, and counts frames', () => {
    expect(taskEventView(event('failed', { code: 3002 }))).toMatchObject({ level: 'error', message: '任务失败(3002):生成超时,已返还配额', data: { code: 3002 } });
    expect(taskEventView(event('frames_copied', { copied: 7, total: 12 })).message).toBe('已保存第 7/12 张图片');
    expect(taskEventView(event('moderation', { result: 'reject' }))).toMatchObject({ level: 'warn', message: '内容审核未通过' });
  });

  it('moves progress forward with the furthest event, below 100 until the task ends', () => {
    // Arrange
    const started = [event('created'), event('quota_held'), event('input_checked'), event('moderation', { result: 'pass' }), event('vendor_submitted')];
    const copying = [...started, event('vendor_queued'), event('vendor_running'), ...Array.from({ length: 12 }, (_, index) => event('frames_copied', { copied: index + 1, total: 12 }))];

    // Act
    const progress = [taskProgress('processing', []), taskProgress('processing', started), taskProgress('processing', copying.slice(0, 7)), taskProgress('processing', copying.slice(0, 13)), taskProgress('processing', copying)];

    // Assert
    expect(progress).toEqual([0, 30, 40, 89, 98]);
    expect(taskProgress('done', started)).toBe(100);
    expect(taskProgress('failed', [])).toBe(100);
  });

  it('gives logs without data, in the order given', () => {
    const { logs } = taskTrailView('processing', [event('created'), event('frames_copied', { copied: 1, total: 12 })]);
    expect(logs).toEqual([
      { kind: 'created', level: 'info', message: '任务已创建', createdAt: at.toISOString() },
      { kind: 'frames_copied', level: 'info', message: '已保存第 1/12 张图片', createdAt: at.toISOString() },
    ]);
  });

  it('reads the aggregated events column (MariaDB text or MySQL parsed) in id order', () => {
    const column = '[{"id": 12, "kind": "done", "data": null, "at": "2026-11-29T12:00:01.500000"},{"id": 3, "kind": "created", "data": {"a": 1}, "at": "2026-11-29T12:00:00.123000"}]';
    expect(eventsFromColumn(column)).toEqual([
      { kind: 'created', data: { a: 1 }, created_at: new Date('2026-11-29T12:00:00.123Z') },
      { kind: 'done', data: null, created_at: new Date('2026-11-29T12:00:01.500Z') },
    ]);
    expect(eventsFromColumn(JSON.parse(column))).toHaveLength(2);
    expect(eventsFromColumn(null)).toEqual([]);
  });
});

describe('webhook signing', () => {
  it('makes whsec_ secrets of 24 random bytes, different each time', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(a).not.toBe(b);
  });

  it('signs what the standardwebhooks package verifies', () => {
    // Arrange
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"id":"task_abcdefgh","status":"done"}';

    // Act
    const signature = signWebhook(secret, 'msg_task_abcdefgh', timestamp, body);

    // Assert
    expect(new Webhook(secret).verify(body, { 'webhook-id': 'msg_task_abcdefgh', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature })).toEqual({ id: 'task_abcdefgh', status: 'done' });
    expect(() => new Webhook(newWebhookSecret()).verify(body, { 'webhook-id': 'msg_task_abcdefgh', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature })).toThrow();
  });
});
