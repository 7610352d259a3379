"""The benchmark report: goals against the dynamic client or a physical limit, the table, the exit status."""

from __future__ import annotations

from benchmarks._harness import Row, at_most, faster_by, fraction_of, over_limit_at_most, table, verdict


def test_goals_against_the_dynamic_client() -> None:
    assert Row(metric="m", unit="us", dynamic=40, static=10, goal=faster_by(4)).passed is True
    assert Row(metric="m", unit="us", dynamic=39, static=10, goal=faster_by(4)).passed is False
    assert Row(metric="m", unit="ms", dynamic=100, static=85, goal=fraction_of(0.85)).passed is True
    assert Row(metric="m", unit="us", dynamic=0, static=5.5, goal=at_most(5, "us")).passed is False
    assert Row(metric="m", unit="us", dynamic=1, static=2).passed is None


def test_goals_against_the_limit() -> None:
    goal = over_limit_at_most(1, "MiB")
    assert Row(metric="m", unit="MiB", dynamic=16, static=2.8, goal=goal, limit=2.7).passed is True
    assert Row(metric="m", unit="MiB", dynamic=16, static=3.8, goal=goal, limit=2.7).passed is False
    # A goal stated against a limit that was not measured cannot pass.
    assert Row(metric="m", unit="MiB", dynamic=16, static=0, goal=goal).passed is False


def test_the_table_shows_each_limit_and_what_it_is() -> None:
    rows = [
        Row(metric="get", unit="us", dynamic=766, static=290, limit=255, limit_text="bare httplib2", goal=faster_by(2)),
        Row(metric="build", unit="us", dynamic=100, static=10),
    ]
    lines = table(rows).splitlines()
    assert lines[0].split() == [
        "metric", "unit", "dynamic", "static", "limit", "static/dyn", "speedup", "goal", "result"
    ]  # fmt: skip
    assert lines[2].split()[:6] == ["get", "us", "766", "290", "255", "[1]"]
    assert lines[3].split()[4] == "-"
    assert lines[-1] == "[1] get: bare httplib2"


def test_exit_status_names_every_failed_goal() -> None:
    passing = Row(metric="fast", unit="us", dynamic=40, static=10, goal=faster_by(4))
    failing = Row(metric="compute v1: build", unit="ms", dynamic=100, static=15, goal=faster_by(10))
    assert verdict([passing], 1.0) == (["1/1 goals passed in 1 s"], 0)
    lines, status = verdict([passing, failing], 1.0)
    assert status == 1
    assert lines[1:] == ["FAIL: compute v1: build: goal >= 10x faster, measured 15.0 ms"]
