// The administrator's set-up checklist on a new district's home page (设置清单): each step that init left to do,
// done or not as the database says (GET /api/v1/admin/setup-checklist), with a link to where it is done. Gone
// once every step is done, when dismissed (remembered in this browser), and on the demo city.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, List, Progress, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useApi } from '../../lib/useApi.ts';

type Step = 'regions' | 'units' | 'users' | 'responsibilities' | 'gridOutlines' | 'adminPassword';
interface Checklist { demo: boolean; complete: boolean; steps: Array<{ key: Step; done: boolean; count: number }> }

/** Where each step is done in the console. */
const places: Record<Step, string> = {
  regions: '/grids', units: '/admin/units', users: '/admin/users', responsibilities: '/admin/responsibilities',
  gridOutlines: '/grids', adminPassword: '/account/password',
};

const dismissKey = (userId: number) => `gz.setupChecklist.dismissed.${userId}`;

export function SetupChecklist() {
  const { t } = useI18n();
  const me = useMe();
  const [dismissed, setDismissed] = useState(() => localStorage.getItem(dismissKey(me.id)) === '1');
  const list = useApi<Checklist>(me.role === 'admin' && !me.demo && !dismissed ? '/api/v1/admin/setup-checklist' : null);
  const c = list.data;
  if (!c || c.demo || c.complete || dismissed) return null;
  const done = c.steps.filter((s) => s.done).length;
  const dismiss = () => { localStorage.setItem(dismissKey(me.id), '1'); setDismissed(true); };
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="setup-checklist"
      title={<Space size={12}>{t('setup.title')}<Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>{t('setup.progress', { done, total: c.steps.length })}</Typography.Text></Space>}
      extra={<Button size="small" type="link" onClick={dismiss} data-testid="setup-checklist-dismiss">{t('setup.dismiss')}</Button>}>
      <Progress percent={Math.round((done / c.steps.length) * 100)} showInfo={false} size="small" aria-label={t('setup.progress', { done, total: c.steps.length })} />
      <List size="small" dataSource={c.steps} renderItem={(s) => (
        <List.Item data-testid={`setup-step-${s.key}`} data-done={s.done}
          actions={[<Link key="go" to={places[s.key]}>{t(`setup.go.${s.key}` as MessageKey)}</Link>]}>
          <List.Item.Meta
            avatar={s.done ? <CheckCircleFilled style={{ color: '#2e7d32', fontSize: 18 }} aria-hidden /> : <ClockCircleOutlined style={{ color: '#8c96a3', fontSize: 18 }} aria-hidden />}
            title={<Space size={8} wrap>
              {t(`setup.step.${s.key}` as MessageKey)}
              <Tag color={s.done ? 'success' : 'default'}>{s.done ? t('setup.done') : t('setup.todo')}</Tag>
              {s.done && s.key !== 'adminPassword' && <Typography.Text type="secondary">{t(`setup.count.${s.key}` as MessageKey, { n: s.count })}</Typography.Text>}
            </Space>}
            description={s.done ? null : t(`setup.how.${s.key}` as MessageKey)} />
        </List.Item>
      )} />
    </Card>
  );
}
