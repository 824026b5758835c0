#!/usr/bin/env bash
# Photo pipeline benchmark: a cold build (empty image cache) and a warm rebuild of a site with
# N stories, each with its own ~3 MP JPEG photo.
#
#   benches/photos.sh [N]
#
#   N   stories, and so photos (default 50)
#
# Environment:
#   BENCH_HOME  where the generated site lives (default: /tmp/dateline-bench)
#
# Photos are 2048×1536 JPEGs made once by ImageMagick (`convert`, from `apt-get install -y
# imagemagick`): random noise blurred, then a gradient, so they compress like real photos rather
# than flat colour. The cold build deletes .dateline-cache/ first; the warm one keeps it. The
# script prints both wall times and how many cache files the warm build wrote (expected: 0).
#
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

N=${1:-50}
case "$N" in *[!0-9]*|'') echo "photos.sh: N must be a whole number" >&2; exit 2 ;; esac
command -v convert >/dev/null || { echo "photos.sh: ImageMagick's convert is needed" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_HOME=${BENCH_HOME:-/tmp/dateline-bench}
SITE=$BENCH_HOME/photos-site-$N
NOW=2026-01-01T00:00:00Z

if [ ! -f "$SITE/.complete" ]; then
  rm -rf "$SITE"
  mkdir -p "$SITE/content/world"
  printf 'title = "Photo Gazette"\nbase_url = "https://news.example.org/"\n' >"$SITE/site.toml"
  for i in $(seq 1 "$N"); do
    dir=$SITE/content/world/story-$i
    mkdir -p "$dir"
    convert -size 512x384 xc: +noise Random -blur 0x3 -resize 2048x1536! \
      \( -size 2048x1536 gradient:"#3a6ea5-#f2c14e" \) -compose overlay -composite \
      -quality 92 "$dir/photo.jpg"
    day=$(( (i % 28) + 1 ))
    printf -- '---\nheadline: "Story %s"\ndek: "Why story %s matters."\ndate: 2025-05-%02d 10:00\nphoto:\n  src: photo.jpg\n  alt: "Photo %s"\n  credit: Staff\n---\nText of story %s.\n' \
      "$i" "$i" "$day" "$i" "$i" >"$dir/index.md"
  done
  touch "$SITE/.complete"
fi

echo "building dateline (release)..." >&2
(cd "$REPO" && cargo build --release --quiet)
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/dateline

run() {
  local start end
  start=$(date +%s.%N)
  "$BIN" build --now "$NOW" --root "$SITE" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

photos=$(find "$SITE/content" -name photo.jpg | wc -l)
bytes=$(du -sb "$SITE/content" | cut -f1)
rm -rf "$SITE/.dateline-cache"
cold=$(run)
marker=$(mktemp)
sleep 1
warm=$(run)
rewritten=$(find "$SITE/.dateline-cache" -type f -newer "$marker" | wc -l)
rm -f "$marker"
files=$(find "$SITE/.dateline-cache/images" -type f -name '*-*' | wc -l)
cache=$(du -sb "$SITE/.dateline-cache" | cut -f1)

echo "photos: $photos (2048x1536 JPEG, $((bytes / 1024 / 1024)) MiB of content) on $(nproc) cores"
echo "cold build: ${cold}s ($files image files encoded, $((cache / 1024 / 1024)) MiB in the cache)"
echo "warm build: ${warm}s ($rewritten cache files written)"
