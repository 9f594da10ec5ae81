"""``anquan remind`` against a real SMTP server and a local HTTP server standing in for the
DingTalk / WeCom / Feishu robots (both on 127.0.0.1, started and stopped here), and
``anquan calendar export``."""

from __future__ import annotations

import base64
import datetime as dt
import email
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import DEMO, run_cli

# -------------------------------------------------------------------- servers


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content), session.authenticated))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"ajb@example.gov.cn" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # the server sends 235/535 itself

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield controller, handler
    controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def robot_server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
            received.append((self.path, body))
            answer = {"code": 0} if "feishu" in self.path else {"errcode": 0, "errmsg": "ok"}
            if "refuse" in self.path:
                answer = {"errcode": 310000, "errmsg": "sign not match"}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


# -------------------------------------------------------------------- workspace

PEOPLE = """\
- {id: P1, name: 张伟, title: 副县长, email: zhangwei@example.gov.cn, phone: "13900000001"}
- {id: P2, name: 李娜, title: 应急局局长, email: lina@example.gov.cn, phone: "13900000002"}
- {id: P3, name: 王芳, title: 安全总监, email: wangfang@example.gov.cn, phone: "13900000003"}
- {id: P4, name: 曾小芳, title: 安委办, email: zxf@example.gov.cn}
"""
HAZARDS = """\
- {id: H-1, title: 报警器未检定, unit: 宏达化工有限公司, level: 一般, found: 2023-03-01, deadline: 2023-03-10, owner: 王芳}
- {id: H-2, title: 边坡过陡, unit: 石桥石料厂, level: 一般, found: 2023-03-10, deadline: 2023-03-23, owner: 李娜}
- {id: H-3, title: 仓库超量, unit: 宏达化工有限公司, level: 重大, found: 2023-03-15, deadline: 2023-03-21, owner: 王芳,
   measures: m, funds: f, plan: p, supervisor: s}
"""
MATRIX = """\
entries:
  - {id: B-1, kind: 一般事故隐患, guarantor: 张伟}
"""


def config(channels: str, extra: str = "") -> str:
    return f"""\
jurisdiction: 测试县
level: 县
reminders:
  office: [曾小芳]
  lead_days: [3, 1]
{extra}  channels:
{channels}"""


@pytest.fixture
def ws(workspace, monkeypatch):
    def make(channels: str, extra: str = ""):
        root = workspace({"anquan.yaml": config(channels, extra), "org/people.yaml": PEOPLE,
                          "hazards/h.yaml": HAZARDS, "matrix/m.yaml": MATRIX})
        monkeypatch.setenv("ANQUAN_DATA", str(root))
        monkeypatch.setenv("ANQUAN_TODAY", "2023-03-20")
        return root
    return make


def messages(*args):
    res = run_cli("remind", "--format", "json", *args)
    return res, res.json()


# -------------------------------------------------------------------- tests


def test_what_goes_to_whom(ws):
    ws("    - type: stdout\n")
    res, got = messages("--dry-run")
    assert res.code == 0
    by = {m["recipient"]: m for m in got}
    assert set(by) == {"王芳", "李娜", "张伟", "办公室"}
    assert [(i["kind"], i["id"], i["days"]) for i in by["王芳"]["items"]] == [
        ("hazard_overdue", "H-1", -10), ("hazard_due", "H-3", 1), ("escalation", "H-1", -3)]
    assert [(i["kind"], i["id"], i["days"]) for i in by["李娜"]["items"]] == [("hazard_due", "H-2", 3)]
    assert {i["id"] for i in by["张伟"]["items"]} == {"H-1", "H-2"}  # general hazards: the guarantor
    assert by["王芳"]["subject"] == "【安全生产提醒】王芳：3 项（2023-03-20）"
    assert "H-1 报警器未检定（宏达化工有限公司，一般）：整改期限 2023-03-10，已逾期 10 天" in by["王芳"]["body"]
    assert all(m["status"] == "dry-run" for m in got)


def test_email_over_smtp(ws, smtp_server, monkeypatch):
    controller, handler = smtp_server
    ws(f"""    - type: email
      host: 127.0.0.1
      port: {controller.port}
      security: none
      user: ajb@example.gov.cn
      password_env: TEST_SMTP_PASSWORD
      sender: 测试县安委办 <ajb@example.gov.cn>
""")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret")
    res, got = messages()
    assert res.code == 0, got
    assert sorted(m[0][0] for m in handler.messages) == [
        "lina@example.gov.cn", "wangfang@example.gov.cn", "zhangwei@example.gov.cn", "zxf@example.gov.cn"]
    rcpt, msg, authenticated = next(m for m in handler.messages if m[0] == ["wangfang@example.gov.cn"])
    assert authenticated
    assert "=?utf-8?" in msg["Subject"].lower()  # MIME-encoded Chinese
    assert str(make_header(decode_header(msg["Subject"]))) == "【安全生产提醒】王芳：3 项（2023-03-20）"
    assert str(make_header(decode_header(msg["To"]))) == "王芳 <wangfang@example.gov.cn>"
    assert str(make_header(decode_header(msg["From"]))) == "测试县安委办 <ajb@example.gov.cn>"
    body = msg.get_payload(decode=True).decode(msg.get_content_charset())
    assert "H-3 仓库超量" in body and "还有 1 天" in body
    # idempotent: a second run the same day sends nothing new; --force resends
    res, got = messages()
    assert {m["status"] for m in got} == {"skipped"} and len(handler.messages) == 4
    res, got = messages("--force")
    assert len(handler.messages) == 8


def test_wrong_password_is_a_reported_failure(ws, smtp_server, monkeypatch):
    controller, handler = smtp_server
    ws(f"""    - type: email
      host: 127.0.0.1
      port: {controller.port}
      security: none
      user: ajb@example.gov.cn
      password_env: TEST_SMTP_PASSWORD
      sender: ajb@example.gov.cn
    - type: outbox
""")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong")
    res, got = messages()
    assert res.code == 1
    assert {m["status"] for m in got if m["channel"] == "email"} == {"failed"}
    assert {m["status"] for m in got if m["channel"] == "outbox"} == {"sent"}  # the other channel still works
    assert handler.messages == []


def test_dingtalk_signed_markdown_with_mentions(ws, robot_server, monkeypatch):
    base, received = robot_server
    ws(f"""    - type: dingtalk
      url: {base}/robot/send?access_token=abc
      secret_env: TEST_DT_SECRET
""")
    monkeypatch.setenv("TEST_DT_SECRET", "SECabc")
    res, got = messages()
    assert res.code == 0 and len(received) == 4
    path, body = next((p, b) for p, b in received if "王芳" in b["markdown"]["title"])
    query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
    ts = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECabc", f"{ts}\nSECabc".encode(), hashlib.sha256).digest()).decode()
    assert query["sign"][0] == expected and query["access_token"] == ["abc"]
    assert body["msgtype"] == "markdown" and body["at"]["atMobiles"] == ["13900000003"]
    assert body["markdown"]["text"].endswith("@13900000003")
    office = next(b for p, b in received if "办公室" in b["markdown"]["title"])
    assert office["at"]["atMobiles"] == []


def test_feishu_signature_and_wecom_mentions(ws, robot_server, monkeypatch):
    base, received = robot_server
    ws(f"""    - type: feishu
      url: {base}/feishu/hook
      secret_env: TEST_FS_SECRET
    - type: wecom
      url_env: TEST_WECOM_URL
""")
    monkeypatch.setenv("TEST_FS_SECRET", "fs-secret")
    monkeypatch.setenv("TEST_WECOM_URL", f"{base}/cgi-bin/webhook/send?key=k")
    res, _ = messages()
    assert res.code == 0
    feishu = [b for p, b in received if p.startswith("/feishu")]
    wecom = [b for p, b in received if p.startswith("/cgi-bin")]
    assert len(feishu) == len(wecom) == 4
    f = feishu[0]
    key = f"{f['timestamp']}\nfs-secret".encode()
    assert f["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert f["msg_type"] == "text" and "【安全生产提醒】" in f["content"]["text"]
    mentioned = next(b for b in wecom if b["msgtype"] == "text" and "王芳" in b["text"]["content"])
    assert mentioned["text"]["mentioned_mobile_list"] == ["13900000003"]
    assert any(b["msgtype"] == "markdown" for b in wecom)  # the office digest: no one to mention


def test_a_channel_that_is_down_or_refuses(ws, robot_server, monkeypatch):
    base, received = robot_server
    ws(f"""    - type: dingtalk
      name: 停用的群
      url: http://127.0.0.1:{_free_port()}/robot/send
    - type: dingtalk
      name: 拒绝的群
      url: {base}/refuse
    - type: outbox
""")
    res, got = messages()
    assert res.code == 1
    status = {(m["channel"], m["status"]) for m in got}
    assert status == {("停用的群", "failed"), ("拒绝的群", "failed"), ("outbox", "sent")}
    assert any("sign not match" in m["detail"] for m in got if m["channel"] == "拒绝的群")
    text = run_cli("remind", "--force").out
    assert "失败 8。" in text


def test_log_and_corrupt_state(ws):
    root = ws("    - type: outbox\n")
    assert run_cli("remind").code == 0
    log = [json.loads(ln) for ln in (root / ".anquan/remind-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(e["recipient"], e["channel"], e["result"]) for e in log} >= {("王芳", "outbox", "sent")}
    assert all(e["date"] == "2023-03-20" and e["items"] for e in log)
    assert len(list((root / ".anquan/outbox").glob("*.md"))) == 4
    (root / ".anquan/remind-state.json").write_text("{not json", encoding="utf-8")
    res = run_cli("remind")
    assert res.code == 0 and "已损坏" in res.err
    assert (root / ".anquan/remind-state.broken").exists()


@pytest.mark.parametrize("day, sends", [("2023-03-18", False),   # Saturday
                                        ("2023-10-02", False),   # National Day holiday (Monday)
                                        ("2023-10-07", True),    # official make-up working Saturday
                                        ("2023-03-20", True)])
def test_working_days(ws, day, sends):
    ws("    - type: outbox\n", "  workdays_only: true\n")
    res = run_cli("remind", "--today", day, "--dry-run", "--format", "json")
    if sends:
        assert res.code == 0 and res.json()
    else:
        assert res.out.startswith(f"{day} 不是工作日")


def test_holiday_override_and_years_without_data(ws):
    root = ws("    - type: outbox\n", "  workdays_only: true\n")
    (root / "holidays.yaml").write_text("holidays: [2027-01-04]\nworkdays: [2027-01-09]\n", encoding="utf-8")
    res = run_cli("remind", "--today", "2027-01-05", "--dry-run")
    assert "没有 2027 年的法定节假日" in res.err            # weekends only, and said so
    assert run_cli("remind", "--today", "2027-01-04", "--dry-run").out.startswith("2027-01-04 不是工作日")
    assert "不是工作日" not in run_cli("remind", "--today", "2027-01-09", "--dry-run").out
    assert "不是工作日" not in run_cli("remind", "--today", "2027-01-04", "--dry-run", "--ignore-holidays").out


def test_demo_dry_run_matches_an_independent_computation():
    from anquan_cli.workspace import load_workspace

    today = dt.date(2023, 11, 28)
    res = run_cli("remind", "--data", str(DEMO), "--today", "2023-11-28", "--dry-run", "--format", "json",
                  "--channel", "outbox")
    assert res.code == 0
    got = {m["recipient_id"]: m for m in res.json()}
    ws, _ = load_workspace(DEMO)
    overdue = {h.id for h in ws.hazards if h.closed is None and h.deadline and h.deadline < today}
    office = got["office"]
    assert {i["id"] for i in office["items"] if i["kind"] == "hazard_overdue"} == overdue
    due = {h.id for h in ws.hazards if h.closed is None and h.deadline and (h.deadline - today).days in (0, 1, 3)}
    assert {i["id"] for i in office["items"] if i["kind"] == "hazard_due"} == due
    for h in ws.hazards:
        if h.id in overdue:
            owner = next(p for p in ws.people if p.name == h.owner)
            assert h.id in {i["id"] for i in got[owner.id]["items"]}, (h.id, owner.name)


def test_calendar_export(workspace, monkeypatch, tmp_path):
    from icalendar import Calendar

    root = workspace({"anquan.yaml": config("    - type: stdout\n",
                                            "  nodes:\n    - {title: 报送实施方案, deadline: 2023年6月10日前}\n"),
                      "org/people.yaml": PEOPLE, "hazards/h.yaml": HAZARDS})
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    for out in (a, b):
        assert run_cli("calendar", "export", "-o", str(out), "--data", str(root), "--today", "2023-03-20").code == 0
    assert a.read_bytes() == b.read_bytes()
    assert b"\r\n" in a.read_bytes()
    cal = Calendar.from_ical(a.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["报送节点：报送实施方案", "隐患整改期限：H-1 报警器未检定", "隐患整改期限：H-2 边坡过陡",
                         "隐患整改期限：H-3 仓库超量"]
    h1 = next(e for e in events if "H-1" in str(e["SUMMARY"]))
    assert h1["DTSTART"].dt == dt.date(2023, 3, 10) and h1["DTEND"].dt == dt.date(2023, 3, 11)
    assert sorted(str(al["TRIGGER"].dt) for al in h1.walk("VALARM")) == ["-1 day, 0:00:00", "-3 days, 0:00:00"]
    assert len({str(e["UID"]) for e in events}) == 4
