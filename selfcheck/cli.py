"""The ``selfcheck`` command line (DESIGN.md §7).

Global options come before the subcommand. Errors are one clear line in the user's language and
a distinct exit code (0 ok, 1 other, 2 usage, 3 wrong passphrase, 4 vault damaged, 5 vault in
use); never a traceback. Textual is imported only for the TUI commands, so scripted use is fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import getpass
import json
import os
import stat
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .i18n import Translator, os_error_reason, os_error_text, resolve_language
from .store.errors import SelfcheckError, WrongPassphrase

if TYPE_CHECKING:
    from .app import SelfCheckApp
    from .export import Period

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_CANCELLED = 130
MIN_PASSPHRASE = 8
DEFAULT_LIST = 20
#: The most entries ``list -n`` shows (a sane ceiling; a number is refused above it).
MAX_LIST = 1_000_000
#: ``--kdf-memory`` in MiB: the OWASP floor to the reader's cap (``KdfParams.for_memory``).
KDF_MEMORY_RANGE = (19, 1024)
#: The longest first line read from a passphrase or key file (``/dev/zero`` has no line end).
MAX_SECRET_LINE = 4096
# Spelled out here so that building the parser does not import the export package (``list`` and
# ``add`` must start fast); a test checks they match ``selfcheck.export``.
EXPORT_TEMPLATES = ("meeting", "talk", "talkprep", "study", "appraisal")
EXPORT_FORMATS = ("md", "txt", "docx", "json")
EXPORT_ASPECT_PRESETS = ("seed", "notice2024", "sizi", "common")
#: Sections that are in unless left out (``--leave-out``) and those out unless included
#: (``--include``: 心得, 摘抄, self-check reflections; ``Choice.default=False``).
EXPORT_SECTIONS = ("rectification", "talk", "notes", "excerpt", "reflection")
EXPORT_OPT_IN_SECTIONS = ("notes", "excerpt", "reflection")


class UsageError(Exception):
    """A problem with how the command was called (exit code 2); ``message`` is already translated."""


class CliError(Exception):
    """A translated, one-line error with its own exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one translated line instead of exiting itself."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)

    def _check_value(self, action: argparse.Action, value: object) -> None:
        # An unknown command reads "no such command: 'lsit' (commands: …)" rather than argparse's
        # "argument COMMAND: invalid choice: …" (argparse._ is our catalog while parsing).
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            message = argparse._("unknown parser %(parser_name)r (choices: %(choices)s)")  # type: ignore[attr-defined]
            raise argparse.ArgumentError(None, message % {"parser_name": value, "choices": ", ".join(action.choices)})
        super()._check_value(action, value)

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every add_argument, and the default one imports shutil
        # (with bz2 and lzma: 4 ms of every start) to ask for the terminal's width.
        return _Formatter(prog=self.prog, width=_terminal_columns() - 2)


class _Formatter(argparse.HelpFormatter):
    """Help laid out by the width a terminal shows (a Chinese character takes two columns, and a
    line may break between two of them), with a full-width colon after a Chinese heading."""

    def __init__(self, prog: str, width: int) -> None:
        super().__init__(prog=prog, width=width)
        self._wide_headings: list[str] = []

    def start_section(self, heading: str | None) -> None:
        if heading and not heading.isascii():
            self._wide_headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._wide_headings:
            text = text.replace(f"{heading}:\n", f"{heading}：\n")  # Python ≤ 3.13 adds an ASCII one
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(" ".join(text.split()), width - len(indent)))


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes (wide and full-width characters take two)."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken as the screens break it (禁则: no
    line starts with a closing mark nor ends with an opening one). Only help and usage errors
    wrap, so the line breaker is imported here, not at every start."""
    from .widgets.linebreak import kinsoku_offsets

    bounds = [0, *kinsoku_offsets(text, max(width, 1)), len(text)]
    return [line for start, end in zip(bounds, bounds[1:]) if (line := text[start:end].strip())]


#: argparse's own messages (its gettext message ids, Python 3.11–3.14) → our catalog keys. argparse
#: looks its words up through the module-level ``argparse._`` and ``argparse.ngettext`` (it did
#: ``from gettext import gettext as _, ngettext``), when a parser is built (``options``, the ``-h``
#: help), when help is laid out (``usage: ``) and when parsing fails. Installing a gettext catalog
#: would need a compiled .mo file and the process locale; re-implementing the formatter and the
#: parser's error paths would copy a thousand lines that change between versions; parsing the
#: English afterwards is guesswork. Pointing those two names at our catalog while *our* parser
#: is built and run (:func:`parse_arguments`, single-threaded, restored afterwards) is exact,
#: keyed by the message ids translators rely on; an id we do not know stays English.
_ARGPARSE_MESSAGES = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "optional arguments": "argparse.options",
    "show this help message and exit": "argparse.help",
    "%(heading)s:": "argparse.heading",
    "subcommands": "argparse.subcommands",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "the following arguments are required: %s": "argparse.required",
    "one of the arguments %s is required": "argparse.one_of_required",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "expected %s argument": "argparse.expected_n_one",
    "expected %s arguments": "argparse.expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": "argparse.invalid_choice_maybe",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
}


def _argparse_speaks(tr: Translator) -> Callable[[], None]:
    """Make argparse's own words come from our catalog (see :data:`_ARGPARSE_MESSAGES`); returns
    the function that puts argparse's back."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        key = _ARGPARSE_MESSAGES.get(message)
        return tr(key) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]

    def restore() -> None:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]

    return restore


def parse_arguments(tr: Translator, argv: list[str]) -> argparse.Namespace:
    """``argv`` parsed with argparse speaking the user's language. Only the named command's parser
    is built; a usage error is reported from the whole parser (it names every command)."""
    restore = _argparse_speaks(tr)
    try:
        only = _command_in(argv)
        try:
            return build_parser(tr, only).parse_args(argv)
        except UsageError:
            if only is None:
                raise
            return build_parser(tr).parse_args(argv)  # the whole parser has the whole message
    finally:
        restore()


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns or 80


# --------------------------------------------------------------------------- parser


def kdf_memory_type(tr: Translator) -> Callable[[str], int]:
    """``--kdf-memory``: a whole number of MiB within :data:`KDF_MEMORY_RANGE`, else a usage error
    in the user's language (``0`` no longer means the default)."""

    def convert(text: str) -> int:
        low, high = KDF_MEMORY_RANGE
        value = text.strip()
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            raise CliError(tr("error.kdf_memory_range", low=low, high=high, value=printable(text)), EXIT_USAGE)
        return int(value)

    return convert


def build_parser(tr: Translator, only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, with help texts in the user's language. With ``only``, the one
    subcommand of that name (argparse builds a parser per subcommand: ≈ 8 ms for all of them)."""
    parser = _Parser(prog="selfcheck", description=tr("cli.description"))
    parser.add_argument("--version", action="store_true", help=tr("help.version"))
    parser.add_argument("--data-dir", metavar="DIR", help=tr("help.data_dir"))
    parser.add_argument("--lang", choices=("zh", "en"), help=tr("help.lang"))
    parser.add_argument("--passphrase-file", metavar="FILE", help=tr("help.passphrase_file"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=tr("argparse.command_metavar"))

    if only in (None, "demo"):
        sub.add_parser("demo", help=tr("help.demo"))

    if only in (None, "init"):
        p = sub.add_parser("init", help=tr("help.init"))
        p.add_argument("--kdf-memory", type=kdf_memory_type(tr), metavar="MIB", help=tr("help.kdf_memory"))
        p.add_argument("--recovery-key", action="store_true", help=tr("help.recovery_key"))

    if only in (None, "add"):
        p = sub.add_parser("add", help=tr("help.add"))
        p.add_argument("title", metavar="TITLE", help=tr("help.title"))
        p.add_argument("--minutes", default="0", metavar="N", help=tr("help.minutes"))
        p.add_argument("--form", default="", metavar="F", help=tr("help.form"))
        p.add_argument("--date", metavar="D", help=tr("help.date"))
        p.add_argument("--tag", action="append", default=[], metavar="T", help=tr("help.tag"))
        p.add_argument("--notes", default="", metavar="TEXT", help=tr("help.notes"))
        p.add_argument("--source", default="", metavar="S", help=tr("help.source"))
        p.add_argument("--excerpt", default="", metavar="TEXT", help=tr("help.excerpt"))

    if only in (None, "list"):
        p = sub.add_parser("list", help=tr("help.list"))
        p.add_argument("-n", dest="count", default=str(DEFAULT_LIST), metavar="N", help=tr("help.count"))
        p.add_argument("--search", default="", metavar="TEXT", help=tr("help.search"))
        p.add_argument("--from", dest="date_from", metavar="D", help=tr("help.from"))
        p.add_argument("--to", dest="date_to", metavar="D", help=tr("help.to"))
        p.add_argument("--tag", metavar="T", help=tr("help.tag"))
        p.add_argument("--json", action="store_true", help=tr("help.json"))

    if only in (None, "status"):
        p = sub.add_parser("status", help=tr("help.status"))
        p.add_argument("--json", action="store_true", help=tr("help.json"))

    if only in (None, "export"):
        p = sub.add_parser("export", help=tr("help.export"))
        # ``selfcheck export meeting -o FILE`` reads as well as ``--template meeting``.
        p.add_argument("template_word", nargs="?", choices=EXPORT_TEMPLATES, metavar="TEMPLATE",
                       help=tr("export_cli.template_positional"))
        p.add_argument("--template", choices=EXPORT_TEMPLATES, help=tr("export_cli.help_template"))
        p.add_argument("--format", choices=EXPORT_FORMATS, help=tr("help.format"))
        p.add_argument("--from", dest="date_from", metavar="D", help=tr("help.from"))
        p.add_argument("--to", dest="date_to", metavar="D", help=tr("help.to"))
        p.add_argument("--year", metavar="YYYY", help=tr("export_cli.help_year"))
        p.add_argument("--grade", metavar="G", help=tr("export_cli.help_grade"))
        p.add_argument("--font-preset", metavar="NAME", help=tr("export_cli.help_font_preset"))
        p.add_argument("--aspects", choices=EXPORT_ASPECT_PRESETS, help=tr("export_cli.help_aspects"))
        p.add_argument("--aspect", action="append", default=[], metavar="HEADING", help=tr("export_cli.help_aspect"))
        p.add_argument(
            "--leave-out", action="append", default=[], choices=EXPORT_SECTIONS, metavar="SECTION",
            help=tr("export_cli.help_leave_out"),
        )
        p.add_argument(
            "--include", action="append", default=[], choices=EXPORT_OPT_IN_SECTIONS, metavar="SECTION",
            help=tr("export_cli.help_include"),
        )
        p.add_argument("--name", default="", metavar="NAME", help=tr("export_cli.help_name"))
        p.add_argument("-o", "--output", required=True, metavar="FILE", help=tr("help.output"))
        p.add_argument("--force", action="store_true", help=tr("help.force"))

    if only in (None, "import"):
        p = sub.add_parser("import", help=tr("help.import"))
        p.add_argument("file", metavar="FILE", help=tr("help.import_file"))

    if only in (None, "backup"):
        p = sub.add_parser("backup", help=tr("help.backup"))
        p.add_argument("-o", "--output", metavar="FILE", help=tr("help.backup_output"))

    if only in (None, "restore"):
        p = sub.add_parser("restore", help=tr("help.restore"))
        p.add_argument("file", metavar="FILE", help=tr("help.restore_file"))

    if only in (None, "passwd"):
        p = sub.add_parser("passwd", help=tr("help.passwd"))
        p.add_argument("--new-passphrase-file", metavar="FILE", help=tr("help.new_passphrase_file"))
        p.add_argument("--recovery", action="store_true", help=tr("help.use_recovery"))
        p.add_argument("--recovery-key-file", metavar="FILE", help=tr("help.recovery_key_file"))
        p.add_argument("--new-recovery-key", action="store_true", help=tr("help.new_recovery_key"))
        p.add_argument("--kdf-memory", type=kdf_memory_type(tr), metavar="MIB", help=tr("help.kdf_memory"))

    if only in (None, "checklists"):
        p = sub.add_parser("checklists", help=tr("help.checklists"))
        checklists = p.add_subparsers(dest="checklists_command", parser_class=_Parser)
        checklists.add_parser("list", help=tr("help.checklists_list"))
        p = checklists.add_parser("validate", help=tr("help.checklists_validate"))
        p.add_argument("file", metavar="FILE", help=tr("help.checklists_file"))
    return parser


# --------------------------------------------------------------------------- helpers


class Context:
    """What every command needs: the translator, the data dir and how to get a passphrase."""

    def __init__(self, args: argparse.Namespace, tr: Translator) -> None:
        from .store.paths import data_dir

        self.args = args
        self.tr = tr
        self.data_dir = data_dir(args.data_dir)

    def say(self, key: str, **fields: object) -> None:
        """Print a translated line to stdout."""
        print(self.tr(key, **fields))

    def warn(self, key: str, **fields: object) -> None:
        """Print a translated line to stderr."""
        print(self.tr(key, **fields), file=sys.stderr)

    def passphrase(self, prompt_key: str = "prompt.passphrase") -> str:
        """The passphrase: first line of ``--passphrase-file``, else asked without echo. A data dir
        that cannot work is reported first, before anything is asked."""
        check_data_dir(self.data_dir, self.tr)
        if self.args.passphrase_file:
            return read_secret_file(self.args.passphrase_file, self.tr)
        return ask(self.tr(prompt_key), self.tr)

    def new_passphrase(self, file: str | None) -> str:
        """A new passphrase from ``file`` or asked twice; checked for length."""
        if file:
            value = read_secret_file(file, self.tr)
        else:
            value = ask(self.tr("prompt.new_passphrase"), self.tr)
            if ask(self.tr("prompt.repeat"), self.tr) != value:
                raise CliError(self.tr("error.passphrase_mismatch"), EXIT_USAGE)
        from .store.passphrase import judge

        verdict = judge(value)
        if not verdict.allowed:
            key = "error.passphrase_short" if verdict.too_short else "error.passphrase_weak"
            raise CliError(self.tr(key, min=MIN_PASSPHRASE), EXIT_USAGE)
        if verdict.confirm:
            level = self.tr(f"strength.{verdict.level}")
            if file:  # a script cannot answer: say it, once
                print(printable(self.tr("cli.passphrase_weaker", level=level)), file=sys.stderr)
            elif not confirm(self.tr("cli.confirm_weaker", level=level), self.tr):
                raise CliError(self.tr("error.cancelled"), EXIT_CANCELLED)
        return value

    def open_journal(self):
        """Unlock the journal with the passphrase."""
        from .store.journal import Journal

        return Journal.open(self.data_dir, passphrase=self.passphrase())


def read_secret_file(path: str, tr: Translator) -> str:
    """First line of ``path`` without its line ending (spaces are part of the passphrase)."""
    try:
        with open(path, encoding="utf-8") as handle:
            line = handle.readline(MAX_SECRET_LINE + 1)
    except (OSError, UnicodeDecodeError):
        raise CliError(tr("error.passphrase_file", path=path)) from None
    if len(line) > MAX_SECRET_LINE:
        raise CliError(tr("error.passphrase_file_long", path=path, max=MAX_SECRET_LINE), EXIT_USAGE)
    line = line.rstrip("\r\n")
    if not line:
        raise CliError(tr("error.passphrase_file_empty", path=path), EXIT_USAGE)
    return line


def ask(prompt: str, tr: Translator) -> str:
    """Ask for a secret without echo; refuse if echo cannot be turned off (no terminal)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except getpass.GetPassWarning:
            raise CliError(tr("error.no_tty"), EXIT_USAGE) from None
        except EOFError:
            raise CliError(tr("error.cancelled"), EXIT_CANCELLED) from None


def confirm(question: str, tr: Translator) -> bool:
    """A yes/no question at the terminal (anything but y/yes/是 is no)."""
    try:
        answer = input(question + " [y/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes", "是")


def check_date(value: str | None, tr: Translator) -> str | None:
    """A real ``YYYY-MM-DD`` date in the years 1900–2100, or a usage error."""
    if value is None:
        return None
    from .store.models import MAX_YEAR, MIN_YEAR, InvalidField
    from .store.models import check_date as valid_date

    try:
        return valid_date(value, "date")
    except InvalidField as exc:
        if exc.problem == "date_range":
            raise CliError(tr("error.date_range", low=MIN_YEAR, high=MAX_YEAR, value=printable(value)), EXIT_USAGE) from None
        raise CliError(tr("error.bad_date", value=printable(value)), EXIT_USAGE) from None


def check_count(value: str, tr: Translator, high: int = MAX_LIST) -> int:
    """A whole number from 0 to ``high`` in ASCII digits (``²`` and ``５`` pass ``str.isdigit`` but
    are not numbers one types), or a usage error that names the range."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > high:
        raise CliError(tr("error.number_range", low=0, high=high, value=printable(value)), EXIT_USAGE)
    return int(text)


def check_data_dir(path: Path, tr: Translator) -> None:
    """Say what is wrong with the data dir before any passphrase is asked: a file where the
    folder should be, a folder (or the vault in it) this user may not use, a file on the way.

    A data dir that does not exist yet is fine when the nearest existing folder above it is
    writable (``init`` and the TUI's first run create it). Raises :class:`CliError`.
    """
    from .store.paths import vault_file

    try:
        info = os.stat(path)
    except FileNotFoundError:
        _check_parent(path, tr)
        return
    except NotADirectoryError:
        raise CliError(tr("error.data_dir_not_dir", path=path)) from None
    except PermissionError:
        raise CliError(tr("error.data_dir_denied", path=path)) from None
    except (OSError, ValueError) as exc:
        raise CliError(tr("error.data_dir_bad", path=path, detail=_os_detail(exc, tr))) from None
    if not stat.S_ISDIR(info.st_mode):
        raise CliError(tr("error.data_dir_not_dir", path=path))
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise CliError(tr("error.data_dir_denied", path=path))
    vault = vault_file(path)
    try:
        vault_info = os.stat(vault)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CliError(tr("error.data_dir_bad", path=vault, detail=_os_detail(exc, tr))) from None
    if not stat.S_ISREG(vault_info.st_mode):
        raise CliError(tr("error.bad_format", path=vault), 4)
    if not os.access(vault, os.R_OK | os.W_OK):
        raise CliError(tr("error.vault_denied", path=vault))


def _check_parent(path: Path, tr: Translator) -> None:
    """The nearest existing folder above a data dir not made yet must be a writable folder."""
    for parent in path.absolute().parents:
        try:
            info = os.stat(parent)
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            raise CliError(tr("error.data_dir_not_dir", path=path)) from None
        except OSError as exc:
            raise CliError(tr("error.data_dir_bad", path=path, detail=_os_detail(exc, tr))) from None
        if not stat.S_ISDIR(info.st_mode):
            raise CliError(tr("error.data_dir_not_dir", path=parent))
        if not os.access(parent, os.W_OK | os.X_OK):
            raise CliError(tr("error.data_dir_denied", path=parent))
        return


def _os_detail(exc: BaseException, tr: Translator) -> str:
    """Why a path cannot be used, in the user's language (a ValueError: a NUL in the name)."""
    return os_error_reason(exc, tr) if isinstance(exc, OSError) else type(exc).__name__


def printable(text: str) -> str:
    """User text for a terminal: verbatim, except control characters (which could drive the
    terminal) are shown as escapes."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


# --------------------------------------------------------------------------- commands


def cmd_init(ctx: Context) -> int:
    """``selfcheck init``: create the vault."""
    from .store.journal import Journal, vault_path
    from .store.vault import KdfParams

    check_data_dir(ctx.data_dir, ctx.tr)  # before the passphrase is asked
    if Journal.exists(ctx.data_dir):
        raise CliError(ctx.tr("error.vault_exists", path=vault_path(ctx.data_dir)))
    kdf = KdfParams.for_memory(ctx.args.kdf_memory) if ctx.args.kdf_memory is not None else KdfParams.default()
    passphrase = ctx.new_passphrase(ctx.args.passphrase_file)
    journal = Journal.create(ctx.data_dir, passphrase, kdf=kdf)
    try:
        ctx.say("cli.created", path=vault_path(ctx.data_dir))
        ctx.say("cli.kdf_info", kdf=describe_kdf(kdf))
        if ctx.args.recovery_key:
            show_recovery_key(ctx, journal.set_recovery_key())
        else:
            ctx.warn("cli.no_recovery_warning")
    finally:
        journal.close()
    return EXIT_OK


def describe_kdf(kdf) -> str:
    """``Argon2id t=3 m=256 MiB p=4`` (or scrypt)."""
    if kdf.kind == "scrypt":
        return f"scrypt N=2^{kdf.log_n} r={kdf.r} p={kdf.p}"
    return f"Argon2id t={kdf.t} m={kdf.m_kib // 1024} MiB p={kdf.p}"


def show_recovery_key(ctx: Context, key: str) -> None:
    """Print a recovery key once, with what it means."""
    ctx.say("cli.recovery_title")
    print(f"\n    {key}\n")
    ctx.say("cli.recovery_warning")


def cmd_add(ctx: Context) -> int:
    """``selfcheck add``: record a study entry."""
    from .store.models import MAX_MINUTES, InvalidField, StudyEntry, clean_text, today_iso, validate_study

    args = ctx.args
    minutes = check_count(args.minutes, ctx.tr, MAX_MINUTES)
    day = check_date(args.date, ctx.tr) or today_iso()
    if not clean_text(args.title).strip():
        raise CliError(ctx.tr("error.empty_title"), EXIT_USAGE)
    if any(not clean_text(t).strip() for t in args.tag):
        raise CliError(ctx.tr("error.empty_tag"), EXIT_USAGE)
    check_data_dir(ctx.data_dir, ctx.tr)
    notes = sys.stdin.read() if args.notes == "-" else args.notes
    entry = StudyEntry(
        date=day,
        title=clean_text(args.title),
        source=clean_text(args.source),
        form=clean_text(args.form),
        minutes=minutes,
        tags=[clean_text(t) for t in args.tag],
        excerpt=clean_text(args.excerpt),
        notes=clean_text(notes),
    )
    try:
        validate_study(entry.to_doc())  # the same rule as import and the TUI
    except InvalidField as exc:
        raise CliError(field_message(exc, ctx.tr), EXIT_USAGE) from None
    journal = ctx.open_journal()
    try:
        journal.add_study(entry)
    finally:
        journal.close()
    ctx.say("cli.added", date=entry.date, title=printable(entry.title))
    return EXIT_OK


def cmd_list(ctx: Context) -> int:
    """``selfcheck list``: study entries, newest first."""
    args = ctx.args
    count = check_count(args.count, ctx.tr)
    date_from, date_to = check_date(args.date_from, ctx.tr), check_date(args.date_to, ctx.tr)
    check_data_dir(ctx.data_dir, ctx.tr)
    journal = ctx.open_journal()
    try:
        shown, total = journal.study_page(
            text=args.search, date_from=date_from, date_to=date_to, tag=args.tag, limit=count
        )
    finally:
        journal.close()
    if args.json:
        print(json.dumps([e.to_doc() for e in shown], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not total:
        ctx.say("cli.list_empty")
        return EXIT_OK
    for e in shown:
        parts = [e.date, ctx.tr("cli.minutes", n=e.minutes).rjust(8)]
        if e.form:
            parts.append(printable(e.form))
        parts.append(printable(e.title))
        if e.tags:
            parts.append(" ".join("#" + printable(t) for t in e.tags))
        print("  ".join(parts))
    if total > len(shown):
        ctx.warn("cli.list_more", total=total, shown=len(shown))
    return EXIT_OK


def cmd_status(ctx: Context) -> int:
    """``selfcheck status [--json]``: the vault, and once unlocked, when each self-check was last
    done, study this week and month, open and overdue rectification items, the next meeting.

    Whether the vault is there and free is said before any passphrase is asked (exit 1 and 5).
    Counts and dates only: no entry's text, no study title. The numbers are Home's
    (:func:`selfcheck.analysis.review.overview`).
    """
    from datetime import date

    from .checklists import four, load_all, others
    from .store.errors import VaultInUse, VaultMissing
    from .store.journal import vault_path
    from .store.lock import VaultLock

    tr, lang, as_json = ctx.tr, ctx.tr.lang, ctx.args.json
    check_data_dir(ctx.data_dir, tr)
    vault = vault_path(ctx.data_dir)
    shown = printable(str(vault))
    if not vault.exists():
        if as_json:
            print(json.dumps({"vault": str(vault), "found": False, "in_use": False}, ensure_ascii=False))
        raise CliError(tr("status.not_found", path=shown), VaultMissing.exit_code)
    try:
        with VaultLock(ctx.data_dir):  # a look only: the unlock below takes it for real
            pass
    except VaultInUse:
        if as_json:
            print(json.dumps({"vault": str(vault), "found": True, "in_use": True}, ensure_ascii=False))
        raise CliError(tr("status.in_use", path=shown), VaultInUse.exit_code) from None

    if not as_json:  # the vault line first: it is known before the passphrase
        print(tr("status.vault", path=shown))
        sys.stdout.flush()
    checklists = load_all().checklists
    mains, extra = four(checklists), others(checklists)
    journal = ctx.open_journal()
    try:
        from .analysis.review import overview
        from .store.models import today_iso

        today = date.fromisoformat(today_iso())
        listed = mains + [c for c in extra if journal.assessments(c.id, limit=1)]
        seen = overview(journal, [c.id for c in listed], today)
        dated = sorted((m for m in journal.meetings() if m.date and m.date >= today.isoformat()), key=lambda m: m.date or "")
    finally:
        journal.close()
    study, actions = seen.study, seen.actions
    meeting = dated[0] if dated else None
    if as_json:
        print(json.dumps({
            "vault": str(vault),
            "found": True,
            "in_use": False,
            "today": today.isoformat(),
            "checks": [
                {"id": c.id, "title": c.title_in(lang), "last": status.last_date}
                for c, status in zip(listed, seen.checks)
            ],
            "study": {
                "week": {"entries": study.week_entries, "minutes": study.week_minutes},
                "month": {"entries": study.month_entries, "minutes": study.month_minutes},
            },
            "rectification": {"open": actions.open, "overdue": actions.overdue},
            "next_meeting": {"date": meeting.date, "year": meeting.year} if meeting else None,
        }, ensure_ascii=False, indent=1))
        return EXIT_OK
    labels = [printable(c.title_in(lang)) for c in listed]
    labels += [tr(k) for k in ("status.week", "status.month", "status.actions", "status.meeting")]
    width = max(_columns(label) for label in labels)

    def line(label: str, value: str) -> None:
        print(label + " " * (width - _columns(label) + 2) + value)

    for checklist, status in zip(listed, seen.checks):
        last = status.last_date
        line(printable(checklist.title_in(lang)), tr("status.last", date=last) if last else tr("status.never"))
    line(tr("status.week"), tr("status.study_value", entries=study.week_entries, minutes=study.week_minutes))
    line(tr("status.month"), tr("status.study_value", entries=study.month_entries, minutes=study.month_minutes))
    line(tr("status.actions"), tr("status.actions_value", open=actions.open, overdue=actions.overdue))
    line(tr("status.meeting"), tr("status.meeting_value", date=meeting.date, year=meeting.year) if meeting else tr("status.meeting_none"))
    return EXIT_OK


def cmd_export(ctx: Context) -> int:
    """``selfcheck export [TEMPLATE] [--format md|txt|docx] -o FILE``: a document of the user's
    own words; ``selfcheck export [--format json] -o FILE``: everything, lossless.

    ``-o`` follows :func:`selfcheck.export.files.resolve_target`: the extension decides the
    format, an unknown one is refused, a name without one gets the format's, a folder gets the
    default name inside it; the whole path written is said.
    """
    from .store.exchange import export_json
    from .store.models import today_iso

    args, tr = ctx.args, ctx.tr
    template = export_template(args, tr)
    if template and args.format == "json":
        raise CliError(tr("export_cli.json_no_template"), EXIT_USAGE)
    if not template and args.format not in (None, "json"):
        raise CliError(tr("export_cli.needs_template", format=args.format), EXIT_USAGE)
    today = today_iso()
    if template:
        return export_document(ctx, template, today)
    target = export_target(ctx, "json", lambda fmt: tr("export_cli.json_filename", date=today) + ".json")
    if target.format != "json":
        raise CliError(tr("export_cli.needs_template", format=target.format), EXIT_USAGE)
    journal = ctx.open_journal()
    try:
        data = export_json(journal)
    finally:
        journal.close()
    write_export_file(ctx, target.path, data)
    ctx.say("cli.exported", path=printable(str(target.path)))
    ctx.warn("cli.export_warning")
    return EXIT_OK


def export_template(args: argparse.Namespace, tr: Translator) -> str | None:
    """The template named by ``export TEMPLATE`` or ``--template`` (both: the same one)."""
    word, option = args.template_word, args.template
    if word and option and word != option:
        raise CliError(tr("export_cli.template_twice", first=word, second=option), EXIT_USAGE)
    return word or option


def export_target(ctx: Context, default_format: str, default_name: Callable[[str], str]):
    """Where ``-o`` says to write (see :func:`cmd_export`), refused before any passphrase is
    asked when the name does not work or the file exists (without ``--force``)."""
    from .export.files import TargetRefused, resolve_target

    tr = ctx.tr
    try:
        target = resolve_target(ctx.args.output, ctx.args.format, default_format=default_format, default_name=default_name)
    except TargetRefused as exc:
        fields = {k: printable(v) for k, v in exc.fields.items()}
        raise CliError(tr(f"export_cli.{exc.problem}", **fields), EXIT_USAGE) from None
    if target.path.exists() and not ctx.args.force:
        raise CliError(tr("error.file_exists", path=printable(str(target.path))))
    return target


def write_export_file(ctx: Context, path: Path, data: bytes) -> None:
    """Write an export (0600, missing folders made 0700); one translated line if it fails."""
    from .export.files import write_export

    try:
        write_export(path, data, overwrite=ctx.args.force)
    except FileExistsError:
        raise CliError(ctx.tr("error.file_exists", path=printable(str(path)))) from None
    except OSError as exc:
        raise CliError(ctx.tr("error.file_write", path=printable(str(path)), detail=os_error_reason(exc, ctx.tr))) from None


def export_period(args: argparse.Namespace, template: str, tr: Translator, today: str) -> tuple[Period, int | None]:
    """The period of a document export and the 年度 asked for with ``--year`` (None without).

    ``--year`` is that calendar year (the 年度 of a meeting, study summary or appraisal); without
    it the yearly templates cover the 年度 a meeting prepared ``today`` is for (January to March:
    the previous year) and a talk the last quarter. ``--from`` / ``--to`` override either end.
    """
    from . import export
    from .export.gather import YEARLY

    date_from, date_to = check_date(args.date_from, tr), check_date(args.date_to, tr)
    year: int | None = None
    if args.year is not None:
        text = args.year.strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4 and "1900" <= text <= "2100"):
            raise CliError(tr("export_cli.bad_year", value=printable(args.year)), EXIT_USAGE)
        year = int(text)
        base = export.Period.of_year(year)
    elif date_to and template in YEARLY:
        base = export.Period.of_year(int(date_to[:4]))
    elif date_to:
        base = export.default_period(template, date_to)
    elif template in YEARLY:
        base = export.Period.of_year(export.default_year(today))
    else:
        base = export.default_period(template, today)
    start, end = date_from or base.start, date_to or base.end
    if start is not None and start > end:
        raise CliError(tr("export_cli.bad_period", start=start, end=end), EXIT_USAGE)
    return export.Period(start, end), year


def export_document(ctx: Context, template: str, today: str) -> int:
    """Build, render and write one export document (meeting, talk, talkprep, study or appraisal)."""
    from . import export
    from .store.models import clean_text

    args, tr = ctx.args, ctx.tr
    lang = tr.lang
    period, year = export_period(args, template, tr, today)
    grade = None
    if template == "appraisal" and args.grade:
        grade = export.parse_grade(args.grade)
        if grade is None:
            raise CliError(tr("export_cli.bad_grade", value=printable(args.grade)), EXIT_USAGE)
    presets = export.font_presets()
    if args.font_preset and args.font_preset not in presets:
        raise CliError(tr("export_cli.bad_preset", value=printable(args.font_preset), names="、".join(presets)), EXIT_USAGE)
    aspects: tuple[export.Aspect, ...] | None
    if args.aspect:
        aspects = export.custom_aspects([clean_text(h) for h in args.aspect])
    else:
        aspects = export.aspects(args.aspects, lang) if args.aspects else None
    target = export_target(ctx, "md", lambda fmt: export.suggested_filename(template, fmt, period, lang))
    if target.format == "json":
        raise CliError(tr("export_cli.json_no_template"), EXIT_USAGE)
    journal = ctx.open_journal()
    try:
        from .checklists import load_all

        # The user's own lists too: a self-check of one is named by its title, as in the app.
        material = export.Material.from_journal(journal, period, load_all().checklists)
        settings = journal.settings()
    finally:
        journal.close()
    preset = args.font_preset or settings.export_font_preset
    profile = {k: v for k, v in settings.profile.items() if isinstance(v, str)}
    options = export.Options(
        lang=lang,
        today=today,
        aspects=aspects,
        name=clean_text(args.name).strip() or profile.get("name", ""),
        branch=profile.get("branch", ""),
        joined=profile.get("joined", ""),
        position=profile.get("position", ""),
        grade=grade,
        # --year names the 年度 even when --from/--to move the period's ends.
        meeting=material.meeting_for(year) if year is not None else None,
    )
    if args.leave_out or args.include:
        listed = export.choices(template, material, period, options)
        out, chosen = set(args.leave_out), set(args.include) - set(args.leave_out)
        options = dataclasses.replace(
            options,
            left_out=frozenset(c.key for c in listed if c.default and c.section in out),
            picked=frozenset(c.key for c in listed if not c.default and c.section in chosen),
        )
    document = export.build(template, material, period, options)
    data = export.render(document, target.format, font_preset=preset if preset in presets else None)
    write_export_file(ctx, target.path, data)
    ctx.say("cli.exported", path=printable(str(target.path)))
    gaps = len(document.placeholders())
    if gaps:
        ctx.say("export_cli.placeholders", count=gaps)
    ctx.warn("cli.export_warning")
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    """``selfcheck import FILE``: merge a JSON export by id."""
    from .store.exchange import import_document, parse_import, read_import_file

    raw = read_import_file(ctx.args.file)  # a folder, a huge file or /dev/zero: refused here
    doc = parse_import(raw)  # validate before asking for the passphrase
    check_data_dir(ctx.data_dir, ctx.tr)
    journal = ctx.open_journal()
    try:
        report = import_document(journal, doc)
    finally:
        journal.close()
    ctx.say("cli.imported", added=report.total_added, updated=report.total_updated, unchanged=report.total_unchanged)
    if report.settings_applied:
        ctx.say("cli.imported_settings")
    return EXIT_OK


def cmd_backup(ctx: Context) -> int:
    """``selfcheck backup [-o FILE]``: copy the encrypted vault file."""
    from .store.backups import copy_vault
    from .store.errors import VaultExists, VaultMissing
    from .store.journal import vault_path

    if not vault_path(ctx.data_dir).exists():
        raise VaultMissing(str(vault_path(ctx.data_dir)))
    if ctx.args.output:
        target = Path(ctx.args.output)
    else:
        from .store.paths import documents_dir

        target = documents_dir() / f"selfcheck-backup-{datetime.now():%Y%m%d-%H%M%S}.scv"
    try:
        copy_vault(ctx.data_dir, target)
    except VaultExists:
        # A backup never replaces a file (there is no --force here): another name, then.
        raise CliError(ctx.tr("error.backup_exists", path=target)) from None
    except OSError as exc:
        raise CliError(ctx.tr("error.file_write", path=target, detail=os_error_reason(exc, ctx.tr))) from None
    ctx.say("cli.backed_up", path=target)
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    """``selfcheck restore FILE``: replace the vault with a backup that opens."""
    from .store.backups import restore_backup
    from .store.errors import BadFormat as VaultBadFormat
    from .store.errors import Corrupted, PayloadCorrupted, UnsupportedVersion, VaultMissing
    from .store.journal import Journal

    source = Path(ctx.args.file)
    if not source.is_file():
        raise CliError(ctx.tr("error.file_read", path=source))
    passphrase = ctx.passphrase()
    try:
        journal = Journal.open(ctx.data_dir, passphrase=passphrase)
    except (WrongPassphrase, VaultMissing, Corrupted, PayloadCorrupted, UnsupportedVersion, VaultBadFormat):
        # The vault does not open with this passphrase (damaged, missing, or this is the copy's
        # own passphrase): put the copy in its place; its passphrase opens the result.
        restore_backup(ctx.data_dir, source, passphrase=passphrase)
        ctx.say("cli.restored", path=source)
        return EXIT_OK
    # Today's vault opens: the copy's records go in under today's keys (Settings does the same).
    try:
        journal = journal.restore_records(source, passphrase)
    finally:
        journal.close()
    ctx.say("cli.restored_records", path=source)
    return EXIT_OK


def cmd_passwd(ctx: Context) -> int:
    """``selfcheck passwd``: re-wrap the data key under a new passphrase."""
    from .session import rotation_lines
    from .store.journal import Journal
    from .store.vault import KdfParams

    args = ctx.args
    if args.recovery or args.recovery_key_file:
        if args.recovery_key_file:
            key = read_secret_file(args.recovery_key_file, ctx.tr)
        else:
            key = ask(ctx.tr("prompt.recovery_key"), ctx.tr)
        try:
            journal = Journal.open(ctx.data_dir, recovery_key=key)
        except WrongPassphrase:
            raise CliError(ctx.tr("error.wrong_recovery_key"), WrongPassphrase.exit_code) from None
        except ValueError:  # not a recovery key at all (wrong length or letters)
            raise CliError(ctx.tr("error.wrong_recovery_key"), WrongPassphrase.exit_code) from None
    else:
        journal = ctx.open_journal()
    try:
        new = ctx.new_passphrase(args.new_passphrase_file)
        current = journal.passphrase_kdf
        kdf = KdfParams.for_memory(args.kdf_memory) if args.kdf_memory else current
        rotation = journal.change_passphrase(new, kdf=kdf)
        lines = rotation_lines(rotation, ctx.tr, new_recovery_key=bool(args.new_recovery_key))
        for line in lines:
            print(printable(line))
        if args.new_recovery_key:
            show_recovery_key(ctx, journal.set_recovery_key())
            ctx.say("cli.recovery_set")
    finally:
        journal.close()
    return EXIT_OK


def cmd_checklists(ctx: Context) -> int:
    """``selfcheck checklists [list | validate FILE]``: the self-check checklists (no vault needed)."""
    from .checklists import check_file, load_all

    lang = ctx.tr.lang
    if ctx.args.checklists_command == "validate":
        path = Path(ctx.args.file)
        if not path.is_file():
            raise CliError(ctx.tr("error.file_read", path=path))
        checklist, problems = check_file(path)
        for problem in problems:
            print(printable(problem.format(lang)))
        if problems:
            print(printable(ctx.tr("checklists.invalid", path=path, count=len(problems))), file=sys.stderr)
            return EXIT_ERROR
        assert checklist is not None  # no problems: it loaded
        print(printable(ctx.tr("checklists.valid", path=path, count=len(checklist.items))))
        return EXIT_OK
    result = load_all()
    for checklist in result.checklists:
        origin = "" if checklist.builtin else ctx.tr("checklists.origin_user", path=checklist.source)
        line = ctx.tr("checklists.list_line", id=checklist.id, version=checklist.version,
                      count=len(checklist.items), title=checklist.title_in(lang), origin=origin)
        print(printable(line))
    for path, problems in result.skipped.items():
        print(printable(ctx.tr("checklists.skipped", path=path, count=len(problems))), file=sys.stderr)
    return EXIT_OK


def cmd_tui(ctx: Context) -> int:
    """Bare ``selfcheck``: the TUI (first run creates the vault)."""
    check_data_dir(ctx.data_dir, ctx.tr)  # before the app asks for a passphrase
    from .app import make_app

    run_app(make_app(ctx.data_dir, lang=_forced_language(ctx.args)))
    return EXIT_OK


def cmd_demo(ctx: Context) -> int:
    """``selfcheck demo``: the TUI on a throwaway vault full of sample data, removed on exit."""
    import shutil
    import tempfile

    from .app import make_app
    from .store.journal import Journal
    from .store.vault import KdfParams
    from .synthetic import fill

    remove_stale_demos(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix="selfcheck-demo-"))
    try:
        journal = Journal.create(folder, DEMO_PASSPHRASE, kdf=KdfParams.for_memory(19))
        fill(journal, years=3, study=600, assessments=60, actions=30, talks=8)
        run_app(make_app(folder, lang=_forced_language(ctx.args), journal=journal, demo=True))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return EXIT_OK


#: The demo's passphrase (shown on its unlock screen after ctrl+l).
DEMO_PASSPHRASE = "demo"


def _forced_language(args: argparse.Namespace) -> str | None:
    """``--lang`` or ``$SELFCHECK_LANG`` when given: they win over the vault's setting."""
    from .i18n import LANG_ENV, LANGUAGES

    env = os.environ.get(LANG_ENV)
    return args.lang or (env if env in LANGUAGES else None)


#: One-line notices the TUI shows once it is up (e.g. the Textual variables it ignored).
_NOTICES: list[str] = []


def run_app(app: SelfCheckApp) -> None:
    """Run the TUI; whatever happens, pending saves finish and the vault is closed.

    SIGTERM and SIGHUP (the terminal closed) quit the careful way, as ctrl+q does: every open
    editor and dialog hands its draft to the session, queued saves finish, the vault is closed.
    """
    import signal

    def stop(signum: int, frame: object) -> None:
        # A signal handler runs on the event loop's thread between two steps: never block here,
        # only wake the loop (call_soon_threadsafe writes to its self-pipe).
        loop = getattr(app, "_loop", None)
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(lambda: app.request_quit(signalled=True))
        else:
            app.exit()

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    app.startup_notices.extend(_NOTICES)
    try:
        app.run()
    finally:
        app.shutdown()


def remove_stale_demos(parent: Path) -> None:
    """Remove demo folders left by a demo that was killed (their lock is free)."""
    import shutil

    from .store.errors import VaultInUse
    from .store.lock import VaultLock

    for folder in parent.glob("selfcheck-demo-*"):
        try:
            with VaultLock(folder):
                pass
        except (VaultInUse, OSError):
            continue
        shutil.rmtree(folder, ignore_errors=True)


COMMANDS: dict[str | None, Callable[[Context], int]] = {
    None: cmd_tui,
    "demo": cmd_demo,
    "init": cmd_init,
    "add": cmd_add,
    "list": cmd_list,
    "status": cmd_status,
    "export": cmd_export,
    "import": cmd_import,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "passwd": cmd_passwd,
    "checklists": cmd_checklists,
}


# --------------------------------------------------------------------------- entry point


#: Textual's environment variables that would copy what the screen shows (passphrases as typed,
#: the diary) to a file, a devtools server or a screenshot, or type keys on the user's behalf.
TEXTUAL_LEAKS = (
    "TEXTUAL",
    "TEXTUAL_LOG",
    "TEXTUAL_DEBUG",
    "TEXTUAL_DEVTOOLS_HOST",
    "TEXTUAL_DEVTOOLS_PORT",
    "TEXTUAL_SCREENSHOT",
    "TEXTUAL_SCREENSHOT_FILENAME",
    "TEXTUAL_SCREENSHOT_LOCATION",
    "TEXTUAL_PRESS",
    "TEXTUAL_SHOW_RETURN",
)


def neutralise_textual_env() -> list[str]:
    """Remove Textual's log, devtools, screenshot and key-press variables from this process's
    environment before Textual is imported (it reads them once, at import); return their names."""
    found = [name for name in TEXTUAL_LEAKS if os.environ.get(name)]
    for name in TEXTUAL_LEAKS:
        os.environ.pop(name, None)
    return found


def harden_process() -> None:
    """No core dumps (they would hold the decrypted data); best effort on each platform."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
        except (OSError, AttributeError):
            pass


_GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir", "--lang", "--passphrase-file")


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, read before parsing so only its parser is built; None when
    unsure (help asked for, no command, an unknown word): then every parser is built."""
    if "-h" in argv or "--help" in argv:
        return None
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _early_language(argv: Sequence[str]) -> str:
    """``--lang`` read before parsing, so even usage errors speak the user's language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return resolve_language(argv[i + 1])
        if arg.startswith("--lang="):
            return resolve_language(arg.split("=", 1)[1])
    return resolve_language(None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    tr = Translator(_early_language(argv))
    prefix = tr("error.prefix")
    try:
        args = parse_arguments(tr, argv)
        if args.version:
            print(tr("cli.version", version=__version__))
            return EXIT_OK
        if args.data_dir is not None and not args.data_dir.strip():
            raise CliError(tr("error.data_dir_empty"), EXIT_USAGE)
        harden_process()
        ignored = neutralise_textual_env()
        if ignored:
            print(tr("cli.textual_env_ignored", names=", ".join(ignored)), file=sys.stderr)
            _NOTICES.append(tr("cli.textual_env_ignored", names=", ".join(ignored)))
        if args.command in (None, "demo"):
            return COMMANDS[args.command](Context(args, tr))
        # A one-shot command lives for a fraction of a second and makes no reference cycles worth
        # collecting: the collector would only walk the records read (≈ 3% of a `list`).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return COMMANDS[args.command](Context(args, tr))
        finally:
            if collecting:
                gc.enable()
    except UsageError as exc:
        print(prefix + tr("error.usage", detail=exc), file=sys.stderr)
        return EXIT_USAGE
    except CliError as exc:
        print(prefix + str(exc), file=sys.stderr)
        return exc.exit_code
    except SelfcheckError as exc:
        print(prefix + error_message(exc, tr), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(prefix + tr("error.cancelled"), file=sys.stderr)
        return EXIT_CANCELLED
    except OSError as exc:  # a file the command needed: the path verbatim, the reason translated
        print(prefix + printable(os_error_text(exc, tr)), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the promise: no traceback ever reaches the user
        print(prefix + tr("error.internal", kind=type(exc).__name__), file=sys.stderr)
        return EXIT_ERROR


def error_message(exc: SelfcheckError, tr: Translator) -> str:
    """The translated one-line message for a store error (never the vault's contents)."""
    detail = getattr(exc, "detail", None) or (str(exc.args[0]) if exc.args else "")
    problem = getattr(exc, "problem", None)
    # A store error raised while handling an OSError (``raise … from None`` keeps it as the
    # context) carries the system's English words as its detail: say them in the user's language.
    cause = exc.__context__
    os_reason = os_error_reason(cause, tr) if isinstance(cause, OSError) else None
    if os_reason is not None and detail in (cause.strerror, str(cause)):  # type: ignore[union-attr]
        detail = os_reason
    if problem:  # an import refused for a named reason: say it in the user's language
        fields = {k: printable(str(v)) for k, v in getattr(exc, "fields", {}).items()}
        if os_reason is not None and "detail" in fields:
            fields["detail"] = os_reason
        field = getattr(exc, "field", "")
        if field:
            detail = tr(f"error.field_{problem}", field=printable(field), **fields)
        else:
            detail = tr(f"error.import_{problem}", **fields)
    return tr(exc.message_key, path=detail, detail=detail)


def field_message(exc: Exception, tr: Translator) -> str:
    """The translated line for a field a validator refused (``models.InvalidField``)."""
    fields = {k: printable(str(v)) for k, v in getattr(exc, "fields", {}).items()}
    return tr(f"error.field_{getattr(exc, 'problem', 'not_text')}", field=printable(str(getattr(exc, "field", ""))), **fields)
