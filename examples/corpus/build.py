"""Write articles.jsonl (the file `eventwire ingest` reads) from index.json and texts/.

    python examples/corpus/build.py          # rewrite articles.jsonl
    python examples/corpus/build.py --check  # exit 1 when articles.jsonl is out of date

index.json lists each article: `file` (under this folder), `title`, `source` (the outlet),
`published` (YYYY-MM-DD), `url`, and `incident`: the name of the incident the article was written to
report together with others (null for a story that stands alone). The JSONL lines carry the
metadata and the text; `incident` stays in index.json, it is the corpus's answer key.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("title", "source", "published", "url")


def load_index(folder: Path = HERE) -> list[dict]:
    path = folder / "index.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    for number, entry in enumerate(entries, start=1):
        missing = [k for k in ("file",) + FIELDS if not entry.get(k)]
        if missing:
            raise SystemExit(f"{path}: entry {number}: missing {', '.join(missing)}")
    return entries


def jsonl_lines(folder: Path = HERE) -> list[str]:
    lines = []
    for entry in load_index(folder):
        text = (folder / entry["file"]).read_text(encoding="utf-8").strip()
        record = {"text": text, **{k: entry[k] for k in FIELDS}}
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def main(argv: list[str]) -> int:
    wanted = "\n".join(jsonl_lines()) + "\n"
    target = HERE / "articles.jsonl"
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != wanted:
            print(f"{target}: out of date; run python {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target} ({wanted.count(chr(10))} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
