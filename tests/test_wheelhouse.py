"""tools/wheelhouse.py: the offline install archive, the parts that need no network.

pip is never run here: the tests that drive a whole build replace the script's ``run_pip`` with a
fake that writes small wheels, so they check the build's steps (sdist fallback, markers read for
the target, sums, notes, archive) without a download. CI builds and installs a real wheelhouse
after the tests (.ci/run).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "wheelhouse.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wheelhouse", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wheelhouse"] = module
    spec.loader.exec_module(module)
    return module


wh = _load()


def make_wheel(
    directory: Path,
    name: str,
    version: str,
    tags: str = "py3-none-any",
    requires: Sequence[str] = (),
    purelib: bool = True,
) -> Path:
    """A minimal but well-formed wheel: METADATA with Requires-Dist, WHEEL, one module."""
    dist = re.sub(r"[-.]+", "_", name)
    path = directory / f"{dist}-{version}-{tags}.whl"
    info = f"{dist}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    wheel = f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: {'true' if purelib else 'false'}\nTag: {tags}\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{dist}/__init__.py", "")
        archive.writestr(f"{info}/METADATA", metadata)
        archive.writestr(f"{info}/WHEEL", wheel)
        archive.writestr(f"{info}/RECORD", "")
    return path


# --------------------------------------------------------------------------- targets


def test_manylinux2014_x86_64_means_glibc_2_17_and_older_tags_only() -> None:
    target = wh.make_target("manylinux2014_x86_64", "3.11")
    tags = list(target.platforms)
    assert tags[:3] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_16_x86_64"]
    assert {"manylinux2010_x86_64", "manylinux_2_12_x86_64", "manylinux1_x86_64", "manylinux_2_5_x86_64"} <= set(tags)
    # A newer glibc's wheel would not install on a glibc 2.17 system.
    assert not [t for t in tags if re.fullmatch(r"manylinux_2_(1[89]|[2-9]\d)_x86_64", t)]
    assert tags.index("manylinux2010_x86_64") == tags.index("manylinux_2_12_x86_64") + 1
    assert len(tags) == len(set(tags)) == 13 + 3
    assert target.markers["sys_platform"] == "linux"
    assert target.markers["platform_machine"] == "x86_64"
    assert not target.windows


def test_manylinux2014_aarch64_has_no_older_tags() -> None:
    target = wh.make_target("manylinux2014_aarch64", "3.11")
    assert target.platforms == ("manylinux_2_17_aarch64", "manylinux2014_aarch64")
    assert target.markers["platform_machine"] == "aarch64"
    assert target.name == "manylinux2014_aarch64"


def test_a_newer_glibc_floor_is_asked_for_by_name() -> None:
    tags = wh.make_target("manylinux_2_28_x86_64", "3.11").platforms
    assert tags[0] == "manylinux_2_28_x86_64"
    assert "manylinux2014_x86_64" in tags and "manylinux_2_29_x86_64" not in tags


def test_win_amd64() -> None:
    target = wh.make_target("win_amd64", "3.11")
    assert target.platforms == ("win_amd64",)
    assert target.windows
    assert {"sys_platform": "win32", "os_name": "nt", "platform_system": "Windows"}.items() <= target.markers.items()
    assert target.markers["platform_machine"] == "AMD64"
    assert target.markers["python_version"] == "3.11"


def test_pip_gets_the_target_python_abi_and_every_platform_tag() -> None:
    args = wh.make_target("manylinux2014_aarch64", "3.11").pip_args()
    assert "--only-binary=:all:" in args
    pairs = list(zip(args[1::2], args[2::2])) if args[0] == "--only-binary=:all:" else []
    assert ("--python-version", "3.11") in pairs
    assert ("--implementation", "cp") in pairs
    # cp311 also admits abi3 wheels (cryptography's) and "none"; pip adds those by itself.
    assert ("--abi", "cp311") in pairs
    assert [v for k, v in pairs if k == "--platform"] == ["manylinux_2_17_aarch64", "manylinux2014_aarch64"]


def test_native_is_this_machine_and_this_python() -> None:
    target = wh.make_target()
    assert target.native and target.platforms == ()
    assert target.name == re.sub(r"[-.]", "_", sysconfig.get_platform())
    assert target.python == f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert target.pip_args() == ["--only-binary=:all:"]
    assert target.windows == (sys.platform == "win32")


@pytest.mark.parametrize(
    ("platform", "python"),
    [("macosx_11_0_arm64", "3.11"), ("linux_x86_64", "3.11"), ("manylinux_2_4_x86_64", "3.11"), ("win_amd64", "3")],
)
def test_a_target_it_cannot_serve_is_a_build_error(platform: str, python: str) -> None:
    with pytest.raises(wh.BuildError):
        wh.make_target(platform, python)


def test_archive_name() -> None:
    assert wh.archive_stem("0.1.0", wh.make_target("win_amd64", "3.11")) == "selfcheck-0.1.0-py311-win_amd64"
    assert (
        wh.archive_stem("1.2.3", wh.make_target("manylinux2014_x86_64", "3.12"))
        == "selfcheck-1.2.3-py312-manylinux2014_x86_64"
    )


# --------------------------------------------------------------------------- project


def test_version_is_read_without_importing_the_package(tmp_path: Path) -> None:
    (tmp_path / "selfcheck").mkdir()
    (tmp_path / "selfcheck" / "__init__.py").write_text(
        '"""Doc."""\nimport textual_not_installed_here\n\n__version__ = "9.8.7"\n', encoding="utf-8"
    )
    assert wh.read_version(tmp_path) == "9.8.7"
    (tmp_path / "selfcheck" / "__init__.py").write_text("VERSION = '1'\n", encoding="utf-8")
    with pytest.raises(wh.BuildError):
        wh.read_version(tmp_path)


def test_the_project_version_and_dependencies() -> None:
    import selfcheck

    assert wh.read_version() == selfcheck.__version__
    dependencies = wh.read_dependencies()
    names = {wh.canonical(re.split(r"[\[<>=!~;( ]", d, maxsplit=1)[0]) for d in dependencies}
    assert {"textual", "tinydb", "cryptography", "platformdirs", "python-docx", "zxcvbn"} <= names


# --------------------------------------------------------------------------- sums


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "selfcheck-0.1.0-py311-win_amd64"
    folder.mkdir()
    make_wheel(folder, "alpha", "1.0")
    make_wheel(folder, "beta", "2.0", "cp311-abi3-win_amd64")
    (folder / "INSTALL.txt").write_bytes("安装 / install\r\n".encode("utf-8-sig"))
    return folder


def test_sums_are_in_sha256sum_format_and_verify(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    lines = wh.write_sums(folder).read_text(encoding="ascii").splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == sorted(
        p.name for p in folder.iterdir() if p.name != "SHA256SUMS"
    )
    assert all(re.fullmatch(r"[0-9a-f]{64}  [^/\\ ]+", line) for line in lines)
    assert wh.verify_sums(folder) == []
    assert wh.main(["--verify", str(folder)]) == 0


def test_a_changed_missing_or_added_file_fails_verification(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    wh.write_sums(folder)
    wheel = next(folder.glob("alpha-*.whl"))
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    (folder / "INSTALL.txt").unlink()
    make_wheel(folder, "alpha", "9.9")  # a newer version slipped in: pip would prefer it
    problems = wh.verify_sums(folder)
    assert any(p.startswith("alpha-1.0-") and "does not match" in p for p in problems)
    assert "INSTALL.txt: missing" in problems
    assert any(p.startswith("alpha-9.9-") and "not listed" in p for p in problems)
    assert wh.main(["--verify", str(folder)]) == 1


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum on this machine")
def test_sha256sum_accepts_the_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    wh.write_sums(folder)
    check = ["sha256sum", "--check", "--strict", "SHA256SUMS"]
    assert subprocess.run(check, cwd=folder, capture_output=True).returncode == 0
    (folder / "INSTALL.txt").write_text("changed", encoding="utf-8")
    assert subprocess.run(check, cwd=folder, capture_output=True).returncode != 0


# --------------------------------------------------------------------------- INSTALL.txt


def test_install_text_carries_the_one_line_command_for_each_target() -> None:
    expected = {
        "manylinux2014_x86_64": "python3 -m pip install --no-index --find-links . selfcheck",
        "manylinux2014_aarch64": "python3 -m pip install --no-index --find-links . selfcheck",
        "win_amd64": "py -3.11 -m pip install --no-index --find-links . selfcheck",
    }
    for platform, command in expected.items():
        target = wh.make_target(platform, "3.11")
        assert wh.install_command(target) == command
        text = wh.install_text("0.1.0", target, ["selfcheck-0.1.0-py3-none-any.whl"])
        lines = [line.strip() for line in text.splitlines()]
        # The command stands alone on its line, in the Chinese and in the English part.
        assert lines.count(command) == 2, platform
        assert text.index("【中文】") < text.index("【English】")
        assert "安装" in text and "Install" in text
        assert "sha256sum -c SHA256SUMS" in lines
        assert any(line.startswith("Get-Content SHA256SUMS") and "Get-FileHash" in line for line in lines)
        assert "certutil -hashfile" in text
        assert f"selfcheck-0.1.0-py311-{platform}.zip" in text
        assert "  selfcheck-0.1.0-py3-none-any.whl" in text.splitlines()


def test_install_file_for_windows_opens_in_old_notepad(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "INSTALL.txt").unlink()
    raw = wh.write_install(folder, "0.1.0", wh.make_target("win_amd64", "3.11")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    linux = wh.write_install(folder, "0.1.0", wh.make_target("manylinux2014_x86_64", "3.11")).read_bytes()
    assert not linux.startswith(b"\xef\xbb\xbf") and b"\r" not in linux


# --------------------------------------------------------------------------- wheels


def test_purity_of_a_wheel(tmp_path: Path) -> None:
    assert wh.is_pure_wheel(make_wheel(tmp_path, "a", "1", "py2.py3-none-any"), "3.11")
    assert wh.is_pure_wheel(make_wheel(tmp_path, "b", "1", "py3-none-any"), "3.11")
    assert not wh.is_pure_wheel(make_wheel(tmp_path, "c", "1", "cp311-cp311-linux_x86_64", purelib=False), "3.11")
    assert not wh.is_pure_wheel(make_wheel(tmp_path, "d", "1", "py3-none-any", purelib=False), "3.11")
    assert not wh.is_pure_wheel(make_wheel(tmp_path, "e", "1", "py312-none-any"), "3.11")
    assert not wh.is_pure_wheel(make_wheel(tmp_path, "f", "1", "py2-none-any"), "3.11")


def test_requirements_are_read_with_the_targets_markers(tmp_path: Path) -> None:
    make_wheel(tmp_path, "selfcheck", "0.1.0", requires=["app-dep>=1", "linux-only; sys_platform == 'linux'"])
    make_wheel(
        tmp_path, "app-dep", "1.5", requires=["Win_Only[x]>=2; sys_platform == 'win32'", "old; python_version < '3.11'"]
    )
    make_wheel(tmp_path, "linux_only", "1.0", requires=["extra-only; extra == 'never'"])
    roots = ["selfcheck==0.1.0"]
    assert wh.missing_for_target(tmp_path, wh.make_target("manylinux2014_x86_64", "3.11"), roots) == []
    assert wh.missing_for_target(tmp_path, wh.make_target("win_amd64", "3.11"), roots) == ["Win_Only[x]>=2"]
    assert wh.missing_for_target(tmp_path, wh.make_target("win_amd64", "3.10"), roots) == ["Win_Only[x]>=2", "old"]
    make_wheel(tmp_path, "win-only", "2.1", requires=["only-with-x; extra == 'x'"])
    assert wh.missing_for_target(tmp_path, wh.make_target("win_amd64", "3.11"), roots) == ["only-with-x"]
    make_wheel(tmp_path, "only_with_x", "1")
    assert wh.missing_for_target(tmp_path, wh.make_target("win_amd64", "3.11"), roots) == []
    (tmp_path / "app_dep-1.5-py3-none-any.whl").unlink()
    make_wheel(tmp_path, "app-dep", "0.9")
    with pytest.raises(wh.BuildError, match="app-dep 0.9"):
        wh.missing_for_target(tmp_path, wh.make_target("win_amd64", "3.11"), roots)


def test_the_archive_holds_one_folder_that_verifies_after_unpacking(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    wh.write_sums(folder)
    archive = wh.pack(folder, tmp_path / "out" / f"{folder.name}.zip")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert names[0] == f"{folder.name}/" and all(n.startswith(f"{folder.name}/") for n in names)
        stored = {i.filename: i.compress_type for i in zipped.infolist()}
        assert all(stored[n] == zipfile.ZIP_STORED for n in names if n.endswith(".whl"))
        zipped.extractall(tmp_path / "unpacked")
    assert wh.verify_sums(tmp_path / "unpacked" / folder.name) == []
    assert not list((tmp_path / "out").glob("*.part"))
    # The same files make the same archive: a second build can confirm the first one's SHA-256.
    assert wh.pack(folder, tmp_path / "again" / archive.name).read_bytes() == archive.read_bytes()


# --------------------------------------------------------------------------- a whole build, pip faked


class FakePip:
    """Stands in for ``run_pip``: records each call, makes wheels, fails where told to."""

    def __init__(self, *, sdist_only: str = "", sdist_tags: str = "py3-none-any") -> None:
        self.calls: list[list[str]] = []
        self.envs: list[dict[str, str] | None] = []
        self.sdist_only = sdist_only
        self.sdist_tags = sdist_tags
        self.fail: Callable[[list[str]], str] | None = None

    def __call__(self, args: Sequence[str], log: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
        args = list(args)
        self.calls.append(args)
        self.envs.append(env)
        if self.fail is not None and (message := self.fail(args)):
            return 1, f"Collecting things\nERROR: {message}\n"
        target_dir = Path(args[args.index("-w" if "-w" in args else "-d") + 1])
        target_dir.mkdir(parents=True, exist_ok=True)
        if args[0] == "wheel" and not any(a.startswith("--no-binary=") for a in args):
            make_wheel(target_dir, "selfcheck", wh.read_version(), requires=wh.read_dependencies())
        elif args[0] == "wheel":
            make_wheel(target_dir, self.sdist_only, "4.5.0", self.sdist_tags)
        elif args[0] == "download" and "--no-index" not in args:
            links = Path(args[args.index("--find-links") + 1])
            if self.sdist_only and not list(links.glob("*.whl")):
                return 1, f"ERROR: No matching distribution found for {self.sdist_only}<5,>=4.4\n"
            for text in args[args.index("-d") + 2 :]:
                requirement = wh._packaging().Requirement(text)
                if requirement.name == self.sdist_only:
                    shutil.copy(next(links.glob("*.whl")), target_dir)
                    continue
                # A version the specifier admits, as the resolver would pick.
                candidates = [spec.version for spec in requirement.specifier] + ["0"]
                version = next(v for v in candidates if requirement.specifier.contains(v))
                tags = "cp311-abi3-win_amd64" if requirement.name == "cryptography" else "py3-none-any"
                make_wheel(target_dir, requirement.name, version, tags)
        return 0, "Successfully done\n"


def test_a_build_with_an_sdist_only_dependency(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakePip(sdist_only="zxcvbn")
    monkeypatch.setattr(wh, "run_pip", fake)
    archive, digest = wh.build(wh.make_target("win_amd64", "3.11"), tmp_path / "dist", quiet=True)
    version = wh.read_version()
    assert archive == tmp_path / "dist" / f"selfcheck-{version}-py311-win_amd64.zip"
    assert (tmp_path / "dist" / f"{archive.name}.sha256").read_text() == f"{digest}  {archive.name}\n"
    assert not list((tmp_path / "dist").glob("*.log"))
    commands = [c[0] for c in fake.calls]
    # Own wheel; download fails on the sdist-only project; it is built; download again; offline check.
    assert commands == ["wheel", "download", "wheel", "download", "download"]
    assert "--no-binary=zxcvbn" in fake.calls[2] and "zxcvbn<5,>=4.4" in fake.calls[2]
    for call in (fake.calls[1], fake.calls[3], fake.calls[4]):
        assert {"--only-binary=:all:", "--python-version", "--abi", "win_amd64"} <= set(call)
    assert "SOURCE_DATE_EPOCH" in (fake.envs[0] or {}) and "SOURCE_DATE_EPOCH" in (fake.envs[2] or {})
    offline = fake.calls[4]
    assert "--no-index" in offline and offline[-1] == "selfcheck"
    assert fake.envs[4] is not None and fake.envs[4]["PIP_CONFIG_FILE"] == wh.os.devnull
    assert not [k for k in fake.envs[4] if k.startswith("PIP_") and k != "PIP_CONFIG_FILE"]
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / archive.stem
    assert wh.verify_sums(folder) == []
    names = sorted(p.name for p in folder.glob("*.whl"))
    assert "zxcvbn-4.5.0-py3-none-any.whl" in names and f"selfcheck-{version}-py3-none-any.whl" in names
    assert "py -3.11 -m pip install --no-index --find-links . selfcheck" in (folder / "INSTALL.txt").read_text(
        "utf-8-sig"
    )


def test_an_sdist_that_is_not_pure_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakePip(sdist_only="zxcvbn", sdist_tags="cp311-cp311-linux_x86_64")
    monkeypatch.setattr(wh, "run_pip", fake)
    assert wh.main(["--platform", "win_amd64", "--python", "3.11", "--out", str(tmp_path / "dist"), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wheelhouse: error: zxcvbn has no wheel for win_amd64")
    assert "not pure Python" in err and "Traceback" not in err
    assert not list((tmp_path / "dist").glob("*.zip"))


@pytest.mark.parametrize(
    ("failing", "expected"),
    [
        ("wheel", "building the selfcheck wheel failed: Could not connect"),
        ("download", "pip download for manylinux2014_x86_64 failed: Could not connect"),
    ],
)
def test_a_pip_failure_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failing: str, expected: str
) -> None:
    fake = FakePip()
    fake.fail = lambda args: "Could not connect to the index: network is unreachable" if args[0] == failing else ""
    monkeypatch.setattr(wh, "run_pip", fake)
    argv = ["--platform", "manylinux2014_x86_64", "--python", "3.11", "--out", str(tmp_path / "dist"), "-q"]
    assert wh.main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"wheelhouse: error: {expected}")
    log = tmp_path / "dist" / f"selfcheck-{wh.read_version()}-py311-manylinux2014_x86_64.log"
    assert err.rstrip().endswith(f"(pip's output: {log})")
    assert not list((tmp_path / "dist").glob("*.zip"))


def test_an_unknown_platform_is_one_line_from_the_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--platform", "sparc_solaris", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("wheelhouse: error: unknown platform 'sparc_solaris'")
    assert done.stderr.count("\n") == 1 and done.stdout == ""
