"""The SQL explorer's table list: raw copies in load order, each with the file it came from."""

from cockpit.ingest.pipeline import load_files
from cockpit.screens import schema_info


def test_raw_tables_in_load_order_with_their_file(store):
    files = [
        (f"notes_{i:02d}.csv", f"colour,size\nred,{i}\nblue,{i + 1}\n".encode()) for i in range(11)
    ]
    report = load_files(store, files)
    loaded = [f for f in report.files if f.sheets and f.sheets[0].load_id]
    assert len(loaded) == 11, [(f.file, f.status, f.messages) for f in report.files]
    raw = [t for t in schema_info.tables(store) if t["name"].startswith("raw_")]
    numbers = [int(t["name"].split("_")[1]) for t in raw]
    assert numbers == sorted(numbers)  # raw_2 before raw_10, not the text order
    assert len(raw) == 11
    assert [t["source"] for t in raw] == [f"notes_{i:02d}.csv" for i in range(11)]
    assert all(t["source"] is None for t in schema_info.tables(store) if t not in raw)
