"""Sending reminder messages: stdout, a file outbox, e-mail over SMTP, and the DingTalk,
WeCom (企业微信) and Feishu group robots.  Only the standard library is used.  Secrets come
from environment variables named in anquan.yaml; every sender returns a result instead of
raising, so one failing channel never stops the others.

Each delivery is reported the moment it ends (``on_outcome``), so the caller records it
before the next one starts: a run killed halfway has recorded everything it delivered.  Each
request runs against a wall-clock deadline (a server that accepts the connection and then
drips one byte a second cannot hold a run), and so does the whole run.  Failure texts never
carry a secret: URLs lose their query string and the values of the secret variables the
channels name are blanked (:func:`redact`)."""

from __future__ import annotations

import base64
import email.errors
import hashlib
import hmac
import json
import os
import re
import smtplib
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from anquan_cli.models.config import Channel, ChannelType

__all__ = ["Message", "Outcome", "preview", "send_all", "dingtalk_sign", "feishu_sign", "redact", "secret_values"]


_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s?#'\"<>]*@)?([^/\s?#'\"<>]*)([^\s?#'\"<>]*)(\?[^\s#'\"<>]*)?")


def secret_values(env=None) -> list[str]:
    """Values of environment variables that look like secrets (tokens, passwords, webhook
    URLs) — what a message or a crash log must never show."""
    env = os.environ if env is None else env
    words = ("TOKEN", "SECRET", "PASS", "KEY", "URL", "WEBHOOK", "AUTH")
    return sorted({v for k, v in env.items() if len(v) >= 6 and (k.startswith("ANQUAN_") or any(w in k.upper() for w in words))
                   and k not in ("ANQUAN_DATA", "ANQUAN_TODAY")}, key=len, reverse=True)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """``text`` without secrets: known secret values blanked, user:password@ and the query
    string (access_token=…) removed from every URL, and a robot's path kept only to its host."""
    for value in (secret_values() if secrets is None else secrets):
        text = text.replace(value, "***")

    def url(m):
        return f"{m.group(1)}{'***@' if m.group(2) else ''}{m.group(3)}{'/…' if m.group(4) not in ('', '/') else m.group(4)}" \
            f"{'?…' if m.group(5) else ''}"

    return _URL.sub(url, text)


@dataclass
class Message:
    channel: Channel
    recipient: str        # name shown to people ("办公室" for the office summary)
    recipient_id: str     # person id, or "office"
    email: str | None
    phone: str | None
    subject: str
    body: str             # Markdown


@dataclass
class Outcome:
    ok: bool
    detail: str


def _env(name: str | None, what: str) -> str:
    value = os.environ.get(name or "", "")
    if not value:
        raise RuntimeError(f"环境变量 {name} 未设置（{what}）")
    return value


def _outbox(channel: Channel, msg: Message, root: Path, stamp: str) -> Outcome:
    folder = root / (channel.dir or ".anquan/outbox")
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", msg.recipient)
    path = folder / f"{stamp}-{msg.recipient_id}-{safe}.md"
    from anquan_cli.io.atomic import atomic_write

    atomic_write(path, f"# {msg.subject}\n\n{msg.body}".encode("utf-8"))
    return Outcome(True, str(path))


def _mime(channel: Channel, msg: Message) -> EmailMessage:
    m = EmailMessage()
    name, _, addr = channel.sender.rpartition("<")
    sender = (Address(display_name=name.strip(), addr_spec=addr.rstrip(">").strip()) if addr.endswith(">")
              else Address(addr_spec=channel.sender.strip()))
    m["From"] = sender
    m["To"] = Address(display_name=msg.recipient, addr_spec=msg.email)
    m["Subject"] = msg.subject
    m["Message-ID"] = make_msgid(domain=sender.domain or "anquan.local")
    m.set_content(msg.body, charset="utf-8")
    return m


def _emails(channel: Channel, msgs: list[Message], report, timeout: float) -> list[Outcome]:
    """All of one channel's e-mails over one SMTP session: one login, and a server that is
    down or refuses the password fails them all at once; ``report(i, outcome)`` hears of each
    one as soon as it is known."""
    outcomes: list[Outcome | None] = [
        None if m.email else Outcome(False, f"{m.recipient} 没有登记邮箱（org/people.yaml 的 email）") for m in msgs]
    for i, o in enumerate(outcomes):
        if o is not None:
            report(i, o)
    todo = [i for i, o in enumerate(outcomes) if o is None]
    if not todo:
        return outcomes
    security = channel.security or "ssl"
    port = channel.port or {"ssl": 465, "starttls": 587, "none": 25}[security]
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(channel.host, port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(channel.host, port, timeout=timeout)
        with server:
            if security == "starttls":
                server.starttls(context=context)
            if channel.user:
                server.login(channel.user, _env(channel.password_env, "邮箱授权码"))
            for i in todo:
                m = msgs[i]
                try:
                    from anquan_cli.models.org import EMAIL

                    if not EMAIL.fullmatch(m.email or ""):
                        raise ValueError("不是有效的邮箱地址")
                    mime = _mime(channel, m)
                    mime.as_bytes()  # headers are checked when written: a bad one fails here, not mid-session
                except (ValueError, TypeError, IndexError, email.errors.MessageError) as exc:  # this recipient only
                    outcomes[i] = Outcome(False, f"{m.recipient} 的邮箱“{m.email}”格式不对：{exc}")
                    report(i, outcomes[i])
                    continue
                try:
                    server.send_message(mime)
                    outcomes[i] = Outcome(True, f"已发往 {formataddr((m.recipient, m.email))}")
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused,
                        email.errors.MessageError, ValueError) as exc:
                    outcomes[i] = Outcome(False, f"邮件服务器拒收：{exc}")
                report(i, outcomes[i])
    except Exception as exc:  # down, refused login, a broken connection: the rest of this session fails
        for i in todo:
            if outcomes[i] is None:
                outcomes[i] = Outcome(False, f"邮件发送失败：{exc}")
                report(i, outcomes[i])
    return outcomes


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk robot signature: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-quoted."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu robot signature: base64(HMAC-SHA256(key="timestamp\\nsecret", message=""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _robot_request(channel: Channel, msg: Message, now: float) -> tuple[str, dict]:
    url = channel.url or _env(channel.url_env, "机器人 webhook 地址")
    secret = os.environ.get(channel.secret_env or "", "") if channel.secret_env else ""
    if channel.secret_env and not secret:
        raise RuntimeError(f"环境变量 {channel.secret_env} 未设置（机器人加签密钥）")
    body = _robot_payload(channel, msg)
    if channel.type is ChannelType.DINGTALK:
        if secret:
            ts = int(now * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={dingtalk_sign(secret, ts)}"
        return url, body
    if channel.type is ChannelType.FEISHU and secret:
        ts = int(now)
        body.update(timestamp=str(ts), sign=feishu_sign(secret, ts))
    return url, body


def _robot_payload(channel: Channel, msg: Message) -> dict:
    """The JSON a group robot is sent for ``msg`` (without the signature, which depends on the
    moment it is sent)."""
    phones = [msg.phone] if channel.mention and msg.phone else []
    if channel.type is ChannelType.DINGTALK:
        text = f"### {msg.subject}\n\n{msg.body}" + "".join(f"\n\n@{p}" for p in phones)
        return {"msgtype": "markdown", "markdown": {"title": msg.subject, "text": text},
                "at": {"atMobiles": phones, "isAtAll": False}}
    if channel.type is ChannelType.WECOM:
        if phones:  # WeCom's markdown messages cannot @ by phone; text messages can
            return {"msgtype": "text", "text": {"content": f"{msg.subject}\n\n{msg.body}",
                                                "mentioned_mobile_list": phones}}
        return {"msgtype": "markdown", "markdown": {"content": f"**{msg.subject}**\n\n{msg.body}"}}
    return {"msg_type": "text", "content": {"text": f"{msg.subject}\n\n{msg.body}"}}


def preview(msg: Message) -> str:
    """The message as its channel would deliver it (``remind --dry-run --show``): the screen's
    text, the outbox file, the e-mail's headers and text, or the text a group robot posts (and
    whom it @s) — never a server, URL or secret."""
    channel = msg.channel
    kind = channel.type
    if kind is ChannelType.STDOUT:
        return f"—— {msg.subject} ——\n{msg.body}"
    if kind is ChannelType.OUTBOX:
        return f"# {msg.subject}\n\n{msg.body}"
    if kind is ChannelType.EMAIL:
        to = f"{msg.recipient} <{msg.email}>" if msg.email else f"{msg.recipient}（没有登记邮箱，不会发送）"
        return f"发件人: {channel.sender}\n收件人: {to}\n主题: {msg.subject}\n\n{msg.body}"
    payload = _robot_payload(channel, msg)
    part = payload.get("markdown") or payload.get("text") or payload.get("content") or {}
    text = part.get("text") or part.get("content") or ""
    mentions = payload.get("at", {}).get("atMobiles") or part.get("mentioned_mobile_list") or []
    return text + (f"\n（@ {'、'.join(mentions)}）" if mentions and kind is not ChannelType.DINGTALK else "")


def _robot(channel: Channel, msg: Message, timeout: float) -> Outcome:
    try:
        url, body = _robot_request(channel, msg, time.time())
        if any(ch.isspace() for ch in url) or not url.lower().startswith(("http://", "https://")):
            raise ValueError("webhook 地址不是有效的 http(s) 网址（含空格或缺少 http://）")
        req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read(1_000_000)
        answer = json.loads(raw.decode("utf-8") or "{}")
        if not isinstance(answer, dict):
            raise ValueError("回复不是 JSON 对象")
    except Exception as exc:  # refused, 5xx, bad JSON, a malformed URL: this message fails, the run goes on
        if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
            # the socket's own timer ran out first: said as when the run's timer does
            return Outcome(False, no_answer(channel.type.label, timeout))
        return Outcome(False, f"{channel.type.label}机器人发送失败：{exc}")
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        return Outcome(False, f"{channel.type.label}机器人拒绝：{answer.get('errmsg') or answer.get('msg') or answer}")
    return Outcome(True, f"已发到{channel.type.label}群")


def no_answer(label: str, seconds: float) -> str:
    return f"{label}机器人在 {seconds:g} 秒内没有答复（可能已收到，请在群里确认）"


def _bounded(work, seconds: float):
    """``work()`` in a worker thread, waited for at most ``seconds``; None when it did not end
    in time (the thread is left behind: it holds nothing the run needs)."""
    box: list = []
    thread = threading.Thread(target=lambda: box.append(work()), daemon=True)
    thread.start()
    thread.join(max(seconds, 0.0))
    return box[0] if box else None


def send_all(msgs: list[Message], root: Path, stamp: str, echo, on_outcome=None,
             request_seconds: float = 20, run_seconds: float = 600) -> list[Outcome]:
    """Deliver messages, each on its channel (e-mails of one channel in one SMTP session);
    ``echo`` prints for the stdout channel; ``on_outcome(i, outcome)`` is called as each one
    ends, before the next starts.  A request gets ``request_seconds`` of wall-clock time, the
    whole run ``run_seconds``.  Returns one outcome per message, in order."""
    import queue

    started = time.monotonic()
    secrets = secret_values()
    outcomes: list[Outcome | None] = [None] * len(msgs)

    def done(i: int, outcome: Outcome) -> None:
        outcome = Outcome(outcome.ok, redact(outcome.detail, secrets))
        outcomes[i] = outcome
        if on_outcome is not None:
            on_outcome(i, outcome)

    def left() -> float:
        return run_seconds - (time.monotonic() - started)

    late = Outcome(False, f"本次运行已超过 {run_seconds:g} 秒，未发送（下次运行会补发）")
    by_email: dict[int, list[int]] = {}
    for i, msg in enumerate(msgs):
        kind = msg.channel.type
        if kind is ChannelType.EMAIL:
            by_email.setdefault(id(msg.channel), []).append(i)
            continue
        if left() <= 0:
            done(i, late)
            continue
        try:
            if kind is ChannelType.STDOUT:
                echo(f"—— {msg.subject} ——\n{msg.body}")
                outcome = Outcome(True, "已显示")
            elif kind is ChannelType.OUTBOX:
                outcome = _outbox(msg.channel, msg, root, stamp)
            else:
                wait = min(request_seconds, left())
                outcome = _bounded(lambda m=msg: _robot(m.channel, m, request_seconds), wait) or \
                    Outcome(False, no_answer(kind.label, wait))
        except Exception as exc:  # e.g. an outbox folder that cannot be written
            outcome = Outcome(False, f"发送失败：{exc}")
        done(i, outcome)
    for indexes in by_email.values():
        channel = msgs[indexes[0]].channel
        heard: queue.Queue = queue.Queue()
        batch = [msgs[i] for i in indexes]
        threading.Thread(target=_emails, args=(channel, batch, lambda j, o, q=heard: q.put((j, o)), request_seconds),
                         daemon=True).start()
        pending = set(range(len(indexes)))
        while pending:
            wait = min(request_seconds * 3, left())  # connect, login and one message
            try:
                j, outcome = heard.get(timeout=max(wait, 0.0))
            except queue.Empty:
                reason = late if left() <= 0 else Outcome(False, f"邮件服务器在 {wait:g} 秒内没有完成发送（可能已收到）")
                for j in sorted(pending):
                    done(indexes[j], reason)
                break
            pending.discard(j)
            done(indexes[j], outcome)
    return [o if o is not None else late for o in outcomes]
