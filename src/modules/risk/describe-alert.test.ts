// The case text made of an alert is Chinese throughout: its dates in the one Chinese form, never ISO.
import { describe, expect, it } from 'vitest';
import { describeAlert } from './service.ts';

describe('describeAlert', () => {
  it('prints an overdue follow-up\'s due date in Chinese', () => {
    const { description } = describeAlert({ kind: 'followup_overdue', facts: { labelType: '社区矫正', dueOn: '2026-12-02', daysOverdue: 4 } });
    expect(description).toBe('重点人员（标签社区矫正）跟踪帮扶应于2026年12月2日完成，已超期4天。');
  });

  it('prints when a silent sensor was last heard from in China\'s time', () => {
    const { description } = describeAlert({ kind: 'sensor_offline', facts: { deviceName: '嘉陵路水位计', deviceCode: 'LVL-01', lastAt: '2026-12-06T02:10:00.000Z', minutes: 60 } });
    expect(description).toBe('嘉陵路水位计（LVL-01）自2026年12月6日 10:10起60分钟无数据。');
  });
});
