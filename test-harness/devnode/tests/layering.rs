//! The devnode's modules form layers with no arrows back up (the crate docs draw them): every
//! `crate::` reference in a module names a module below it, the import graph has no cycle, and
//! the Stylus runtime depends on neither revm nor anything else in the crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top, as in the crate docs.
const LAYERS: [&str; 6] = ["stylus", "programs", "arbos", "exec", "node", "rpc"];

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            out.push((path.display().to_string(), text));
        }
    }
}

/// The top-level module a source file belongs to (`src/stylus/host.rs` → `stylus`).
fn module_of(path: &str) -> Option<&'static str> {
    let rel = path.split("/src/").nth(1)?;
    let first = rel.split(['/', '.']).next()?;
    LAYERS.iter().copied().find(|m| *m == first)
}

/// Top-level modules a file references through `crate::` (code lines only, not comments).
fn references(text: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if let Some(m) = LAYERS.iter().copied().find(|m| *m == name) {
                out.insert(m);
            }
        }
    }
    out
}

/// Module → the modules it references.
type Edges = BTreeMap<&'static str, BTreeSet<&'static str>>;
/// (path, text) of every source file.
type Sources = Vec<(String, String)>;

fn graph() -> (Edges, Sources) {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut edges: Edges = BTreeMap::new();
    for (path, text) in &files {
        if let Some(from) = module_of(path) {
            let e = edges.entry(from).or_default();
            e.extend(references(text).into_iter().filter(|to| *to != from));
        }
    }
    (edges, files)
}

#[test]
fn every_module_imports_only_modules_below_it() {
    let (edges, _) = graph();
    assert_eq!(
        edges.len(),
        LAYERS.len(),
        "every layer has sources: {edges:?}"
    );
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m).expect("known layer");
    for (from, tos) in &edges {
        for to in tos {
            assert!(
                rank(to) < rank(from),
                "{from} imports {to}, which is not below it"
            );
        }
    }
}

#[test]
fn the_import_graph_is_acyclic() {
    let (edges, _) = graph();
    // Kahn's algorithm: repeatedly remove modules nothing left imports.
    let mut left: BTreeMap<&str, BTreeSet<&str>> = edges.clone();
    while !left.is_empty() {
        let leaf = left
            .iter()
            .find(|(_, tos)| tos.iter().all(|t| !left.contains_key(t)))
            .map(|(m, _)| *m);
        match leaf {
            Some(m) => {
                left.remove(m);
            }
            None => panic!("import cycle among {:?}", left.keys().collect::<Vec<_>>()),
        }
    }
}

#[test]
fn the_stylus_runtime_knows_nothing_of_revm_or_the_chain() {
    let (_, files) = graph();
    let stylus: Vec<_> = files
        .iter()
        .filter(|(p, _)| module_of(p) == Some("stylus"))
        .collect();
    assert!(stylus.len() >= 5, "stylus sources found: {}", stylus.len());
    for (path, text) in stylus {
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            assert!(!code.contains("revm"), "{path} uses revm: {line}");
            for m in ["programs", "arbos", "exec", "node", "rpc"] {
                assert!(
                    !code.contains(&format!("crate::{m}")),
                    "{path} reaches up into {m}: {line}"
                );
            }
        }
    }
}
