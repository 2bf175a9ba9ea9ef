// Hiding a resident's wish or 议事 topic: the reason from the API's short list (its author is told, in
// 我的 › 消息) and, for "other", the words. One dialog for both, so the two cannot drift apart.
import { useState } from 'react';
import { Input, Modal, Radio, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

/** Why a wish or topic is hidden (the API's list; its author is told). */
export const HIDE_REASONS = ['off_topic', 'personal_data', 'abusive', 'advertising', 'duplicate', 'other'] as const;
export type HideReason = (typeof HIDE_REASONS)[number];

/**
 * The hide dialog: 隐藏 stays disabled until a reason is chosen (and, for "other", written out), and shows
 * its spinner while the request runs, taking no second click. `onHide` resolves true when it is done.
 */
export function HideDialog({ open, title, help, busy, onCancel, onHide }: {
  open: boolean; title: string; help: MessageKey; busy: boolean; onCancel(): void;
  onHide(body: { action: 'hide'; reason: HideReason; note?: string }): void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState<HideReason | null>(null);
  const [note, setNote] = useState('');
  const ready = !!reason && (reason !== 'other' || !!note.trim());
  const close = () => { setReason(null); setNote(''); onCancel(); };
  return (
    <Modal open={open} destroyOnHidden title={title} okText={t('pt.manage.hide')} onCancel={close} confirmLoading={busy}
      okButtonProps={{ disabled: !ready }} afterClose={() => { setReason(null); setNote(''); }}
      onOk={() => { if (ready && !busy) onHide({ action: 'hide', reason: reason!, ...(note.trim() ? { note: note.trim() } : {}) }); }}>
      <div data-testid="hide-dialog">
        <Typography.Paragraph type="secondary">{t(help)}</Typography.Paragraph>
        <Radio.Group aria-label={t('pt.hide.reason')} value={reason} onChange={(e) => setReason(e.target.value)} style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}
          options={HIDE_REASONS.map((r) => ({ value: r, label: t(`pt.hide.reason.${r}` as MessageKey) }))} />
        <Input.TextArea aria-label={t('pt.hide.note')} placeholder={t(reason === 'other' ? 'pt.hide.noteRequired' : 'pt.hide.note')} rows={3} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
    </Modal>
  );
}
