#!/usr/bin/env python3
"""Rewrite the generated table in src/record_type.rs from data/record_types.tsv.

The block between `// BEGIN GENERATED record_types.tsv` and `// END GENERATED` is replaced.
The unit test `record_type::tests::table_matches_tsv` fails when the two disagree.
"""
import pathlib, re

here = pathlib.Path(__file__).resolve().parent
rows = []
for line in (here / "record_types.tsv").read_text().splitlines():
    if not line or line.startswith("#"):
        continue
    num, name, source = line.split("\t")
    rows.append((int(num), name, source))

src_path = here.parent / "src" / "record_type.rs"
src = src_path.read_text()
origin = {"libaudit": "Libaudit", "kernel": "Kernel", "audit-documentation": "AuditDocumentation"}
body = "".join(f"    {name} = {num}, {origin[source]};\n" for num, name, source in rows)
new = re.sub(
    r"(// BEGIN GENERATED record_types.tsv\n).*?(\s*// END GENERATED)",
    lambda m: m.group(1) + body.rstrip("\n") + m.group(2),
    src,
    flags=re.S,
)
src_path.write_text(new)
print(f"{len(rows)} record types")
