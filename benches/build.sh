#!/usr/bin/env bash
# Clean-build benchmark of Dateline on a generated news corpus.
#
#   benches/build.sh [N] [--runs R] [--disk]
#
#   N          stories in the corpus (default 10000)
#   --runs R   timed builds (default 3), after one untimed warm-up build
#   --disk     write the site to a folder on disk ($BENCH_HOME/out) instead of /dev/shm
#
# Environment:
#   GEN_CORPUS  the corpus generator (default: ../shared/bench/gen_corpus.py beside the repo)
#   BENCH_HOME  where corpora and on-disk output live (default: /tmp/dateline-bench)
#
# The corpus is generated once per N by gen_corpus.py (same N, same bytes) and reused while the
# generator is unchanged. Each run deletes the output folder first, so every build is a clean one.
# Builds use a fixed --now, so every run publishes the same stories.
#
# Needs python3 and cargo. Peak memory comes from GNU time (/usr/bin/time); where it is missing,
# install it with `apt-get install -y time`, or the script reports the memory as n/a.
#
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

N=10000
RUNS=3
MODE=tmpfs
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --disk) MODE=disk; shift ;;
    -h|--help) usage; exit 0 ;;
    [0-9]*) N=$1; shift ;;
    *) echo "build.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$N$RUNS" in
  *[!0-9]*) echo "build.sh: N and --runs must be whole numbers" >&2; exit 2 ;;
esac
[ "$RUNS" -ge 1 ] || { echo "build.sh: --runs must be at least 1" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$(dirname "$0")/../../shared/bench/gen_corpus.py}
if [ ! -f "$GEN_CORPUS" ]; then
  echo "build.sh: corpus generator not found at $GEN_CORPUS" >&2
  echo "  it lives in shared/bench/ beside the repository; set GEN_CORPUS=path/to/gen_corpus.py" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "build.sh: python3 is needed to generate the corpus" >&2; exit 2; }

BENCH_HOME=${BENCH_HOME:-/tmp/dateline-bench}
SITE=$BENCH_HOME/dateline-site-$N
if [ "$MODE" = tmpfs ]; then
  [ -d /dev/shm ] || { echo "build.sh: /dev/shm is missing; use --disk" >&2; exit 2; }
  OUT=/dev/shm/dateline-bench-build/public
else
  OUT=$BENCH_HOME/out/public
fi

# 1. The corpus: regenerated only when missing or when the generator changed.
stamp=$(sha256sum "$GEN_CORPUS" | cut -d' ' -f1)
if [ ! -f "$SITE/corpus.json" ] || [ "$(cat "$SITE/.generator" 2>/dev/null)" != "$stamp" ]; then
  echo "== generating a corpus of $N stories in $SITE"
  rm -rf "$SITE"
  mkdir -p "$SITE"
  python3 "$GEN_CORPUS" "$N" "$SITE" >/dev/null
  echo "$stamp" >"$SITE/.generator"
fi
# The corpus links stories as /section/slug/ (Hugo's URLs); the same pattern here makes those
# links lead somewhere, as the build checks every link.
cat >"$SITE/site.toml" <<'TOML'
title = "Dateline benchmark"
base_url = "https://bench.example.org/"
permalink = "/:section/:slug/"
TOML

# 2. The release binary.
echo "== cargo build --release"
(cd "$REPO" && cargo build --release --quiet)
TARGET_DIR=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
BIN=$TARGET_DIR/release/dateline
[ -x "$BIN" ] || { echo "build.sh: no binary at $BIN" >&2; exit 1; }

TIME=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
  TIME=/usr/bin/time
else
  echo "note: GNU time not found: peak memory is n/a (apt-get install -y time)"
fi

echo "== $("$BIN" --version), N=$N, output on $MODE ($OUT), $(nproc) cores, $(date -u +%Y-%m-%d)"

LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
NOW=2026-01-01T00:00:00Z   # after the corpus's last story: every story is published

# One clean build; prints "wall_s rss_kib stories load parse render write" (ms for stages).
build_once() {
  rm -rf "$OUT"
  mkdir -p "$(dirname "$OUT")"
  local cmd=("$BIN" build --root "$SITE" --output "$OUT" --now "$NOW" --timings)
  local start end rss=na
  start=$(date +%s%N)
  if [ -n "$TIME" ]; then
    "$TIME" -f %M -o "$LOG/rss" "${cmd[@]}" >"$LOG/out" 2>"$LOG/err" || { cat "$LOG/err" >&2; exit 1; }
    rss=$(tail -1 "$LOG/rss")
  else
    "${cmd[@]}" >"$LOG/out" 2>"$LOG/err" || { cat "$LOG/err" >&2; exit 1; }
  fi
  end=$(date +%s%N)
  local stories
  stories=$(sed -n 's/^Built \([0-9]*\) stor.*/\1/p' "$LOG/out")
  stage() { awk -v s="$1" '$1 == s { print $2 }' "$LOG/err"; }
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')" \
    "$rss" "${stories:-0}" "$(stage load)" "$(stage parse)" "$(stage render)" "$(stage write)"
}

# "3.412 s, 2931 stories/s, 812 MiB, load 120 ms, ..." from a build_once line.
describe() {
  awk '{
    rss = ($2 == "na") ? "n/a" : sprintf("%.0f MiB", $2 / 1024)
    printf "wall %.3f s, %.0f stories/s, peak RSS %s | load %s ms, parse %s ms, render %s ms, write %s ms\n",
      $1, $3 / $1, rss, $4, $5, $6, $7
  }'
}

echo "== warm-up build (not counted): $(build_once | describe)"
for i in $(seq 1 "$RUNS"); do
  build_once >>"$LOG/runs"
  echo "run $i: $(tail -1 "$LOG/runs" | describe)"
done

# The median of each column on its own (an odd number of runs gives a real run's figure).
median() { cut -d' ' -f"$1" "$LOG/runs" | sort -g | awk '{ v[NR] = $1 } END {
  if (v[1] == "na") { print "na"; exit }
  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median of $RUNS: $(echo "$(median 1) $(median 2) $(median 3) $(median 4) $(median 5) $(median 6) $(median 7)" | describe)"
echo "html files: $(find "$OUT" -name '*.html' | wc -l), output size: $(du -sh "$OUT" | cut -f1)"
