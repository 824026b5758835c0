#!/usr/bin/env bash
# Time and peak memory of `dateline build` on hostile inputs (the cases tests/hardening/limits.rs
# checks for a clean ending under a 60 s timeout).
#
#   benches/limits.sh [DATELINE_BINARY]
#
# Default binary: target/release/dateline (built with `cargo build --release` if missing).
# Peak memory comes from GNU time (/usr/bin/time -f %M); install it with `apt-get install -y time`.
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/dateline}
if [ ! -x "$BIN" ]; then cargo build --release --quiet; fi
BIN=$(realpath "$BIN")
WORK=$(mktemp -d /tmp/dateline-limits-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

new_site() { # new_site NAME -> prints the site folder
  local dir="$WORK/$1"
  mkdir -p "$dir/content/world"
  printf 'title = "Limits"\nbase_url = "https://news.example.org/"\n' > "$dir/site.toml"
  echo "$dir"
}

measure() { # measure NAME SITE
  local out="$WORK/$1.time"
  set +e
  (cd "$2" && timeout 120 /usr/bin/time -f '%e %M' -o "$out" "$BIN" build >/dev/null 2>"$WORK/$1.err")
  local code=$?
  set -e
  read -r secs kb < <(tail -n 1 "$out") || { secs=n/a; kb=n/a; }
  printf '%-22s exit %-3s %8s s %10s KB peak RSS   %s\n' "$1" "$code" "$secs" "$kb" \
    "$(grep -m1 -E '^(error|warning)' "$WORK/$1.err" | cut -c1-70)"
}

front=$'---\nheadline: Big\ndate: 2025-05-19\n---\n'

site=$(new_site story-50mb)
python3 - "$site/content/world/big.md" <<'PY'
import sys
para = "The harbour authority met on Tuesday to discuss the new quay. " * 16 + "\n\n"
with open(sys.argv[1], "w") as f:
    f.write("---\nheadline: Big\ndate: 2025-05-19\n---\n")
    f.write(para * (50 * 1024 * 1024 // len(para) + 1))
PY
measure story-50mb "$site"

site=$(new_site alias-bomb)
python3 - "$site/content/world/bomb.md" <<'PY'
import sys, string
lines = ["---", "headline: Bomb", "date: 2025-05-19", "extra:", "  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
names = string.ascii_lowercase
for prev, name in zip(names, names[1:]):
    lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
open(sys.argv[1], "w").write("\n".join(lines) + "\n---\nBody.\n")
PY
measure alias-bomb "$site"

site=$(new_site nested-lists-10k)
{ printf '%s' "$front"; for i in $(seq 0 9999); do printf '%*s- item\n' $((i * 2)) ''; done; } > "$site/content/world/nested.md"
measure nested-lists-10k "$site"

site=$(new_site nested-quotes-10k)
{ printf '%s' "$front"; printf '>%.0s' $(seq 1 10000); echo ' deep'; } > "$site/content/world/quotes.md"
measure nested-quotes-10k "$site"

site=$(new_site symlink-loop)
printf '%sBody.\n' "$front" > "$site/content/world/talks.md"
ln -s "$site/content/world" "$site/content/world/loop"
ln -s self "$site/content/world/self"
measure symlink-loop "$site"

site=$(new_site non-utf8-name)
printf '%sBody.\n' "$front" > "$site/content/world/$(printf 'bad-\xff.md')"
measure non-utf8-name "$site"

# Image bombs (issue 23): a 91-byte JPEG declaring 16000x16000 pixels, a 45-byte PNG declaring
# 50000x50000 that a story uses, and the same PNG that no story uses. Each must be refused from
# its header: under a second and under 100 MB.
bombs=$(mktemp -d "$WORK/bombs-XXXXXX")
python3 - "$bombs" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 50000, 50000, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(bytes(1 << 16))) + chunk(b"IEND", b"")
jpeg = bytes([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8]) + struct.pack(">HH", 16000, 16000)
jpeg += bytes([1, 1, 0x11, 0, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]) + bytes(256) + bytes([0xFF, 0xD9])
open(f"{sys.argv[1]}/bomb.png", "wb").write(png)
open(f"{sys.argv[1]}/bomb.jpg", "wb").write(jpeg)
PY
for kind in jpg png; do
  site=$(new_site "image-bomb-$kind")
  mkdir -p "$site/content/world/quay"
  cp "$bombs/bomb.$kind" "$site/content/world/quay/bomb.$kind"
  printf -- '---\nheadline: Quay\ndate: 2025-05-19\nphoto:\n  src: bomb.%s\n  alt: A quay\n---\nBody.\n' "$kind" \
    > "$site/content/world/quay/index.md"
  measure "image-bomb-$kind" "$site"
done
site=$(new_site image-bomb-unused)
printf '%sBody.\n' "$front" > "$site/content/world/talks.md"
cp "$bombs/bomb.png" "$site/content/world/unused.png"
measure image-bomb-unused "$site"

# Inputs whose cost must grow linearly: tags of one story at 1x, 2x and 4x up to the 100 a
# story may have (4,000 is refused at the list), and identical headings of one story.
for n in 25 50 100 4000; do
  site=$(new_site "tags-$n")
  python3 - "$site/content/world/tags.md" "$n" <<'PY'
import sys
n = int(sys.argv[2])
tags = ", ".join(f"tag {i}" for i in range(n))
open(sys.argv[1], "w").write(f"---\nheadline: Tags\ndate: 2025-05-19\ntags: [{tags}]\n---\nBody.\n")
PY
  measure "tags-$n" "$site"
done
for n in 20000 40000 80000; do
  site=$(new_site "headings-$n")
  { printf '%s' "$front"; for _ in $(seq 1 "$n"); do printf '## Same\n\n'; done; } > "$site/content/world/headings.md"
  measure "headings-$n" "$site"
done
