import json

import pytest

from nonreciprocal import report


def test_record_writes_the_chapter_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path))
    monkeypatch.setattr(report, "_RECORDS", {})
    report.record("demo", "fig1", paper="P", item="Fig. 1", claim="c", paper_value="1", our_value="1.0",
                  status="reproduced", section="demo-fig1")
    report.record("demo", "fig2", paper="P", item="Fig. 2", claim="c", paper_value="2", our_value="3",
                  deviation="50 %", status="differs", section="demo-fig2", why="a factor")
    # a second call with the same id replaces the record, it does not add one
    report.record("demo", "fig1", paper="P", item="Fig. 1", claim="c", paper_value="1", our_value="1.1",
                  status="reproduced", section="demo-fig1")
    data = json.loads((tmp_path / "demo" / "report-card.json").read_text())
    assert data["chapter"] == "demo"
    assert [r["id"] for r in data["records"]] == ["fig1", "fig2"]
    assert data["records"][0]["our_value"] == "1.1"


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(status="fine"), "status"),
        (dict(status="differs"), "needs a reason"),
        (dict(section="has space"), "section"),
        (dict(our_value=1.5), "format the number"),
    ],
)
def test_record_rejects_bad_input(tmp_path, monkeypatch, kwargs, message):
    monkeypatch.setenv("NONRECIPROCAL_FIGURES", str(tmp_path))
    args = dict(paper="P", item="Fig. 1", claim="c", paper_value="1", our_value="1", status="reproduced",
                section="demo-fig1")
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=message):
        report.record("demo", "x", **args)
