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
   measures: m, funds: f, plan: p, supervisor: s, listing: {by: s, date: 2023-03-15, tracker: 李娜}}
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
    def rectified(h):
        return any(e.event.value == "rectified" and e.date <= today for e in h.history)

    overdue = {h.id for h in ws.hazards if h.closed is None and h.deadline and h.deadline < today and not rectified(h)}
    office = got["office"]
    assert {i["id"] for i in office["items"] if i["kind"] == "hazard_overdue"} == overdue
    # rectified and waiting for sign-offs longer than the acceptance window: 验收逾期, not 逾期
    waiting = {h.id for h in ws.hazards if h.closed is None and rectified(h)
               and (today - max(e.date for e in h.history if e.event.value == "rectified")).days > 15}
    assert {i["id"] for i in office["items"] if i["kind"] == "acceptance_overdue"} == waiting == {"BS-2023-006", "CG-2023-007"}
    due = {h.id for h in ws.hazards if h.closed is None and h.deadline and (h.deadline - today).days in (0, 1, 3)
           and not rectified(h)}
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


# -------------------------------------------------------------------- failing servers (issue 13)


@pytest.fixture
def bad_server():
    """A robot server that misbehaves by path: /hang never answers, /drip sends a byte at a
    time, /500 fails, /badjson answers garbage, /ok answers; /third-hangs hangs on its third
    request until released.  Only answered requests count as delivered."""
    delivered = []
    state = {"posts": 0, "hang_third": True}
    third = threading.Event()
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
            state["posts"] += 1
            if self.path.startswith("/hang"):
                release.wait(30)
                return
            if self.path.startswith("/drip"):
                try:
                    for ch in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
                        self.wfile.write(bytes([ch]))
                        self.wfile.flush()
                        if release.wait(0.2):
                            return
                except OSError:
                    return
                return
            if self.path.startswith("/third-hangs") and state["hang_third"] and state["posts"] == 3:
                third.set()
                release.wait(60)
                return
            if self.path.startswith("/500"):
                self.send_response(500)
                self.end_headers()
                return
            data = b"<html>oops" if self.path.startswith("/badjson") else json.dumps({"errcode": 0}).encode()
            delivered.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", delivered, state, third, release
    release.set()
    server.shutdown()
    server.server_close()


SECRET_TOKEN = "tok-SECRET-7f3a9c2e"


def _no_secret_anywhere(root, *texts):
    for text in texts:
        assert SECRET_TOKEN not in text
    for path in root.rglob("*"):
        if path.is_file() and ".anquan/cache" not in str(path) and path.name != "anquan.yaml":
            assert SECRET_TOKEN.encode() not in path.read_bytes(), path


def test_every_kind_of_failing_robot_is_that_channels_failure(ws, bad_server, monkeypatch, tmp_path):
    base, delivered, *_ = bad_server
    monkeypatch.setenv("TEST_HANG_URL", f"{base}/hang?access_token={SECRET_TOKEN}")
    root = ws(f"""    - {{type: dingtalk, name: 不答复, url_env: TEST_HANG_URL}}
    - {{type: dingtalk, name: 一点一点, url: "{base}/drip?access_token={SECRET_TOKEN}"}}
    - {{type: wecom, name: 出错, url: "{base}/500?key={SECRET_TOKEN}"}}
    - {{type: feishu, name: 乱答, url: "{base}/badjson?k={SECRET_TOKEN}"}}
    - {{type: dingtalk, name: 关门, url: "http://127.0.0.1:{_free_port()}/robot?access_token={SECRET_TOKEN}"}}
    - {{type: dingtalk, name: 正常, url: "{base}/ok"}}
    - type: outbox
""", "  request_seconds: 1\n")
    import time

    started = time.monotonic()
    res, got = messages()
    assert time.monotonic() - started < 60  # 4 recipients × 2 slow channels × 1 s, not minutes
    assert res.code == 1
    status = {}
    for m in got:
        status.setdefault(m["channel"], set()).add(m["status"])
    assert status == {"不答复": {"failed"}, "一点一点": {"failed"}, "出错": {"failed"}, "乱答": {"failed"},
                      "关门": {"failed"}, "正常": {"sent"}, "outbox": {"sent"}}
    assert len([p for p, _ in delivered if p.startswith("/ok")]) == 4
    assert all("秒内没有答复" in m["detail"] for m in got if m["channel"] in ("不答复", "一点一点"))
    assert any("500" in m["detail"] for m in got if m["channel"] == "出错")
    text = run_cli("remind").out  # the rerun retries only what failed
    assert "跳过 8" in text
    _no_secret_anywhere(root, res.out, res.err, text)


def test_a_malformed_url_fails_its_channel_only_and_leaks_nothing(ws, monkeypatch):
    monkeypatch.setenv("TEST_BAD_URL", f"http://127.0.0.1/robot send?access_token={SECRET_TOKEN}")
    root = ws("""    - {type: dingtalk, name: 坏地址, url_env: TEST_BAD_URL}
    - type: outbox
""")
    res, got = messages()
    assert res.code == 1 and "内部错误" not in res.err
    assert {(m["channel"], m["status"]) for m in got} == {("坏地址", "failed"), ("outbox", "sent")}
    again = run_cli("remind")
    assert "跳过 4" in again.out  # what was delivered is not sent again
    _no_secret_anywhere(root, res.out, res.err, again.out, again.err)


def test_a_malformed_address_is_a_check_error_and_fails_only_its_recipient(ws, smtp_server, monkeypatch):
    controller, handler = smtp_server
    root = ws(f"""    - type: email
      host: 127.0.0.1
      port: {controller.port}
      security: none
      sender: ajb@example.gov.cn
""")
    people = root / "org/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("lina@example.gov.cn", "lina@@example"), encoding="utf-8")
    check = run_cli("check", "--format", "json").json()
    assert [(p["path"], p["line"], p["code"]) for p in check if p["severity"] == "error"] == [
        ("org/people.yaml", 2, "email-invalid")]
    res, got = messages()
    assert res.code == 1
    assert {m["recipient"]: m["status"] for m in got} == {"张伟": "sent", "李娜": "failed", "王芳": "sent", "曾小芳": "sent"}
    assert "格式不对" in next(m["detail"] for m in got if m["recipient"] == "李娜")
    assert len(handler.messages) == 3


def test_a_run_killed_mid_send_resends_nothing_it_delivered(ws, bad_server, monkeypatch):
    import os
    import signal
    import subprocess
    import sys

    base, delivered, state, third, release = bad_server
    root = ws(f"""    - {{type: dingtalk, name: 群, url: "{base}/third-hangs"}}
""", "  request_seconds: 60\n")
    env = {k: v for k, v in os.environ.items()}
    proc = subprocess.Popen([sys.executable, "-m", "anquan_cli", "remind", "--data", str(root), "--today", "2023-03-20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert third.wait(30), proc.communicate(timeout=5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    log = [json.loads(ln) for ln in (root / ".anquan/remind-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["result"] for e in log] == ["sent", "sent"] and len(delivered) == 2
    state["hang_third"] = False
    res = run_cli("remind")
    assert res.code == 0, res.out
    recipients = [b["markdown"]["title"] for _, b in delivered]
    assert len(recipients) == 4 and len(set(recipients)) == 4  # each exactly once
    log = [json.loads(ln) for ln in (root / ".anquan/remind-log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(e["recipient"] for e in log if e["result"] == "sent") == sorted(["张伟", "李娜", "王芳", "办公室"])


def test_the_whole_run_has_a_deadline(ws, bad_server):
    base, *_ = bad_server
    ws(f"""    - {{type: dingtalk, name: 不答复, url: "{base}/hang"}}
""", "  request_seconds: 1\n  run_seconds: 1.5\n")
    res, got = messages()
    assert res.code == 1
    assert any("本次运行已超过 1.5 秒" in m["detail"] for m in got)


def test_a_crash_log_is_private_and_redacted(ws, monkeypatch, tmp_path):
    import os
    import re
    import stat

    from anquan_cli import remindstate

    monkeypatch.setenv("TEST_CRASH_URL", f"https://oapi.dingtalk.com/robot/send?access_token={SECRET_TOKEN}")
    ws("    - type: outbox\n")

    def boom(self, key, when):
        raise RuntimeError(f"cannot record {os.environ['TEST_CRASH_URL']}")

    monkeypatch.setattr(remindstate.State, "mark", boom)
    res = run_cli("remind")
    assert res.code == 2 and "内部错误" in res.err
    path = re.search(r"已写入 (\S+?\.log)", res.err).group(1)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = open(path, encoding="utf-8").read()
    assert "RuntimeError" in text and SECRET_TOKEN not in text and "cannot record ***" in text
    second = run_cli("remind")
    assert re.search(r"已写入 (\S+?\.log)", second.err).group(1) != path  # a name of its own
