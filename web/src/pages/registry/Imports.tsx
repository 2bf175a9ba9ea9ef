// Bulk import of persons, houses, organisations and facilities: pick the kind, download the template,
// upload CSV or XLSX, choose all-or-nothing or valid rows; the job is polled for progress; the result
// links the error report (row, column, masked value, reason). Recent imports below.
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Progress, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { fmtTime } from './shared.tsx';
import { errorText } from '../../lib/forms.ts';

const IMPORT_KINDS = ['persons', 'houses', 'organisations', 'facilities'];

export interface ImportJob {
  id: number; kind: string; mode: string; status: string; fileName: string | null; total: number | null; processed: number;
  valid: number; rejected: number; written: number; error: string | null; errorReport: string | null; createdAt?: string;
  rejectedFile?: { xlsx: string; csv: string; allRows?: boolean } | null; warningCount?: number;
  warnings?: Array<{ row: number; column: string; value: string; reason: string }>;
}

/** A report link in the reader's language. */
const inLang = (href: string, locale: string) => `${href}?lang=${locale === 'en' ? 'en' : 'zh'}`;

const statusColor: Record<string, string> = { succeeded: 'green', partial: 'orange', failed: 'red', running: 'blue', queued: 'default' };

function JobResult({ job }: { job: ImportJob }) {
  const { t, tk, locale } = useI18n();
  const done = job.status !== 'running' && job.status !== 'queued';
  const percent = job.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : undefined;
  return (
    <Card size="small" title={t('rg.imp.result')} data-testid="import-result" data-status={job.status} style={{ marginTop: 16 }}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag color={statusColor[job.status]}>{tk('rg.imp.st.', job.status)}</Tag>
          <span>{job.fileName}</span>
          <span>{tk('rg.imp.md.', job.mode)}</span>
        </Space>
        {!done && (
          <div role="status" aria-live="polite">
            <Progress percent={percent ?? 0} status="active" aria-label={t('rg.imp.status')} />
            {job.total ? t('rg.imp.progress', { processed: job.processed, total: job.total }) : t('rg.imp.progressUnknown', { processed: job.processed })}
          </div>
        )}
        {done && (
          <div role="status" aria-live="polite">
            <Typography.Paragraph style={{ marginBottom: 4 }}>
              {t('rg.imp.summary', { total: job.processed, valid: job.valid, rejected: job.rejected, written: job.written })}
            </Typography.Paragraph>
            {job.status === 'failed' && <Alert type="error" showIcon
              title={job.rejected > 0 && job.valid > 0 ? t(job.rejectedFile?.allRows ? 'rw.imp.nothingWrittenAll' : 'rw.imp.nothingWritten') : job.rejected > 0 ? t('rw.imp.allRefused') : job.processed === 0 ? t('rw.imp.noRows') : t('rw.imp.stopped')} />}
            {job.status === 'partial' && <Alert type="warning" showIcon title={t('rw.imp.partial')} />}
          </div>
        )}
        {done && (job.errorReport || job.rejectedFile) && (
          <Space wrap>
            {job.rejectedFile && <Button href={inLang(job.rejectedFile.xlsx, locale)} download data-testid="rejected-xlsx" icon={<DownloadOutlined />} type="primary" danger>
              {t(job.rejectedFile.allRows ? 'rw.imp.allRowsXlsx' : 'rw.imp.rejectedXlsx')}
            </Button>}
            {job.rejectedFile && <Button href={inLang(job.rejectedFile.csv, locale)} download data-testid="rejected-csv" icon={<DownloadOutlined />}>
              {t(job.rejectedFile.allRows ? 'rw.imp.allRowsCsv' : 'rw.imp.rejectedCsv')}
            </Button>}
            {job.errorReport && <Button href={inLang(job.errorReport, locale)} download data-testid="error-report" icon={<DownloadOutlined />} danger>
              {t('rg.imp.errorReport')}
            </Button>}
          </Space>
        )}
        {done && job.rejectedFile && <Typography.Text type="secondary">{t(job.rejectedFile.allRows ? 'rw.imp.correctAllHint' : 'rw.imp.correctHint')}</Typography.Text>}
        {done && (job.warningCount ?? 0) > 0 && (
          <Table size="small" rowKey={(w) => `${w.row}-${w.column}`} pagination={false} dataSource={job.warnings ?? []} data-testid="import-warnings"
            title={() => t(job.written > 0 ? 'rw.imp.warnings' : 'rw.imp.warningsNotWritten', { n: job.warningCount ?? 0 })}
            aria-label={t(job.written > 0 ? 'rw.imp.warnings' : 'rw.imp.warningsNotWritten', { n: job.warningCount ?? 0 })}
            columns={[
              { title: t('rw.imp.row'), dataIndex: 'row', width: 70 },
              { title: t('rw.imp.column'), dataIndex: 'column' },
              { title: t('rw.imp.value'), dataIndex: 'value' },
              { title: t('rw.imp.reason'), dataIndex: 'reason' },
            ]} />
        )}
      </Space>
    </Card>
  );
}

export default function Imports() {
  const { t, tk, locale } = useI18n();
  const [sp] = useSearchParams();
  const [kind, setKind] = useState(IMPORT_KINDS.includes(sp.get('kind') ?? '') ? sp.get('kind')! : 'persons');
  const [mode, setMode] = useState<'all_or_nothing' | 'valid_rows'>('all_or_nothing');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const history = useApi<{ items: ImportJob[] }>(inLang('/api/v1/imports', locale));
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<number | null>(null);

  useEffect(() => () => { if (timer.current) window.clearTimeout(timer.current); }, []);
  const poll = (id: number) => {
    timer.current = window.setTimeout(async () => {
      try {
        const j = await api<ImportJob>(inLang(`/api/v1/imports/${id}`, locale));
        setJob(j);
        if (j.status === 'running' || j.status === 'queued') poll(id);
        else history.reload();
      } catch (e) { setError(errorText(e)); }
    }, 700);
  };
  const start = async () => {
    if (!file) { setFileError(t('rg.imp.noFile')); return; }
    setBusy(true); setError(null); setJob(null);
    try {
      const fd = new FormData();
      fd.append('file', file, file.name);
      const j = await api<ImportJob>(withQuery('/api/v1/imports', { kind, mode }), { method: 'POST', body: fd, headers: { 'accept-language': locale === 'en' ? 'en' : 'zh-CN' } });
      setJob(j);
      if (j.status === 'running' || j.status === 'queued') poll(j.id); else history.reload();
    } catch (e) {
      setError(errorText(e));
    } finally { setBusy(false); }
  };
  return (
    <div>
      <PageTitle>{t('nav.imports')}</PageTitle>
      <Card size="small" style={{ maxWidth: 820 }}>
        <Form layout="vertical" name="import" onFinish={start}>
          <Form.Item label={t('rg.imp.kind')} htmlFor="imp-kind">
            <Space wrap>
              <Select id="imp-kind" value={kind} onChange={setKind} style={{ width: 180 }}
                options={IMPORT_KINDS.map((k) => ({ value: k, label: t(`rg.kind.${k}` as MessageKey) }))} />
              <Button href={`/api/v1/registry/templates/${kind}.xlsx`} download data-testid="template-link" icon={<DownloadOutlined />}>
                {t('rw.imp.templateXlsx')}
              </Button>
              <Button href={`/api/v1/registry/templates/${kind}.csv`} download data-testid="template-csv-link" type="link">
                {t('rw.imp.templateCsv')}
              </Button>
            </Space>
            <div style={{ color: '#666', marginTop: 4 }}>{t('rw.imp.templateHint')}</div>
          </Form.Item>
          <Form.Item label={t('rg.imp.file')} htmlFor="imp-file" validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
            <Space wrap>
              <input id="imp-file" ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                className="gz-file-input" data-testid="import-file"
                onChange={(e) => { setFile(e.target.files?.[0] ?? null); setFileError(null); }} />
            </Space>
          </Form.Item>
          <Form.Item label={t('rg.imp.mode')}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} aria-label={t('rg.imp.mode')}>
              <Space direction="vertical">
                <Radio value="all_or_nothing">{t('rg.imp.allOrNothing')}</Radio>
                <Radio value="valid_rows">{t('rg.imp.validRows')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<UploadOutlined />} loading={busy}>{t('rg.imp.start')}</Button>
        </Form>
        {busy && <div role="status" aria-live="polite" style={{ marginTop: 12 }}><Progress percent={100} status="active" showInfo={false} aria-label={t('rg.imp.uploading')} />{t('rg.imp.uploading')}</div>}
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} />}
        {job && <JobResult job={job} />}
      </Card>
      <Typography.Title level={4} style={{ marginTop: 24 }}>{t('rg.imp.history')}</Typography.Title>
      <ErrorNote error={history.error} />
      <Table<ImportJob> rowKey="id" size="small" loading={history.loading} dataSource={history.data?.items ?? []} pagination={false}
        aria-label={t('rg.imp.history')} scroll={{ x: 800 }}
        columns={[
          { title: t('rg.audit.at'), dataIndex: 'createdAt', render: (v) => fmtTime(v, locale) },
          { title: t('rg.imp.kind'), dataIndex: 'kind', render: (v) => tk('rg.kind.', v) },
          { title: t('rg.imp.fileName'), dataIndex: 'fileName' },
          { title: t('rg.imp.status'), dataIndex: 'status', render: (v) => <Tag color={statusColor[v]}>{tk('rg.imp.st.', v)}</Tag> },
          { title: t('rg.imp.rows'), dataIndex: 'processed' },
          { title: t('rg.imp.rejected'), dataIndex: 'rejected' },
          { title: t('rg.imp.written'), dataIndex: 'written' },
          { title: t('rg.imp.errorReport'), key: 'r', render: (_, j) => <Space>
            {j.rejectedFile && <a href={inLang(j.rejectedFile.xlsx, locale)} download>{t(j.rejectedFile.allRows ? 'rw.imp.allRowsXlsx' : 'rw.imp.rejectedXlsx')}</a>}
            {j.errorReport && <a href={inLang(j.errorReport, locale)} download>{t('rg.imp.errorReport')}</a>}
          </Space> },
        ]} />
    </div>
  );
}
