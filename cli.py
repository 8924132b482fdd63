"""The command line, beside app.py: the meeting pack, and the ledger's imports and versions.

    python cli.py export --format pdf --out dossier.pdf --query "lang=en&types=industry"
    python cli.py import 台账.xlsx --kind projects            # check and print the report
    python cli.py import 台账.xlsx --kind projects --apply    # ... and store a new version
    python cli.py versions | compare 3 4 | rollback 3 | template --out 模板.xlsx

``--query`` takes the app's URL parameters (same names, same meaning; a whole shared link works
too), read by the app's own parser, so a link turns into the file the app would make. The same
export code (``pack/``) serves the app's download menu. Thin: parse, load, export, write.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from geo.errors import AtlasDataError
from pack.chromium import ChromiumMissing

EXIT_DATA = 2
EXIT_CHROMIUM = 3
EXIT_OUT = 4
EXIT_EXPORT = 5
EXIT_STORE = 6

DESCRIPTION = """成都—甘孜对口帮扶地图：命令行工具。
Chengdu–Ganzi pairing atlas: command line."""

EXPORT_DESCRIPTION = """把地图的一个视图导出为文件（与应用中的“导出”菜单相同）。
Export a view of the map as a file (the same as the app's Export menu).

  html  离线地图，双击即可打开 / offline map, opens by double-click
  png   1920×1080 图片（--scale 2：3840×2160）/ picture (--scale 2: 3840x2160)
  pdf   A4 资料册：封面、目录、每对一页 / A4 dossier: cover, contents, a page per pair
  pptx  幻灯片：每对一页，备注含原文 / slides: one per pair, quotes in the notes

png、pdf、pptx 需要系统 Chromium（Debian 软件包 chromium）。
png, pdf and pptx need the system Chromium (Debian package chromium)."""

EXAMPLES = """示例 / examples:
  python cli.py export --format pdf --out pack/
  python cli.py export --format png --out map.png --query "lang=en&types=industry"
  python cli.py export --format pptx --out . --query "https://host/?view=overview"

退出码 / exit codes: 0 成功 ok; 2 数据有误 bad data; 3 缺少 Chromium no Chromium;
4 无法写出文件 cannot write the file; 5 导出失败 the export failed."""


def parser() -> argparse.ArgumentParser:
    from pack.files import FORMATS

    top = argparse.ArgumentParser(
        prog="cli.py",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(
        dest="command",
        required=True,
        metavar="{export,import,versions,compare,rollback,template,hash-password,bench,loadtest}",
    )
    export = commands.add_parser(
        "export",
        help="导出视图为文件 / export a view as a file",
        description=EXPORT_DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="文件格式 / file format",
    )
    export.add_argument(
        "--out",
        required=True,
        help="输出文件；若是文件夹（已有，或以 / 结尾），按视图自动命名 / output file; a folder "
        "(existing, or ending in /) gets a file named after the view "
        "(e.g. pujiang-luding_types-industry_2026-11-29.pdf)",
    )
    export.add_argument(
        "--query",
        default="",
        help="应用链接的参数，名称和含义相同，也可给整个链接 / the app's URL parameters, same "
        'names and meaning, or a whole link (e.g. "lang=en&types=industry&from=2018")',
    )
    export.add_argument(
        "--scale",
        type=int,
        choices=(1, 2),
        default=1,
        help="PNG 倍数：2 = 3840×2160，供印刷 / PNG scale: 2 = 3840x2160, for print",
    )
    from store.commands import add_ledger_commands

    add_ledger_commands(commands)
    add_bench_commands(commands)
    return top


def add_bench_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``bench`` and ``loadtest``: measuring instruments (benchmarks/), not for production."""
    bench = commands.add_parser(
        "bench",
        help="速度基准：本应用对比朴素实现 / benchmark: this app against the naive build",
        description="在三种数据规模上比较本应用与朴素地图实现，写出 JSON 和 README 表格。\n"
        "Our page against the naive baseline page at three data sizes; writes FILE.json "
        "and the README table.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_argument("--out", required=True, help="结果 JSON 文件 / results JSON file")
    bench.add_argument(
        "--sizes",
        default="pujiang,chengdu_ganzi,sichuan",
        help="数据规模，逗号分隔 / data sizes, comma separated (pujiang,chengdu_ganzi,sichuan)",
    )
    bench.add_argument("--repeats", type=int, default=3, help="每项次数 / runs per figure")
    bench.add_argument(
        "--timeout", type=float, default=240.0, help="每次运行的超时秒数 / per-run timeout, s"
    )
    bench.add_argument(
        "--no-readme", action="store_true", help="不改写 README / leave README.md alone"
    )
    load = commands.add_parser(
        "loadtest",
        help="并发负载测试 / load test: concurrent browser sessions",
        description="多个浏览器会话同时改变筛选条件，记录重绘时间、错误和服务器内存。\n"
        "Concurrent browser sessions changing filters on the bundled data: redraw times, "
        "errors, server memory.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    load.add_argument("--out", required=True, help="结果 JSON 文件 / results JSON file")
    load.add_argument("--sessions", type=int, default=20, help="并发会话数 / sessions")
    load.add_argument("--seconds", type=float, default=120.0, help="持续秒数 / duration, s")
    load.add_argument(
        "--after",
        type=float,
        default=130.0,
        help="关闭后观察内存秒数 / memory watch after close, s",
    )
    load.add_argument(
        "--no-readme", action="store_true", help="不改写 README / leave README.md alone"
    )


def run_bench_command(args: argparse.Namespace) -> int:
    readme = None if args.no_readme else Path(__file__).resolve().parent / "README.md"
    if args.command == "bench":
        from benchmarks.bench import run_bench
        from benchmarks.report import SIZES

        sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
        unknown = [s for s in sizes if s not in SIZES]
        if unknown or args.repeats < 1:
            print(
                f"未知规模或次数 / unknown size or repeats: {unknown or args.repeats} "
                f"(sizes: {', '.join(SIZES)})",
                file=sys.stderr,
            )
            return EXIT_DATA
        run_bench(Path(args.out), sizes, args.repeats, args.timeout, readme)
        print(args.out)
        return 0
    from benchmarks.load import run_loadtest

    result = run_loadtest(Path(args.out), args.sessions, args.seconds, args.after, readme)
    print(args.out)
    return 0 if result.get("pass") else 1


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("bench", "loadtest"):
        return run_bench_command(args)
    if args.command != "export":
        from store.commands import run_ledger_command

        return run_ledger_command(args)
    from pack.files import export
    from pack.load import load_view

    try:
        view, notices = load_view(args.query)
    except AtlasDataError as err:
        print(f"数据有误，未导出 / Bad data, nothing exported:\n{err}", file=sys.stderr)
        return EXIT_DATA
    for notice in notices:
        print(f"{notice.text('zh')}\n{notice.text('en')}", file=sys.stderr)
    try:
        made = export(view, args.format, args.scale)
    except ChromiumMissing as err:
        print(str(err), file=sys.stderr)
        return EXIT_CHROMIUM
    except Exception as err:  # the browser failed (crash, timeout): a short message, no trace
        kind = type(err).__name__
        print(f"导出失败（{kind}）/ Export failed ({kind}): {err}", file=sys.stderr)
        return EXIT_EXPORT
    raw = str(args.out)
    folder = Path(raw)
    if raw.endswith(("/", os.sep)) and not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)  # "exports/": a folder to create
    out = folder / made.name if folder.is_dir() else folder
    try:
        out.write_bytes(made.data)
    except OSError as err:
        print(
            f"无法写出文件 {out}（{err.strerror}）/ Cannot write {out} ({err.strerror})",
            file=sys.stderr,
        )
        return EXIT_OUT
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
