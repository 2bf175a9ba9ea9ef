// Meetings (DESIGN §3, platform): agenda, attendance, minutes and decisions that become cases through the
// case engine. Built once for every module that holds meetings: 联席会议 (mediation: petitions), 周研判
// (risk), 议事 (participation). A module registers a *kind* ("module.kind") with who may read and hold
// meetings of that kind and how a decision becomes a case (the module calls the case engine's intake);
// the platform stores the meetings and serves them, scoped by region like every governed row.
// See docs/meetings.md.
import type { Actor } from '../auth/actor.ts';
import type { AppContext } from '../context.ts';
import type { Queryable } from '../db/index.ts';
import { AppError, notFound, roleZh, unprocessable } from '../errors.ts';
import { appendEvent } from '../events/index.ts';
import { regionLevels, regionScope } from '../scope.ts';
import { renderTemplate, type DocumentTemplate } from '../documents/index.ts';
import { runOnce } from '../http/idempotency.ts';

export type Label = { zh: string; en: string };

/** What a decision asks of the case engine: a case of this type, in this region (urgency: the kind's default when absent). */
export interface DecisionCase { type: string; categoryCode: string; title: string; description: string; regionCode: string; urgency?: 'normal' | 'urgent' | 'emergency' }

export interface MeetingKind {
  /** "module.kind", e.g. "mediation.joint_meeting". */
  kind: string;
  label: Label;
  /** Whether the actor's role may read meetings of this kind (the territory is checked here). */
  mayRead(actor: Actor): boolean;
  /** Whether the actor's role may convene meetings of this kind, take attendance, write minutes and decide. */
  mayHold(actor: Actor): boolean;
  /** Turns a decision into a case through the case engine (intake as the actor); absent: decisions stay text. */
  toCase?(actor: Actor, c: DecisionCase): Promise<{ caseId: number; caseNo: string }>;
}

export interface MeetingInput {
  kind: string; title: string; scheduledAt: string; regionCode: string; place?: string; onlineLink?: string;
  agenda: Array<{ title: string; note?: string; caseId?: number }>;
  attendees: Array<{ name: string; organisation?: string; userId?: number; unitId?: string }>;
}

export interface DecisionInput { text: string; responsibleUnitId?: string; dueOn?: string; case?: Omit<DecisionCase, 'regionCode'> & { regionCode?: string } }

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
/** An instant as China time, YYYY-MM-DD HH:mm. */
const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const day = (d: unknown) => (d ? (d instanceof Date ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) : String(d).slice(0, 10)) : null);

export class Meetings {
  private kinds = new Map<string, MeetingKind>();

  constructor(private readonly ctx: AppContext) {}

  register(kind: MeetingKind): void {
    if (!/^[a-z]+\.[a-z_]+$/.test(kind.kind)) throw new Error(`A meeting kind is named "module.kind": ${kind.kind}`);
    this.kinds.set(kind.kind, kind);
  }

  /** The kinds the actor may read. */
  kindsFor(actor: Actor): Array<{ kind: string; label: Label; mayHold: boolean }> {
    return [...this.kinds.values()].filter((k) => k.mayRead(actor)).map((k) => ({ kind: k.kind, label: k.label, mayHold: k.mayHold(actor) }));
  }

  private kindOf(name: string): MeetingKind {
    const k = this.kinds.get(name);
    if (!k) throw unprocessable('unknown_meeting_kind', { zh: `“${name.slice(0, 40)}”不是本平台的会议类型。`, en: `"${name.slice(0, 40)}" is not a kind of meeting of this platform.` });
    return k;
  }

  private assertHold(actor: Actor, k: MeetingKind): void {
    if (!k.mayHold(actor)) throw new AppError(403, 'forbidden', { zh: `当前角色（${roleZh(actor.role)}）无权召开${k.label.zh}。`, en: `Your role (${actor.role}) may not hold ${k.label.en} meetings.` });
  }

  /**
   * Convenes a meeting once per (user, Idempotency-Key): a double click on 保存, or a retry while the first
   * is still running, gets the first meeting instead of a second identical one (without a key: create).
   */
  async createOnce(actor: Actor, input: MeetingInput, key: string | undefined): Promise<{ id: number; replayed: boolean }> {
    const r = await runOnce(this.ctx.db, actor.id, key, 'POST /api/v1/meetings', input, () => this.create(actor, input));
    return { id: Number(r.value), replayed: r.replayed };
  }

  async create(actor: Actor, input: MeetingInput): Promise<number> {
    const k = this.kindOf(input.kind);
    this.assertHold(actor, k);
    if (!regionScope(actor).has(input.regionCode)) throw unprocessable('outside_scope', { zh: `会议只能为您辖区内的区域召开。`, en: 'A meeting is held for a region in your territory.' });
    const [r] = await this.ctx.db.query<{ code: string }>('SELECT code FROM region WHERE code = $1', [input.regionCode]);
    if (!r) throw unprocessable('unknown_region', { zh: `区划 ${input.regionCode} 不存在。`, en: `Region ${input.regionCode} does not exist.` });
    const district = regionLevels(input.regionCode).district;
    return this.ctx.db.transaction(async (tx) => {
      const [m] = await tx.query<{ id: number }>(
        `INSERT INTO meeting (district_code, region_code, kind, title, scheduled_at, place, online_link, convened_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
        [district, input.regionCode, input.kind, input.title, input.scheduledAt, input.place ?? null, input.onlineLink ?? null, actor.id, this.ctx.now()]);
      const id = Number(m.id);
      for (const [i, a] of input.agenda.entries()) {
        await tx.query('INSERT INTO meeting_agenda_item (district_code, meeting_id, seq, title, note, case_id) VALUES ($1, $2, $3, $4, $5, $6)',
          [district, id, i + 1, a.title, a.note ?? null, a.caseId ?? null]);
      }
      await this.insertAttendees(tx, district, id, input.attendees);
      await this.event(tx, 'meeting.scheduled', input.regionCode, id, input.kind);
      return id;
    });
  }

  private async insertAttendees(tx: Queryable, district: string, id: number, attendees: MeetingInput['attendees']): Promise<void> {
    const units = attendees.map((a) => a.unitId).filter((u): u is string => !!u);
    if (units.length) {
      const found = await tx.query<{ id: string }>('SELECT id FROM unit WHERE id = ANY($1::text[])', [units]);
      if (found.length !== new Set(units).size) throw unprocessable('unknown_unit', { zh: `参会人员所属单位不存在。`, en: 'An attendee\'s unit does not exist.' });
    }
    const users = attendees.map((a) => a.userId).filter((u): u is number => u != null);
    if (users.length) {
      const found = await tx.query<{ id: number }>('SELECT id FROM app_user WHERE id = ANY($1::bigint[])', [users]);
      if (found.length !== new Set(users).size) throw unprocessable('unknown_user', { zh: `参会人员的账号不存在。`, en: 'An attendee\'s account does not exist.' });
    }
    for (const a of attendees) {
      await tx.query('INSERT INTO meeting_attendee (district_code, meeting_id, name, organisation, user_id, unit_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [district, id, a.name, a.organisation ?? null, a.userId ?? null, a.unitId ?? null]);
    }
  }

  private async event(tx: Queryable, topic: string, regionCode: string, id: number, kind: string): Promise<void> {
    await appendEvent(tx, { topic, regionCode, unitIds: [], userIds: [], payload: { meetingId: id, kind } });
  }

  /** The meeting row when the actor may read it (404 otherwise, as if it did not exist). */
  private async load(q: Queryable, actor: Actor, id: number, lock = false): Promise<any> {
    const [m] = await q.query<any>(`SELECT * FROM meeting WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    const k = m && this.kinds.get(m.kind);
    if (!m || !k || !k.mayRead(actor) || !regionScope(actor).has(m.region_code)) throw notFound({ zh: `会议 ${id}`, en: `Meeting ${id}` });
    return m;
  }

  async get(actor: Actor, id: number) {
    const m = await this.load(this.ctx.db, actor, id);
    const [agenda, attendees, decisions] = await Promise.all([
      this.ctx.db.query<any>('SELECT * FROM meeting_agenda_item WHERE meeting_id = $1 ORDER BY seq', [id]),
      this.ctx.db.query<any>('SELECT * FROM meeting_attendee WHERE meeting_id = $1 ORDER BY id', [id]),
      this.ctx.db.query<any>('SELECT * FROM meeting_decision WHERE meeting_id = $1 ORDER BY seq', [id]),
    ]);
    const k = this.kinds.get(m.kind)!;
    return {
      id: Number(m.id), kind: m.kind, kindLabel: k.label, title: m.title, regionCode: m.region_code, scheduledAt: iso(m.scheduled_at),
      place: m.place, onlineLink: m.online_link, status: m.status, minutes: m.minutes, heldAt: iso(m.held_at), mayHold: k.mayHold(actor),
      /** whether its scheduled time has come: the minutes are recorded from then on */
      started: this.ctx.now() >= new Date(m.scheduled_at),
      agenda: agenda.map((a) => ({ seq: a.seq, title: a.title, note: a.note, caseId: a.case_id == null ? null : Number(a.case_id) })),
      attendees: attendees.map((a) => ({ id: Number(a.id), name: a.name, organisation: a.organisation, userId: a.user_id == null ? null : Number(a.user_id), unitId: a.unit_id, present: a.present })),
      decisions: decisions.map((d) => ({
        seq: d.seq, text: d.text, responsibleUnitId: d.responsible_unit_id, dueOn: day(d.due_on),
        caseId: d.case_id == null ? null : Number(d.case_id), caseNo: d.case_no, decidedAt: iso(d.decided_at),
      })),
    };
  }

  async list(actor: Actor, q: { kind?: string; page: number; pageSize: number }) {
    const kinds = this.kindsFor(actor).map((k) => k.kind).filter((k) => !q.kind || k === q.kind);
    if (!kinds.length) return { items: [], page: q.page, pageSize: q.pageSize };
    const params: unknown[] = [kinds];
    const scope = regionScope(actor).sql('m', params, false);
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    const rows = await this.ctx.db.query<any>(
      `SELECT m.id, m.kind, m.title, m.region_code, m.scheduled_at, m.place, m.status,
         (SELECT count(*)::int FROM meeting_decision d WHERE d.meeting_id = m.id) AS decisions
       FROM meeting m WHERE m.kind = ANY($1::text[]) AND ${scope}
       ORDER BY m.scheduled_at DESC, m.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
    return {
      page: q.page, pageSize: q.pageSize,
      items: rows.map((m) => ({
        id: Number(m.id), kind: m.kind, kindLabel: this.kinds.get(m.kind)!.label, title: m.title, regionCode: m.region_code,
        scheduledAt: iso(m.scheduled_at), place: m.place, status: m.status, decisions: m.decisions,
      })),
    };
  }

  /** Takes attendance: present or absent per attendee of the meeting. */
  async attendance(actor: Actor, id: number, marks: Array<{ attendeeId: number; present: boolean }>): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const m = await this.load(tx, actor, id, true);
      this.assertHold(actor, this.kinds.get(m.kind)!);
      if (m.status === 'cancelled') throw new AppError(409, 'meeting_cancelled', { zh: `该会议已取消。`, en: 'The meeting was cancelled.' });
      for (const mark of marks) {
        const r = await tx.query('UPDATE meeting_attendee SET present = $3 WHERE id = $1 AND meeting_id = $2 RETURNING id', [mark.attendeeId, id, mark.present]);
        if (!r.length) throw unprocessable('unknown_attendee', { zh: `参会人员 ${mark.attendeeId} 不在本次会议名单中。`, en: `Attendee ${mark.attendeeId} is not on this meeting's list.` });
      }
    });
  }

  /** Writes the minutes; the meeting is then held. Not before its scheduled time: minutes record a meeting that took place. */
  async minutes(actor: Actor, id: number, text: string): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const m = await this.load(tx, actor, id, true);
      this.assertHold(actor, this.kinds.get(m.kind)!);
      if (m.status === 'cancelled') throw new AppError(409, 'meeting_cancelled', { zh: `该会议已取消。`, en: 'The meeting was cancelled.' });
      const now = this.ctx.now();
      if (now < new Date(m.scheduled_at)) {
        const when = chinaTime(new Date(m.scheduled_at));
        throw new AppError(409, 'meeting_not_started', {
          zh: `会议定于${when}召开，尚未开始；会议开始后方可记录会议纪要。`,
          en: `The meeting is scheduled for ${when} (China time) and has not begun; its minutes can be recorded once it has.`,
        }, { scheduledAt: iso(m.scheduled_at) });
      }
      await tx.query(`UPDATE meeting SET minutes = $2, status = 'held', held_at = coalesce(held_at, $3), updated_at = $3 WHERE id = $1`, [id, text, now]);
      await this.event(tx, 'meeting.minutes', m.region_code, id, m.kind);
    });
  }

  async cancel(actor: Actor, id: number): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const m = await this.load(tx, actor, id, true);
      this.assertHold(actor, this.kinds.get(m.kind)!);
      if (m.status !== 'scheduled') throw new AppError(409, 'meeting_not_scheduled', { zh: `只有尚未召开的会议可以取消。`, en: 'Only a meeting not yet held can be cancelled.' });
      await tx.query(`UPDATE meeting SET status = 'cancelled', updated_at = $2 WHERE id = $1`, [id, this.ctx.now()]);
    });
  }

  /**
   * Records a decision of a held meeting; with `case`, the decision becomes a case through the kind's
   * toCase (the case engine's intake), and the decision keeps its number.
   */
  async decide(actor: Actor, id: number, d: DecisionInput): Promise<{ seq: number; caseId: number | null; caseNo: string | null }> {
    const m = await this.load(this.ctx.db, actor, id);
    const k = this.kinds.get(m.kind)!;
    this.assertHold(actor, k);
    if (m.status !== 'held') throw new AppError(409, 'meeting_not_held', { zh: `会议召开后（会议纪要已填写）才能记录决定事项。`, en: 'Decisions are recorded once the meeting is held (its minutes are written).' });
    if (d.responsibleUnitId) {
      const [u] = await this.ctx.db.query('SELECT 1 FROM unit WHERE id = $1 AND active', [d.responsibleUnitId]);
      if (!u) throw unprocessable('unknown_unit', { zh: `单位 ${d.responsibleUnitId} 不存在。`, en: `Unit ${d.responsibleUnitId} does not exist.` });
    }
    let created: { caseId: number; caseNo: string } | null = null;
    if (d.case) {
      if (!k.toCase) throw unprocessable('decisions_stay_text', { zh: `${k.label.zh}的决定事项不转为案件。`, en: `Decisions of ${k.label.en} meetings do not become cases.` });
      created = await k.toCase(actor, { ...d.case, regionCode: d.case.regionCode ?? m.region_code });
    }
    return this.ctx.db.transaction(async (tx) => {
      await this.load(tx, actor, id, true);
      const [{ next }] = await tx.query<{ next: number }>('SELECT coalesce(max(seq), 0) + 1 AS next FROM meeting_decision WHERE meeting_id = $1', [id]);
      await tx.query(
        `INSERT INTO meeting_decision (district_code, meeting_id, seq, text, responsible_unit_id, due_on, case_id, case_no, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [m.district_code, id, next, d.text, d.responsibleUnitId ?? null, d.dueOn ?? null, created?.caseId ?? null, created?.caseNo ?? null, this.ctx.now()]);
      await this.event(tx, 'meeting.decision', m.region_code, id, m.kind);
      return { seq: Number(next), caseId: created?.caseId ?? null, caseNo: created?.caseNo ?? null };
    });
  }

  /** The minutes as a printable Chinese PDF (the documents piece). */
  async minutesPdf(actor: Actor, id: number): Promise<{ filename: string; pdf: Buffer }> {
    const m = await this.get(actor, id);
    const data = {
      ...m, kindName: m.kindLabel.zh,
      when: new Date(new Date(m.scheduledAt!).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '),
      where: [m.place, m.onlineLink].filter(Boolean).join(' / '),
      present: m.attendees.filter((a) => a.present === true).map((a) => `${a.name}${a.organisation ? `（${a.organisation}）` : ''}`).join('、') || '—',
      absent: m.attendees.filter((a) => a.present === false).map((a) => a.name).join('、') || '无',
      decisionRows: m.decisions.map((d) => ({ ...d, due: d.dueOn ?? '—', caseNo: d.caseNo ?? '—' })),
    };
    return { filename: `meeting-${id}-minutes.pdf`, pdf: await renderTemplate(minutesTemplate, data) };
  }
}

const minutesTemplate: DocumentTemplate = {
  name: 'meetings.minutes',
  title: '{{kindName}}会议纪要',
  number: '{{title}}',
  blocks: [
    { kind: 'fields', columns: 1, rows: [['会议时间', '{{when}}'], ['会议地点', '{{where}}'], ['出席人员', '{{present}}'], ['缺席人员', '{{absent}}']] },
    { kind: 'heading', text: '一、议题' },
    { kind: 'list', each: 'agenda', item: '{{title}}{{note}}', empty: '无' },
    { kind: 'heading', text: '二、会议记录' },
    { kind: 'paragraph', text: '{{minutes}}' },
    { kind: 'heading', text: '三、议定事项' },
    { kind: 'table', columns: [{ label: '序号', width: 1 }, { label: '议定事项', width: 6 }, { label: '完成时限', width: 2 }, { label: '转办案件', width: 3 }], each: 'decisionRows', cells: ['{{seq}}', '{{text}}', '{{due}}', '{{caseNo}}'], empty: '无' },
  ],
};
