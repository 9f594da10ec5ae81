"""Where a workspace is and which folders hold which records — without importing anything
heavy, so that the fast paths (help, the hazard index) can find their way in milliseconds."""

from __future__ import annotations

import os
from pathlib import Path

from anquan_cli.problems import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the fast paths
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["CONFIG_NAME", "YAML_SUFFIXES", "FOLDERS", "find_workspace", "sort_listing", "includes"]

CONFIG_NAME = "anquan.yaml"
YAML_SUFFIXES = (".yaml", ".yml")

#: record folders: (folder, suffixes, recursive, subfolders that are not this kind's)
FOLDERS = (
    ("matrix", YAML_SUFFIXES, False, ()),
    ("hazards", YAML_SUFFIXES + (".csv",), True, ()),
    ("tasks", YAML_SUFFIXES + (".csv",), True, ("progress",)),
    ("tasks/progress", YAML_SUFFIXES + (".csv",), True, ()),
    ("duties", YAML_SUFFIXES, False, ()),
    ("activities", YAML_SUFFIXES + (".csv",), True, ()),
    ("accidents", YAML_SUFFIXES + (".csv",), True, ()),
    ("enforcement", YAML_SUFFIXES + (".csv",), True, ()),
    ("campaigns", YAML_SUFFIXES, False, ()),
    ("submissions", YAML_SUFFIXES + (".csv",), True, ()),
    ("tipoffs", YAML_SUFFIXES + (".csv",), True, ("confidential",)),  # reporters: never without --confidential
    ("risks", YAML_SUFFIXES + (".csv",), True, ()),
    ("grid", YAML_SUFFIXES + (".csv",), False, ()),
    ("patrols", YAML_SUFFIXES + (".csv",), True, ()),
    ("documents", YAML_SUFFIXES, False, ()),
)


def sort_listing(listed: list[str], folder: str, suffixes: tuple[str, ...],
                 skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """``(record files, files of an unsupported type)`` among the files listed under
    ``folder``: the loader and the hazard index's freshness check both choose this way, so a
    file one of them reads the other watches."""
    from pathlib import PurePosixPath

    found: list[str] = []
    unknown: list[str] = []
    for rel in listed:
        path = PurePosixPath(rel)
        if path.relative_to(folder).parts[0] in skip:
            continue
        if path.suffix.lower() in suffixes:
            found.append(rel)
        elif not path.name.startswith("~$"):  # ~$ is an Excel lock file
            unknown.append(rel)
    return found, unknown


def find_workspace(data: str | None = None, cwd: Path | None = None,
                   env: Mapping[str, str] | None = None) -> Path:
    """``--data DIR``, else ``$ANQUAN_DATA``, else the nearest ancestor of the current
    directory holding ``anquan.yaml``, else ``./data``."""
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else cwd
    for given, how in ((data, "--data"), (env.get("ANQUAN_DATA") or None, "ANQUAN_DATA")):
        if given:
            root = (cwd / given).resolve()
            if not root.is_dir():
                raise UsageError(f"{how} 指定的工作区目录不存在：{given}")
            if not (root / CONFIG_NAME).is_file():
                raise UsageError(f"{how} 指定的目录 {given} 中没有 {CONFIG_NAME}，它不是 anquan 工作区"
                                 f"（工作区根目录须有 {CONFIG_NAME}，见 docs/records.md“工作区”一节）")
            return root
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    if (cwd / "data" / CONFIG_NAME).is_file():
        return cwd / "data"
    raise UsageError(f"找不到工作区：当前目录及其上级目录中都没有 {CONFIG_NAME}，也没有 ./data/{CONFIG_NAME}。"
                     f"请用 --data 目录 或环境变量 ANQUAN_DATA 指定工作区")


def includes(config: Path) -> list[str]:
    """The workspaces an ``anquan.yaml`` includes (``include:``), read without loading it —
    decoded as the loader decodes it (UTF-8 with or without BOM, GB18030 …); [] when there
    are none or the file cannot be read (the loader then says why)."""
    from anquan_cli.io.decode import DecodeError, decode

    try:
        text = decode(config.read_bytes()).text
    except (OSError, DecodeError):
        return []
    if "include" not in text:
        return []
    from anquan_cli.io.yamlread import PosDict, parse_yaml

    data, _ = parse_yaml(text, CONFIG_NAME)
    value = data.get("include") if isinstance(data, PosDict) else None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []
