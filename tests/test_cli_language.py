"""Every CLI line in the user's language: argparse's own words (usage, help, its errors), errors
of the operating system (the path verbatim, the reason translated) and a broken import file."""

from __future__ import annotations

import argparse
import errno
import gettext
import json
from pathlib import Path

import pytest

from selfcheck import cli
from selfcheck.i18n import Translator, os_error_reason, os_error_text
from selfcheck.store.errors import WriteFailed
from selfcheck.store.exchange import ImportInvalid, parse_import

#: argparse's English: none of it may reach a Chinese user.
ARGPARSE_ENGLISH = (
    "usage:", "options:", "positional arguments", "the following", "invalid choice", "show this help",
    "error:", "expected one", "expected at", "unrecognized", "ambiguous", "argument ", "choose from",
)

USAGE_ERRORS = [
    ["bogus"],  # an unknown command
    ["lsit"],
    ["list", "-n"],  # an option without its value
    ["list", "--bogus"],  # an unknown option
    ["list", "--t", "x"],  # ambiguous: --tag or --to
    ["add"],  # a required argument missing
    ["export"],  # -o missing
    ["export", "--template", "nope", "-o", "x.md"],  # not one of the choices
    ["export", "--leave-out", "everything", "-o", "x.md"],
    ["--lang", "fr", "list"],
    ["--data-dir"],
    ["list", "extra", "words"],
    ["checklists", "validate"],
]


@pytest.fixture(autouse=True)
def no_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    monkeypatch.setenv("SELFCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_in_chinese_have_no_argparse_english(argv: list[str], capsys) -> None:
    assert cli.main(["--lang", "zh", *argv] if argv[0] != "--lang" else argv) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("错误：用法有误：") and len(err.strip().splitlines()) == 1, err
    assert not any(english in err for english in ARGPARSE_ENGLISH), err
    assert captured.out == ""


@pytest.mark.parametrize(
    ("argv", "english"),
    [
        (["export"], "the following arguments are required: -o/--output"),
        (["list", "-n"], "argument -n: expected one argument"),
        (["list", "--bogus"], "unrecognized arguments: --bogus"),
        (["export", "--template", "nope", "-o", "x.md"], "invalid choice: 'nope'"),
        (["lsit"], "unknown command 'lsit'"),
    ],
)
def test_usage_errors_in_english_still_read_well(argv: list[str], english: str, capsys) -> None:
    assert cli.main(["--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: Usage error: ") and english in err and len(err.strip().splitlines()) == 1


def test_chinese_names_the_missing_option_and_the_choices(capsys) -> None:
    cli.main(["--lang", "zh", "export"])
    assert "缺少必需的参数：-o/--output" in capsys.readouterr().err
    cli.main(["--lang", "zh", "lsit"])
    err = capsys.readouterr().err
    assert "没有这个命令：'lsit'" in err and "list" in err and "status" in err


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["export", "--help"], ["status", "-h"], ["checklists", "-h"]])
def test_help_in_chinese(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--lang", "zh", *argv])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：selfcheck") and "选项：" in out and "显示本帮助并退出" in out
    assert not any(english in out for english in ARGPARSE_ENGLISH), out


def test_help_in_english(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: selfcheck export") and "options:" in out and "show this help message and exit" in out
    assert "TEMPLATE" in out and "talkprep" in out


def test_chinese_help_wraps_by_what_the_terminal_shows(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Chinese character takes two columns: help text fits the terminal (only argparse's
    usage lines, made of unbreakable option names, may run over)."""
    monkeypatch.setenv("COLUMNS", "60")
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "export", "--help"])
    out = capsys.readouterr().out
    body = out[out.index("\n\n"):]
    assert max(cli._columns(line) for line in body.splitlines()) <= 58
    assert not any(line.lstrip().startswith(("）", "，", "。", "、")) for line in body.splitlines())


def test_argparse_is_left_as_it_was(capsys) -> None:
    cli.main(["--lang", "zh", "bogus"])
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "--help"])
    capsys.readouterr()
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]
    assert "usage:" in argparse.ArgumentParser(prog="other").format_help()


# --------------------------------------------------------------------------- OS errors


@pytest.mark.parametrize(
    ("exc", "zh", "en"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "文件或文件夹不存在", "no such file or folder"),
        (PermissionError(errno.EACCES, "Permission denied"), "没有权限", "permission denied"),
        (PermissionError(errno.EPERM, "Operation not permitted"), "没有权限", "permission denied"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "这是文件夹，不是文件", "this is a folder, not a file"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "路径中有一项不是文件夹", "a part of the path is not a folder"),
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足", "no space left on the disk"),
        (OSError(errno.EROFS, "Read-only file system"), "所在磁盘是只读的", "the disk is read-only"),
        (FileExistsError(errno.EEXIST, "File exists"), "已经存在", "already exists"),
    ],
)
def test_os_errors_in_the_users_language_with_the_path_verbatim(exc: OSError, zh: str, en: str) -> None:
    path = "/tmp/我的 文件夹/[bold]提纲[/].md"
    exc.filename = path
    assert os_error_text(exc, Translator("zh")) == f"{path}：{zh}"
    assert os_error_text(exc, Translator("en")) == f"{path}: {en}"
    assert os_error_reason(exc, Translator("zh")) == zh
    # The path the user named wins over the one the error names (a temporary file beside it).
    assert os_error_text(exc, Translator("zh"), "/tmp/x.md") == f"/tmp/x.md：{zh}"


def test_an_os_error_without_a_path_or_a_known_number() -> None:
    assert os_error_text(OSError(errno.ENOSPC, "No space left on device"), Translator("zh")) == "磁盘空间不足"
    strange = OSError(errno.EXDEV, "Invalid cross-device link")
    assert os_error_text(strange, Translator("zh"), "a") == "a：系统错误：Invalid cross-device link"


def test_an_os_error_reaching_the_cli_is_one_translated_line(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(ctx) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", "/srv/数据/vault.scv")

    monkeypatch.setitem(cli.COMMANDS, "list", denied)
    assert cli.main(["--lang", "zh", "list"]) == 1
    err = capsys.readouterr().err
    assert err == "错误：/srv/数据/vault.scv：没有权限\n"


def test_store_errors_from_an_os_error_are_translated() -> None:
    try:
        raise OSError(errno.ENOSPC, "No space left on device")
    except OSError as exc:
        try:
            raise WriteFailed(exc.strerror or "") from None
        except WriteFailed as failed:
            error = failed
    text = cli.error_message(error, Translator("zh"))
    assert "磁盘空间不足" in text and "No space" not in text
    try:
        raise PermissionError(errno.EACCES, "Permission denied", "/x/导入.json")
    except OSError as exc:
        try:
            raise ImportInvalid("unreadable", "cannot read", path="/x/导入.json", detail=exc.strerror) from None
        except ImportInvalid as refused:
            error = refused
    text = cli.error_message(error, Translator("zh"))
    assert "/x/导入.json" in text and "没有权限" in text and "Permission" not in text


# --------------------------------------------------------------------------- a broken import file


@pytest.mark.parametrize(
    ("raw", "zh", "en"),
    [
        (b'{\n  "format": "selfcheck",\n  x', "JSON 格式错误（第 3 行第 3 列）", "JSON syntax error (line 3, column 3)"),
        (b"", "JSON 格式错误（第 1 行第 1 列）", "JSON syntax error (line 1, column 1)"),
        (b"[" + b"9" * 5000 + b"]", "文件中有位数过多的数字", "a number in the file has too many digits"),
    ],
)
def test_a_file_that_is_not_json_is_said_in_the_users_language(
    tmp_path: Path, capsys, raw: bytes, zh: str, en: str
) -> None:
    with pytest.raises(ImportInvalid):
        parse_import(raw)
    source = tmp_path / "坏的.json"
    source.write_bytes(raw)
    assert cli.main(["--lang", "zh", "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert zh in err and "Expecting" not in err and "JSON line" not in err and len(err.strip().splitlines()) == 1
    assert cli.main(["--lang", "en", "import", str(source)]) == 1
    err = capsys.readouterr().err
    assert en in err and "Expecting" not in err


def test_a_valid_json_that_is_not_an_export_is_named(tmp_path: Path, capsys) -> None:
    source = tmp_path / "other.json"
    source.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    assert cli.main(["--lang", "zh", "import", str(source)]) == 1
    assert "不是自省录导出的文件" in capsys.readouterr().err
