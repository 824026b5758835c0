#!/usr/bin/env bash
# Photo pipeline benchmark: a site with N stories, each with its own 3 to 5 megapixel JPEG,
# built cold (empty image cache), warm (cache kept) and without its photos.
#
#   benches/photos.sh [N] [--runs R]
#
#   N         stories, and so photos (default 200)
#   --runs R  warm and photo-less builds to take the median of (default 3); the cold build runs
#             once, as only the first build after emptying the cache is cold
#
# Environment:
#   BENCH_HOME  where the generated sites live (default: /tmp/dateline-bench)
#
# Photos alternate between 2048×1536 (3.1 MP) and 2592×1944 (5.0 MP). They are made once by
# ImageMagick (`convert`, from `apt-get install -y imagemagick`) from a seed per photo, so the
# same N gives the same files: random noise blurred, then a gradient, so that they compress like
# real photos rather than flat colour. The photo-less site has the same stories without their
# `photo:`, which is what the warm build should come close to: it re-reads and hashes each photo
# but encodes nothing. The script prints the times and how many cache files the warm build
# wrote (expected: 0).
#
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

N=200
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    *) N=$1; shift ;;
  esac
done
for value in "$N" "$RUNS"; do
  case "$value" in *[!0-9]*|''|0) echo "photos.sh: N and R must be whole numbers above 0" >&2; exit 2 ;; esac
done
command -v convert >/dev/null || { echo "photos.sh: ImageMagick's convert is needed" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_HOME=${BENCH_HOME:-/tmp/dateline-bench}
SITE=$BENCH_HOME/photos-site-$N
BARE=$BENCH_HOME/photos-site-$N-bare
NOW=2026-01-01T00:00:00Z

# Story i's front matter; with a photo unless $2 is "bare".
front_matter() {
  local i=$1 day=$(( ($1 % 28) + 1 ))
  printf -- '---\nheadline: "Story %s"\ndek: "Why story %s matters."\ndate: 2025-05-%02d 10:00\n' "$i" "$i" "$day"
  [ "$2" = bare ] || printf -- 'photo:\n  src: photo.jpg\n  alt: "Photo %s"\n  credit: Staff\n' "$i"
  printf -- '---\nText of story %s.\n' "$i"
}

if [ ! -f "$SITE/.complete" ] || [ ! -f "$BARE/.complete" ]; then
  echo "making $N photos (once)..." >&2
  rm -rf "$SITE" "$BARE"
  for site in "$SITE" "$BARE"; do
    mkdir -p "$site/content/world"
    printf 'title = "Photo Gazette"\nbase_url = "https://news.example.org/"\n' >"$site/site.toml"
  done
  for i in $(seq 1 "$N"); do
    if [ $((i % 2)) -eq 1 ]; then size=2048x1536; else size=2592x1944; fi
    dir=$SITE/content/world/story-$i
    mkdir -p "$dir" "$BARE/content/world/story-$i"
    convert -seed "$i" -size 512x384 xc: +noise Random -blur 0x3 -resize "$size!" \
      \( -size "$size" gradient:"#3a6ea5-#f2c14e" \) -compose overlay -composite \
      -quality 92 "$dir/photo.jpg"
    front_matter "$i" photo >"$dir/index.md"
    front_matter "$i" bare >"$BARE/content/world/story-$i/index.md"
  done
  touch "$SITE/.complete" "$BARE/.complete"
fi

echo "building dateline (release)..." >&2
(cd "$REPO" && cargo build --release --quiet)
BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/dateline

# Wall time of one build of site $1, in seconds.
run() {
  local start end
  start=$(date +%s.%N)
  "$BIN" build --now "$NOW" --root "$1" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

# The median of R builds of site $1.
median() {
  for _ in $(seq 1 "$RUNS"); do run "$1"; done | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

photos=$(find "$SITE/content" -name photo.jpg | wc -l)
bytes=$(du -sb "$SITE/content" | cut -f1)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$SITE/.dateline-cache"
cold=$(run "$SITE")
files=$(find "$SITE/.dateline-cache/images" -type f -name '*-*' | wc -l)
cache=$(du -sb "$SITE/.dateline-cache" | cut -f1)
marker=$(mktemp)
sleep 1
warm=$(median "$SITE")
rewritten=$(find "$SITE/.dateline-cache" -type f -newer "$marker" | wc -l)
rm -f "$marker"
bare=$(median "$BARE")

echo "photos: $photos (2048x1536 and 2592x1944 JPEG, $((bytes / 1024 / 1024)) MiB of content) on $(nproc) cores; load before: $LOAD_BEFORE"
echo "cold build: ${cold}s ($files image files encoded, $((cache / 1024 / 1024)) MiB in the cache)"
echo "warm build: ${warm}s, median of $RUNS ($rewritten cache files written)"
echo "without photos: ${bare}s, median of $RUNS"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
