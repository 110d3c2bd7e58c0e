"""Alike rows are reported as what was done (all loaded) and why, not as an alarm."""

from cockpit.ingest.pipeline import load_files


def test_alike_survey_answers_all_load_and_the_note_says_so(store):
    lines = ["Response Date,CSAT,NPS Score"]
    lines += ["2024-03-04,5,9"] * 6 + ["2024-03-05,4,8"] * 3 + ["2024-03-06,2,3"]
    report = load_files(store, [("survey_march.csv", "\n".join(lines).encode())])
    sheet = report.files[0].sheets[0]
    assert sheet.dataset == "surveys", (sheet.dataset, sheet.messages)
    assert sheet.rows_loaded == 10
    note = next(w for w in sheet.messages if "alike" in w)
    assert note.startswith("7 rows are alike in every loaded column")
    assert "all of them are loaded" in note
    assert not any("duplicate rows" in w for w in sheet.messages)
