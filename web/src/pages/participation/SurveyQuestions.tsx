// A survey's questions as form fields (q<id>): the resident's own answer on the phone and the staff's 电话录入 alike.
import { Checkbox, Form, Input, Radio } from 'antd';
import { useI18n } from '../../i18n/index.tsx';

export interface SurveyQ { id: number; seq: number; kind: 'single' | 'multiple' | 'scale' | 'text'; text: string; options: string[]; scaleMax: number | null; required: boolean }

export function SurveyQuestions({ questions }: { questions: SurveyQ[] }) {
  const { t } = useI18n();
  return (
    <>
      {questions.map((q) => (
        <Form.Item key={q.id} name={`q${q.id}`} label={`${q.seq}. ${q.text}`} rules={q.required ? [{ required: true, message: t('pt.survey.required') }] : []}>
          {q.kind === 'single' ? <Radio.Group options={q.options.map((o, i) => ({ value: i, label: o }))} />
            : q.kind === 'multiple' ? <Checkbox.Group options={q.options.map((o, i) => ({ value: i, label: o }))} />
              : q.kind === 'scale' ? <Radio.Group optionType="button" options={Array.from({ length: q.scaleMax ?? 5 }, (_, i) => ({ value: i + 1, label: String(i + 1) }))} />
                : <Input.TextArea rows={2} maxLength={2000} />}
        </Form.Item>
      ))}
    </>
  );
}
