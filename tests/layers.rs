//! The layout stays true: every `crate::` path of every file under src/ (in `use` lines, grouped
//! or not, and inline), outside `#[cfg(test)]` code, is an arrow from the file's top-level module to
//! the path's, and every arrow must be allowed by the rules of issue 13 (docs/architecture.md).
//!
//! Modules that have not moved into their layer yet are placed by [`LAYER_OF`]. Arrows that still
//! break the rules today are listed in [`RATCHET`]: the test fails on any other forbidden arrow, and
//! also when a listed one no longer occurs, so the list can only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every current top-level module and the layer of the target layout it belongs to.
const LAYER_OF: &[(&str, &str)] = &[
    ("core", "core"),
    ("store", "store"),
    ("app", "app"),
    ("import", "import"),
    ("export", "export"),
    ("search", "search"),
    ("i18n", "i18n"),
    ("tui", "tui"),
    ("cli", "cli"),
    ("error", "error"),
    ("bench", "bench"),
    ("serve", "serve"),
];

/// The allowed arrows between layers (issue 13), besides a layer using itself and every layer but
/// core using `error`.
const ALLOWED: &[(&str, &[&str])] = &[
    // export: the format enums and writers' options only (not checked finer than the module).
    (
        "cli",
        &["tui", "app", "core", "i18n", "search", "export", "bench", "serve"],
    ),
    ("tui", &["app", "core", "i18n", "search"]),
    ("app", &["store", "import", "export", "core", "search"]),
    ("store", &["core", "search"]),
    ("export", &["core", "i18n"]),
    ("import", &["core"]),
    ("search", &["core"]),
    ("i18n", &["core"]),
    ("error", &["core"]),
    ("serve", &["tui", "app", "core", "i18n"]),
    // bench may use any layer but cli.
    (
        "bench",
        &[
            "core", "store", "app", "import", "export", "search", "i18n", "tui", "error",
        ],
    ),
    ("core", &[]),
];

/// Arrows (from module, to module) that break the rules today. Each needs the move named in
/// docs/architecture.md; remove a line when its arrow is gone (the test says so).
const RATCHET: &[(&str, &str)] = &[];

fn layer_of(module: &str) -> Option<&'static str> {
    LAYER_OF.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn allowed(from_layer: &str, to_layer: &str) -> bool {
    if from_layer == to_layer || (to_layer == "error" && from_layer != "core") {
        return true;
    }
    ALLOWED
        .iter()
        .find(|(f, _)| *f == from_layer)
        .is_some_and(|(_, to)| to.contains(&to_layer))
}

/// The source with comments, string and character literals blanked out (same length and lines).
fn blank_comments_and_literals(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied().unwrap_or('\0');
        if c[i] == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && (at(i + 1) == '"' || at(i + 1) == '#')
            && (i == 0 || !is_ident(c[i - 1]) || (c[i - 1] == 'b' && (i == 1 || !is_ident(c[i - 2]))))
        {
            // A raw string r"..." or r#"..."# (or br"...").
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            if at(j) != '"' {
                out.push(c[i]);
                i += 1;
                continue;
            }
            for _ in i..=j {
                out.push(' ');
            }
            i = j + 1;
            while i < c.len() {
                if c[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#') {
                    for _ in 0..=hashes {
                        out.push(' ');
                    }
                    i += hashes + 1;
                    break;
                }
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    blank(&mut out, c[i]);
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' && (at(i + 1) == '\\' || (at(i + 2) == '\'' && at(i + 1) != '\'')) {
            // A character literal ('x', '\n', '\u{1F600}'); a lifetime has no closing quote.
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '\'' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// The code outside `#[cfg(test)]` items, and the names of the `#[cfg(test)] mod name;` files the
/// code declares. Takes blanked code (see [`blank_comments_and_literals`]).
fn without_test_code(code: &str) -> (String, Vec<String>) {
    let squeezed: String = code.chars().filter(|ch| !ch.is_whitespace()).collect();
    if squeezed.starts_with("#![cfg(test)]") {
        return (String::new(), Vec::new());
    }
    let c: Vec<char> = code.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(c.len());
    let mut test_mods = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i] == '#' && c.get(i + 1) == Some(&'[') {
            let (attr, end) = bracketed(&c, i + 1, '[', ']');
            let attr: String = attr.chars().filter(|ch| !ch.is_whitespace()).collect();
            if attr == "cfg(test)" || attr.starts_with("cfg(all(test,") {
                // Skip the item: up to its `;` or the end of its first `{ }` block.
                let mut j = end;
                let start = j;
                loop {
                    match c.get(j) {
                        None => break,
                        Some(';') => {
                            j += 1;
                            break;
                        }
                        Some('{') => {
                            j = bracketed(&c, j, '{', '}').1;
                            break;
                        }
                        Some('#') if c.get(j + 1) == Some(&'[') => j = bracketed(&c, j + 1, '[', ']').1,
                        Some(_) => j += 1,
                    }
                }
                let item: String = c[start..j].iter().collect();
                let words: Vec<&str> = item.split(|ch: char| !is_ident(ch)).filter(|w| !w.is_empty()).collect();
                if item.trim_end().ends_with(';')
                    && let Some(k) = words.iter().position(|w| *w == "mod")
                    && let Some(name) = words.get(k + 1)
                {
                    test_mods.push(name.to_string());
                }
                out.extend(c[i..j].iter().map(|ch| if *ch == '\n' { '\n' } else { ' ' }));
                i = j;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    (out.into_iter().collect(), test_mods)
}

/// The text inside the brackets opening at `open`, and the index after the closing one.
fn bracketed(c: &[char], open: usize, left: char, right: char) -> (String, usize) {
    let mut depth = 0;
    let mut j = open;
    while j < c.len() {
        if c[j] == left {
            depth += 1;
        } else if c[j] == right {
            depth -= 1;
            if depth == 0 {
                return (c[open + 1..j].iter().collect(), j + 1);
            }
        }
        j += 1;
    }
    (c[(open + 1).min(c.len())..].iter().collect(), c.len())
}

/// The first segment after `crate::` of every path in the code: `crate::a::b` gives `a`,
/// `use crate::{a, b::{c, d}}` gives `a` and `b`. `crate::{self, ..}` names the root and is skipped.
fn crate_paths(code: &str) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(k) = find(&c, i, "crate") {
        i = k + 5;
        if k > 0 && is_ident(c[k - 1]) || c.get(i).is_some_and(|ch| is_ident(*ch)) {
            continue;
        }
        let mut j = skip_space(&c, i);
        if c.get(j) != Some(&':') || c.get(j + 1) != Some(&':') {
            continue;
        }
        j = skip_space(&c, j + 2);
        if c.get(j) == Some(&'{') {
            let (inside, _) = bracketed(&c, j, '{', '}');
            for piece in split_top_level(&inside) {
                let name: String = piece.trim().chars().take_while(|ch| is_ident(*ch)).collect();
                if !name.is_empty() && name != "self" {
                    found.push(name);
                }
            }
        } else {
            let name: String = c[j..].iter().take_while(|ch| is_ident(**ch)).collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

fn find(c: &[char], from: usize, word: &str) -> Option<usize> {
    let w: Vec<char> = word.chars().collect();
    (from..c.len().saturating_sub(w.len() - 1)).find(|&k| c[k..k + w.len()] == w[..])
}

fn skip_space(c: &[char], mut j: usize) -> usize {
    while c.get(j).is_some_and(|ch| ch.is_whitespace()) {
        j += 1;
    }
    j
}

fn split_top_level(s: &str) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut depth = 0;
    for ch in s.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                pieces.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = pieces.last_mut() {
            last.push(ch);
        }
    }
    pieces
}

/// The top-level module a source file belongs to (its path relative to src/), or None for the
/// crate root files (lib.rs declares the modules, main.rs uses the crate from outside).
fn module_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if rel.components().count() == 1 {
        let stem = first.strip_suffix(".rs")?;
        return (stem != "lib" && stem != "main").then(|| stem.to_string());
    }
    Some(first)
}

/// The directory a file's `mod x;` declarations are found in.
fn child_dir(rel: &Path) -> PathBuf {
    let parent = rel.parent().unwrap_or(Path::new("")).to_path_buf();
    match rel.file_stem().and_then(|s| s.to_str()) {
        Some("mod") | Some("lib") | Some("main") => parent,
        Some(stem) => parent.join(stem),
        None => parent,
    }
}

/// One arrow that is neither allowed nor in the ratchet.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Broken {
    file: String,
    from: String,
    to: String,
}

#[derive(Debug, Default)]
struct Report {
    broken: BTreeSet<Broken>,
    /// Module names that have no layer in [`LAYER_OF`].
    unplaced: BTreeSet<String>,
    /// Ratchet arrows that occurred.
    ratchet_used: BTreeSet<(String, String)>,
}

/// Check a set of source files (path relative to src/, text).
fn check(files: &[(PathBuf, String)], ratchet: &[(&str, &str)]) -> Report {
    let mut report = Report::default();
    let mut code_of: BTreeMap<PathBuf, (String, Vec<String>)> = BTreeMap::new();
    for (rel, text) in files {
        code_of.insert(rel.clone(), without_test_code(&blank_comments_and_literals(text)));
    }
    // Files declared `#[cfg(test)] mod x;`, and everything below them.
    let mut test_files: Vec<PathBuf> = Vec::new();
    for (rel, (_, test_mods)) in &code_of {
        for m in test_mods {
            let dir = child_dir(rel);
            test_files.push(dir.join(format!("{m}.rs")));
            test_files.push(dir.join(m));
        }
    }
    for (rel, (code, _)) in &code_of {
        if test_files.iter().any(|t| rel == t || rel.starts_with(t)) {
            continue;
        }
        let Some(from) = module_of(rel) else { continue };
        for to in crate_paths(code) {
            // The crate root re-exports the error type.
            let to = if to == "Error" || to == "Result" {
                "error".to_string()
            } else {
                to
            };
            if to == from {
                continue;
            }
            let (Some(fl), Some(tl)) = (layer_of(&from), layer_of(&to)) else {
                for m in [&from, &to] {
                    if layer_of(m).is_none() {
                        report.unplaced.insert(m.clone());
                    }
                }
                continue;
            };
            if allowed(fl, tl) {
                continue;
            }
            if ratchet.iter().any(|(f, t)| *f == from && *t == to) {
                report.ratchet_used.insert((from.clone(), to.clone()));
                continue;
            }
            report.broken.insert(Broken {
                file: rel.display().to_string(),
                from: from.clone(),
                to,
            });
        }
    }
    report
}

/// The ratchet arrows that did not occur.
fn unused(report: &Report, ratchet: &[(&str, &str)]) -> Vec<String> {
    ratchet
        .iter()
        .filter(|(f, t)| !report.ratchet_used.contains(&(f.to_string(), t.to_string())))
        .map(|(f, t)| format!("{f} -> {t}"))
        .collect()
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
        }
    }
}

#[test]
fn every_arrow_between_layers_is_allowed_or_in_the_shrinking_ratchet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &root, &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under {}",
        files.len(),
        root.display()
    );
    let report = check(&files, RATCHET);
    assert!(
        report.unplaced.is_empty(),
        "modules with no layer in LAYER_OF: {:?}",
        report.unplaced
    );
    let broken: Vec<String> = report
        .broken
        .iter()
        .map(|b| format!("{}: {} -> {}", b.file, b.from, b.to))
        .collect();
    let gone = unused(&report, RATCHET);
    assert!(
        broken.is_empty() && gone.is_empty(),
        "arrows the layers do not allow (docs/architecture.md):\n{}\n\n\
         ratchet arrows that no longer occur (remove them from RATCHET and docs/architecture.md):\n{}",
        broken.join("\n"),
        gone.join("\n")
    );
}

#[test]
fn nothing_imports_the_command_line_and_no_exception_allows_it() {
    assert!(RATCHET.iter().all(|(_, to)| layer_of(to) != Some("cli")));
    for (layer, to) in ALLOWED {
        assert!(*layer == "cli" || !to.contains(&"cli"), "{layer} may use cli");
    }
}

fn fake(files: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect()
}

#[test]
fn a_forbidden_arrow_is_reported_in_every_spelling() {
    let files = fake(&[
        ("core/a.rs", "use crate::{core::x, store::Store};\n"),
        ("tui/b.rs", "fn f() { let _ = crate::cli::main(); }\n"),
        ("app/room.rs", "use crate::{error::Result, tui::{Lang, Msg}};\n"),
        ("search/c.rs", "pub(crate) fn g() -> crate :: core::X { todo!() }\n"),
        ("export/d.rs", "use crate::store::Store; // -> store\n"),
    ]);
    let report = check(&files, &[]);
    let arrows: Vec<(String, String, String)> = report.broken.into_iter().map(|b| (b.file, b.from, b.to)).collect();
    let want = |f: &str, a: &str, b: &str| (f.to_string(), a.to_string(), b.to_string());
    assert_eq!(
        arrows,
        vec![
            want("app/room.rs", "app", "tui"),
            want("core/a.rs", "core", "store"),
            want("export/d.rs", "export", "store"),
            want("tui/b.rs", "tui", "cli"),
        ]
    );
    // The same arrows pass once listed, and the list says which were used.
    let report = check(
        &files,
        &[("export", "store"), ("app", "tui"), ("tui", "cli"), ("core", "store")],
    );
    assert!(report.broken.is_empty(), "{:?}", report.broken);
    assert_eq!(report.ratchet_used.len(), 4);
}

#[test]
fn test_code_comments_and_strings_are_not_arrows() {
    let files = fake(&[
        (
            "core/a.rs",
            concat!(
                "//! Unlike [`crate::store`], pure.\n",
                "pub fn f() -> &'static str { \"crate::cli\" }\n",
                "fn c() -> char { 'c' }\n",
                "/* crate::tui::x */\n",
                "#[cfg(test)]\nmod tests {\n    use crate::store::Store;\n    fn t() { crate::cli::x(); }\n}\n",
                "#[cfg(test)]\nuse crate::tui::Lang;\n",
                "#[cfg(test)]\nmod more;\n",
                "pub fn g() -> crate::core::Y { let s = r#\"crate::tui\"#; let b = br\"crate::cli\"; todo!() }\n",
                "#[cfg(all(test, unix))]\nfn u() { crate::cli::x(); }\n",
            ),
        ),
        ("core/a/more.rs", "use crate::cli::Cli;\n"),
        ("core/a/more/deeper.rs", "use crate::cli::Cli;\n"),
        ("core/b.rs", "use crate::store::Store;\n"),
        (
            "core/c.rs",
            "//! Only for tests.\n#![cfg(test)]\nuse crate::cli::Cli;\n",
        ),
    ]);
    let report = check(&files, &[]);
    let broken: Vec<&str> = report.broken.iter().map(|b| b.file.as_str()).collect();
    // Only the real arrow of core/b.rs is left.
    assert_eq!(broken, vec!["core/b.rs"]);
}

#[test]
fn an_unplaced_module_is_reported() {
    let report = check(&fake(&[("newthing.rs", "use crate::core::X;\n")]), &[]);
    assert_eq!(
        report.unplaced.into_iter().collect::<Vec<_>>(),
        vec!["newthing".to_string()]
    );
}

#[test]
fn a_ratchet_arrow_that_no_longer_occurs_is_reported() {
    let files = fake(&[("tui/a.rs", "use crate::store::Store;\n")]);
    let ratchet = [("tui", "store"), ("projector", "store")];
    let report = check(&files, &ratchet);
    assert!(report.broken.is_empty());
    assert_eq!(unused(&report, &ratchet), vec!["projector -> store".to_string()]);
}
