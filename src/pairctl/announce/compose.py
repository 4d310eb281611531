"""Compose the announcement messages of a round: pure, no files, no network.

One `EmailMessage` per group (to every member) and one per unmatched person, each
`multipart/alternative` (plain text and HTML) rendered from a Jinja2 template, with the
group's calendar invitation attached when a meeting is given.

Nothing from the roster reaches a header unchecked: names and the subject lose every line
break and control character before they are used (so a name cannot add a header), names
become display names through `email.headerregistry.Address` (quoted and RFC 2047 encoded),
and an email that is not a plain address skips that message instead of being half-used.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, formataddr
from typing import Any

import jinja2

from pairctl.announce.invite import Meeting, invitation
from pairctl.announce.sheet import Group, Member, Round, Unmatched
from pairctl.errors import ConfigError, UsageError

GROUP_BLOCKS = ("subject", "text", "html")
UNMATCHED_BLOCKS = ("unmatched_subject", "unmatched_text", "unmatched_html")
NAME_MAX = 64
"""The longest display name put in a header (the body keeps the whole name)."""
GROUP = "group"
UNMATCHED = "unmatched"

_UNFAITHFUL = "the addresses cannot be encoded so that they read back the same"
# Characters that must never reach a header: controls (CR, LF, tab, ...), the Unicode line
# and paragraph separators, and NEL.
_BREAKING = {"Cc", "Zl", "Zp"}
# A plain address: no spaces, quotes, brackets, commas or a second @ (what a roster holds).
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def one_line(text: str) -> str:
    """`text` fit for a header: every control character and line break becomes a space,
    runs of white space one space, and the ends trimmed."""
    cleaned = "".join(" " if unicodedata.category(c) in _BREAKING else c for c in text)
    return " ".join(cleaned.split())


def usable_email(text: str) -> bool:
    """Whether `text` is a plain address a message can go to."""
    if not _EMAIL.fullmatch(text) or ".." in text or text.startswith("."):
        return False
    try:
        Address(addr_spec=text)
    except (ValueError, IndexError):
        return False
    return True


@dataclass(frozen=True)
class Sender:
    """The --from address: display name (may be empty) and email."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()

    @property
    def address(self) -> Address:
        return Address(display_name=self.name, addr_spec=self.email)


def parse_sender(text: str) -> Sender:
    """`hr@example.org` or `HR Team <hr@example.org>` as a Sender (UsageError otherwise)."""
    if one_line(text) != text.strip() or not text.strip():
        raise UsageError(f"--from {text!r}: not one address")
    try:
        header = email.policy.default.header_factory("From", text.strip())
        addresses = header.addresses
        defects = header.defects
    except (ValueError, IndexError, AttributeError):
        addresses, defects = (), ()
    # The parser drops what follows a broken address without a word: refuse, never guess.
    if len(addresses) != 1 or defects or not usable_email(addresses[0].addr_spec):
        raise UsageError(f"--from {text!r}: expected an address like 'HR Team <hr@example.org>'")
    return Sender(one_line(addresses[0].display_name), addresses[0].addr_spec)


class Templates:
    """The announcement template, compiled twice: plain for the subject and text, with HTML
    autoescaping for the html blocks. Unknown variables raise (StrictUndefined)."""

    def __init__(self, source: str, name: str = "the default template") -> None:
        self.name = name
        options: dict[str, Any] = {
            "undefined": jinja2.StrictUndefined,
            "trim_blocks": True,
            "lstrip_blocks": True,
            "keep_trailing_newline": True,
        }
        plain = jinja2.Environment(autoescape=False, **options)
        html = jinja2.Environment(autoescape=True, **options)
        try:
            self._plain = plain.from_string(source)
            self._html = html.from_string(source)
        except jinja2.TemplateSyntaxError as error:
            raise ConfigError(f"{name}, line {error.lineno}: {error.message}") from None

    def require(self, blocks: Iterable[str], hint: str = "") -> None:
        """ConfigError unless the template has every block in `blocks`."""
        missing = [block for block in blocks if block not in self._plain.blocks]
        if missing:
            listed = ", ".join(f"{{% block {b} %}}" for b in missing)
            raise ConfigError(f"{self.name} has no {listed}{hint}")

    def render(self, block: str, context: Mapping[str, Any]) -> str:
        """Render one block; the `*html` blocks with escaping."""
        template = self._html if block.endswith("html") else self._plain
        try:
            return "".join(template.blocks[block](template.new_context(dict(context))))
        except jinja2.TemplateError as error:
            raise ConfigError(f"{self.name}, block {block!r}: {error}") from None


@dataclass(frozen=True)
class Composed:
    """One message of the round, or the reason it is not written."""

    kind: str
    """'group' or 'unmatched'."""
    number: int
    """Its place in the round, from 1; the outbox names files by it."""
    keys: tuple[str, ...]
    recipients: tuple[str, ...]
    """The emails it goes to (those the sheet gives, for a skipped message)."""
    subject: str
    message_id: str
    message: EmailMessage | None
    """None when the message is skipped."""
    invite: bytes | None
    skipped: str = ""
    """Why the message is not written ('no email for E0003'); empty when it is."""


def compose_round(
    round_: Round,
    templates: Templates,
    sender: Sender,
    *,
    meeting: Meeting | None,
    unmatched: bool,
    now: dt.datetime,
) -> list[Composed]:
    """Every message of the round: the groups' in sheet order, then the unmatched people's
    (unless `unmatched` is False)."""
    templates.require(GROUP_BLOCKS)
    if unmatched and round_.unmatched:
        templates.require(UNMATCHED_BLOCKS, " (needed for the unmatched; or --no-unmatched)")
    out: list[Composed] = []
    for group in round_.groups:
        out.append(_group_message(len(out) + 1, round_, group, templates, sender, meeting, now))
    if unmatched:
        for person in round_.unmatched:
            out.append(_unmatched_message(len(out) + 1, round_, person, templates, sender, now))
    return out


def stable_id(round_: Round, kind: str, keys: Sequence[str]) -> str:
    """A hash naming one message of one round: the same round and people give the same id."""
    text = "\0".join([round_.fingerprint, kind, *keys])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _message_id(ident: str, sender: Sender) -> str:
    return f"<pairctl.{ident}@{sender.domain}>"


def _person(member: Member) -> dict[str, Any]:
    return {
        "key": member.key,
        "name": one_line(member.name) or member.key,
        "email": member.email,
        "timezone": one_line(member.timezone),
    }


def names_phrase(names: Sequence[str]) -> str:
    """'Ana', 'Ana and Bo', 'Ana, Bo and Chen'."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _unusable(members: Sequence[Member]) -> str:
    missing = [m.key for m in members if not m.email]
    if missing:
        return f"no email for {', '.join(missing)}"
    bad = [m.key for m in members if not usable_email(m.email)]
    if bad:
        return f"email not usable for {', '.join(bad)}"
    return ""


def _group_message(
    number: int,
    round_: Round,
    group: Group,
    templates: Templates,
    sender: Sender,
    meeting: Meeting | None,
    now: dt.datetime,
) -> Composed:
    people = {m.key: _person(m) for m in group.members}
    for person in people.values():
        person["teaches"] = []
        person["learns"] = []
    lessons = []
    for lesson in group.lessons:
        teacher, learner = people[lesson.teacher], people[lesson.learner]
        skills = list(lesson.skills)
        lessons.append({"teacher": teacher, "learner": learner, "skills": skills})
        teacher["teaches"].append({"learner": learner, "skills": skills})
        learner["learns"].append({"teacher": teacher, "skills": skills})
    names = names_phrase([p["name"] for p in people.values()])
    known = [p for p in people.values() if p["timezone"]]
    different = len(known) == len(people) and len({p["timezone"] for p in known}) > 1
    context = {
        "names": names,
        "zones": [f"{p['name']} {p['timezone']}" for p in known] if different else [],
        "people": list(people.values()),
        "lessons": lessons,
        "notes": list(group.notes),
        "group": group.number,
        "meeting": _meeting(meeting),
        "sender": sender.name or sender.email,
    }
    keys = tuple(m.key for m in group.members)
    ident = stable_id(round_, GROUP, keys)
    subject = one_line(templates.render("subject", context))
    recipients = tuple(m.email for m in group.members if m.email)
    skipped = _unusable(group.members)
    if skipped:
        return Composed(GROUP, number, keys, recipients, subject, "", None, None, skipped)
    invite = None
    if meeting is not None:
        invite = invitation(
            meeting,
            uid=f"pairctl.{ident}@{sender.domain}",
            organizer=(sender.name, sender.email),
            attendees=[(one_line(m.name), m.email) for m in group.members],
            summary=f"Two-way mentoring: {names}",
            description=templates.render("text", context),
            stamp=now,
        )
    to = [_to(m) for m in group.members]
    message = _message(
        sender,
        to,
        subject,
        _message_id(ident, sender),
        now,
        templates.render("text", context),
        templates.render("html", context),
        invite,
    )
    if not _faithful(message, sender, to):
        return Composed(GROUP, number, keys, recipients, subject, "", None, None, _UNFAITHFUL)
    return Composed(
        GROUP, number, keys, recipients, subject, _message_id(ident, sender), message, invite
    )


def _unmatched_message(
    number: int,
    round_: Round,
    left_out: Unmatched,
    templates: Templates,
    sender: Sender,
    now: dt.datetime,
) -> Composed:
    member = left_out.person
    context = {
        "person": _person(member),
        "reason": left_out.reason,
        "sender": sender.name or sender.email,
        "meeting": None,
    }
    keys = (member.key,)
    subject = one_line(templates.render("unmatched_subject", context))
    recipients = (member.email,) if member.email else ()
    skipped = _unusable([member])
    if skipped:
        return Composed(UNMATCHED, number, keys, recipients, subject, "", None, None, skipped)
    message_id = _message_id(stable_id(round_, UNMATCHED, keys), sender)
    to = [_to(member)]
    message = _message(
        sender,
        to,
        subject,
        message_id,
        now,
        templates.render("unmatched_text", context),
        templates.render("unmatched_html", context),
        None,
    )
    if not _faithful(message, sender, to):
        return Composed(UNMATCHED, number, keys, recipients, subject, "", None, None, _UNFAITHFUL)
    return Composed(UNMATCHED, number, keys, recipients, subject, message_id, message, None)


def _meeting(meeting: Meeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "when": meeting.when,
        "length": meeting.length,
        "start": meeting.start,
        "zone": meeting.zone,
    }


def _to(member: Member) -> Address:
    return Address(display_name=one_line(member.name)[:NAME_MAX], addr_spec=member.email)


def address_header(addresses: Sequence[Address]) -> str:
    """An address list header value, folded here: one address per line, a non-ASCII display
    name as RFC 2047 encoded words of at most 76 characters each.

    Python's own folding of address lists (3.11) can put the comma between two addresses
    inside an encoded word, which drops every later recipient; lines this short are never
    refolded, so that code is never reached.
    """
    lines = []
    for address in addresses:
        name = address.display_name
        if not name:
            lines.append(f"<{address.addr_spec}>")
        elif name.isascii():
            shown = formataddr((name, "x@y"))[: -len(" <x@y>")]
            lines.append(_name_and_address(shown, address.addr_spec))
        else:
            encoded = Header(name, "utf-8", maxlinelen=76).encode(linesep="\n")
            lines.append(_name_and_address(encoded, address.addr_spec))
    return ",\n ".join(lines)


def _name_and_address(name: str, addr_spec: str) -> str:
    """`name <addr>`, on two lines when one would be long."""
    last = name.rpartition("\n")[2]
    gap = " " if len(last) + len(addr_spec) < 66 else "\n "
    return f"{name}{gap}<{addr_spec}>"


def message_bytes(message: EmailMessage) -> bytes:
    """The message as an .eml file and as sent: RFC 5322, CRLF line ends, 7-bit."""
    return message.as_bytes(policy=email.policy.SMTP)


def _faithful(message: EmailMessage, sender: Sender, to: Sequence[Address]) -> bool:
    """Whether the message reads back with exactly the sender and recipients it was given."""
    parsed = BytesParser(policy=email.policy.default).parsebytes(message_bytes(message))
    try:
        back = [(a.display_name, a.addr_spec) for a in parsed["To"].addresses]
        sent_by = [(a.display_name, a.addr_spec) for a in parsed["From"].addresses]
    except (AttributeError, ValueError):
        return False
    return back == [(a.display_name, a.addr_spec) for a in to] and sent_by == [
        (sender.name, sender.email)
    ]


def _message(
    sender: Sender,
    to: Sequence[Address],
    subject: str,
    message_id: str,
    now: dt.datetime,
    text: str,
    html: str,
    invite: bytes | None,
) -> EmailMessage:
    message = EmailMessage(policy=email.policy.default)
    # Stored as folded here (see address_header), never refolded by the email package.
    message.set_raw("From", address_header([sender.address]))
    message.set_raw("To", address_header(to))
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    if invite is not None:
        message.add_attachment(
            invite,
            maintype="text",
            subtype="calendar",
            params={"method": "REQUEST", "charset": "utf-8"},
            filename="invite.ics",
        )
    return message
