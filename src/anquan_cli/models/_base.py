"""What every record shares: where it came from, and the value types offices write."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr

from anquan_cli.text import nfkc, norm_key, parse_date, split_names, split_units


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: workspace-relative path, the record's line, and the line of
    each top-level field and of each item of a list field (``items['history'][2]``)."""

    path: str
    line: int
    fields: dict[str, int] = field(default_factory=dict)
    items: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: the included workspace the record came from ("" for the workspace itself)
    workspace: str = ""

    def line_of(self, name: str, index: int | None = None) -> int:
        if index is not None:
            lines = self.items.get(name, ())
            if 0 <= index < len(lines):
                return lines[index]
        return self.fields.get(name, self.line)


class Record(BaseModel):
    """Base of every record kind.  Records are immutable values; edits rewrite files."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        # the validator is built when a record of the kind is first validated: a command that
        # reads records from the cache, or edits one hazard, builds none or one
        defer_build=True,
    )

    #: what the record is called in messages ("隐患", "人员" …)
    kind_label: ClassVar[str] = "记录"
    #: CSV header synonyms per field (the field's own English name always works too)
    csv_columns: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: English YAML keys that name a field whose Python name differs (``from`` is a keyword)
    key_aliases: ClassVar[dict[str, str]] = {}

    @classmethod
    def refusal(cls, key: str) -> tuple[str, str] | None:
        """``(message, hint)``: why a key or column that is no field must not be in this kind's
        files at all (an error, not an ignored key), or None.  Never repeats the value."""
        return None

    _src: Source | None = PrivateAttr(default=None)

    @property
    def src(self) -> Source:
        # straight from pydantic's private store: ``self._src`` costs a __getattr__ round trip,
        # and rules read positions of every record
        src = self.__pydantic_private__["_src"]  # type: ignore[index]  # never None: Record has a private attribute
        assert src is not None, "record was not loaded from a file"
        return src

    def with_source(self, src: Source):
        self._src = src
        return self


_FIELDS_SET: dict[type, set] = {}


def builder(cls: Any):
    """``build(values, private)``: an instance of a (frozen) model from already-validated
    values (its ``__dict__``), without validation — how the record cache rebuilds records and
    how the fast validator (:mod:`anquan_cli.models.fast`) makes them.  All instances of a
    class share one fields-set: frozen records never change it, and pydantic copies it before
    any ``model_copy``.  pydantic's
    three instance slots are set through their own setters (half the cost of
    ``object.__setattr__`` looking them up for every record)."""
    from pydantic import BaseModel

    shared = _FIELDS_SET.get(cls)
    if shared is None:
        shared = _FIELDS_SET[cls] = set(cls.model_fields)
    slots = BaseModel.__dict__
    set_fields = slots["__pydantic_fields_set__"].__set__
    set_extra = slots["__pydantic_extra__"].__set__
    set_private = slots["__pydantic_private__"].__set__
    set_dict = object.__setattr__
    new = cls.__new__

    def build(values: dict, private):
        obj = new(cls)
        set_dict(obj, "__dict__", values)
        set_fields(obj, shared)
        set_extra(obj, None)
        set_private(obj, private)
        return obj

    return build


class Nested(BaseModel):
    """A value inside a record (a history event, an override): no source of its own."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              coerce_numbers_to_str=True, defer_build=True)


def _empty_to_none(v):
    if isinstance(v, str) and not v.strip():
        return None
    return v


@functools.lru_cache(maxsize=8192)
def _date_text(v: str):
    return parse_date(v)


def _to_date(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, str):
        return _date_text(v)  # ledgers repeat the same dates thousands of times
    return parse_date(v)


def _to_ident(v):
    if isinstance(v, str):
        v = nfkc(v).strip()
        if not v:
            raise ValueError("编号不能为空")
        if any(ch.isspace() for ch in v):
            raise ValueError(f"编号“{v}”中不能有空格")
    return v


def _to_names(v):
    if isinstance(v, str):
        return split_names(v)
    return v


def _to_units(v):
    if isinstance(v, str):
        return split_units(v)
    return v


def _to_bool(v):
    if isinstance(v, str):
        t = norm_key(v)
        if t in {"是", "y", "yes", "true", "1", "√", "✓", "重点"}:
            return True
        if t in {"否", "n", "no", "false", "0", "", "×", "一般"}:
            return False
    return v


Text = Annotated[str, BeforeValidator(_empty_to_none)]
OptText = Annotated[str | None, BeforeValidator(_empty_to_none)]
Date = Annotated[dt.date, BeforeValidator(_to_date)]
OptDate = Annotated[dt.date | None, BeforeValidator(_to_date)]
Ident = Annotated[str, BeforeValidator(_to_ident)]
Names = Annotated[list[str], BeforeValidator(_to_names)]
UnitNames = Annotated[list[str], BeforeValidator(_to_units)]
Flag = Annotated[bool, BeforeValidator(_to_bool)]


class Vocab(str, Enum):
    """An enum whose members carry a Chinese label and accept synonyms.

    Subclasses define members as ``NAME = ("english_value", "中文", "同义词", …)``; the value
    is the stable English word used in JSON, the label what people read.  The class keyword
    ``what`` names the vocabulary in messages: ``class Level(Vocab, what="隐患等级")``.
    """

    # set on each member by __new__ and on each class by __init_subclass__ (annotations only:
    # not members)
    label: str
    synonyms: tuple[str, ...]
    _what: ClassVar[str]
    # caches built on first use, each class its own (read through cls.__dict__)
    _lookup_table: ClassVar[dict[str, Vocab]]
    _parsed: ClassVar[dict[str, Vocab]]

    def __init_subclass__(cls, what: str = "值", **kwargs):
        super().__init_subclass__(**kwargs)
        cls._what = what

    def __new__(cls, value: str, label: str, *synonyms: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.synonyms = synonyms
        return obj

    @classmethod
    def lookup(cls) -> dict[str, "Vocab"]:
        table = cls.__dict__.get("_lookup_table")
        if table is None:
            table = {}
            for m in cls:
                for word in (m.value, m.label, *m.synonyms):
                    table[norm_key(word)] = m
            cls._lookup_table = table
        return table

    @classmethod
    def parse(cls, value):
        if isinstance(value, cls) or value is None:
            return value
        if not isinstance(value, str):
            raise ValueError(f"应为以下之一：{cls.choices()}")
        cache = cls.__dict__.get("_parsed")
        if cache is None:
            cache = cls._parsed = {}
        found = cache.get(value)
        if found is not None:
            return found
        found = cls.lookup().get(norm_key(value))
        if found is not None and len(cache) < 10000:
            cache[value] = found
        if found is None:
            raise ValueError(f"未知的{cls._what}“{value}”，应为以下之一：{cls.choices()}")
        return found

    @classmethod
    def choices(cls) -> str:
        return "、".join(m.label for m in cls)

    def __str__(self) -> str:
        return self.value


def vocab(cls):
    """``Annotated`` type that parses a :class:`Vocab` from any of its words."""
    return Annotated[cls, BeforeValidator(cls.parse)]
