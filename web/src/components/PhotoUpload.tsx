// Photo upload for reports and replies: takes a picture on phones (capture), uploads each file at once
// and hands the attachment ids (or portal {id, token}) to the form.
import { useState } from 'react';
import { Button, Image, Space, Typography, App } from 'antd';
import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { upload } from '../api/client.ts';
import { isNetworkError } from '../lib/offline.ts';

/** An uploaded photo; `file` without a positive id: taken offline, kept on the phone until the form is sent. */
export interface Uploaded { id: number; token?: string; url: string; name: string; file?: File; /** the picture itself, kept so a draft can hold it (lib/offline.ts) */ local?: Blob }

export function PhotoUpload({ id, value = [], onChange, endpoint = '/api/v1/attachments', max = 6, offlineOk = false }: {
  id?: string; value?: Uploaded[]; onChange?(v: Uploaded[]): void; endpoint?: string; max?: number;
  /** keep photos taken offline on the phone (forms that send through the outbox, lib/offline.ts) */
  offlineOk?: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const onFiles = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    const added: Uploaded[] = [];
    let kept = false;
    try {
      for (const f of Array.from(files).slice(0, max - value.length)) {
        if (f.size > 10 * 1024 * 1024) { message.error(t('upload.tooLarge', { name: f.name })); continue; }
        // offline: the photo stays on the phone and goes with the form when the connection is back
        const keep = () => { added.push({ id: -(Date.now() + added.length), url: URL.createObjectURL(f), name: f.name, file: f }); kept = true; };
        if (offlineOk && !navigator.onLine) { keep(); continue; }
        try {
          const r = await upload<{ id: number; token?: string }>(endpoint, f);
          added.push({ id: r.id, token: r.token, url: URL.createObjectURL(f), name: f.name, local: f });
        } catch (e) {
          if (offlineOk && isNetworkError(e)) keep(); else throw e;
        }
      }
      if (kept) message.info(t('fw.photoKept'));
    } catch (e: any) {
      message.error(isNetworkError(e) ? t('fw.networkDown') : t('upload.failed', { reason: e?.message ?? '' }));
    } finally {
      setBusy(false);
      if (added.length) onChange?.([...value, ...added]);
    }
  };
  return (
    <div>
      <Space wrap>
        {value.map((u) => (
          <div key={u.id} style={{ position: 'relative' }}>
            <Image src={u.url} width={84} height={84} style={{ objectFit: 'cover', borderRadius: 6 }} alt={u.name} />
            <Button size="small" shape="circle" danger icon={<DeleteOutlined />} aria-label={t('upload.remove', { name: u.name })} className="gz-photo-remove"
              style={{ position: 'absolute', top: -8, right: -8 }} onClick={() => onChange?.(value.filter((x) => x.id !== u.id))} />
          </div>
        ))}
      </Space>
      {value.length < max && (
        <label className="gz-upload-button">
          <input id={id} type="file" accept="image/jpeg,image/png,image/webp" capture="environment" multiple
            onChange={(e) => { void onFiles(e.target.files); e.target.value = ''; }} disabled={busy} data-testid="photo-input" />
          <span className="ant-btn ant-btn-default gz-upload-face" aria-hidden><CameraOutlined /> {busy ? t('upload.uploading') : t('upload.addPhoto')}</span>
        </label>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 6, marginBottom: 0, fontSize: 12 }}>{t('upload.hint')}</Typography.Paragraph>
    </div>
  );
}
