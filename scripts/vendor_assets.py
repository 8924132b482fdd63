"""Copy the front-end files the maps use from node_modules/ to static/vendor/ (idempotent).

Run by ``make setup`` after ``npm ci``. Standard library only.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layers.vendor import LOCAL_ASSETS, VENDOR_TREES  # noqa: E402


def main() -> int:
    src_root = ROOT / "node_modules"
    dst_root = ROOT / "static" / "vendor"
    for tree in VENDOR_TREES:
        src = src_root / tree
        if not src.is_dir():
            print(f"missing {src}: run `npm ci` first", file=sys.stderr)
            return 1
        shutil.copytree(src, dst_root / tree, dirs_exist_ok=True)
    missing = [p for p in LOCAL_ASSETS.values() if not (dst_root / p).is_file()]
    if missing:
        print(f"assets not found after copy: {missing}", file=sys.stderr)
        return 1
    print(f"vendored {len(VENDOR_TREES)} asset folders into {dst_root.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
