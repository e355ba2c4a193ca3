#!/usr/bin/env python3
"""Make N .docx case documents for the import benchmark (docs/performance.md), from the 16
fixture documents (four layouts): each copy gets its own id in the file name, its own title and a
numbered sentence in every part, so every file has its own SHA-256. One subfolder per school, as
submissions arrive. Standard library only (zipfile).

    scripts/gen-docx.py ../shared/fixtures/docx/docs /tmp/bench-docs 1000
"""
import os
import re
import sys
import zipfile

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
fixtures = sorted(f for f in os.listdir(src) if f.endswith(".docx"))
os.makedirs(out, exist_ok=True)
for i in range(n):
    name = fixtures[i % len(fixtures)]
    school = f"学校{i % 40:02d}"
    os.makedirs(os.path.join(out, school), exist_ok=True)
    # Half the files carry an id in their name, half get --id-prefix numbers.
    stem = re.sub(r"^AL\d+-", "", name)
    target = f"BX{i:06d}-{stem}" if i % 2 == 0 else f"{i:06d}号-{stem}"
    with zipfile.ZipFile(os.path.join(src, name)) as zin, zipfile.ZipFile(
        os.path.join(out, school, target), "w", zipfile.ZIP_DEFLATED
    ) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                # The title (first w:t) gets the copy's number; every paragraph of body text too.
                text = text.replace("</w:t>", f"（{i}）</w:t>", 1)
                text = text.replace("。</w:t>", f"。第{i}份。</w:t>")
                data = text.encode("utf-8")
            zout.writestr(item, data)
print(f"{n} documents in {out}")
