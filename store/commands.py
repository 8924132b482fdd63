"""The ledger's commands for ``cli.py``: import, versions, compare, rollback, template,
hash-password. Printing and exit codes only; the work is in store.importing / store.core."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from store.core import Store, StoreError
from store.diff import TableDiff
from store.importing import KIND_FILES, MODES, Finding, ImportCheck, apply_import, check_import

EXIT_REFUSED = 2
EXIT_STORE = 6
MAX_UPLOAD_HINT = "10 MB"

IMPORT_DESCRIPTION = """检查一份台账文件（XLSX 或 CSV），打印报告；加 --apply 则保存为新版本。
Check a ledger file (XLSX or CSV) and print the report; with --apply, store it as a new version.

文件被拒绝时（有问题、有未匹配的地名），退出码为 2，台账不变。
When the file is refused (problems, unmatched places) the exit code is 2 and nothing changes.
合并方式 / modes: add（默认：同编号的行替换，其余新增 / rows with a known id replace it, others
are added）; replace（文件即整张表，未出现的行被删除 / the file is the whole table)."""


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        help="数据库地址（默认 $ATLAS_DB_URL 或 var/ 中的 SQLite）/ database URL (default "
        "$ATLAS_DB_URL, else SQLite in $ATLAS_STATE_DIR or var/)",
    )


def _editor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--editor",
        default=None,
        help="记入版本的编辑者名字（默认：cli:系统用户名）/ editor name recorded in the version "
        "(default: cli:<system user>)",
    )


def add_ledger_commands(commands: Any) -> None:
    imp = commands.add_parser(
        "import",
        help="检查并导入台账文件 / check and import a ledger file",
        description=IMPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "file",
        help="XLSX 或 CSV 文件；乡镇界线为 .zip/.gpkg/.geojson / an XLSX or CSV file; township "
        "boundaries: .zip/.gpkg/.geojson",
    )
    imp.add_argument(
        "--kind",
        choices=(*KIND_FILES, "boundaries"),
        default=None,
        help="表的种类（默认按表头判断）/ which table (default: told by the headers)",
    )
    imp.add_argument("--apply", action="store_true", help="保存为新版本 / store a new version")
    imp.add_argument("--mode", choices=MODES, default="add", help="合并方式 / merge mode")
    imp.add_argument(
        "--sheet",
        default=None,
        help="工作表名称（默认：与表的种类同名的工作表，如模板的“项目”，否则第一个可见工作表）/ "
        "the sheet to read (default: the one named after the table, as in the template, "
        "else the first visible sheet)",
    )
    imp.add_argument(
        "--encoding",
        default=None,
        help="CSV 编码（默认自动识别 UTF-8/GBK）/ CSV encoding (default: detected)",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="表头=列",
        help="指定表头对应的列，可重复 / map a header to a column, repeatable "
        '(e.g. --map "帮扶单位=helper")',
    )
    imp.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="行:列=代码",
        help="接受未匹配地名的建议（代码），或留空以排除该行 / accept a suggestion for an "
        "unmatched place (a code), or nothing to leave the row out "
        '(e.g. --accept "5:乡镇=510131101000")',
    )
    imp.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="编号.列=值",
        help="确认新来源（由“来源”单元格的文字生成）：至少填写 title 和 licence，可重复 / "
        "confirm a "
        "new source (made from a free-text source cell): give at least its title and licence, "
        'repeatable (e.g. --source "import-01.title=蒲江县茶叶培训报道" '
        '--source "import-01.licence=引用须注明出处")',
    )
    imp.add_argument(
        "--report",
        default=None,
        help="把报告另存为 XLSX / also write the report as XLSX",
    )
    _db(imp)
    _editor(imp)
    from store.boundary_commands import add_boundary_arguments

    add_boundary_arguments(imp)

    versions = commands.add_parser(
        "versions", help="列出版本 / list the versions", description="列出版本 / list the versions"
    )
    _db(versions)

    compare = commands.add_parser(
        "compare",
        help="比较两个版本 / compare two versions",
        description="比较两个版本 / compare two versions",
    )
    compare.add_argument("old", type=int)
    compare.add_argument("new", type=int)
    _db(compare)

    rollback = commands.add_parser(
        "rollback",
        help="回滚到某个版本（作为新版本保存）/ roll back to a version (stored as a new version)",
        description="回滚到某个版本：新建一个版本，内容与该版本相同，历史保留。\n"
        "Roll back to a version: a new version with its content; the history is kept.",
    )
    rollback.add_argument("version", type=int)
    _db(rollback)
    _editor(rollback)

    template = commands.add_parser(
        "template",
        help="下载台账模板（XLSX）/ write the ledger template (XLSX)",
        description="台账模板：中文表头，每个取值表都有下拉列表。\n"
        "The ledger template: Chinese headers, a drop-down list for every vocabulary.",
    )
    template.add_argument("--out", required=True)

    commands.add_parser(
        "hash-password",
        help="为编辑者生成密码哈希 / hash an editor's password",
        description="输入两次密码，打印 ATLAS_EDITORS 所用的哈希。\n"
        "Asks for a password twice; prints the hash for ATLAS_EDITORS (name:hash).",
    )


def run_ledger_command(args: argparse.Namespace) -> int:
    command = args.command
    if command == "hash-password":
        return _hash_password()
    if command == "template":
        from ledger.report import template_xlsx

        Path(args.out).write_bytes(template_xlsx())
        print(args.out)
        return 0
    try:
        store = _open(args.db)
        if command == "versions":
            return _versions(store)
        if command == "compare":
            print_diff(store.compare(args.old, args.new))
            return 0
        if command == "rollback":
            version = store.rollback(args.version, _editor_name(args.editor))
            print(
                f"版本 {version.id}：已回滚到版本 {args.version} / version {version.id}: "
                f"rolled back to version {args.version}"
            )
            return 0
        return _import(store, args)
    except StoreError as err:
        print(f"{err.zh}\n{err.en}", file=sys.stderr)
        return EXIT_STORE


def _open(url: str | None) -> Store:
    from store.source import open_store

    return open_store(url)


def _editor_name(given: str | None) -> str:
    if given:
        return given
    return f"cli:{os.environ.get('USER') or os.environ.get('LOGNAME') or 'unknown'}"


def _hash_password() -> int:
    from store.auth import EditorConfigError, hash_password

    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再输入一次 / again: "):
        print("两次输入不一致 / the two entries differ", file=sys.stderr)
        return EXIT_REFUSED
    try:
        print(hash_password(first))
    except EditorConfigError as err:
        print(str(err), file=sys.stderr)
        return EXIT_REFUSED
    return 0


def _versions(store: Store) -> int:
    latest = store.latest()
    for v in store.versions():
        mark = "*" if v.id == latest else " "
        changed = ", ".join(
            f"{name} +{c['added']} -{c['removed']} ~{c['changed']}"
            for name, c in (v.summary.get("tables") or {}).items()
            if any(c.values())
        )
        print(
            f"{mark}{v.id:>4}  {v.created_at:%Y-%m-%d %H:%M}  {v.action:<8} {v.editor:<16} "
            f"{v.file_name}  {v.note}  {changed}".rstrip()
        )
    return 0


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--{what} {item!r}: 应为 X=Y / expected X=Y")
        out[key.strip()] = value.strip()
    return out


def _import(store: Store, args: argparse.Namespace) -> int:
    from store.boundary_commands import boundary_file

    if args.kind == "boundaries" or (args.kind is None and boundary_file(Path(args.file))):
        from store.boundary_commands import import_boundaries

        return import_boundaries(store, args, _editor_name(args.editor))
    path = Path(args.file)
    try:
        data = _read_upload(path)
    except OSError as err:
        print(f"无法读取 {path.name}（{err.strerror}）/ cannot read {path.name}", file=sys.stderr)
        return EXIT_REFUSED
    kind = args.kind or "auto"
    mapping = None
    if args.map:
        from ledger.mapping import detect_mapping
        from ledger.read import read_sheet

        if kind == "auto":
            print("使用 --map 时请给出 --kind / give --kind with --map", file=sys.stderr)
            return EXIT_REFUSED
        sheet = read_sheet(data, path.name, encoding=args.encoding, sheet=args.sheet)
        mapping = detect_mapping(kind, sheet.headers)
        for header, column in _pairs(args.map, "map").items():
            mapping[header] = column or None
    decisions = _pairs(args.accept, "accept")
    sources: dict[str, dict[str, str]] = {}
    for key, value in _pairs(args.source, "source").items():
        source_id, _, column = key.partition(".")
        sources.setdefault(source_id, {})[column] = value
    check = check_import(
        store,
        data,
        path.name,
        kind,
        encoding=args.encoding,
        mapping=mapping,
        decisions=decisions,
        mode=args.mode,
        sources=sources,
        sheet=args.sheet,
    )
    print_check(check)
    if args.report:
        from ledger.report import report_xlsx

        Path(args.report).write_bytes(report_xlsx(check.problems, check.notes))
    if not check.ready:
        if check.new_files is not None and not check.problems:
            print("没有需要修改的内容 / nothing to change")
            return 0
        print("未导入，台账不变 / not imported; the ledger is unchanged", file=sys.stderr)
        return EXIT_REFUSED
    if not args.apply:
        print("检查通过；加 --apply 保存为新版本 / checked; add --apply to store a new version")
        return 0
    version = apply_import(store, check, _editor_name(args.editor))
    print(f"已保存为版本 {version.id} / stored as version {version.id}")
    return 0


def _read_upload(path: Path) -> bytes:
    from ledger.read import MAX_BYTES

    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def _line(f: Finding) -> str:
    return f"  {f.message_zh}\n  {f.message_en}"


def print_check(check: ImportCheck) -> None:
    print(
        f"{check.file_name} → {check.kind}（基于版本 {check.base} / based on version {check.base}）"
    )
    if check.missing:
        print("缺少必需的列，请用 --map 指定 / required columns not found; map them with --map:")
        print("  " + ", ".join(check.missing))
        print("  表头 / headers: " + ", ".join(check.headers))
    if check.problems:
        print(f"问题 {len(check.problems)} 个 / {len(check.problems)} problem(s):")
        for f in check.problems:
            print(_line(f))
    for u in check.unmatched:
        suggestions = "; ".join(
            f"{code} {label}" for code, label, _score in getattr(u, "suggestions", [])[:5]
        )
        print(
            f"  未匹配 / unmatched: 第 {u.row} 行 row {u.row}, {u.column} “{u.value}” → "
            f"{suggestions or '无建议 / no suggestion'}"
        )
    if check.notes:
        print(f"说明 {len(check.notes)} 条 / {len(check.notes)} note(s):")
        for f in check.notes:
            print(_line(f))
    if check.new_files is not None:
        print("将要修改 / what will change:")
        print_diff(check.diff)


def print_diff(diff: dict[str, TableDiff]) -> None:
    shown = False
    for name, d in diff.items():
        if d.empty():
            continue
        shown = True
        print(f"  {name}: +{len(d.added)} -{len(d.removed)} ~{len(d.changed)}")
        for key in d.added:
            print(f"    + {key}")
        for key in d.removed:
            print(f"    - {key}")
        for key, cols in d.changed.items():
            for column, (before, after) in cols.items():
                print(f"    ~ {key}.{column}: “{before}” → “{after}”")
    if not shown:
        print("  （无变化 / no change）")
