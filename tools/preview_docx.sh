#!/usr/bin/env bash
# Turn a generated report into PDF and PNG pages for a visual check (not part of CI).
#   tools/preview_docx.sh REPORT.docx [OUTDIR]
# Needs LibreOffice and poppler (Debian/Ubuntu: apt-get install libreoffice-writer-nogui
# poppler-utils fonts-noto-cjk).  仿宋_GB2312/方正小标宋 are not free fonts: the preview maps them
# to Noto CJK through a private fontconfig alias; the DOCX keeps the real names for recipients.
set -euo pipefail
docx=${1:?usage: tools/preview_docx.sh REPORT.docx [OUTDIR]}
out=${2:-$(dirname "$docx")/preview}
mkdir -p "$out"
profile=$(mktemp -d)
fc=$(mktemp -d)
trap 'rm -rf "$profile" "$fc"' EXIT
cat > "$fc/fonts.conf" <<XML
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias><family>楷体_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
XML
FONTCONFIG_FILE="$fc/fonts.conf" soffice --headless "-env:UserInstallation=file://$profile" \
    --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdftoppm -png -r 60 "$pdf" "$out/page"
echo "$pdf"
ls "$out"/page*.png
