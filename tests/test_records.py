"""The records database: generations as row ranges, read without loading everything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from indexer.indexing.records import FIGURE_PATHS, RecordDB, RecordView, ReportRow
from indexer.models import Check, Contact, Proactive, Report, Source
from search.memory import MemoryRecords


def _report(id_: str, township: str, penalties: int | None, fees: float | None = None) -> Report:
    return Report(
        id=id_,
        source=Source(path=f"{id_}.txt", sha256=id_, format="txt"),
        township=township,
        county="某县",
        year=2023,
        contact=Contact(phones=["0000-1234567"]),
        proactive=Proactive(penalties=penalties, fees=fees),
        sections={"overview": f"{township}的年度报告。"},
    )


def _generation(db: RecordDB, put: list[Report], delete: tuple[str, ...] = ()) -> int:
    seq = db.begin()
    for report in put:
        db.put(report)
    for report_id in delete:
        db.delete(report_id)
    db.commit()
    return seq


def test_each_generation_sees_its_own_rows(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    first = _generation(db, [_report("a", "甲乡", 3), _report("b", "乙镇", None)])
    second = _generation(db, [_report("a", "甲乡", 7), _report("c", "丙乡", 0)], ("b",))
    old, new = RecordView(tmp_path, first), RecordView(tmp_path, second)
    assert sorted(r.id for r in old.rows()) == ["a", "b"]
    assert sorted(r.id for r in new.rows()) == ["a", "c"]
    assert old.reports(["a"])["a"].proactive.penalties == 3
    assert new.reports(["a"])["a"].proactive.penalties == 7
    assert new.reports(["b"]) == {}
    assert old.figures(["proactive.penalties"]) == {"a": (3,), "b": (None,)}
    assert new.figures(["proactive.penalties"]) == {"a": (7,), "c": (0,)}
    assert new.contacts(["c"])["c"].phones == ["0000-1234567"]
    assert new.count() == 2
    db.close()


def test_figures_keep_their_kind(tmp_path: Path) -> None:
    """A count stays an int, 万元 a float, a blank stays null (never 0)."""
    db = RecordDB(tmp_path)
    seq = _generation(db, [_report("a", "甲乡", 12, 1.5), _report("b", "乙乡", None, 2.0)])
    view = RecordView(tmp_path, seq)
    found = view.figures(["proactive.penalties", "proactive.fees", "checks"])
    assert found == {"a": (12, 1.5, 0), "b": (None, 2.0, 0)}
    assert isinstance(found["a"][0], int) and isinstance(found["b"][1], float)
    db.close()


def test_rows_name_the_report_without_its_text(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    seq = _generation(db, [_report("a", "甲乡", 1)])
    (row,) = RecordView(tmp_path, seq).rows()
    assert row == ReportRow("a", 2023, None, None, "某县", "甲乡", None, None, None)
    db.close()


def test_a_generation_never_committed_is_forgotten(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    first = _generation(db, [_report("a", "甲乡", 1), _report("b", "乙乡", 2)])
    _generation(db, [_report("a", "甲乡", 9)], ("b",))  # written, but no pointer names it
    db.forget_after(first)
    third = _generation(db, [])
    view = RecordView(tmp_path, third)
    assert sorted(r.id for r in view.rows()) == ["a", "b"]
    assert view.figures(["proactive.penalties"]) == {"a": (1,), "b": (2,)}
    db.close()


def test_rows_no_kept_generation_sees_are_deleted(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    _generation(db, [_report(f"r{i}", f"{i}乡", i) for i in range(20)])
    second = _generation(db, [_report(f"r{i}", f"{i}乡", i + 100) for i in range(10)])
    db.collect([second])
    db.close()
    with sqlite3.connect(tmp_path / "records.sqlite") as raw:
        assert raw.execute("SELECT count(*) FROM reports").fetchone()[0] == 20
    view = RecordView(tmp_path, second)
    assert view.figures(["proactive.penalties"])["r3"] == (103,)
    assert view.figures(["proactive.penalties"])["r13"] == (13,)


def test_every_figure_path_is_a_column(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    seq = _generation(db, [_report("a", "甲乡", 4)])
    found = RecordView(tmp_path, seq).figures(FIGURE_PATHS)["a"]
    assert len(found) == len(FIGURE_PATHS)
    assert found[FIGURE_PATHS.index("proactive.penalties")] == 4
    assert found[FIGURE_PATHS.index("applications.new.total")] is None
    db.close()


def test_a_database_of_another_format_is_made_afresh(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    _generation(db, [_report("a", "甲乡", 1)])
    db.close()
    with sqlite3.connect(tmp_path / "records.sqlite") as raw:
        raw.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    again = RecordDB(tmp_path)
    assert again.live_ids(1) == set()  # nothing of the older format is read as ours
    seq = _generation(again, [_report("b", "乙乡", 2)])
    assert [r.id for r in RecordView(tmp_path, seq).rows()] == ["b"]
    again.close()


def test_texts_hold_what_snippets_need(tmp_path: Path) -> None:
    db = RecordDB(tmp_path)
    seq = _generation(db, [_report("a", "甲乡", 1)])
    text = RecordView(tmp_path, seq).texts(["a", "nope"])
    assert list(text) == ["a"]
    assert text["a"].sections == {"overview": "甲乡的年度报告。"}
    db.close()


def test_totals_sum_figures_and_keep_a_blank_blank(tmp_path: Path) -> None:
    """The database's sums are the metric's: blanks are skipped, all blank is null."""
    db = RecordDB(tmp_path)
    reports = [
        _report("a", "甲乡", 12, 1.5),
        _report("b", "乙乡", None, 2.0),
        _report("c", "丙乡", None, None),
        _report("d", "丁乡", 0, None),
    ]
    seq = _generation(db, reports)
    groups = [
        ("proactive.penalties",),
        ("proactive.penalties", "proactive.fees"),
        ("proactive.penalties", "proactive.penalties"),
        (),
    ]
    found = RecordView(tmp_path, seq).totals(groups)
    assert found == {
        "a": (12, 13.5, 24, None),
        "b": (None, 2.0, None, None),
        "c": (None, None, None, None),
        "d": (0, 0, 0, None),
    }
    assert isinstance(found["a"][0], int) and isinstance(found["a"][1], float)
    assert found == MemoryRecords(reports).totals(groups)
    db.close()


def test_messages_of_a_list_are_read_without_making_the_record(tmp_path: Path) -> None:
    """A failed check's message is what the record says, as the full record would give it."""
    db = RecordDB(tmp_path)
    report = _report("a", "甲乡", 1)
    report.checks = [Check(code="x.one", message="第一条"), Check(code="x.two", message="第二条")]
    seq = _generation(db, [report, _report("b", "乙乡", 2)])
    view = RecordView(tmp_path, seq)
    found = view.messages(["a", "b", "missing"], "checks")
    assert found == {"a": ["第一条", "第二条"], "b": []}
    assert found == MemoryRecords([report, _report("b", "乙乡", 2)]).messages(["a", "b"], "checks")
    assert view.messages(["a"], "no.such.path") == {"a": []}
    db.close()
