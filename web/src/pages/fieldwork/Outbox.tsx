// What waits on the phone to be sent (reports and visits saved offline), and what was just sent.
import { Link } from 'react-router-dom';
import { Alert, Button, List, Tag } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { forget, useOnline, useOutbox } from '../../lib/offline.ts';

export function OutboxList() {
  const { t } = useI18n();
  const online = useOnline();
  const items = useOutbox();
  if (!items.length) return null;
  const pending = items.some((i) => i.state === 'pending');
  return (
    <Alert type={pending ? 'info' : 'success'} style={{ marginBottom: 10 }} data-testid="outbox"
      title={!pending ? t('fw.outbox.allSent') : online ? t('fw.outbox.online') : t('fw.outbox.offline')}
      description={(
        <List size="small" dataSource={items} renderItem={(i) => (
          <List.Item data-testid="outbox-item" data-state={i.state}
            actions={i.state === 'pending' ? [] : [<Button key="ok" size="small" onClick={() => void forget(i.key)}>{t('fw.outbox.dismiss')}</Button>]}>
            <span>
              <Tag color={i.state === 'sent' ? 'green' : i.state === 'failed' ? 'red' : 'blue'}>{t(`fw.outbox.${i.state}`)}</Tag>
              {i.title}
              {i.state === 'sent' && i.result?.id && (i.kind === 'report'
                ? <> · <Link to={`/cases/${i.result.id}`} data-testid="outbox-case">{i.result.caseNo ?? t('fw.outbox.openCase')}</Link></>
                : <> · <Link to={`/visits/${i.result.id}`}>{t('fw.visit.open')}</Link></>)}
              {i.state === 'failed' && i.error && <div style={{ color: '#d93025' }}>{i.error}</div>}
            </span>
          </List.Item>
        )} />
      )} />
  );
}
