//! The layer rule of ARCHITECTURE.md: a top-level module of `src/` imports only from itself and
//! from the layers before it, so that the stages read in the order the data flows through them
//! and no two modules import each other. Read from the source text: every `crate::<module>`
//! path counts, in `use` lines and in code alike (comments and doc comments do not).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, first to last. A module may import from its own layer or an earlier one.
const LAYERS: &[&str] = &[
    "util",
    "diagnostic",
    "site",
    "source",
    "parse",
    "model",
    "assets",
    "output",
    "render",
    "write",
    "build",
    "cmd",
    "serve",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer of a file under `src/`: its top-level folder, or its own name.
fn layer_of(file: &Path) -> Option<&'static str> {
    let relative = file.strip_prefix(src()).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    LAYERS.iter().copied().find(|layer| *layer == name)
}

/// Every `crate::<name>` in the code of `text` (line comments left out).
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
            rest = after;
        }
    }
    found
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src/").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Each import that points to a later layer, as `file: crate::name`.
fn violations() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let rank = |layer: &str| LAYERS.iter().position(|l| *l == layer);
    let mut wrong = Vec::new();
    for file in files {
        let Some(layer) = layer_of(&file) else {
            continue; // lib.rs and main.rs name every layer.
        };
        let text = fs::read_to_string(&file).expect("read a source file");
        for name in imports(&text) {
            match rank(&name) {
                Some(target) if target > rank(layer).unwrap_or(0) => wrong.push(format!(
                    "{}: crate::{name} ({layer} may not import the later layer {name})",
                    file.strip_prefix(src()).unwrap_or(&file).display()
                )),
                Some(_) => {}
                None => wrong.push(format!(
                    "{}: crate::{name} is in no layer; add it to LAYERS and ARCHITECTURE.md",
                    file.display()
                )),
            }
        }
    }
    wrong
}

#[test]
fn no_module_imports_from_a_later_layer() {
    let wrong = violations();
    assert!(
        wrong.is_empty(),
        "imports against the layer rule:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_top_level_module_is_a_layer() {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("read lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|line| {
            let line = line.strip_prefix("pub(crate) ").unwrap_or(line);
            line.strip_prefix("pub mod ").or(line.strip_prefix("mod "))
        })
        // `mod name;` declares a layer; an inline `mod name { ... }` is no stage.
        .filter_map(|rest| rest.strip_suffix(';'))
        .collect();
    assert_eq!(
        declared, LAYERS,
        "lib.rs declares the layers in their order"
    );
}

#[test]
fn the_rule_catches_an_import_from_a_later_layer() {
    // What the check reads, on a made-up line of the model reaching into render.
    let found = imports("use crate::render::Theme; // crate::serve in a comment\n");
    assert_eq!(found, BTreeSet::from(["render".to_string()]));
}
