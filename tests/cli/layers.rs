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

/// The top-level modules that the code of `text` names, in a file `depth` modules below the
/// crate root (`src/model/style.rs` is 2, `src/model/mod.rs` and `src/build.rs` are 1): every
/// `crate::name`, each name of `crate::{a, b::c}`, and `super::...::name` where the `super`s
/// climb to the crate root. String and character literals and comments are left out.
fn imports(text: &str, depth: usize) -> BTreeSet<String> {
    let code = without_literals_and_comments(text);
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let after = rest[at + "crate::".len()..].trim_start();
        match after.strip_prefix('{') {
            Some(group) => {
                let inside = group.split('}').next().unwrap_or("");
                found.extend(inside.split(',').map(|part| ident(part.trim())));
            }
            None => {
                found.insert(ident(after));
            }
        }
        rest = after;
    }
    let mut rest = code.as_str();
    while let Some(at) = rest.find("super::") {
        let start_of_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'));
        let mut after = &rest[at..];
        let mut climbs = 0;
        while let Some(next) = after.strip_prefix("super::") {
            climbs += 1;
            after = next;
        }
        if start_of_word && climbs >= depth {
            found.insert(ident(after));
        }
        rest = after;
    }
    found.remove("");
    found
}

/// `text` with the contents of string and character literals and of comments blanked, so
/// that a URL in a string (`"https://..."`) or a path in a doc comment counts for nothing.
fn without_literals_and_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                code.push_str("\"\"");
            }
            // A character literal ('x', '\n', '"'), not a lifetime ('a).
            '\'' if chars.get(i + 2) == Some(&'\'') || chars.get(i + 1) == Some(&'\\') => {
                let close = (i + 2..chars.len().min(i + 12)).find(|&k| chars[k] == '\'');
                i = close.map_or(i + 1, |k| k + 1);
                code.push_str("' '");
            }
            c => {
                code.push(c);
                i += 1;
            }
        }
    }
    code
}

/// How many modules below the crate root the file at `relative` (to `src/`) is.
fn module_depth(relative: &Path) -> usize {
    let parts = relative.components().count();
    match relative.file_name().and_then(|n| n.to_str()) {
        Some("mod.rs") => parts - 1,
        _ => parts,
    }
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
        let depth = module_depth(file.strip_prefix(src()).unwrap_or(&file));
        for name in imports(&text, depth) {
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
    // What the check reads, on made-up lines of the model reaching into later layers.
    let of = |text: &str, depth: usize| imports(text, depth).into_iter().collect::<Vec<_>>();
    assert_eq!(
        of("use crate::render::Theme; // crate::serve\n", 2),
        ["render"]
    );
    assert_eq!(
        of("use crate::{build::Builder, write};\n", 2),
        ["build", "write"]
    );
    assert_eq!(of("use super::super::render::Theme;\n", 2), ["render"]);
    assert_eq!(of("use super::Newsroom;\n", 2), Vec::<String>::new());
    assert_eq!(of("use super::render::Theme;\n", 1), ["render"]);
    assert_eq!(
        of("let url = \"https://x.org\"; crate::cmd::run();\n", 2),
        ["cmd"]
    );
    assert_eq!(
        of("let s = \"crate::serve\"; let c = '\"';\n", 2),
        Vec::<String>::new()
    );
}
