"""What changed between two sets of atlas files: rows added, removed and changed, per table,
keyed by each table's id column (the first column; a feature's ``code`` for the areas)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # id -> {column: (before, after)}
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def rows_by_id(name: str, content: bytes) -> dict[str, dict[str, str]]:
    """A file's rows keyed by id: CSV rows by their first column, GeoJSON features by the
    ``code`` property (the geometry compared as its JSON text)."""
    text = content.decode("utf-8-sig")
    if name.endswith(".geojson"):
        features = json.loads(text).get("features") or []
        out: dict[str, dict[str, str]] = {}
        for i, feature in enumerate(features):
            props = {k: str(v) for k, v in (feature.get("properties") or {}).items()}
            key = props.get("code") or f"#{i + 1}"
            props["geometry"] = json.dumps(feature.get("geometry"), sort_keys=True)
            out[key] = props
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    records = list(reader)
    if not records:
        return {}
    header = records[0]
    rows: dict[str, dict[str, str]] = {}
    for i, record in enumerate(records[1:]):
        if not any(cell.strip() for cell in record):
            continue
        row = dict(zip(header, record, strict=False))
        key = record[0] if record and record[0] else f"#{i + 2}"
        rows[key] = row
    return rows


def diff_table(name: str, old: bytes | None, new: bytes | None) -> TableDiff:
    before = rows_by_id(name, old) if old is not None else {}
    after = rows_by_id(name, new) if new is not None else {}
    out = TableDiff(
        added=[k for k in after if k not in before],
        removed=[k for k in before if k not in after],
    )
    for key in after:
        if key in before and after[key] != before[key]:
            columns = dict.fromkeys([*before[key], *after[key]])
            out.changed[key] = {
                c: (before[key].get(c, ""), after[key].get(c, ""))
                for c in columns
                if before[key].get(c, "") != after[key].get(c, "")
            }
    return out


def diff_files(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> dict[str, TableDiff]:
    """Per file name (every name in either set), the rows added, removed and changed."""
    out = {}
    for name in sorted({*old, *new}):
        if old.get(name) == new.get(name):
            out[name] = TableDiff()
        else:
            out[name] = diff_table(name, old.get(name), new.get(name))
    return out
