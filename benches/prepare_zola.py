#!/usr/bin/env python3
"""Turn a generated corpus into a ready-to-build Zola site.

    python3 benches/prepare_zola.py CORPUS_DIR OUT_DIR

OUT_DIR/zola: config.toml and templates/ (from benches/zola, the same pages as the Hugo
templates in ../shared/bench/hugo), content/ with each story's front matter mapped to Zola's
TOML (headline -> title, dek -> description, tags -> taxonomies, the rest under extra) and every
Markdown body unchanged. Sections are transparent so the front page paginates every story, as
Hugo's does. OUT_DIR/zola/config-plain.toml is the same config without code highlighting, to
show how much of Zola's time that takes. Standard library only. The config and templates are
copied on every run (so edits to benches/zola count); content/ is written only when missing.
"""
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def split(text, path):
    """The corpus's front matter: flat `key: value` lines, photo's keys indented under it."""
    if not text.startswith("---\n"):
        raise SystemExit(f"{path}: no front matter")
    end = text.index("\n---\n", 4)
    fm, body = text[4:end], text[end + 5:]
    fields, photo = {}, {}
    for line in fm.split("\n"):
        if not line.strip() or line.strip() == "photo:":
            continue
        key, value = line.strip().split(":", 1)
        (photo if line.startswith("  ") else fields)[key] = value.strip()
    return fields, photo, body


def toml_string(yaml_value):
    """The corpus quotes every string JSON-style; a JSON string is a TOML basic string."""
    return json.dumps(json.loads(yaml_value), ensure_ascii=False)


def zola_front_matter(d, p):
    tags = ", ".join(json.dumps(t, ensure_ascii=False) for t in json.loads(d["tags"]))
    return ("+++\n"
            f"title = {toml_string(d['headline'])}\n"
            f"description = {toml_string(d['dek'])}\n"
            f"date = {d['date']}\n"
            f"[taxonomies]\ntags = [{tags}]\n"
            f"[extra]\nauthor = {toml_string(d['author'])}\nsection = {toml_string(d['section'])}\n"
            f"[extra.photo]\nsrc = {toml_string(p['src'])}\nalt = {toml_string(p['alt'])}\n"
            f"credit = {toml_string(p['credit'])}\n"
            "+++\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_plain_config(zola):
    """config.toml less its [markdown.highlighting] table (its header and the lines under it)."""
    kept, skipping = [], False
    for line in open(os.path.join(zola, "config.toml"), encoding="utf-8"):
        if line.startswith("["):
            skipping = line.strip() == "[markdown.highlighting]"
        if not skipping:
            kept.append(line)
    write(os.path.join(zola, "config-plain.toml"), "".join(kept))


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    zola = os.path.join(out, "zola")
    shutil.copytree(os.path.join(HERE, "zola"), zola, dirs_exist_ok=True)
    write_plain_config(zola)
    if os.path.isdir(os.path.join(zola, "content")):
        return
    meta = json.load(open(os.path.join(corpus, "corpus.json"), encoding="utf-8"))
    content = os.path.join(corpus, "content")
    write(os.path.join(zola, "content", "_index.md"), '+++\nsort_by = "date"\npaginate_by = 20\n+++\n')
    for name, slug in zip(meta["sections"], meta["section_slugs"]):
        write(os.path.join(zola, "content", slug, "_index.md"),
              f'+++\ntitle = "{name}"\nsort_by = "date"\ntransparent = true\n+++\n')
    for sec in sorted(os.listdir(content)):
        for name in sorted(os.listdir(os.path.join(content, sec))):
            src = os.path.join(content, sec, name)
            d, p, body = split(open(src, encoding="utf-8").read(), src)
            write(os.path.join(zola, "content", sec, name), zola_front_matter(d, p) + body)


if __name__ == "__main__":
    main()
