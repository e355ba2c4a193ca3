#!/usr/bin/env bash
# Render an exported HTML file to PDF with headless Chromium and page 1 to PNG, to check that
# Chinese text shows (not boxes) and that each group starts a new page. Runs outside .ci/run.
#
#   scripts/render-pdf.sh results.html [out-dir]
#   scripts/render-pdf.sh --demo [out-dir]     # builds a workspace from the shared fixtures first
#   scripts/render-pdf.sh --docs               # regenerates docs/results-page1.png,
#                                              # docs/results-signature-page.png, docs/certificate-page1.png
#
# Needs: chromium, pdftoppm (poppler-utils), a CJK font (fonts-noto-cjk on Debian/Ubuntu):
#   apt-get install -y chromium poppler-utils fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=${2:-target/print-check}
mkdir -p "$out_dir"

# The PNGs the docs show, from the competition's fixtures: page 1 of the results (provisional:
# nothing locked yet, 单位 and 县市区 columns), the first group's last page with the signatures,
# and, once the results are locked, page 1 of the certificates.
if [[ "${1:-}" == "--docs" ]]; then
  for tool in chromium pdftoppm pdftotext; do
    command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y chromium poppler-utils" >&2; exit 1; }
  done
  cargo build --quiet
  fixtures=${FIXTURES:-../shared/fixtures}
  work=target/print-docs
  rm -rf "$work" && mkdir -p "$work"
  db="$work/docs.jury"
  jury=target/debug/jury
  export LANG=C
  $jury --db "$db" init --template competition >/dev/null
  $jury --db "$db" import entries "$fixtures/contestants.csv" >/dev/null
  $jury --db "$db" import judges "$fixtures/judges.csv" >/dev/null
  $jury --db "$db" import scores "$fixtures/scores-competition.csv" >/dev/null
  $jury --db "$db" export results --format html --out "$work/results.html" >/dev/null
  $jury --db "$db" lock --reason 结果已核对 >/dev/null 2>&1
  $jury --db "$db" export certificates --out "$work/certificates.html" >/dev/null
  "$0" "$work/results.html" "$work/results" >/dev/null
  "$0" "$work/certificates.html" "$work/certificates" >/dev/null
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/results/results.pdf" docs/results-page1
  pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/certificates/certificates.pdf" docs/certificate-page1
  # The first page that carries the signature lines.
  pages=$(pdfinfo "$work/results/results.pdf" | awk '/^Pages/ {print $2}')
  for ((p = 1; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" "$work/results/results.pdf" - | grep -q 评审组长签字; then
      pdftoppm -png -r 80 -f "$p" -l "$p" -singlefile "$work/results/results.pdf" docs/results-signature-page
      break
    fi
  done
  ls -l docs/results-page1.png docs/results-signature-page.png docs/certificate-page1.png
  exit 0
fi

if [[ "${1:-}" == "--demo" ]]; then
  cargo build --quiet
  fixtures=${FIXTURES:-../shared/fixtures}
  db="$out_dir/check.jury"
  rm -f "$db" "$db"-wal "$db"-shm
  jury=target/debug/jury
  $jury --db "$db" init --template competition >/dev/null
  $jury --db "$db" import entries "$fixtures/contestants.csv" >/dev/null
  $jury --db "$db" import judges "$fixtures/judges.csv" >/dev/null
  $jury --db "$db" import scores "$fixtures/scores-competition.csv" >/dev/null
  $jury --db "$db" export results --format html --out "$out_dir/results.html"
  html="$out_dir/results.html"
else
  html=${1:?usage: scripts/render-pdf.sh FILE.html [out-dir] | --demo [out-dir]}
fi

for tool in chromium pdftoppm; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y chromium poppler-utils" >&2; exit 1; }
done
if ! fc-list :lang=zh | grep -q .; then
  echo "warning: no Chinese font installed; the PDF will show boxes (apt-get install -y fonts-noto-cjk)" >&2
fi

pdf="$out_dir/$(basename "${html%.*}").pdf"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-pdf-header-footer: the page numbers and fingerprint come from the file's own @page margin
# boxes. (Chromium 131+ leaves its default header and footer out anyway when a page has margin
# boxes; the flag keeps older versions from adding the URL and date.)
sandbox=()
[[ $(id -u) == 0 ]] && sandbox=(--no-sandbox)
chromium --headless "${sandbox[@]}" --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" \
  --no-pdf-header-footer --print-to-pdf="$pdf" "file://$(realpath "$html")" 2>/dev/null
pdftoppm -png -r 80 -f 1 -l 2 "$pdf" "$out_dir/page"
echo "PDF: $pdf ($(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages)"
ls "$out_dir"/page-*.png
