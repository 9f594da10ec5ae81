"""Who must be reminded of what today: one digest per person (and one for the office).

Each item falls on a lead day before its deadline (``reminders.lead_days``, default 3 and 1
days before) or on the day itself; overdue hazards and hazards due for escalation are listed
every day until they are dealt with.
* hazards: to the owner (责任人) and the guarantors (包保人) from the responsibility matrix;
* general hazards close to the escalation threshold (seed 000): the same people;
* duties not yet met whose period ends within the lead days: the holder;
* reporting nodes (anquan.yaml ``reminders.nodes``): the people named, else the office;
* a campaign's nodes (seed 002 "6月10日前报送…"): to the office, on the lead days before the due day with
  the units that have not submitted yet, and every day after it, while the campaign runs, with the units
  that still have not;
* 挂牌督办 (seed 001 (1)): a major hazard not listed or without its tracker, every day; a listing
  clock of ``settings.listing`` (备案, 公布) on the lead days before it and every day after — to the
  office, the tracker and the owner;
* tip-offs (seed 002 "及时核查处理举报事项", "落实举报奖励"): to the office — a verification from
  ``settings.tipoffs.remind_before`` days and the lead days before its deadline and every day after
  it; the reporter's feedback on the lead days before its day and every day after; a reward approved
  and not paid, each Monday.  Never a reporter: the reminders are built without them;
* task-division deadlines: the office (tasks name units such as 各级党（工）委, not people);
* the 隐患排查治理情况统计分析表 (16号令第十四条 "分别于下一季度15日前和下一年1月31日前…报送书面统计分析表"): to
  the office, every day from the day after the quarter (or year) ends to the day it is due — the time the
  form is made and signed in; after that day it is no longer listed (nothing records that a form went out,
  as with ``reminders.nodes``);
* accidents (条例第九、十、十三条): to the office, every day while an accident is within its 补报
  window, each report its clocks require that is not recorded (unless a 迟报/瞒报 finding is);
  and the end of the 补报 window on the lead days before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from anquan_cli.models import Level, Person
from anquan_cli.models.deadline import DeadlineError, parse_deadline
from anquan_cli.rules import hazards as R
from anquan_cli.rules.campaigns import duties_in_force
from anquan_cli.rules.duties import duty_status
from anquan_cli.rules.lookup import Directory
from anquan_cli.rules.periods import window_of
from anquan_cli.rules.tasks import task_states
from anquan_cli.snapshot import Workspace

__all__ = ["Item", "Digest", "digests"]

KIND_ZH = {"hazard_overdue": "逾期隐患", "hazard_due": "即将到期的隐患", "escalation": "须提级的隐患",
           "acceptance_overdue": "验收逾期的隐患",
           "task_due": "即将到期的重点任务", "duty_due": "本期尚未完成的履职要求", "node_due": "报送节点",
           "statistics_due": "隐患排查治理统计分析表报送", "node_unreadable": "读不懂期限的报送节点",
           "campaign_node_due": "专项行动即将到期的报送",
           "campaign_node_missing": "专项行动逾期未报", "accident_report": "事故报告未见记录",
           "accident_followup": "事故伤亡补报期限", "listing_missing": "未挂牌督办的重大隐患",
           "listing_due": "挂牌督办即将到期的时限", "listing_overdue": "挂牌督办逾期的时限",
           "tipoff_overdue": "逾期未办的举报", "tipoff_due": "即将到期的举报核查和反馈",
           "tipoff_reward": "已批准未发放的举报奖励"}


@dataclass
class Item:
    kind: str
    id: str
    text: str
    due: dt.date | None
    days: int  # days left (negative: overdue)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}:{self.due}:{self.days}"

    def as_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "text": self.text,
                "due": self.due.isoformat() if self.due else None, "days": self.days}


@dataclass
class Digest:
    recipient: Person | None  # None: the office summary
    items: list[Item] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha1("\n".join(sorted(i.key for i in self.items)).encode()).hexdigest()[:16]


def _when(days: int) -> str:
    if days < 0:
        return f"已逾期 {-days} 天"
    return "今天到期" if days == 0 else f"还有 {days} 天"


def _listing_items(h, label: str, settings, today: dt.date, marks: set[int],
                   holidays: dict[dt.date, bool] | None) -> list[Item]:
    """挂牌督办 of an open major hazard (rules/listing.py): not listed yet, every day; a clock of
    ``settings.listing`` not met, on the lead days before it and every day after."""
    from anquan_cli.models.hazard import LISTING_LABELS
    from anquan_cli.rules.listing import clocks

    out = []
    missing = h.listing_missing()
    if missing:
        names = "、".join(LISTING_LABELS[m] for m in missing)
        out.append(Item("listing_missing", h.id, f"{label}：重大隐患挂牌督办尚缺{names}"
                        f"（anquan hazards listing {h.id} …）", h.found, -(today - h.found).days))
    for c in clocks(h, settings, today, holidays)[0]:
        if c.code == "rectify" or c.done is not None:
            continue
        left = (c.due - today).days
        if left < 0:
            out.append(Item("listing_overdue", f"{h.id}/{c.code}", f"{label}：挂牌督办{c.label}应于 {c.due} 前完成，"
                            f"{_when(left)}", c.due, left))
        elif left in marks:
            out.append(Item("listing_due", f"{h.id}/{c.code}", f"{label}：挂牌督办{c.label}应于 {c.due} 前完成，"
                            f"{_when(left)}", c.due, left))
    return out


def _tipoff_items(ws: Workspace, today: dt.date, marks: set[int], directory: Directory) -> list[Item]:
    """The office's items about tip-offs (rules/tipoffs.py), as they stood ``today``."""
    from anquan_cli.rules import tipoffs as T

    s = ws.config.settings.tipoffs
    out = []
    for t in T.as_of(ws.tipoffs, today):
        label = f"{t.id} {t.subject or ''}（{t.unit or t.township or '未写单位'}；{t.handler or '未写承办部门'}）"
        for c in T.clocks(t, s):
            if c.done is not None:
                continue
            what = T.CLOCKS[c.kind]
            if c.kind == "reward":
                if today.weekday() == 0:
                    amount = f"{t.reward.amount:g} 万元，" if t.reward is not None and t.reward.amount else ""
                    out.append(Item("tipoff_reward", t.id, f"{label}：举报奖励 {amount}{c.since} 批准，尚未发放",
                                    None, -(today - c.since).days))
                continue
            assert c.due is not None
            left = (c.due - today).days
            text = f"{label}：{what}期限 {c.due}，{_when(left)}"
            if left < 0:
                out.append(Item("tipoff_overdue", f"{t.id}/{c.kind}", text, c.due, left))
            elif left in marks or (c.kind == "verify" and left == s.remind_before):
                out.append(Item("tipoff_due", f"{t.id}/{c.kind}", text, c.due, left))
    return out


def digests(ws: Workspace, today: dt.date, lead_days: list[int],
            holidays: dict[dt.date, bool] | None = None) -> list[Digest]:
    """Each person's digest and the office's for ``today`` (``holidays``: the workspace's
    corrections of the official calendar, for the listing clocks' working days)."""
    directory = Directory.for_workspace(ws)
    guarantees = R.Guarantees.for_workspace(ws)
    marks = set(lead_days) | {0}
    threshold = ws.config.settings.escalation_days
    personal: dict[str, Digest] = {}
    office = Digest(None)

    def give(name: str | None, item: Item) -> None:
        person = directory.person(name).person if name else None
        if person is None:
            return
        d = personal.setdefault(person.id, Digest(person))
        if all(i.key != item.key for i in d.items):
            d.items.append(item)

    for h in R.known_on(ws, today):
        if h.closed is not None:
            continue
        who = [h.owner, *R.answerable(h, guarantees).guarantors]
        label = f"{h.id} {h.title}（{h.unit}，{h.level.label}）"
        items = []
        if R.rectified_on(h) is not None:
            # rectified: what is due now is the three sign-offs, not the rectification
            if R.acceptance_overdue(h, today, ws.config.settings.acceptance_days):
                done = R.rectified_on(h)
                missing = "、".join(p.label for p in R.missing_parties(h))
                items.append(Item("acceptance_overdue", h.id,
                                  f"{label}：{done} 已整改，尚缺{missing}方验收签字（已 {(today - done).days} 天）",
                                  done, -(today - done).days))
        elif h.deadline is not None:
            left = (h.deadline - today).days
            if left < 0:
                items.append(Item("hazard_overdue", h.id, f"{label}：整改期限 {h.deadline}，{_when(left)}",
                                  h.deadline, left))
            elif left in marks:
                items.append(Item("hazard_due", h.id, f"{label}：整改期限 {h.deadline}，{_when(left)}",
                                  h.deadline, left))
        if h.level is Level.GENERAL and R.rectified_on(h) is None:
            escalate_on = h.found + dt.timedelta(days=threshold + 1)
            left = (escalate_on - today).days
            if left <= 0 or left in lead_days:
                text = (f"{label}：发现已 {(today - h.found).days} 天未整改，超过 {threshold} 天须提级为县政府督办的重大隐患"
                        if left <= 0 else f"{label}：再过 {left} 天（{escalate_on}）仍未整改须提级督办")
                items.append(Item("escalation", h.id, text, escalate_on, left))
        for item in items:
            office.items.append(item)
            for name in who:
                give(name, item)
        if h.level is Level.MAJOR:
            tracker = h.listing.tracker if h.listing is not None else None
            for item in _listing_items(h, label, ws.config.settings.listing, today, marks, holidays):
                office.items.append(item)
                for name in (tracker, h.owner):
                    give(name, item)

    from anquan_cli.rules import accidents as A

    settings = ws.config.settings.accidents
    start_of_day = dt.datetime.combine(today, dt.time.min)
    for a in A.as_of(ws.accidents, today):
        window = A.followup_window(a, directory)
        last = a.day + dt.timedelta(days=window)
        if last < today:
            continue  # past the 补报 window: the ledger is what it is
        label = f"{a.id} {a.title}（{a.unit}）"
        if a.concealment is None:
            for c in A.clocks(a, directory, ws.config.level.value, settings.missing_as_deaths):
                if c.done is None and c.due < start_of_day + dt.timedelta(days=1):
                    due = A.moment_text(c.due)
                    office.items.append(Item("accident_report", f"{a.id}/{c.code}/{c.level}",
                                             f"{label}：未见{c.label}向{'县级' if c.code == 'unit' else '上一级'}"
                                             f"报告的记录（应于 {due} 前报告），核实后用"
                                             f" anquan accidents report 记下", c.due.date(), (c.due.date() - today).days))
        left = (last - today).days
        if left in marks:
            office.items.append(Item("accident_followup", a.id,
                                     f"{label}：伤亡人数变化的补报期限至 {last}（事故发生后 {window} 日），{_when(left)}",
                                     last, left))

    office.items.extend(_tipoff_items(ws, today, marks, directory))

    for s in task_states(ws.tasks, ws.progress, today):
        if s.due is None or s.done:
            continue
        left = (s.due - today).days
        if left in marks:
            office.items.append(Item("task_due", f"{s.task.table}#{s.task.no}",
                                     f"任务 {s.task.no}：{s.task.task[:40]}（未报完成：{'；'.join(s.pending_units)}），{_when(left)}",
                                     s.due, left))

    for period_kind in {d.period for d in ws.duties} | {o.period for d in ws.duties for o in d.overrides}:
        window = window_of(period_kind, today)
        left = (window.end - today).days
        if left not in marks:
            continue
        for r in duty_status(duties_in_force(ws.duties, ws.campaigns), ws.activities, directory, window, today, ws.config.level.value):
            if r.period is not period_kind or r.met:
                continue
            current = next((w for w in r.windows if w.kind == "period" and w.window.contains(today)), None)
            if current is None or current.met:
                continue
            item = Item("duty_due", f"{r.duty.id}/{r.holder.id}",
                        f"{r.duty.action}：{current.window.label}至少 {current.required} 次，已完成 {len(current.done)} 次，"
                        f"{_when(left)}（{current.window.end}）", current.window.end, left)
            give(r.holder.id, item)
            office.items.append(item)

    from anquan_cli.rules.statistics import STATUTE_SHORT, TITLE, code, statistics_due

    for w, due in statistics_due(today):
        left = (due - today).days
        office.items.append(Item("statistics_due", f"statistics:{code(w)}",
                                 f"{w.label}{TITLE}应于 {due} 前报送，须由单位主要负责人签字（{STATUTE_SHORT}），"
                                 f"{_when(left)}；生成：anquan report statistics --period {code(w)} -f xlsx", due, left))

    for node in ws.config.reminders.nodes:
        try:
            due = parse_deadline(node.deadline, node.year or today.year).due
        except DeadlineError as exc:  # never dropped: the office hears every day that it cannot be reminded
            office.items.append(Item("node_unreadable", node.title,
                                     f"{node.title}：期限“{node.deadline}”读不懂，无法按期提醒（{exc}）——"
                                     "请在 anquan.yaml 中改写", today, 0))
            continue
        if due is None or (due - today).days not in marks:
            continue
        left = (due - today).days
        item = Item("node_due", node.title, f"{node.title}：{due} 前报送，{_when(left)}", due, left)
        if not (node.id and node.units):  # one whose units are named: the office hears who is missing (below)
            office.items.append(item)
        for name in node.to:
            give(name, item)

    from anquan_cli.rules import campaigns as C

    waiting = C.by_node(r for r in C.node_units(C.campaigns_of(ws, today), ws.submissions, directory, today)
                        if r.status in ("pending", "missing"))
    for rows in waiting.values():
        c, n = rows[0].campaign, rows[0].node
        left = (n.due - today).days
        units = "、".join(r.unit for r in rows)
        label = f"{c.id} {c.title}：{n.title}"
        if left >= 0 and left in marks:
            office.items.append(Item("campaign_node_due", f"{c.id}:{n.id}",
                                     f"{label}，{n.due} 前报送{('至' + n.to) if n.to else ''}，{_when(left)}；尚未报送：{units}",
                                     n.due, left))
        elif left < 0 and (c.last_day is None or today <= c.last_day):
            office.items.append(Item("campaign_node_missing", f"{c.id}:{n.id}",
                                     f"{label}，期限 {n.due}，{_when(left)}；仍未报送：{units}", n.due, left))

    out = sorted(personal.values(), key=lambda d: d.recipient.id)
    for d in out:
        d.items.sort(key=lambda i: (list(KIND_ZH).index(i.kind), i.days, i.id))
    office.items.sort(key=lambda i: (list(KIND_ZH).index(i.kind), i.days, i.id))
    return [d for d in out if d.items] + ([office] if office.items else [])
