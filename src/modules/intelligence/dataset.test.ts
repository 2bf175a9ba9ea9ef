import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabelledCsv, readLabelledCsv } from './dataset.ts';

describe('parseLabelledCsv', () => {
  it('reads pre-segmented text_seg rows as tokens', () => {
    const csv = 'text_seg,label,extra\n"路灯 坏 一个月","城乡建设",x\n"公交 班次 太少",交通运输,y\n';
    expect(parseLabelledCsv(csv)).toEqual([
      { tokens: ['路灯', '坏', '一个月'], label: '城乡建设' },
      { tokens: ['公交', '班次', '太少'], label: '交通运输' },
    ]);
  });

  it('joins title and detail of raw rows and ignores other columns', () => {
    const csv = '\uFEFFid,title,detail,time,label\n1,"路灯坏了","小区路灯坏了一个月，晚上很黑。",2020/1/1 8:00:00,城乡建设\n2,标题,,2020-01-02,\n';
    expect(parseLabelledCsv(csv)).toEqual([{ text: '路灯坏了\n小区路灯坏了一个月，晚上很黑。', label: '城乡建设' }]);
  });

  it('names the missing columns', () => {
    expect(() => parseLabelledCsv('title,detail\n标题,内容\n', 'a.csv')).toThrow(/a\.csv: missing column "label"/);
    expect(() => parseLabelledCsv('title,label\n标题,城乡建设\n')).toThrow(/"text_seg".*"title" and "detail"/);
    expect(() => parseLabelledCsv('text,label\n')).toThrow(/columns found: text, label/);
  });

  it('reads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongzhi-dataset-'));
    const path = join(dir, 'm.csv');
    writeFileSync(path, 'text_seg,label\n"噪音 扰民",环境保护\n');
    expect(await readLabelledCsv(path)).toEqual([{ tokens: ['噪音', '扰民'], label: '环境保护' }]);
  });
});
