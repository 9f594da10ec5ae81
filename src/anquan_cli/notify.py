"""Sending reminder messages: stdout, a file outbox, e-mail over SMTP, and the DingTalk,
WeCom (企业微信) and Feishu group robots.  Only the standard library is used.  Secrets come
from environment variables named in anquan.yaml; every sender returns a result instead of
raising, so one failing channel never stops the others."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import smtplib
import ssl
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from anquan_cli.models.config import Channel, ChannelType

__all__ = ["Message", "Outcome", "send_all", "dingtalk_sign", "feishu_sign"]


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


def _emails(channel: Channel, msgs: list[Message]) -> list[Outcome]:
    """All of one channel's e-mails over one SMTP session: one login, and a server that is
    down or refuses the password fails them all at once."""
    outcomes: list[Outcome | None] = [
        None if m.email else Outcome(False, f"{m.recipient} 没有登记邮箱（org/people.yaml 的 email）") for m in msgs]
    todo = [i for i, o in enumerate(outcomes) if o is None]
    if not todo:
        return outcomes
    security = channel.security or "ssl"
    port = channel.port or {"ssl": 465, "starttls": 587, "none": 25}[security]
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(channel.host, port, timeout=20, context=context)
        else:
            server = smtplib.SMTP(channel.host, port, timeout=20)
        with server:
            if security == "starttls":
                server.starttls(context=context)
            if channel.user:
                server.login(channel.user, _env(channel.password_env, "邮箱授权码"))
            for i in todo:
                m = msgs[i]
                try:
                    server.send_message(_mime(channel, m))
                    outcomes[i] = Outcome(True, f"已发往 {formataddr((m.recipient, m.email))}")
                except smtplib.SMTPRecipientsRefused as exc:
                    outcomes[i] = Outcome(False, f"邮件服务器拒收：{exc}")
    except (OSError, smtplib.SMTPException, RuntimeError) as exc:
        for i in todo:
            if outcomes[i] is None:
                outcomes[i] = Outcome(False, f"邮件发送失败：{exc}")
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
    phones = [msg.phone] if channel.mention and msg.phone else []
    if channel.type is ChannelType.DINGTALK:
        text = f"### {msg.subject}\n\n{msg.body}" + "".join(f"\n\n@{p}" for p in phones)
        body = {"msgtype": "markdown", "markdown": {"title": msg.subject, "text": text},
                "at": {"atMobiles": phones, "isAtAll": False}}
        if secret:
            ts = int(now * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={dingtalk_sign(secret, ts)}"
        return url, body
    if channel.type is ChannelType.WECOM:
        if phones:  # WeCom's markdown messages cannot @ by phone; text messages can
            return url, {"msgtype": "text", "text": {"content": f"{msg.subject}\n\n{msg.body}",
                                                     "mentioned_mobile_list": phones}}
        return url, {"msgtype": "markdown", "markdown": {"content": f"**{msg.subject}**\n\n{msg.body}"}}
    body = {"msg_type": "text", "content": {"text": f"{msg.subject}\n\n{msg.body}"}}
    if secret:
        ts = int(now)
        body.update(timestamp=str(ts), sign=feishu_sign(secret, ts))
    return url, body


def _robot(channel: Channel, msg: Message) -> Outcome:
    try:
        url, body = _robot_request(channel, msg, time.time())
        req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        with urllib.request.urlopen(req, timeout=20) as resp:
            answer = json.loads(resp.read().decode("utf-8") or "{}")
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(False, f"{channel.type.label}机器人发送失败：{exc}")
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        return Outcome(False, f"{channel.type.label}机器人拒绝：{answer.get('errmsg') or answer.get('msg') or answer}")
    return Outcome(True, f"已发到{channel.type.label}群")


def send_all(msgs: list[Message], root: Path, stamp: str, echo) -> list[Outcome]:
    """Deliver messages, each on its channel (e-mails of one channel in one SMTP session);
    ``echo`` prints for the stdout channel.  Returns one outcome per message, in order."""
    outcomes: list[Outcome | None] = [None] * len(msgs)
    by_email: dict[int, list[int]] = {}
    for i, msg in enumerate(msgs):
        kind = msg.channel.type
        if kind is ChannelType.STDOUT:
            echo(f"—— {msg.subject} ——\n{msg.body}")
            outcomes[i] = Outcome(True, "已显示")
        elif kind is ChannelType.OUTBOX:
            outcomes[i] = _outbox(msg.channel, msg, root, stamp)
        elif kind is ChannelType.EMAIL:
            by_email.setdefault(id(msg.channel), []).append(i)
        else:
            outcomes[i] = _robot(msg.channel, msg)
    for indexes in by_email.values():
        for i, outcome in zip(indexes, _emails(msgs[indexes[0]].channel, [msgs[i] for i in indexes])):
            outcomes[i] = outcome
    return outcomes
