"""The command line: every command, its exit codes and its one-line errors in zh and en."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck import __version__, cli
from selfcheck.store.journal import Journal, vault_path
from selfcheck.store.lock import VaultLock
from selfcheck.store.vault import Vault, list_backups

PASS = "正确的口令 correct horse"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir and passphrase file; the environment cannot leak a real data dir in."""
    monkeypatch.delenv("SELFCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("SELFCHECK_LANG", raising=False)
    (tmp_path / "pw").write_text(PASS + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("not the passphrase\n", encoding="utf-8")
    return tmp_path


def run(home: Path, *args: str, pw: str = "pw", capsys=None) -> tuple[int, str, str]:
    """Run the CLI in-process with the home's data dir and passphrase file."""
    code = cli.main(["--data-dir", str(home / "data"), "--passphrase-file", str(home / pw), *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def run_process(home: Path, *args: str, pw: str = "pw", **kw) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a separate process (for locks, terminals and import checks)."""
    cmd = [sys.executable, "-m", "selfcheck", "--data-dir", str(home / "data"), "--passphrase-file", str(home / pw)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60, **kw)


@pytest.fixture
def vault(home: Path, capsys) -> Path:
    """An initialised vault (19 MiB KDF, the lowest the CLI allows) with two entries."""
    assert run(home, "init", "--kdf-memory", "19", capsys=capsys)[0] == 0
    assert run(home, "add", "学习党章 [bold]第一章[/]", "--minutes", "45", "--tag", "党章", "--date", "2026-01-05")[0] == 0
    assert run(home, "add", "读书班", "--minutes", "90", "--form", "集中学习", "--date", "2026-03-01", "--notes", "心得：收获很大")[0] == 0
    capsys.readouterr()
    return home


def test_version_and_module_entry_point(home: Path, capsys) -> None:
    assert cli.main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    proc = subprocess.run([sys.executable, "-m", "selfcheck", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_init_creates_private_vault_and_refuses_a_second(home: Path, capsys) -> None:
    code, out, err = run(home, "init", "--kdf-memory", "19", capsys=capsys)
    assert code == 0
    assert "Argon2id t=2 m=19 MiB p=1" in out
    assert "恢复密钥" in err  # warns that a forgotten passphrase cannot be recovered without one
    if os.name != "nt":
        assert stat.S_IMODE(os.stat(home / "data").st_mode) == 0o700
        assert stat.S_IMODE(os.stat(vault_path(home / "data")).st_mode) == 0o600
    code, _, err = run(home, "init", "--kdf-memory", "19", capsys=capsys)
    assert code == 1 and "不会覆盖" in err


def test_init_with_recovery_key_prints_a_key_that_opens(home: Path, capsys) -> None:
    code, out, _ = run(home, "init", "--kdf-memory", "19", "--recovery-key", capsys=capsys)
    assert code == 0
    key = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 6)
    Journal.open(home / "data", recovery_key=key).close()


def test_init_refuses_kdf_below_the_floor(home: Path, capsys) -> None:
    code, _, err = run(home, "init", "--kdf-memory", "10", capsys=capsys)
    assert code == 2 and "19" in err
    assert not vault_path(home / "data").exists()


def test_short_passphrase_is_refused(home: Path, capsys) -> None:
    (home / "short").write_text("abc\n")
    code, _, err = run(home, "init", "--kdf-memory", "19", pw="short", capsys=capsys)
    assert code == 2 and "8" in err


def test_list_shows_user_text_verbatim_newest_first(vault: Path, capsys) -> None:
    code, out, _ = run(vault, "list", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2026-03-01") and "读书班" in lines[0] and "集中学习" in lines[0]
    assert "学习党章 [bold]第一章[/]" in lines[1] and "#党章" in lines[1]


def test_list_filters_and_json(vault: Path, capsys) -> None:
    _, out, _ = run(vault, "list", "--search", "收获", "--json", capsys=capsys)
    assert [e["title"] for e in json.loads(out)] == ["读书班"]
    _, out, _ = run(vault, "list", "--tag", "党章", "--json", capsys=capsys)
    assert [e["title"] for e in json.loads(out)] == ["学习党章 [bold]第一章[/]"]
    _, out, _ = run(vault, "list", "--from", "2026-02-01", "--to", "2026-12-31", "--json", capsys=capsys)
    assert [e["date"] for e in json.loads(out)] == ["2026-03-01"]
    code, out, err = run(vault, "list", "-n", "1", capsys=capsys)
    assert code == 0 and len(out.splitlines()) == 1 and "2" in err
    _, out, _ = run(vault, "list", "--search", "不存在的词", capsys=capsys)
    assert "没有找到" in out


def test_control_characters_are_escaped_in_the_terminal(vault: Path, capsys) -> None:
    run(vault, "add", "标题\x1b[31m红", "--date", "2026-04-01")
    _, out, _ = run(vault, "list", "-n", "1", capsys=capsys)
    assert "\x1b" not in out and "\\x1b[31m红" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["add", "x", "--date", "2026-13-01"], "YYYY-MM-DD"),
        (["add", "x", "--minutes", "-5"], "-5"),
        (["list", "-n", "many"], "many"),
        (["bogus"], "bogus"),
    ],
)
def test_usage_errors_exit_2_with_one_line(vault: Path, capsys, args: list[str], needle: str) -> None:
    code, _, err = run(vault, *args, capsys=capsys)
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1


def test_wrong_passphrase_exit_3_in_both_languages(vault: Path, capsys) -> None:
    before = vault_path(vault / "data").read_bytes()
    code, _, err = run(vault, "list", pw="wrong", capsys=capsys)
    assert code == 3 and err.strip() == "错误：口令不正确，请重试。"
    code, _, err = run(vault, "--lang", "en", "list", pw="wrong", capsys=capsys)
    assert code == 3 and err.strip() == "Error: Wrong passphrase. Please try again."
    assert vault_path(vault / "data").read_bytes() == before


def test_language_from_environment(vault: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFCHECK_LANG", "en")
    code, _, err = run(vault, "list", pw="wrong", capsys=capsys)
    assert code == 3 and err.startswith("Error:")


@pytest.mark.parametrize("where", ["header", "payload"])
def test_damaged_vault_exit_4(vault: Path, capsys, where: str) -> None:
    path = vault_path(vault / "data")
    data = bytearray(path.read_bytes())
    data[40 if where == "header" else len(data) - 20] ^= 0x01
    path.write_bytes(bytes(data))
    code, _, err = run(vault, "list", capsys=capsys)
    assert code == 4 and "restore" in err and len(err.strip().splitlines()) == 1


def test_not_a_vault_exit_4(vault: Path, capsys) -> None:
    vault_path(vault / "data").write_text("hello", encoding="utf-8")
    code, _, err = run(vault, "list", capsys=capsys)
    assert code == 4 and "不是" in err


def test_missing_vault_says_init(home: Path, capsys) -> None:
    code, _, err = run(home, "list", capsys=capsys)
    assert code == 1 and "init" in err


def test_vault_in_use_exit_5_at_once(vault: Path) -> None:
    lock = VaultLock(vault / "data").acquire()
    try:
        proc = run_process(vault, "list")
    finally:
        lock.release()
    assert proc.returncode == 5
    assert "另一个" in proc.stderr and "Traceback" not in proc.stderr
    assert run_process(vault, "list").returncode == 0


def test_no_terminal_for_the_passphrase_exit_2(vault: Path) -> None:
    cmd = [sys.executable, "-m", "selfcheck", "--data-dir", str(vault / "data"), "list"]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, start_new_session=True)
    assert proc.returncode == 2 and "--passphrase-file" in proc.stderr


def test_internal_errors_never_show_a_traceback(vault: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx):
        raise RuntimeError("secret contents must not be printed")

    monkeypatch.setitem(cli.COMMANDS, "list", boom)
    code, out, err = run(vault, "list", capsys=capsys)
    assert code == 1 and "RuntimeError" in err and "secret" not in err + out and "Traceback" not in err


def test_export_import_round_trip_and_second_import_adds_nothing(vault: Path, capsys, tmp_path: Path) -> None:
    target = vault / "all.json"
    code, out, err = run(vault, "export", "--format", "json", "-o", str(target), capsys=capsys)
    assert code == 0 and str(target) in out and "没有加密" in err
    if os.name != "nt":
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "selfcheck" and doc["version"] == 1 and len(doc["study"]) == 2
    for item in doc["study"]:
        assert {"id", "date", "title", "minutes", "form", "tags", "notes"} <= set(item)
    code, _, err = run(vault, "export", "-o", str(target), capsys=capsys)
    assert code == 1 and "--force" in err

    other = ["--data-dir", str(vault / "other"), "--passphrase-file", str(vault / "pw")]
    assert cli.main([*other, "init", "--kdf-memory", "19"]) == 0
    assert cli.main([*other, "import", str(target)]) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert cli.main([*other, "import", str(target)]) == 0
    assert "新增 0 条" in capsys.readouterr().out
    assert cli.main([*other, "list", "--json"]) == 0
    titles = sorted(e["title"] for e in json.loads(capsys.readouterr().out))
    assert titles == ["学习党章 [bold]第一章[/]", "读书班"]


def test_bad_import_file_names_the_problem_and_imports_nothing(vault: Path, capsys) -> None:
    bad = vault / "bad.json"
    bad.write_text(json.dumps({"format": "selfcheck", "version": 1, "study": [{"date": "2026-1-1", "title": "x"}]}))
    before = vault_path(vault / "data").read_bytes()
    code, _, err = run(vault, "import", str(bad), capsys=capsys)
    assert code == 1 and "study[0].date" in err
    assert vault_path(vault / "data").read_bytes() == before
    bad.write_text("{not json")
    code, _, err = run(vault, "import", str(bad), capsys=capsys)
    assert code == 1 and "JSON" in err


def test_backup_and_restore(vault: Path, capsys) -> None:
    copy = vault / "copy.scv"
    code, out, _ = run(vault, "backup", "-o", str(copy), capsys=capsys)
    assert code == 0 and copy.exists()
    assert run(vault, "add", "备份之后的记录")[0] == 0
    code, _, _ = run(vault, "restore", str(copy), pw="wrong", capsys=capsys)
    assert code == 3
    code, out, _ = run(vault, "restore", str(copy), capsys=capsys)
    assert code == 0
    _, out, _ = run(vault, "list", "--json", capsys=capsys)
    assert "备份之后的记录" not in out and len(json.loads(out)) == 2
    # The replaced vault was kept as a backup and still holds the newer entry.
    newest = list_backups(vault / "data" / "backups")[0]
    assert "备份之后的记录" in Vault.open(newest, passphrase=PASS).take_plaintext().decode("utf-8")
    code, _, err = run(vault, "backup", "-o", str(copy), capsys=capsys)
    assert code == 1 and str(copy) in err and "--force" not in err


def test_restore_keeps_todays_passphrase_after_a_change(vault: Path, capsys) -> None:
    """A backup from before a passphrase change is restored under today's keys."""
    copy = vault / "before.scv"
    assert run(vault, "backup", "-o", str(copy), capsys=capsys)[0] == 0
    (vault / "new").write_text("一个新的口令 new one\n", encoding="utf-8")
    assert run(vault, "passwd", "--new-passphrase-file", str(vault / "new"), capsys=capsys)[0] == 0
    assert run(vault, "add", "改口令之后的记录", pw="new")[0] == 0
    code, out, _ = run(vault, "restore", str(copy), pw="new", capsys=capsys)
    assert code == 3  # the copy predates the change: today's passphrase does not open it
    code, out, _ = run(vault, "restore", str(list_backups(vault / "data" / "backups")[-1]), pw="new", capsys=capsys)
    assert code == 0 and "仍用现在的口令打开" in out
    assert run(vault, "list", capsys=capsys)[0] == 3  # the old passphrase opens nothing
    assert run(vault, "list", pw="new", capsys=capsys)[0] == 0


def test_passwd_changes_the_passphrase(vault: Path, capsys) -> None:
    (vault / "new").write_text("一个新的口令 new one\n", encoding="utf-8")
    code, out, _ = run(vault, "passwd", "--new-passphrase-file", str(vault / "new"), capsys=capsys)
    assert code == 0
    assert run(vault, "list", capsys=capsys)[0] == 3
    code, out, _ = run(vault, "list", pw="new", capsys=capsys)
    assert code == 0 and "读书班" in out


def test_passwd_with_recovery_key(vault: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal.open(vault / "data", passphrase=PASS)
    key = journal.set_recovery_key()
    journal.close()
    (vault / "new").write_text("after forgetting it\n", encoding="utf-8")
    monkeypatch.setattr(cli, "ask", lambda prompt, tr: key.lower().replace("-", " "))
    code, _, _ = run(vault, "passwd", "--recovery", "--new-passphrase-file", str(vault / "new"), capsys=capsys)
    assert code == 0
    assert run(vault, "list", pw="new", capsys=capsys)[0] == 0
    monkeypatch.setattr(cli, "ask", lambda prompt, tr: "0" * 56)
    code, _, err = run(vault, "passwd", "--recovery", "--new-passphrase-file", str(vault / "new"), capsys=capsys)
    assert code == 3 and "恢复密钥" in err


def test_cli_never_imports_textual(vault: Path) -> None:
    code = (
        "import sys; from selfcheck import cli; "
        f"rc = cli.main(['--data-dir', {str(vault / 'data')!r}, '--passphrase-file', {str(vault / 'pw')!r}, 'list']); "
        "print(rc, 'textual' in sys.modules, 'rich' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "0 False False"


def test_bare_command_starts_the_tui_on_the_data_dir(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(cli, "run_app", started.append)
    assert cli.main(["--data-dir", str(home / "data"), "--lang", "en"]) == 0
    (app,) = started
    assert app.data_dir == home / "data" and app.tr.lang == "en" and app.lang_forced


def test_textual_log_and_devtools_variables_are_neutralised_before_textual_loads(tmp_path: Path) -> None:
    """TEXTUAL_LOG would copy every passphrase keystroke and the diary to a plaintext file:
    the CLI drops it (and the devtools, screenshot and key-press variables) for its own process
    before Textual reads its constants, and says so in one line."""
    import subprocess
    import sys

    log = tmp_path / "textual.log"
    script = (
        "import sys\n"
        "from selfcheck import cli\n"
        "cli.main(['--data-dir', sys.argv[1], 'checklists', 'list'])\n"
        "import textual.constants as c\n"
        "print('LOG', c.LOG_FILE, 'DEVTOOLS', 'devtools' in c._get_textual_features()"
        " if hasattr(c, '_get_textual_features') else False)\n"
    )
    env = {**os.environ, "TEXTUAL_LOG": str(log), "TEXTUAL": "devtools,debug", "TEXTUAL_SCREENSHOT": "1"}
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "d")], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert "LOG None DEVTOOLS False" in proc.stdout, proc.stdout + proc.stderr
    assert "TEXTUAL_LOG" in proc.stderr and "TEXTUAL_SCREENSHOT" in proc.stderr
    assert not log.exists()


def test_damaged_vault_messages_say_what_is_wrong_and_name_the_file(tmp_path: Path) -> None:
    """A cut-short file says so (not "checksum"); a file that is not a vault is named."""
    import subprocess
    import sys

    from selfcheck.store.journal import Journal, vault_path
    from selfcheck.store.vault import KdfParams

    Journal.create(tmp_path / "d", "口令 damaged 2026 abc", kdf=KdfParams(t=1, m_kib=64, p=1)).close()
    (tmp_path / "p").write_text("口令 damaged 2026 abc\n", encoding="utf-8")
    path = vault_path(tmp_path / "d")
    data = path.read_bytes()

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "selfcheck", "--data-dir", str(tmp_path / "d"), "--passphrase-file",
                               str(tmp_path / "p"), "list"], capture_output=True, text=True, timeout=60, check=False)

    path.write_bytes(data[: len(data) // 2])
    proc = run()
    assert proc.returncode == 4 and "不完整" in proc.stderr and "Traceback" not in proc.stderr
    path.write_bytes(b"PK\x03\x04 not a vault at all")
    proc = run()
    assert proc.returncode == 4 and str(path) in proc.stderr and "not a selfcheck vault" not in proc.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "-n", "3"],
        ["--data-dir", "list", "--lang", "en", "add", "标题 [bold]", "--minutes", "30", "--tag", "a", "--tag", "b"],
        ["--lang=en", "export", "--template", "meeting", "-o", "x.md", "--year", "2025"],
        ["checklists", "validate", "f.toml"],
        ["passwd", "--recovery"],
    ],
)
def test_building_only_the_named_command_parses_the_same(argv: list[str]) -> None:
    """The CLI builds only the subcommand it was given (a start-up saving): same result."""
    from selfcheck.cli import _command_in, build_parser
    from selfcheck.i18n import Translator

    tr = Translator("zh")
    assert _command_in(argv) is not None
    assert vars(build_parser(tr, _command_in(argv)).parse_args(argv)) == vars(build_parser(tr).parse_args(argv))


def test_a_usage_error_names_every_command_even_when_one_was_guessed(capsys) -> None:
    from selfcheck.cli import main

    assert main(["--lang", "en", "--bogus", "list"]) == 2
    assert main(["--lang", "en", "lsit"]) == 2
    err = capsys.readouterr().err
    assert "--bogus" in err and "lsit" in err and "list" in err and "export" in err
