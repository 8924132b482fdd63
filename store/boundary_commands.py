"""``cli.py import FILE --kind boundaries``: official township boundaries from the command line
(the work is in store.boundaries; this prints the report and sets the exit code)."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from geo.paths import MAX_INPUT_BYTES
from ledger.boundaries import MAX_MEMBERS
from store.boundaries import BoundaryCheck, apply_boundaries, check_boundaries
from store.core import Store

EXIT_REFUSED = 2


def add_boundary_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "乡镇界线（--kind boundaries）/ township boundaries (--kind boundaries)",
        "压缩的 Shapefile（.zip，含 .shp .shx .dbf .prj）、GeoPackage 或 GeoJSON。\n"
        "A zipped shapefile (.zip with .shp .shx .dbf .prj), a GeoPackage or a GeoJSON.",
    )
    group.add_argument(
        "--boundary-source",
        default="",
        metavar="来源",
        help="界线的来源（必填），如“泸定县自然资源局 乡镇界线” / where the boundaries come "
        "from (required)",
    )
    group.add_argument(
        "--boundary-date",
        default="",
        metavar="YYYY[-MM[-DD]]",
        help="界线数据的日期（必填）/ the date of the boundary data (required)",
    )
    group.add_argument(
        "--code-field", default=None, help="乡镇代码字段（默认自动识别）/ township code field"
    )
    group.add_argument(
        "--name-field", default=None, help="乡镇名称字段（默认自动识别）/ township name field"
    )
    group.add_argument(
        "--repair",
        action="store_true",
        help="用 make_valid 修复无效（自相交）的面 / repair invalid (self-intersecting) polygons "
        "with make_valid",
    )


def boundary_file(path: Path) -> bool:
    """A GeoPackage or GeoJSON by name, or a zip holding a .shp: a boundary file even without
    ``--kind boundaries`` (an XLSX is a zip too, but holds no .shp)."""
    suffix = path.suffix.lower()
    if suffix in (".gpkg", ".geojson"):
        return True
    if suffix != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()[:MAX_MEMBERS]
    except (OSError, zipfile.BadZipFile, ValueError):
        return True  # the boundary check reports what is wrong with it
    return any(n.lower().endswith((".shp", ".gpkg", ".geojson")) for n in names)


def import_boundaries(store: Store, args: argparse.Namespace, editor: str) -> int:
    path = Path(args.file)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        print(f"无法读取 {path.name}（{err.strerror}）/ cannot read {path.name}", file=sys.stderr)
        return EXIT_REFUSED
    decisions = {}
    for item in args.accept:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(
                f"--accept {item!r}: 应为 要素:字段=代码 / expected feature:field=code"
            )
        decisions[key.strip()] = value.strip()
    check = check_boundaries(
        store,
        data,
        path.name,
        source=args.boundary_source,
        source_date=args.boundary_date,
        code_field=args.code_field,
        name_field=args.name_field,
        decisions=decisions,
        repair=args.repair,
    )
    print_boundary_check(check)
    if args.report:
        from ledger.report import report_xlsx

        Path(args.report).write_bytes(report_xlsx(check.problems, check.notes))
    if not check.ready:
        if check.new_files is not None and not check.problems and not check.unmatched:
            print("没有需要修改的内容 / nothing to change")
            return 0
        print("未导入，台账不变 / not imported; the ledger is unchanged", file=sys.stderr)
        return EXIT_REFUSED
    if not args.apply:
        print("检查通过；加 --apply 保存为新版本 / checked; add --apply to store a new version")
        return 0
    version = apply_boundaries(store, check, editor)
    print(f"已保存为版本 {version.id} / stored as version {version.id}")
    return 0


def print_boundary_check(check: BoundaryCheck) -> None:
    print(
        f"{check.file_name} → 乡镇界线 / township boundaries（基于版本 {check.base} / based on "
        f"version {check.base}）"
    )
    if check.crs:
        print(f"  坐标系 / CRS: {check.crs}")
    if check.fields:
        print(
            f"  代码字段 / code field: {check.code_field or '—'}; 名称字段 / name field: "
            f"{check.name_field or '—'}; 字段 / fields: {', '.join(check.fields)}"
        )
    if check.problems:
        print(f"问题 {len(check.problems)} 个 / {len(check.problems)} problem(s):")
        for f in check.problems:
            print(f"  {f.message_zh}\n  {f.message_en}")
    for u in check.unmatched:
        suggestions = "; ".join(f"{code} {label}" for code, label, _score in u.suggestions[:5])
        print(
            f"  未匹配 / unmatched: 第 {u.row} 个要素 feature {u.row}, {u.column} “{u.value}” → "
            f"{suggestions or '无建议 / no suggestion'}  (--accept '{u.key}=代码/code')"
        )
    if check.notes:
        print(f"说明 {len(check.notes)} 条 / {len(check.notes)} note(s):")
        for f in check.notes:
            print(f"  {f.message_zh}\n  {f.message_en}")
    if check.new_files is not None:
        print(
            f"将改为官方界线 / becoming official: {len(check.matched)}；仍为近似 / staying "
            f"approximate: {len(check.stay_approximate)}"
        )
