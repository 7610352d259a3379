"""generate never harms files it did not write, and its output is old or new, never missing or half-made.

Real processes and real file systems: the generator runs as a subprocess that
is killed (SIGKILL or SIGTERM) at a chosen file-system call or at a random
moment; full disks and read-only folders are real tmpfs mounts where the test
may mount them (root), and a failing write layer otherwise.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import strategies as st

from codegen import cli, transaction
from tests.strategies import given, settings

REPO = Path(__file__).resolve().parent.parent
PINNED = REPO / "discovery" / "workspaceevents.v1.json"
PACKAGE = "workspaceevents"
# Counts the file-system calls of one run and kills the process at call number K (argv[1]) with signal argv[2].
DRIVER = """
import os, pathlib, shutil, sys
target, sig = int(sys.argv[1]), int(sys.argv[2])
calls = [0]
def hook(owner, name):
    real = getattr(owner, name)
    def counted(*args, **kwargs):
        calls[0] += 1
        if calls[0] == target:
            os.kill(os.getpid(), sig)
        return real(*args, **kwargs)
    setattr(owner, name, counted)
import codegen.transaction as t
for owner, name in [(os, "rename"), (os, "replace"), (shutil, "rmtree"), (pathlib.Path, "unlink"),
                    (pathlib.Path, "write_text"), (pathlib.Path, "mkdir"), (t, "_renameat2")]:
    hook(owner, name)
from codegen.cli import main
code = main(sys.argv[3:])
print(calls[0])
sys.exit(code)
"""
SAFE = settings(max_examples=10)
# Each example of these runs the generator in a subprocess (about 1-3 s).
SLOW = settings(max_examples=8)


def generate(out: Path, *extra: str, source: Path = PINNED) -> list[str]:
    return ["generate", str(source), "--out", str(out), "--docs", str(out / "html"), *extra]


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The output of an older revision of the pinned document ("old") and of the pinned one ("new")."""
    base = tmp_path_factory.mktemp("trees")
    older = base / "older.json"
    older.write_text(PINNED.read_text(encoding="utf-8").replace('"revision": "', '"revision": "1'), encoding="utf-8")
    assert cli.main(generate(base / "old", source=older)) == 0
    assert cli.main(generate(base / "new")) == 0
    return {"old": base / "old", "new": base / "new"}


def digests(out: Path) -> tuple[str, str]:
    return transaction.tree_digest(out / PACKAGE), transaction.tree_digest(out / "html")


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(transaction.PREFIX))


def fresh_copy(trees: dict[str, Path], tmp: Path, name: str = "old") -> Path:
    out = tmp / f"out-{time.monotonic_ns()}"
    shutil.copytree(trees[name], out)
    return out


def run_killed(out: Path, call: int, sig: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", DRIVER, str(call), str(int(sig)), *generate(out)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)


# -- foreign files ---------------------------------------------------------------------------------


names = st.lists(st.sampled_from(["NOTES.txt", "mine.py", "v1/extra.py", "data/x.json", "v1/service.py"]), min_size=1)


@SAFE
@given(foreign=names, text=st.text(min_size=1, max_size=40))
def test_foreign_files_are_refused_then_replaced_with_force(
    trees: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], foreign: list[str], text: str
) -> None:
    out = fresh_copy(trees, tmp_path)
    for relative in foreign:
        path = out / PACKAGE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"hand-written {text}", encoding="utf-8")
    before = digests(out)
    capsys.readouterr()
    assert cli.main(generate(out)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "not written by this generator" in err and "--force" in err
    assert str(out / PACKAGE / sorted(foreign)[0]) in err
    assert digests(out) == before, "a refused run changed the output"
    assert leftovers(out) == []
    assert cli.main(generate(out, "--force")) == 0
    assert digests(out) == digests(trees["new"])


def test_repo_tests_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's `--package tests --out .`: a folder of hand-written files is never replaced."""
    shutil.copytree(REPO / "tests" / "data", tmp_path / "tests")
    before = sorted(p.name for p in (tmp_path / "tests").iterdir())
    assert cli.main(["generate", str(PINNED), "--package", "tests", "--out", str(tmp_path)]) == 2
    assert "refusing to replace" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "tests").iterdir()) == before


def test_empty_folder_and_own_output_are_replaced(trees: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / PACKAGE).mkdir()
    assert cli.main(["generate", str(PINNED), "--out", str(tmp_path)]) == 0
    assert (tmp_path / PACKAGE / transaction.MANIFEST).is_file()
    out = fresh_copy(trees, tmp_path)
    assert cli.main(generate(out)) == 0
    assert digests(out) == digests(trees["new"])


@pytest.mark.parametrize("package", ["os", "json", "sys", "google", "googleapiclient", "discovery_runtime"])
def test_shadowing_package_names_are_refused(package: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["generate", str(PINNED), "--package", package, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and repr(package) in err
    assert list(tmp_path.iterdir()) == []


def test_one_package_takes_one_api(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = REPO / "tests" / "data" / "paging.json"
    assert cli.main(["generate", str(PINNED), str(other), "--package", "mixed", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "one --package takes versions of one API" in err
    assert list(tmp_path.iterdir()) == []


# -- paths that cannot be written ------------------------------------------------------------------


def test_out_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out"
    target.write_text("mine", encoding="utf-8")
    assert cli.main(["generate", str(PINNED), "--out", str(target)]) == 2
    assert capsys.readouterr().err == f"error: {target}: is a file, not a folder\n"
    assert target.read_text(encoding="utf-8") == "mine"
    assert cli.main(["generate", str(PINNED), "--out", str(target / "deeper")]) == 2


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A folder to mount a tmpfs on (root only; skipped elsewhere)."""
    point = tmp_path / "mnt"
    point.mkdir()
    yield point
    subprocess.run(["umount", str(point)], capture_output=True, check=False)


def _mount(point: Path, options: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, check=False
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {result.stderr.decode().strip()}")


def test_read_only_folder(mount: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _mount(mount, "ro,size=1m")
    assert cli.main(["generate", str(PINNED), "--out", str(mount)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {mount}: cannot write: Read-only file system\n", err
    assert ".codegen" not in err


def test_full_disk(trees: dict[str, Path], mount: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real ENOSPC: the old output fits on the tmpfs, old and new together do not."""
    size = sum(p.stat().st_size for p in trees["old"].rglob("*") if p.is_file())
    _mount(mount, f"size={size + size // 2}")
    shutil.copytree(trees["old"], mount / "out")
    before = digests(mount / "out")
    assert cli.main(generate(mount / "out")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and str(mount / "out") in err, err
    assert digests(mount / "out") == before
    assert leftovers(mount / "out") == []


@SAFE
@given(nth=st.integers(1, 60), code=st.sampled_from([errno.ENOSPC, errno.EIO, errno.EDQUOT]))
def test_failing_writes_change_nothing(
    trees: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    nth: int,
    code: int,
) -> None:
    """The write layer fails at its nth call: one line naming the user's folder, exit 2, output untouched."""
    out = fresh_copy(trees, tmp_path)
    before = digests(out)
    calls = [0]
    real = Path.write_text

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        calls[0] += 1
        if calls[0] == nth:
            raise OSError(code, os.strerror(code), str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(Path, "write_text", failing)
        status = cli.main(generate(out))
    err = capsys.readouterr().err
    if calls[0] < nth:  # fewer writes than nth: the run succeeded
        assert status == 0 and digests(out) == digests(trees["new"])
        return
    assert status == 2
    assert err.count("\n") == 1 and os.strerror(code) in err and str(out) in err, err
    assert transaction.PREFIX + str(os.getpid()) not in err  # names the user's path, not a staging folder
    assert digests(out) == before
    assert leftovers(out) == []


# -- kills and interrupts --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calls_per_run(trees: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> int:
    out = tmp_path_factory.mktemp("count") / "out"
    shutil.copytree(trees["old"], out)
    result = run_killed(out, 10**9, signal.SIGKILL)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


@SLOW
@given(data=st.data(), sig=st.sampled_from([signal.SIGKILL, signal.SIGTERM]))
def test_kill_at_any_file_system_call(
    trees: dict[str, Path], calls_per_run: int, tmp_path: Path, data: st.DataObject, sig: signal.Signals
) -> None:
    """Killed at its kth file-system call: the package and the pages are each old or new, never missing;
    the next run's recovery leaves all old or all new and no staged leftovers."""
    # Most calls are writes of staged files; the commit is the last tenth: weight it.
    call = data.draw(st.one_of(st.integers(1, calls_per_run), st.integers(calls_per_run * 9 // 10, calls_per_run)))
    out = fresh_copy(trees, tmp_path)
    old, new = digests(trees["old"]), digests(trees["new"])
    result = run_killed(out, call, sig)
    if sig == signal.SIGTERM:
        assert result.returncode in (0, 143), result.stderr
        assert result.stderr in ("", "terminated\n"), result.stderr
    now = digests(out)
    for index, part in enumerate((PACKAGE, "html")):
        assert now[index] in (old[index], new[index]), f"{part} is neither old nor new after a kill at call {call}"
    transaction.recover(out)
    assert digests(out) in (old, new)
    assert leftovers(out) == []
    if sig == signal.SIGTERM and result.returncode == 143:
        assert digests(out) in (old, new)


@SLOW
@given(delay=st.floats(0.5, 2.5), sig=st.sampled_from([signal.SIGINT, signal.SIGTERM, signal.SIGKILL]))
def test_signal_at_a_random_moment(trees: dict[str, Path], tmp_path: Path, delay: float, sig: signal.Signals) -> None:
    """Ctrl-C: one line, exit 130; SIGTERM: 143; SIGKILL: the next run finishes or cleans up."""
    out = fresh_copy(trees, tmp_path)
    old, new = digests(trees["old"]), digests(trees["new"])
    process = subprocess.Popen(
        [sys.executable, "-m", "codegen", *generate(out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(3):  # sleeps of at most 1 s each
        time.sleep(delay / 3)
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    each = digests(out)
    expected = {signal.SIGINT: (130, "interrupted\n"), signal.SIGTERM: (143, "terminated\n")}
    finished = process.returncode == 0 or (process.returncode == -sig and err == "" and each == new)
    if not finished and sig in expected:  # a signal after main() returned meets the interpreter's own handling
        assert (process.returncode, err) == expected[sig]
    assert each[0] in (old[0], new[0]) and each[1] in (old[1], new[1])
    assert cli.main(generate(out)) == 0  # a later run cleans up and writes the new output
    assert digests(out) == new
    assert leftovers(out) == []


def test_stale_folders_of_dead_processes_are_removed(trees: dict[str, Path], tmp_path: Path) -> None:
    out = fresh_copy(trees, tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = out / f"{transaction.PREFIX}{dead.stdout.strip()}-0123abcd"
    (stale / PACKAGE).mkdir(parents=True)
    ours = out / f"{transaction.PREFIX}{os.getpid()}-0123abcd"  # a live process: left alone
    ours.mkdir()
    assert cli.main(generate(out)) == 0
    assert not stale.exists() and ours.exists()


# Kills a transaction that replaces a folder and two files at its kth file-system call.
FILES_DRIVER = """
import os, pathlib, shutil, sys
target, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
calls = [0]
def hook(owner, name):
    real = getattr(owner, name)
    def counted(*args, **kwargs):
        calls[0] += 1
        if calls[0] == target:
            os.kill(os.getpid(), 9)
        return real(*args, **kwargs)
    setattr(owner, name, counted)
from codegen import transaction as t
for owner, name in [(os, "rename"), (os, "replace"), (shutil, "rmtree"), (pathlib.Path, "unlink"),
                    (pathlib.Path, "write_text"), (pathlib.Path, "mkdir"), (t, "_renameat2")]:
    hook(owner, name)
with t.Transaction() as txn:
    txn.replace_tree({"pages/a.txt": "new a", "pages/b.txt": "new b"}, out, ["pages"], manifest=True)
    txn.replace_file(out / "pinned.json", "new pin")
    txn.replace_file(out / "notes" / "CHANGELOG.md", "new log")
print(calls[0])
"""


def _state(out: Path) -> tuple[str, str, str]:
    return (
        (out / "pages" / "a.txt").read_text(encoding="utf-8"),
        (out / "pinned.json").read_text(encoding="utf-8"),
        (out / "notes" / "CHANGELOG.md").read_text(encoding="utf-8"),
    )


def _old_files(out: Path) -> None:
    with transaction.Transaction() as txn:
        txn.replace_tree({"pages/a.txt": "old a"}, out, ["pages"], manifest=True)
        txn.replace_file(out / "pinned.json", "old pin")
        txn.replace_file(out / "notes" / "CHANGELOG.md", "old log")


@SLOW
@given(call=st.integers(1, 24))  # a run makes 22 such calls
def test_a_killed_transaction_of_folders_and_files_is_all_old_or_all_new(tmp_path: Path, call: int) -> None:
    """Pinned document, changelog and pages move together: after recovery, all old or all new."""
    out = tmp_path / f"out-{call}-{time.monotonic_ns()}"
    _old_files(out)
    result = subprocess.run(
        [sys.executable, "-c", FILES_DRIVER, str(call), str(out)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    for part in _state(out):
        assert part.startswith(("old", "new")), "a target is missing or half-written"
    transaction.recover(out)
    transaction.recover(out / "notes")
    assert _state(out) in (("old a", "old pin", "old log"), ("new a", "new pin", "new log"))
    assert leftovers(out) == [] and leftovers(out / "notes") == []
