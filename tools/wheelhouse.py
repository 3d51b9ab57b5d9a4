#!/usr/bin/env python3
"""Build an offline install archive (a "wheelhouse") of selfcheck for one target platform.

Run it on a machine with network (PyPI); carry the archive to a computer without one and install
there with ``pip install --no-index``. Needs Python 3.11+ and its pip, nothing else; runs on Linux
and Windows, from any directory.

    python3 tools/wheelhouse.py --platform manylinux2014_x86_64 --python 3.11   # x86_64 Linux
    python3 tools/wheelhouse.py --platform manylinux2014_aarch64 --python 3.11  # aarch64 Linux
    python3 tools/wheelhouse.py --platform win_amd64 --python 3.11              # 64-bit Windows
    python3 tools/wheelhouse.py                                                 # this machine
    python3 tools/wheelhouse.py --verify DIR                                    # check DIR/SHA256SUMS

What it does:

1. builds selfcheck's own wheel (``pip wheel --no-deps``) from a clean copy of the source tree, so
   a stale ``build/`` of the work tree cannot leak into it;
2. downloads every runtime dependency (``[project].dependencies``, transitively) as wheels for the
   target: ``pip download --only-binary=:all:`` with the target's platform tags, Python version,
   implementation (cp) and ABI (``cpXY``; pip then also takes ``abi3`` wheels such as
   cryptography's, and ``none``). A dependency that has no wheel for the target is built locally
   from its sdist (``pip wheel --no-deps``) and kept only if the result is pure Python
   (``py3-none-any``), so a wheelhouse for a foreign platform is complete too;
3. checks that the wheelhouse is closed under the requirements as they read on the target (pip
   evaluates environment markers such as ``sys_platform == "win32"`` for the machine it runs on,
   not for the target, so this script evaluates them itself and fetches what the target needs on
   top), then lets pip resolve ``selfcheck`` from the wheelhouse alone (``--no-index``, no pip
   configuration) for the target's tags;
4. writes ``SHA256SUMS`` (``sha256sum -c`` format) and ``INSTALL.txt`` (中文 and English) and packs
   the folder into ``selfcheck-<version>-py<XY>-<platform>.zip`` under ``--out`` (default
   ``dist/`` of the project), with ``<archive>.sha256`` beside it, and prints the archive's path
   and SHA-256. The same source and dependencies give the same archive byte for byte (fixed dates
   in the zip; ``SOURCE_DATE_EPOCH`` for the wheels built here), so a second build confirms a
   first one's SHA-256.

Limit: pip also follows requirements whose markers hold only on the building machine; if such a
requirement has no wheel for the target and is not pure Python, the build stops (build the
wheelhouse on a machine like the target then). None of selfcheck's dependencies is such a case.

A zip, not a tar.gz: the archive must open on the office PC whatever it runs; Windows opens a zip
with Explorer's "Extract all" and Linux with ``unzip`` or ``python3 -m zipfile -e``, while a
tar.gz needs extra tools on older Windows. Wheels are zips already, so they are stored, not
compressed twice.

Platform tags: ``manylinux2014_<arch>`` (the same as ``manylinux_2_17_<arch>``) means "glibc 2.17
or newer": pip is given that tag, its legacy aliases and every older glibc tag, and never a newer
one (a ``manylinux_2_28`` wheel would not install on a glibc 2.17 system). Ask for
``manylinux_2_28_x86_64`` to allow wheels up to glibc 2.28. ``win_amd64`` is 64-bit Windows.

Errors are one line on stderr (``wheelhouse: error: …``) and exit code 1; pip's full output of a
failed run is kept in ``<out>/<archive name>.log``. Exit codes: 0 done, 1 error, 2 usage, 130
cancelled.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import platform as platform_module
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path
from types import ModuleType

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
ROOT = Path(__file__).resolve().parent.parent
PROJECT = "selfcheck"
SUMS = "SHA256SUMS"
INSTALL = "INSTALL.txt"
#: The rounds of "download, then fetch what the target still lacks" before giving up.
MAX_ROUNDS = 8
#: One date for every archive entry, and for the files of the wheels built here (unless
#: SOURCE_DATE_EPOCH is set): the same source and dependencies make the same archive, byte for byte,
#: so a second build can confirm the SHA-256 of the first.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = "1577836800"
#: pip's message when nothing (no wheel for the target) satisfies a requirement.
NO_MATCH = re.compile(r"No matching distribution found for (\S+)")
SUM_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")
#: The legacy manylinux names (PEP 513, 571, 599) and the architectures each was defined for.
LEGACY_MANYLINUX = {
    17: ("manylinux2014", {"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "s390x"}),
    12: ("manylinux2010", {"x86_64", "i686"}),
    5: ("manylinux1", {"x86_64", "i686"}),
}
LEGACY_GLIBC = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}
WINDOWS_MACHINES = {"win_amd64": "AMD64", "win32": "x86", "win_arm64": "ARM64"}


class BuildError(Exception):
    """A failure to report as one line (no traceback) with exit code 1."""


# --------------------------------------------------------------------------- the target


@dataclass(frozen=True)
class Target:
    """What the wheelhouse is for: a platform and a Python version."""

    #: The platform as it appears in the archive name: ``win_amd64``, ``manylinux2014_x86_64`` …
    name: str
    #: ``"3.11"``.
    python: str
    #: The tags for pip's ``--platform``, most preferred first; empty: this machine's own.
    platforms: tuple[str, ...]
    #: The PEP 508 marker environment of the target.
    markers: dict[str, str] = field(compare=False)
    native: bool = False

    @property
    def windows(self) -> bool:
        return self.markers["sys_platform"] == "win32"

    @property
    def nodot(self) -> str:
        return self.python.replace(".", "")

    def pip_args(self) -> list[str]:
        """pip's options that restrict ``download`` to wheels this target can install."""
        args = ["--only-binary=:all:"]
        same_python = self.native and self.python == _running_python()
        if not same_python:
            args += ["--python-version", self.python, "--implementation", "cp", "--abi", f"cp{self.nodot}"]
        for tag in self.platforms:
            args += ["--platform", tag]
        return args


def _running_python() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def native_platform_name() -> str:
    """This interpreter's platform as a wheel tag: ``linux_x86_64``, ``win_amd64`` …"""
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


def manylinux_tags(glibc_minor: int, arch: str) -> list[str]:
    """Every manylinux tag a glibc ``2.<glibc_minor>`` system on ``arch`` installs, best first."""
    lowest = 5 if arch in {"x86_64", "i686"} else 17
    if glibc_minor < lowest:
        raise BuildError(f"no manylinux tag for glibc 2.{glibc_minor} on {arch} (the oldest is 2.{lowest})")
    tags = []
    for minor in range(glibc_minor, lowest - 1, -1):
        tags.append(f"manylinux_2_{minor}_{arch}")
        legacy = LEGACY_MANYLINUX.get(minor)
        if legacy is not None and arch in legacy[1]:
            tags.append(f"{legacy[0]}_{arch}")
    return tags


def musllinux_tags(musl_minor: int, arch: str) -> list[str]:
    return [f"musllinux_1_{minor}_{arch}" for minor in range(musl_minor, -1, -1)]


def _markers(python: str, sys_platform: str, system: str, machine: str) -> dict[str, str]:
    """The marker environment of a CPython ``python`` on another machine."""
    full = platform_module.python_version() if python == _running_python() else f"{python}.0"
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "nt" if sys_platform == "win32" else "posix",
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": system,
        "platform_version": "",
        "python_full_version": full,
        "python_version": python,
        "sys_platform": sys_platform,
    }


def make_target(platform: str = "native", python: str | None = None) -> Target:
    """The target named on the command line; a ``BuildError`` for a platform this cannot serve."""
    python = python or _running_python()
    if not re.fullmatch(r"3\.\d{1,2}", python):
        raise BuildError(f"--python wants a version like 3.11, not {python!r}")
    if platform == "native":
        markers = _markers(python, sys.platform, platform_module.system(), platform_module.machine())
        markers["platform_release"] = platform_module.release()
        markers["platform_version"] = platform_module.version()
        if sys.implementation.name != "cpython":
            raise BuildError("the native target needs CPython (selfcheck's wheels are for CPython)")
        return Target(native_platform_name(), python, (), markers, native=True)
    if platform in WINDOWS_MACHINES:
        return Target(platform, python, (platform,), _markers(python, "win32", "Windows", WINDOWS_MACHINES[platform]))
    many = re.fullmatch(r"(manylinux(?:1|2010|2014)|manylinux_2_(\d+))_([a-z0-9_]+)", platform)
    if many:
        legacy, minor, arch = many.groups()
        glibc = int(minor) if minor else LEGACY_GLIBC[legacy]
        return Target(platform, python, tuple(manylinux_tags(glibc, arch)), _markers(python, "linux", "Linux", arch))
    musl = re.fullmatch(r"musllinux_1_(\d+)_([a-z0-9_]+)", platform)
    if musl:
        tags = tuple(musllinux_tags(int(musl.group(1)), musl.group(2)))
        return Target(platform, python, tags, _markers(python, "linux", "Linux", musl.group(2)))
    raise BuildError(
        f"unknown platform {platform!r}: use native, win_amd64, manylinux2014_x86_64, manylinux2014_aarch64"
        " (or manylinux_2_<glibc>_<arch>, musllinux_1_<n>_<arch>, win32, win_arm64)"
    )


# --------------------------------------------------------------------------- the project


def read_version(root: Path = ROOT) -> str:
    """``__version__`` of ``selfcheck/__init__.py``, read as text: no import, no dependency needed."""
    path = root / PROJECT / "__init__.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, SyntaxError, ValueError) as exc:
        raise BuildError(f"cannot read the version from {path}: {exc}") from None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise BuildError(f"no __version__ = '…' in {path}")


def read_dependencies(root: Path = ROOT) -> list[str]:
    """``[project].dependencies`` of ``pyproject.toml``."""
    path = root / "pyproject.toml"
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise BuildError(f"cannot read [project] of {path}: {exc}") from None
    if "dependencies" in project.get("dynamic", []):
        raise BuildError(f"{path}: dynamic dependencies are not supported here")
    return list(project.get("dependencies", []))


def archive_stem(version: str, target: Target) -> str:
    return f"{PROJECT}-{version}-py{target.nodot}-{target.name}"


def _ignore_for_copy(root: Path) -> Callable[[str, list[str]], set[str]]:
    """What a wheel build must not see: VCS data, caches, venvs, old builds and egg-info."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        top = Path(directory).resolve() == root
        skipped = set()
        for name in names:
            if name in {"__pycache__", ".git", ".hg", ".svn"} or name.endswith((".pyc", ".egg-info")):
                skipped.add(name)
            elif top and (name.startswith(".") or name in {"build", "dist", "venv", "node_modules"}):
                skipped.add(name)
        return skipped

    return ignore


# --------------------------------------------------------------------------- pip


def canonical(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def run_pip(args: Sequence[str], log: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """``python -m pip ARGS`` with its output appended to ``log``; (exit code, output)."""
    environment = dict(os.environ if env is None else env)
    environment["PYTHONIOENCODING"] = "utf-8"
    command = [sys.executable, "-m", "pip", *args]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=environment,
            check=False,
        )
    except OSError as exc:
        raise BuildError(f"cannot run pip: {exc}") from None
    output = done.stdout.decode("utf-8", "replace")
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {' '.join(command)}\n{output}\n[exit {done.returncode}]\n\n")
    return done.returncode, output


def pip_failure(what: str, output: str, log: Path) -> BuildError:
    """One line for a failed pip run: its last ``ERROR:`` line (or last line) and the log's path."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    reason = (errors or lines or ["no output"])[-1].removeprefix("ERROR:").strip()
    if "No module named pip" in output:
        reason = f"pip is not installed for {sys.executable}"
    return BuildError(f"{what} failed: {reason} (pip's output: {log})")


def isolated_pip_env() -> dict[str, str]:
    """The environment with every pip setting removed and pip's configuration files skipped."""
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


# --------------------------------------------------------------------------- wheels


def wheel_tags(filename: str) -> tuple[set[str], set[str], set[str]]:
    """The python, abi and platform tag sets of a wheel's file name."""
    parts = filename.removesuffix(".whl").split("-")
    if len(parts) not in (5, 6):
        raise BuildError(f"not a wheel file name: {filename}")
    py, abi, plat = parts[-3:]
    return set(py.split(".")), set(abi.split(".")), set(plat.split("."))


def wheel_metadata(path: Path) -> tuple[str, str, list[str], dict[str, str]]:
    """(Name, Version, Requires-Dist, WHEEL fields) read from a wheel without installing it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            meta = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
            info = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/WHEEL")]
            if len(meta) != 1 or len(info) != 1:
                raise BuildError(f"{path.name}: not one .dist-info/METADATA and WHEEL")
            metadata = HeaderParser().parsestr(archive.read(meta[0]).decode("utf-8"))
            wheel = HeaderParser().parsestr(archive.read(info[0]).decode("utf-8"))
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot read the wheel {path.name}: {exc}") from None
    return (
        str(metadata["Name"]),
        str(metadata["Version"]),
        [str(r) for r in metadata.get_all("Requires-Dist") or []],
        {key: str(value) for key, value in wheel.items()},
    )


def is_pure_wheel(path: Path, python: str) -> bool:
    """A pure-Python wheel that a CPython ``python`` on any platform installs: ``py3-none-any``."""
    py_tags, abi_tags, plat_tags = wheel_tags(path.name)
    major, minor = python.split(".")
    usable = {"py3", f"py{major}"} | {f"py{major}{m}" for m in range(int(minor) + 1)}
    if not (py_tags & usable) or abi_tags != {"none"} or plat_tags != {"any"}:
        return False
    return wheel_metadata(path)[3].get("Root-Is-Purelib", "").strip().lower() == "true"


def _packaging() -> ModuleType | None:
    """PEP 508 requirements and markers: pip's own copy of ``packaging`` (pip is needed anyway)."""
    try:
        from pip._vendor.packaging import requirements
    except ImportError:
        try:
            from packaging import requirements  # type: ignore[no-redef]
        except ImportError:
            return None
    return requirements


def missing_for_target(wheel_dir: Path, target: Target, roots: Iterable[str]) -> list[str]:
    """The requirements, as the target evaluates their markers, that no wheel in ``wheel_dir`` meets.

    Walks from ``roots`` through each wheel's ``Requires-Dist`` with the target's marker
    environment and the extras asked for. A requirement whose project is absent is returned (as
    ``name[extras]specifier``, to be downloaded); one whose project is there in a version outside
    the specifier is a ``BuildError``.
    """
    requirements = _packaging()
    if requirements is None:
        raise BuildError("cannot check the wheelhouse: neither pip's vendored packaging nor packaging imports")
    found: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(wheel_dir.glob("*.whl")):
        name, version, requires, _ = wheel_metadata(path)
        found[canonical(name)] = (version, requires)
    missing: list[str] = []
    done: set[tuple[str, frozenset[str]]] = set()
    queue: list[tuple[str, frozenset[str]]] = [(root, frozenset()) for root in roots]
    while queue:
        text, parent_extras = queue.pop(0)
        try:
            req = requirements.Requirement(text)
        except requirements.InvalidRequirement as exc:
            raise BuildError(f"bad requirement {text!r}: {exc}") from None
        if req.marker is not None and not any(
            req.marker.evaluate({**target.markers, "extra": extra}) for extra in sorted(parent_extras) or [""]
        ):
            continue
        key = canonical(req.name)
        extras = frozenset(canonical(e) for e in req.extras)
        spelled = f"{req.name}{'[' + ','.join(sorted(req.extras)) + ']' if req.extras else ''}{req.specifier}"
        if key not in found:
            if spelled not in missing:
                missing.append(spelled)
            continue
        version, requires = found[key]
        if not req.specifier.contains(version, prereleases=True):
            raise BuildError(f"the wheelhouse has {req.name} {version}, but the target needs {req}")
        if (key, extras) in done:
            continue
        done.add((key, extras))
        queue.extend((dependency, extras) for dependency in requires)
    return missing


# --------------------------------------------------------------------------- sums, notes, archive


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(directory: Path) -> Path:
    """``SHA256SUMS`` for every other file of ``directory``, in ``sha256sum``'s text format."""
    files = sorted(p.name for p in directory.iterdir() if p.is_file() and p.name != SUMS)
    lines = [f"{sha256_file(directory / name)}  {name}\n" for name in files]
    path = directory / SUMS
    path.write_bytes("".join(lines).encode("utf-8"))
    return path


def verify_sums(directory: Path) -> list[str]:
    """The problems with ``directory/SHA256SUMS`` (empty: every file is listed and matches)."""
    sums = directory / SUMS
    try:
        text = sums.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot read {sums}: {exc}"]
    problems, listed = [], set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = SUM_LINE.fullmatch(line.rstrip("\r"))
        if match is None or "/" in match.group(2) or "\\" in match.group(2):
            problems.append(f"{SUMS} line {number}: not '<sha256>  <file name>'")
            continue
        expected, name = match.group(1).lower(), match.group(2)
        listed.add(name)
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != expected:
            problems.append(f"{name}: checksum does not match")
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name != SUMS and path.name not in listed:
            problems.append(f"{path.name}: not listed in {SUMS}")
    if not listed and not problems:
        problems.append(f"{SUMS} lists no file")
    return problems


def install_command(target: Target) -> str:
    """The one line that installs selfcheck from the unpacked folder (run inside that folder)."""
    python = f"py -{target.python}" if target.windows else "python3"
    return f"{python} -m pip install --no-index --find-links . {PROJECT}"


def install_text(version: str, target: Target, wheels: Sequence[str]) -> str:
    """``INSTALL.txt``: how to check and install the unpacked folder, in Chinese and in English."""
    stem = archive_stem(version, target)
    command = install_command(target)
    py = target.python
    if target.windows:
        where_zh = where_en = f"Windows ({target.name})"
        shell_zh = "在本文件夹中打开 PowerShell 或命令提示符（在资源管理器地址栏输入 powershell 后回车）"
        shell_en = "Open PowerShell or a command prompt in this folder (type powershell in Explorer's address bar)"
        check_zh = f"用 py -{py} --version 查看"
        check_en = f"check with py -{py} --version"
        run_zh = f"   selfcheck\n   （提示找不到命令时：py -{py} -m selfcheck）\n"
        run_en = f"   selfcheck\n   (if the command is not found: py -{py} -m selfcheck)\n"
        venv_zh = venv_en = ""
    else:
        machine = target.markers["platform_machine"]
        glibc = re.search(r"manylinux_2_(\d+)", " ".join(target.platforms))
        where_zh = f"{machine} Linux ({target.name}{f', glibc 2.{glibc.group(1)} 及以上' if glibc else ''})"
        where_en = f"{machine} Linux ({target.name}{f', glibc 2.{glibc.group(1)} or newer' if glibc else ''})"
        shell_zh = "在终端中进入本文件夹（cd 解压出的文件夹）"
        shell_en = "In a terminal, cd into this folder"
        check_zh = f"用 python3 --version 查看；不是 {py} 时把下面的 python3 换成 python{py}"
        check_en = f"check with python3 --version; if it is not {py}, use python{py} instead of python3 below"
        run_zh = "   selfcheck\n   （或 python3 -m selfcheck）\n"
        run_en = "   selfcheck\n   (or python3 -m selfcheck)\n"
        venv = f"python3 -m venv ~/selfcheck-venv && ~/selfcheck-venv/bin/{command.replace('python3 ', 'python ', 1)}"
        venv_zh = (
            "   若 pip 提示 externally-managed-environment（系统自带的 Python 不允许直接安装），\n"
            f"   改装到虚拟环境，之后用 ~/selfcheck-venv/bin/selfcheck 运行：\n   {venv}\n"
        )
        venv_en = (
            "   If pip answers externally-managed-environment (the system's Python refuses), install into\n"
            f"   a virtual environment and run ~/selfcheck-venv/bin/selfcheck afterwards:\n   {venv}\n"
        )
    powershell = (
        "Get-Content SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; "
        'if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -eq $h) { "OK      $f" } '
        'else { "FAILED  $f" } }'
    )
    listing = "".join(f"  {name}\n" for name in wheels)
    return f"""自省录 selfcheck {version} 离线安装包 / offline install package
{stem}
{"=" * 64}

【中文】

适用于：{where_zh}，Python {py}（{check_zh}）。
本文件夹含 selfcheck 及其全部依赖的 wheel 文件，安装时不需要联网。
{shell_zh}，再执行下面的命令。

1. 核对文件（任选一种）：
   Linux：
   sha256sum -c SHA256SUMS
   （每个文件都应显示 OK 或“成功”）

   Windows PowerShell：
   {powershell}
   （每行都应是 OK。也可逐个文件执行 certutil -hashfile 文件名 SHA256，
   与 SHA256SUMS 中同名一行比较，大小写不计。）

   压缩包本身：用 sha256sum {stem}.zip
   或 certutil -hashfile {stem}.zip SHA256 计算，与制作者另行告知的 SHA-256 比较。
   （SHA256SUMS 随压缩包一起携带，只能发现损坏，不能发现有人换了整个包。）

2. 安装（一行）：
   {command}
{venv_zh}
3. 运行：
{run_zh}
【English】

For: {where_en}, Python {py} ({check_en}).
This folder holds the wheels of selfcheck and of everything it needs: installing needs no network.
{shell_en}, then run the commands below.

1. Verify the files (either way):
   Linux:
   sha256sum -c SHA256SUMS
   (every file must say OK)

   Windows PowerShell:
   {powershell}
   (every line must say OK. Or run certutil -hashfile FILE SHA256 for each file and compare with
   its line in SHA256SUMS, ignoring case.)

   The archive itself: compute sha256sum {stem}.zip
   or certutil -hashfile {stem}.zip SHA256 and compare with the SHA-256 its maker gave you
   separately. (SHA256SUMS travels inside the archive: it catches damage, not a swapped archive.)

2. Install (one line):
   {command}
{venv_en}
3. Run:
{run_en}
包含的文件 / Contents:
{listing}"""


def write_install(directory: Path, version: str, target: Target) -> Path:
    wheels = sorted(p.name for p in directory.glob("*.whl"))
    text = install_text(version, target, wheels)
    path = directory / INSTALL
    if target.windows:
        # Notepad before Windows 10 1903 reads UTF-8 only with a BOM, and lines only with CRLF.
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def pack(directory: Path, archive: Path) -> Path:
    """Zip ``directory`` as one top-level folder of ``archive`` (written whole, then renamed)."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w") as zipped:
        folder = zipfile.ZipInfo(directory.name + "/", ZIP_DATE)
        folder.external_attr = (0o40755 << 16) | 0x10
        zipped.writestr(folder, b"")
        for path in sorted(directory.iterdir()):
            entry = zipfile.ZipInfo(f"{directory.name}/{path.name}", ZIP_DATE)
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            with path.open("rb") as source, zipped.open(entry, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
    os.replace(partial, archive)
    return archive


# --------------------------------------------------------------------------- the build


def _say(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"wheelhouse: {message}", file=sys.stderr, flush=True)


def _reproducible_env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, **os.environ}


def build_own_wheel(root: Path, work: Path, stage: Path, log: Path, quiet: bool) -> Path:
    """selfcheck's wheel, built from a clean copy of ``root`` into ``stage``."""
    _say(quiet, f"building the {PROJECT} wheel")
    source = work / "source"
    shutil.copytree(root, source, ignore=_ignore_for_copy(root.resolve()))
    code, output = run_pip(
        ["wheel", "--no-deps", "--no-input", "--disable-pip-version-check", "-w", str(stage), str(source)],
        log,
        env=_reproducible_env(),
    )
    if code != 0:
        raise pip_failure(f"building the {PROJECT} wheel", output, log)
    wheels = list(stage.glob(f"{PROJECT}-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"pip wheel made no {PROJECT} wheel in {stage}")
    return wheels[0]


def build_pure_wheel(requirement: str, built: Path, target: Target, log: Path, quiet: bool) -> Path:
    """``requirement`` built from its sdist into ``built``; a ``BuildError`` unless it is pure."""
    name = re.split(r"[\[<>=!~;( ]", requirement, maxsplit=1)[0]
    _say(quiet, f"{name} has no wheel for {target.name}: building it from its sdist")
    scratch = built / f".{canonical(name)}"
    scratch.mkdir(parents=True, exist_ok=True)
    args = ["wheel", "--no-deps", "--no-input", "--disable-pip-version-check", f"--no-binary={name}"]
    code, output = run_pip([*args, "-w", str(scratch), requirement], log, env=_reproducible_env())
    if code != 0:
        raise pip_failure(f"{requirement} has no wheel for {target.name}, and building one from its sdist", output, log)
    wheels = list(scratch.glob("*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"building {requirement} made {len(wheels)} wheels, not one")
    wheel = wheels[0]
    if not is_pure_wheel(wheel, target.python):
        raise BuildError(
            f"{name} has no wheel for {target.name} on PyPI and is not pure Python ({wheel.name}):"
            " build the wheelhouse on the target platform itself (--platform native)"
        )
    return Path(shutil.move(str(wheel), str(built / wheel.name)))


def download_dependencies(
    requirements: list[str], stage: Path, built: Path, target: Target, log: Path, quiet: bool
) -> None:
    """Every wheel the target needs for ``requirements`` and for the project's wheel, into ``stage``."""
    _say(quiet, f"downloading the dependencies for {target.name}, Python {target.python}")
    base = ["download", "--no-input", "--disable-pip-version-check", *target.pip_args()]
    wanted = list(requirements)
    own = f"{PROJECT}=={read_version_of(stage)}"
    tried_sdists: set[str] = set()
    for _ in range(MAX_ROUNDS):
        code, output = run_pip([*base, "--find-links", str(built), "-d", str(stage), *wanted], log)
        if code != 0:
            match = NO_MATCH.search(output)
            name = canonical(re.split(r"[\[<>=!~;( ]", match.group(1), maxsplit=1)[0]) if match else ""
            if not match or name in tried_sdists:
                raise pip_failure(f"pip download for {target.name}", output, log)
            tried_sdists.add(name)
            build_pure_wheel(match.group(1), built, target, log, quiet)
            continue
        wanted = missing_for_target(stage, target, [own])
        if not wanted:
            return
        _say(quiet, f"the target also needs: {', '.join(wanted)}")
    raise BuildError(f"the wheelhouse for {target.name} is still incomplete after {MAX_ROUNDS} rounds: {wanted}")


def read_version_of(stage: Path) -> str:
    """The version of the project's wheel in ``stage``."""
    wheels = sorted(stage.glob(f"{PROJECT}-*.whl"))
    if not wheels:
        raise BuildError(f"no {PROJECT} wheel in {stage}")
    return wheel_metadata(wheels[0])[1]


def check_offline(stage: Path, target: Target, work: Path, log: Path, quiet: bool) -> None:
    """pip, without any index or configuration, resolves the project from ``stage`` for the target."""
    _say(quiet, "checking that pip installs it from the folder alone (--no-index)")
    scratch = work / "offline-check"
    args = ["download", "--no-index", "--no-input", "--disable-pip-version-check", *target.pip_args()]
    args += ["--find-links", str(stage), "-d", str(scratch), PROJECT]
    code, output = run_pip(args, log, env=isolated_pip_env())
    if code != 0:
        raise pip_failure(f"the offline check (pip --no-index) for {target.name}", output, log)


def build(target: Target, out: Path, root: Path | None = None, quiet: bool = False) -> tuple[Path, str]:
    """Build the archive of the project at ``root`` (this one) for ``target`` under ``out``; (path, SHA-256)."""
    root = ROOT if root is None else root
    version = read_version(root)
    requirements = read_dependencies(root)
    stem = archive_stem(version, target)
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"{stem}.log"
    log.write_text("", encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="selfcheck-wheelhouse-"))
    try:
        stage = work / stem
        built = work / "built"
        stage.mkdir()
        built.mkdir()
        own = build_own_wheel(root, work, stage, log, quiet)
        if wheel_metadata(own)[1] != version:
            raise BuildError(f"{own.name} is not version {version} of {root / PROJECT / '__init__.py'}")
        download_dependencies(requirements, stage, built, target, log, quiet)
        check_offline(stage, target, work, log, quiet)
        write_install(stage, version, target)
        write_sums(stage)
        problems = verify_sums(stage)
        if problems:
            raise BuildError(f"{SUMS} does not verify: {problems[0]}")
        archive = pack(stage, out / f"{stem}.zip")
        digest = sha256_file(archive)
        (out / f"{archive.name}.sha256").write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.unlink(missing_ok=True)
    return archive, digest


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="wheelhouse.py",
        description="Build an offline install archive of selfcheck for one platform.",
        epilog="Targets: native (default), manylinux2014_x86_64, manylinux2014_aarch64, win_amd64.",
    )
    parser.add_argument("--platform", default="native", help="the target's platform tag (default: native)")
    parser.add_argument("--python", default=None, help="the target's Python version, like 3.11 (default: this one)")
    parser.add_argument("--out", default=None, help="the folder for the archive (default: the project's dist/)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the archive and its SHA-256")
    parser.add_argument("--verify", metavar="DIR", help="only check DIR/SHA256SUMS against the files in DIR")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.verify:
            problems = verify_sums(Path(args.verify))
            for problem in problems:
                print(f"wheelhouse: {problem}", file=sys.stderr)
            if problems:
                return EXIT_ERROR
            print(f"{args.verify}: OK")
            return EXIT_OK
        target = make_target(args.platform, args.python)
        out = Path(args.out) if args.out else ROOT / "dist"
        archive, digest = build(target, out.resolve(), quiet=args.quiet)
    except (BuildError, OSError) as exc:
        print(f"wheelhouse: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("wheelhouse: cancelled", file=sys.stderr)
        return EXIT_CANCELLED
    print(archive)
    print(f"SHA-256: {digest}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
