#!/usr/bin/env python3
"""The sizes of a built site's search index, and the bytes (raw and gzipped) a reader
downloads for the first result of one-word queries, fetched as search.js fetches them:
meta.json, the shard of the word, the shard of its stem (when another), and the chunk of the
first result.

    python3 benches/search_query_bytes.py OUT_DIR WORD...
"""
import json, os, sys, gzip
out = sys.argv[1]
idx = os.path.join(out, "search/index")
def size(p):
    b = open(os.path.join(idx, p), "rb").read()
    return len(b), len(gzip.compress(b, 6))
meta = json.load(open(os.path.join(idx, "meta.json")))
def shard(key):
    name = meta["shards"][0][1]
    for first, n in meta["shards"]:
        if first <= key: name = n
    return "t/%s.json" % name
DIG = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_-wxyz"
def decode(t):
    docs, prev, val = [], -1, 0
    for c in t:
        d = DIG.index(c); val = val * 32 + d % 32
        if d < 32: prev += val + 1; docs.append(prev); val = 0
    return docs
print("documents", meta["documents"], "shards", len(meta["shards"]))
tot = [0, 0]
for p in os.listdir(os.path.join(idx, "t")):
    s = size("t/" + p); tot[0] += s[0]; tot[1] += s[1]
sizes = sorted(size("t/" + p)[0] for p in os.listdir(os.path.join(idx, "t")))
print("shards total %d bytes (%d gzip), median %d, largest %d" % (tot[0], tot[1], sizes[len(sizes)//2], sizes[-1]))
d = [0, 0]
for p in os.listdir(os.path.join(idx, "d")):
    s = size("d/" + p); d[0] += s[0]; d[1] += s[1]
print("doc chunks total %d bytes (%d gzip), %d chunks" % (d[0], d[1], len(os.listdir(os.path.join(idx, "d")))))
print("meta.json %d bytes (%d gzip), facets.json %d bytes (%d gzip)" % (size("meta.json") + size("facets.json")))
for word in sys.argv[2:]:
    files = ["meta.json", shard(word)]
    s = json.load(open(os.path.join(idx, shard(word))))
    stem = s["w"].get(word, word)
    def stems(key):
        if shard(key) not in files: files.append(shard(key))
        return json.load(open(os.path.join(idx, shard(key))))["p"]
    if stem not in stems(stem):
        # A form no story has: the longest stem that begins it (at least half of it).
        for n in range(len(word) - 1, max(3, (len(word) + 1) // 2) - 1, -1):
            if word[:n] in stems(word[:n]):
                stem = word[:n]
                break
    p = stems(stem).get(stem)
    weights = {}
    if p:
        for tier, w in zip(range(3), [4, 2, 1]):
            for doc in decode(p[tier]): weights[doc] = max(weights.get(doc, 0), w)
    hits = sorted(weights, key=lambda d: (-weights[d], d))
    if hits: files.append("d/%d.json" % (hits[0] // meta["chunk"]))
    raw = sum(size(f)[0] for f in files); gz = sum(size(f)[1] for f in files)
    print("%-12s %6d results  %s  %d bytes (%d gzip)" % (word, len(hits), " ".join(files), raw, gz))
