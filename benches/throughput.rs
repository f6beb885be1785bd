//! Throughput benchmark (SPEC §12): `ctelint check --select ALL` over a generated repository of
//! key payloads, timed against the floor of reading and parsing every file with serde_json on one
//! thread, the two taken in turn within one run; plus single-file start-up and peak memory.
//!
//! ```sh
//! cargo bench --bench throughput                      # 10,000 files, 5 rounds of each
//! cargo bench --bench throughput -- --files 2000 --rounds 3 --startup-runs 20
//! cargo bench --bench throughput -- --keep            # keep the corpus (path printed) for profiling
//! cargo bench --bench throughput -- --output-format sarif   # time another report format
//! ```
//!
//! The binary measured is the one `cargo bench` builds with this bench (`CARGO_BIN_EXE_ctelint`,
//! the `bench` profile, which inherits `release`: `target/release/ctelint`); `--bin PATH` measures
//! another build. The corpus, the reports and every other file the run writes go to a temporary
//! directory outside the repository, removed at the end unless `--keep` is given.
//!
//! Peak memory is the child's maximum resident set size as `/usr/bin/time -f %M` reports it (from
//! `wait4`'s rusage) when GNU time is installed, otherwise the last `VmHWM` read from
//! `/proc/<pid>/status` while polling every 2 ms (a lower bound).

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::exit,
    clippy::cast_precision_loss,
    clippy::too_many_lines,
    reason = "a benchmark harness: it prints its table, exits on bad usage, and turns counts into rates"
)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Command-line settings of the benchmark.
struct Args {
    files: usize,
    rounds: usize,
    startup_runs: usize,
    keep: bool,
    bin: PathBuf,
    seed: u64,
    /// The report format of the timed runs (`json` unless asked).
    format: String,
}

fn parse_args() -> Args {
    let mut args = Args {
        files: 10_000,
        rounds: 5,
        startup_runs: 50,
        keep: false,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_ctelint")),
        seed: 0x00C7_E11E_2024,
        format: "json".to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().unwrap_or_else(|| die(&format!("{name} needs a value")));
        match arg.as_str() {
            "--files" => args.files = number(&value("--files")),
            "--rounds" => args.rounds = number(&value("--rounds")).max(1),
            "--startup-runs" => args.startup_runs = number(&value("--startup-runs")).max(1),
            "--seed" => args.seed = number(&value("--seed")) as u64,
            "--bin" => args.bin = PathBuf::from(value("--bin")),
            "--output-format" => args.format = value("--output-format"),
            "--keep" => args.keep = true,
            // What `cargo bench` passes to a harness-less bench.
            "--bench" => {}
            "--help" | "-h" => {
                println!(
                    "usage: cargo bench --bench throughput -- [--files N] [--rounds R] [--startup-runs M] [--seed S] [--bin PATH] [--output-format F] [--keep]"
                );
                std::process::exit(0);
            }
            other if other.starts_with("--") => die(&format!("unknown option `{other}`")),
            // A name filter (`cargo bench throughput`): there is only one benchmark.
            _ => {}
        }
    }
    args.files = args.files.max(50);
    args
}

fn number(text: &str) -> usize {
    text.replace('_', "")
        .parse()
        .unwrap_or_else(|_| die(&format!("`{text}` is not a number")))
}

fn die(message: &str) -> ! {
    eprintln!("throughput: {message}");
    std::process::exit(2);
}

// ---------------------------------------------------------------------------------------------
// Deterministic pseudo-random numbers: SplitMix64 (Steele, Lea, Flood 2014).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

// ---------------------------------------------------------------------------------------------
// A small JSON tree that keeps member order and duplicates, rendered in several styles.

#[derive(Clone)]
enum Node {
    Obj(Vec<(String, Node)>),
    Arr(Vec<Node>),
    Str(String),
    /// A number (or any literal) written as is.
    Lit(String),
    Bool(bool),
}

fn s(text: &str) -> Node {
    Node::Str(text.to_owned())
}

fn groups(names: &[&str]) -> Node {
    Node::Arr(names.iter().map(|n| s(n)).collect())
}

impl Node {
    fn members(&mut self) -> &mut Vec<(String, Node)> {
        match self {
            Node::Obj(members) => members,
            _ => unreachable!("not an object"),
        }
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Node> {
        self.members().iter_mut().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn path_mut(&mut self, path: &[&str]) -> Option<&mut Node> {
        let mut node = self;
        for step in path {
            if !matches!(node, Node::Obj(_)) {
                return None;
            }
            node = node.get_mut(step)?;
        }
        Some(node)
    }

    fn set(&mut self, name: &str, value: Node) {
        match self.get_mut(name) {
            Some(slot) => *slot = value,
            None => self.members().push((name.to_owned(), value)),
        }
    }

    fn remove(&mut self, name: &str) -> Option<Node> {
        let members = self.members();
        let at = members.iter().position(|(n, _)| n == name)?;
        Some(members.remove(at).1)
    }

    fn rename(&mut self, from: &str, to: &str) {
        if let Some(member) = self.members().iter_mut().find(|(n, _)| n == from) {
            to.clone_into(&mut member.0);
        }
    }
}

/// How a file is laid out.
#[derive(Clone, Copy)]
struct Style {
    /// Indentation unit; empty for one line.
    indent: &'static str,
    crlf: bool,
    /// A space after `:` (and after `,` on one line).
    spaced: bool,
    final_newline: bool,
}

fn render(node: &Node, style: Style) -> String {
    let mut out = String::with_capacity(2048);
    write_node(&mut out, node, style, 0);
    if style.final_newline {
        out.push_str(if style.crlf { "\r\n" } else { "\n" });
    }
    out
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style.indent.is_empty() {
        return;
    }
    out.push_str(if style.crlf { "\r\n" } else { "\n" });
    for _ in 0..depth {
        out.push_str(style.indent);
    }
}

fn write_node(out: &mut String, node: &Node, style: Style, depth: usize) {
    let one_line = style.indent.is_empty();
    let separator = if one_line && style.spaced { ", " } else { "," };
    match node {
        Node::Str(text) => write_str(out, text),
        Node::Lit(text) => out.push_str(text),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Arr(items) if items.is_empty() => out.push_str("[]"),
        Node::Obj(members) if members.is_empty() => out.push_str("{}"),
        Node::Arr(items) => {
            // Short lists of scalars stay on one line half the time, as hand-written files do.
            let inline = items.len() <= 2 && items.iter().all(|i| matches!(i, Node::Str(_))) && depth % 2 == 1;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if inline { ", " } else { separator });
                }
                if !inline {
                    newline(out, style, depth + 1);
                }
                write_node(out, item, style, depth + 1);
            }
            if !inline {
                newline(out, style, depth);
            }
            out.push(']');
        }
        Node::Obj(members) => {
            out.push('{');
            for (i, (name, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(separator);
                }
                newline(out, style, depth + 1);
                write_str(out, name);
                out.push_str(if style.spaced { ": " } else { ":" });
                write_node(out, value, style, depth + 1);
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
}

fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Key requests shaped like the vendor page's sample body (a keys2 create request for CTE: AES
// 256, exportable, `meta.ownerId`, `meta.permissions` granting `CTE Clients`, `meta.cte` with the
// mode, versioning and persistence flags, a top-level `xts`), with the variations real
// repositories have.

const TEAMS: [&str; 12] = [
    "payments",
    "ledger",
    "hr",
    "crm",
    "billing",
    "warehouse",
    "analytics",
    "identity",
    "backup",
    "mail",
    "erp",
    "research",
];
const SYSTEMS: [&str; 10] = [
    "db01",
    "db02",
    "nfs",
    "fileserver",
    "oracle",
    "sapdata",
    "archive",
    "logs",
    "vmstore",
    "homedirs",
];
const ENVS: [&str; 4] = ["prod", "staging", "dev", "dr"];
const PERMISSIONS: [&str; 9] = [
    "DecryptWithKey",
    "EncryptWithKey",
    "ExportKey",
    "MACVerifyWithKey",
    "MACWithKey",
    "ReadKey",
    "SignVerifyWithKey",
    "SignWithKey",
    "UseKey",
];
const WORDS: [&str; 16] = [
    "GuardPoint",
    "volume",
    "encryption",
    "key",
    "for",
    "the",
    "nightly",
    "replica",
    "of",
    "customer",
    "data",
    "rotated",
    "by",
    "policy",
    "owned",
    "team",
];

struct Generated {
    text: String,
    kind: FileKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Clean,
    Violating,
    Invalid,
    NonKey,
    LargeArray,
}

fn key_request(rng: &mut Rng, name: &str) -> Node {
    let team = rng.pick(&TEAMS);
    let mut permissions = Vec::new();
    // Most bodies copy the vendor sample's nine permissions; some grant only what CTE needs.
    let full = rng.chance(80);
    for permission in PERMISSIONS {
        let needed = matches!(permission, "ReadKey" | "ExportKey");
        if !(full || needed || rng.chance(30)) {
            continue;
        }
        let mut list = vec!["CTE Clients"];
        if rng.chance(15) {
            list.push("Key Users");
        }
        if permission != "ExportKey" && rng.chance(10) {
            list.push(rng.pick(&["Key Admins", "CTE Admins"]));
        }
        permissions.push((permission.to_owned(), groups(&list)));
    }
    let mut meta = vec![
        ("ownerId".to_owned(), Node::Str(format!("local|{}", rng.uuid()))),
        ("permissions".to_owned(), Node::Obj(permissions)),
        (
            "cte".to_owned(),
            Node::Obj(vec![
                ("persistent_on_client".to_owned(), Node::Bool(true)),
                ("encryption_mode".to_owned(), s("CBC_CS1")),
                ("cte_versioned".to_owned(), Node::Bool(false)),
            ]),
        ),
    ];
    if rng.chance(20) {
        meta.rotate_left(1 + rng.below(2));
    }
    let mut request = vec![
        ("name".to_owned(), s(name)),
        ("algorithm".to_owned(), s(rng.pick(&["aes", "AES"]))),
        (
            "size".to_owned(),
            Node::Lit(rng.pick(&["256", "256", "256", "128"]).to_string()),
        ),
    ];
    if rng.chance(40) {
        request.push((
            "usageMask".to_owned(),
            Node::Lit(rng.pick(&["12", "76", "4194303"]).to_string()),
        ));
    }
    if rng.chance(60) {
        request.push(("undeletable".to_owned(), Node::Bool(rng.chance(50))));
    }
    request.push(("unexportable".to_owned(), Node::Bool(false)));
    if rng.chance(60) {
        let words: Vec<&str> = (0..rng.range(6, 110)).map(|_| rng.pick(&WORDS)).collect();
        request.push(("description".to_owned(), Node::Str(words.join(" "))));
    }
    if rng.chance(65) {
        let mut labels = vec![("team".to_owned(), s(team)), ("env".to_owned(), s(rng.pick(&ENVS)))];
        for i in 0..rng.below(16) {
            labels.push((
                format!("example.com/tag-{i}"),
                Node::Str(format!("v{}", rng.below(100))),
            ));
        }
        request.push(("labels".to_owned(), Node::Obj(labels)));
    }
    if rng.chance(30) {
        let aliases = (0..rng.range(1, 3))
            .map(|i| {
                Node::Obj(vec![
                    ("alias".to_owned(), Node::Str(format!("{name}-alias-{i}"))),
                    ("type".to_owned(), s("string")),
                ])
            })
            .collect();
        request.push(("aliases".to_owned(), Node::Arr(aliases)));
    }
    if rng.chance(15) {
        request.push(("state".to_owned(), s("Active")));
    }
    request.push(("meta".to_owned(), Node::Obj(meta)));
    request.push(("xts".to_owned(), Node::Bool(false)));
    Node::Obj(request)
}

/// Applies one realistic mistake; returns what it was (for the corpus summary).
fn violate(rng: &mut Rng, request: &mut Node, previous_name: &str) -> &'static str {
    match rng.below(22) {
        0 | 1 => {
            request.set("unexportable", Node::Bool(true));
            "unexportable"
        }
        2 | 3 => {
            let mode = rng.pick(&["CBC", "cbc_cs1", "XTS", "GCM", "CBC-CS1"]);
            if let Some(cte) = request.path_mut(&["meta", "cte"]) {
                cte.set("encryption_mode", s(mode));
            }
            "mode"
        }
        4 | 5 => {
            if let Some(cte) = request.path_mut(&["meta", "cte"]) {
                cte.set("cte_versioned", Node::Bool(true));
            }
            "versioned"
        }
        6 => {
            if let Some(permissions) = request.path_mut(&["meta", "permissions"]) {
                permissions.set("ReadKey", groups(&["Key Users"]));
            }
            "no-read"
        }
        7 => {
            if let Some(permissions) = request.path_mut(&["meta", "permissions"]) {
                permissions.remove("ExportKey");
            }
            "no-export"
        }
        8 => {
            request.remove("xts");
            if let Some(cte) = request.path_mut(&["meta", "cte"]) {
                cte.set("xts", Node::Bool(false));
            }
            "misplaced-xts"
        }
        9 => {
            request.set("size", s("256"));
            "size-string"
        }
        10 => {
            request.set("unexportable", s("false"));
            "bool-string"
        }
        11 => {
            request.rename(
                "unexportable",
                rng.pick(&["unexportible", "unExportable", "un_exportable"]),
            );
            "typo-member"
        }
        12 => {
            if let Some(permissions) = request.path_mut(&["meta", "permissions"]) {
                permissions.set(
                    "ExportKey",
                    groups(&[rng.pick(&["CTE Client", "cte clients", "CTEClients"])]),
                );
            }
            "group-typo"
        }
        13 => {
            if let Some(meta) = request.path_mut(&["meta"]) {
                meta.remove("cte");
            }
            "no-cte"
        }
        14 => {
            if let Some(meta) = request.path_mut(&["meta"]) {
                meta.remove("ownerId");
            }
            "no-owner"
        }
        15 => {
            request.set("algorithm", s(rng.pick(&["rsa", "tdes", "aria"])));
            "algorithm"
        }
        16 => {
            request.set("size", Node::Lit("192".to_owned()));
            "size"
        }
        17 => {
            request.set("createdAt", s("2024-05-07T10:11:12.345Z"));
            request.set("uri", s("kylo:kylo:vault:keys:key-0"));
            "server-managed"
        }
        18 => {
            request.members().push(("unexportable".to_owned(), Node::Bool(true)));
            "duplicate-member"
        }
        19 => {
            if let Some(owner) = request.path_mut(&["meta"]).and_then(|m| m.remove("ownerId")) {
                request.set("ownerId", owner);
            }
            "misplaced-owner"
        }
        20 => {
            request.set("name", s(previous_name));
            "duplicate-name"
        }
        _ => {
            request.set("material", Node::Str("a1b2c3d4e5f6a7b8".repeat(4)));
            request.set("format", s("raw"));
            "material"
        }
    }
}

fn key_file(rng: &mut Rng, name: &str, previous_name: &str, style: Style) -> Generated {
    let mut request = key_request(rng, name);
    let violating = rng.chance(30);
    if violating {
        violate(rng, &mut request, previous_name);
        if rng.chance(25) {
            violate(rng, &mut request, previous_name);
        }
    }
    let mut text = render(&request, style);
    let kind = if rng.below(1000) < 21 {
        break_json(rng, &mut text);
        FileKind::Invalid
    } else if violating {
        FileKind::Violating
    } else {
        FileKind::Clean
    };
    Generated { text, kind }
}

/// Makes a text invalid JSON the ways files get broken: cut short by a bad merge, a trailing
/// comma, a comment, a missing comma, single quotes.
fn break_json(rng: &mut Rng, text: &mut String) {
    match rng.below(5) {
        0 => {
            let cut = text.len() / 3 + rng.below(text.len() / 2);
            let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            text.truncate(cut);
        }
        1 => {
            let at = text.rfind('}').unwrap_or(text.len());
            let last = text[..at].rfind(|c: char| !c.is_whitespace()).map_or(0, |i| i + 1);
            text.insert(last, ',');
        }
        2 => {
            let at = text.find('\n').unwrap_or(1);
            text.insert_str(at, " // reviewed by security");
            if !text.contains('\n') {
                text.insert_str(1, "/* reviewed */");
            }
        }
        3 => {
            if let Some(at) = text.find(',') {
                text.remove(at);
            }
        }
        _ => {
            *text = text.replacen("\"algorithm\"", "'algorithm'", 1);
            if !text.contains("'algorithm'") {
                text.push('}');
            }
        }
    }
}

fn package_json(rng: &mut Rng, name: &str) -> String {
    let mut dependencies = Vec::new();
    for i in 0..rng.range(3, 25) {
        dependencies.push((
            format!("@acme/lib-{i}"),
            Node::Str(format!("^{}.{}.0", rng.below(9), rng.below(20))),
        ));
    }
    let node = Node::Obj(vec![
        ("name".to_owned(), Node::Str(format!("@acme/{name}"))),
        ("version".to_owned(), s("1.4.2")),
        ("private".to_owned(), Node::Bool(true)),
        (
            "scripts".to_owned(),
            Node::Obj(vec![
                ("build".to_owned(), s("tsc -p .")),
                ("test".to_owned(), s("vitest run")),
            ]),
        ),
        ("dependencies".to_owned(), Node::Obj(dependencies)),
    ]);
    render(&node, STYLES[0])
}

const TSCONFIG: &str = "{\n  // Shared compiler options\n  \"compilerOptions\": {\n    \"target\": \"es2022\",\n    \"module\": \"nodenext\",\n    \"strict\": true, /* keep */\n    \"outDir\": \"dist\",\n  },\n  \"include\": [\"src\"],\n}\n";
const VSCODE: &str = "{\n  // Editor settings for the key repository\n  \"editor.formatOnSave\": true,\n  \"json.schemas\": [\n    {\"fileMatch\": [\"keys/**/*.json\"], \"url\": \"./schemas/keys2-create.schema.json\"},\n  ],\n}\n";

const STYLES: [Style; 6] = [
    Style {
        indent: "  ",
        crlf: false,
        spaced: true,
        final_newline: true,
    },
    Style {
        indent: "    ",
        crlf: false,
        spaced: true,
        final_newline: true,
    },
    Style {
        indent: "  ",
        crlf: true,
        spaced: true,
        final_newline: true,
    },
    Style {
        indent: "\t",
        crlf: false,
        spaced: true,
        final_newline: false,
    },
    Style {
        indent: "",
        crlf: false,
        spaced: true,
        final_newline: true,
    },
    Style {
        indent: "",
        crlf: false,
        spaced: false,
        final_newline: false,
    },
];

fn style(rng: &mut Rng) -> Style {
    // Mostly the vendor sample's two-space layout.
    rng.pick(&[
        STYLES[0], STYLES[0], STYLES[0], STYLES[0], STYLES[0], STYLES[1], STYLES[1], STYLES[2], STYLES[3], STYLES[4],
        STYLES[5],
    ])
}

#[derive(Default)]
struct Corpus {
    files: usize,
    bytes: u64,
    clean: usize,
    violating: usize,
    invalid: usize,
    non_key: usize,
    large: usize,
    large_requests: usize,
    sizes: Vec<usize>,
}

fn write(root: &Path, relative: &str, text: &str, corpus: &mut Corpus, kind: FileKind) {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| die(&format!("cannot create {}: {e}", parent.display())));
    }
    fs::write(&path, text).unwrap_or_else(|e| die(&format!("cannot write {}: {e}", path.display())));
    corpus.files += 1;
    corpus.bytes += text.len() as u64;
    match kind {
        FileKind::Clean => corpus.clean += 1,
        FileKind::Violating => corpus.violating += 1,
        FileKind::Invalid => corpus.invalid += 1,
        FileKind::NonKey => corpus.non_key += 1,
        FileKind::LargeArray => corpus.large += 1,
    }
    if matches!(kind, FileKind::Clean | FileKind::Violating) {
        corpus.sizes.push(text.len());
    }
}

/// Writes `files` files under `root`: `<team>/<env>/<system>/...`, about 5% project files
/// (`package.json`, `tsconfig.json`, `.vscode/settings.json`), a few large arrays of hundreds of
/// requests, the rest single key requests.
fn generate(root: &Path, files: usize, seed: u64) -> Corpus {
    let mut rng = Rng(seed);
    let mut corpus = Corpus::default();
    let large_files = (files / 2000).max(3);
    let mut previous_name = String::from("Standard_pol_key");
    let mut serial = 0usize;
    let mut next_name = |rng: &mut Rng, team: &str, system: &str| {
        serial += 1;
        let base = format!("{team}_{system}_{serial:05}");
        match rng.below(3) {
            0 => format!("{base}_cbc_cs1"),
            1 => base.to_uppercase(),
            _ => base,
        }
    };
    for i in 0..large_files {
        let count = rng.range(200, 600);
        let team = rng.pick(&TEAMS);
        let requests: Vec<Node> = (0..count)
            .map(|_| {
                let name = next_name(&mut rng, team, "bulk");
                let mut request = key_request(&mut rng, &name);
                if rng.chance(30) {
                    violate(&mut rng, &mut request, &previous_name);
                }
                previous_name = name;
                request
            })
            .collect();
        corpus.large_requests += count;
        let text = render(&Node::Arr(requests), STYLES[0]);
        write(
            root,
            &format!("{team}/bulk/keys-{i:02}.json"),
            &text,
            &mut corpus,
            FileKind::LargeArray,
        );
    }
    let mut project = 0usize;
    while corpus.files < files {
        let team = rng.pick(&TEAMS);
        let env = rng.pick(&ENVS);
        if rng.chance(5) {
            project += 1;
            let dir = format!("{team}/tools/app-{project:04}");
            match rng.below(4) {
                0 | 1 => {
                    let text = package_json(&mut rng, &format!("app-{project}"));
                    write(
                        root,
                        &format!("{dir}/package.json"),
                        &text,
                        &mut corpus,
                        FileKind::NonKey,
                    );
                }
                2 => write(
                    root,
                    &format!("{dir}/tsconfig.json"),
                    TSCONFIG,
                    &mut corpus,
                    FileKind::NonKey,
                ),
                _ => write(
                    root,
                    &format!("{dir}/.vscode/settings.json"),
                    VSCODE,
                    &mut corpus,
                    FileKind::NonKey,
                ),
            }
            continue;
        }
        let system = rng.pick(&SYSTEMS);
        let name = next_name(&mut rng, team, system);
        let style = style(&mut rng);
        let file = key_file(&mut rng, &name, &previous_name, style);
        let nested = if rng.chance(70) {
            format!("{team}/{env}/{system}")
        } else {
            format!("{team}/{env}")
        };
        let extension = if rng.chance(3) { "jsonc" } else { "json" };
        write(
            root,
            &format!("{nested}/{}.{extension}", name.to_lowercase()),
            &file.text,
            &mut corpus,
            file.kind,
        );
        previous_name = name;
    }
    corpus.sizes.sort_unstable();
    corpus
}

// ---------------------------------------------------------------------------------------------
// The floor: walk, read, serde_json::from_slice, one thread.

struct FloorCount {
    files: usize,
    parsed: usize,
    bytes: u64,
}

fn floor(root: &Path) -> FloorCount {
    let mut count = FloorCount {
        files: 0,
        parsed: 0,
        bytes: 0,
    };
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(file_type) = entry.file_type() else { continue };
            let path = entry.path();
            if file_type.is_dir() {
                stack.push(path);
                continue;
            }
            let included = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"));
            if !included {
                continue;
            }
            let Ok(bytes) = fs::read(&path) else { continue };
            count.files += 1;
            count.bytes += bytes.len() as u64;
            if serde_json::from_slice::<serde_json::Value>(&bytes).is_ok() {
                count.parsed += 1;
            }
        }
    }
    count
}

// ---------------------------------------------------------------------------------------------
// Running ctelint.

struct Ran {
    wall: Duration,
    code: i32,
    stderr: String,
}

/// `ctelint check --output-format <format>` on `path`, with every rule or the default ones, the
/// report written to `report` or, without one, printed on stdout.
fn check_args<'a>(format: &'a str, every_rule: bool, report: Option<&'a str>, path: &'a str) -> Vec<&'a str> {
    let mut args = vec!["check", "--output-format", format];
    if every_rule {
        args.extend(["--select", "ALL"]);
    }
    if let Some(report) = report {
        args.extend(["-o", report]);
    }
    args.push(path);
    args
}

fn run_ctelint(bin: &Path, cwd: &Path, args: &[&str]) -> Ran {
    let start = Instant::now();
    let output = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| die(&format!("cannot run {}: {e}", bin.display())));
    let wall = start.elapsed();
    Ran {
        wall,
        code: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Peak RSS of one run in KiB, and how it was measured.
fn peak_rss(bin: &Path, cwd: &Path, args: &[&str], scratch: &Path) -> (u64, &'static str) {
    let gnu_time = Path::new("/usr/bin/time");
    let report = scratch.join("time-report.txt");
    if gnu_time.exists() {
        let status = Command::new(gnu_time)
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&report)
            .arg(bin)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok()
            && let Some(kib) = fs::read_to_string(&report)
                .ok()
                .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
        {
            return (kib, "max RSS from /usr/bin/time -f %M (wait4 rusage)");
        }
    }
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| die(&format!("cannot run {}: {e}", bin.display())));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak = kib;
        }
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (peak, "VmHWM polled from /proc/<pid>/status every 2 ms (lower bound)")
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A Markdown table, columns padded (the first left-aligned, the others right-aligned).
fn print_table(rows: &[[String; 5]]) {
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..5).map(width).collect();
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = " ".repeat(widths[i] - cell.chars().count());
                if i == 0 {
                    format!("{cell}{pad}")
                } else {
                    format!("{pad}{cell}")
                }
            })
            .collect();
        println!("| {} |", cells.join(" | "));
        if n == 0 {
            let rules: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        "-".repeat(*w)
                    } else {
                        format!("{}:", "-".repeat(*w - 1))
                    }
                })
                .collect();
            println!("| {} |", rules.join(" | "));
        }
    }
}

fn main() {
    let args = parse_args();
    if !args.bin.is_file() {
        die(&format!(
            "no ctelint binary at {} (build it with `cargo build --release`, or pass --bin)",
            args.bin.display()
        ));
    }
    let temp = tempfile::Builder::new()
        .prefix("ctelint-throughput-")
        .tempdir()
        .unwrap_or_else(|e| die(&format!("cannot create a temporary directory: {e}")));
    let work = temp.path().to_path_buf();
    let root = work.join("corpus");

    let started = Instant::now();
    let corpus = generate(&root, args.files, args.seed);
    let generated_in = started.elapsed();
    let sizes = &corpus.sizes;
    println!(
        "corpus: {} files, {:.1} MB in {} ({} clean keys, {} with violations, {} not valid JSON, {} project files, {} arrays holding {} requests), generated in {}",
        corpus.files,
        corpus.bytes as f64 / 1e6,
        root.display(),
        corpus.clean,
        corpus.violating,
        corpus.invalid,
        corpus.non_key,
        corpus.large,
        corpus.large_requests,
        ms(generated_in)
    );
    println!(
        "key file sizes: min {} B, median {} B, p95 {} B, max {} B; binary {}",
        sizes[0],
        sizes[sizes.len() / 2],
        sizes[sizes.len() * 95 / 100],
        sizes[sizes.len() - 1],
        args.bin.display()
    );

    let report = work.join("report.json");
    let report_arg = report.to_string_lossy().into_owned();
    let probe_args = check_args("json", true, Some(&report_arg), "corpus");

    // Let the kernel write the corpus back before anything is timed, then time single-file
    // start-up first: later, the big runs' reports are still being written back.
    let _ = Command::new("sync").status();
    // Single-file start-up.
    let single_dir = work.join("single");
    fs::create_dir_all(&single_dir).unwrap_or_else(|e| die(&e.to_string()));
    let mut rng = Rng(args.seed ^ 0x5eed);
    let one = render(&key_request(&mut rng, "Standard_pol_key"), STYLES[0]);
    fs::write(single_dir.join("key.json"), &one).unwrap_or_else(|e| die(&e.to_string()));
    let probe = run_ctelint(&args.bin, &single_dir, &["check", "key.json"]);
    let mut startup_times = Vec::new();
    for _ in 0..args.startup_runs {
        let ran = run_ctelint(&args.bin, &single_dir, &["check", "key.json"]);
        assert_eq!(ran.code, probe.code);
        startup_times.push(ran.wall);
    }

    // Warm the page cache and check that both sides see the same files.
    let warm = floor(&root);
    let first = run_ctelint(&args.bin, &work, &probe_args);
    if first.code != 1 {
        die(&format!(
            "ctelint exited {} (expected 1: the corpus has findings)\n{}",
            first.code, first.stderr
        ));
    }
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(&report).unwrap_or_else(|e| die(&format!("no report: {e}"))))
            .unwrap_or_else(|e| die(&format!("the report is not JSON: {e}")));
    let mut per_code: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for finding in &findings {
        *per_code
            .entry(finding["code"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }
    let files_with_findings: std::collections::BTreeSet<&str> =
        findings.iter().filter_map(|f| f["filename"].as_str()).collect();
    println!(
        "floor sees {} files ({} parse with serde_json); ctelint reports {} findings in {} files; CTE001: {}, CTE000: {}",
        warm.files,
        warm.parsed,
        findings.len(),
        files_with_findings.len(),
        per_code.get("CTE001").copied().unwrap_or(0),
        per_code.get("CTE000").copied().unwrap_or(0)
    );
    let top: Vec<String> = {
        let mut counts: Vec<(&String, &usize)> = per_code.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        counts.iter().take(12).map(|(c, n)| format!("{c}×{n}")).collect()
    };
    println!("most frequent: {}", top.join(" "));

    // Interleaved rounds: floor, ctelint with every rule, ctelint with the default rules, ...
    // The timed runs print their reports to stdout, which goes to /dev/null: what is timed is
    // reading, linting and rendering, not the file system (overwriting the previous round's
    // 86 MB report on ext4 flushes it to disk when it is closed).
    let all_args = check_args(&args.format, true, None, "corpus");
    let default_args = check_args(&args.format, false, None, "corpus");
    let mut floor_times = Vec::new();
    let mut ctelint_times = Vec::new();
    let mut default_times = Vec::new();
    for round in 0..args.rounds {
        let start = Instant::now();
        let counted = floor(&root);
        floor_times.push(start.elapsed());
        assert_eq!(counted.files, warm.files);
        for (check, times) in [(&all_args, &mut ctelint_times), (&default_args, &mut default_times)] {
            let ran = run_ctelint(&args.bin, &work, check);
            if ran.code != 1 {
                die(&format!("round {round}: ctelint exited {}\n{}", ran.code, ran.stderr));
            }
            times.push(ran.wall);
        }
        eprintln!(
            "round {}: floor {}, ctelint {}, default rules {}",
            round + 1,
            ms(floor_times[round]),
            ms(ctelint_times[round]),
            ms(default_times[round])
        );
    }

    // Peak memory: the whole corpus and one team's folder, to see whether it grows with files.
    let (rss_all, rss_method) = peak_rss(&args.bin, &work, &all_args, &work);
    let subset_team = fs::read_dir(&root)
        .ok()
        .and_then(|entries| entries.flatten().map(|e| e.file_name()).min())
        .unwrap_or_default();
    let subset = format!("corpus/{}", subset_team.to_string_lossy());
    let subset_files = floor(&work.join(&subset));
    let subset_args = check_args(&args.format, true, None, &subset);
    let (rss_subset, _) = peak_rss(&args.bin, &work, &subset_args, &work);

    let floor_median = median(&floor_times);
    let ctelint_median = median(&ctelint_times);
    let mb = corpus.bytes as f64 / 1e6;
    let range = |all: &[Duration]| {
        let min = all.iter().min().copied().unwrap_or_default();
        let max = all.iter().max().copied().unwrap_or_default();
        format!("{:.1}–{:.1} ms", min.as_secs_f64() * 1e3, max.as_secs_f64() * 1e3)
    };
    let throughput = |d: Duration| {
        let secs = d.as_secs_f64();
        (
            format!("{:.0}", corpus.files as f64 / secs),
            format!("{:.1}", mb / secs),
        )
    };
    let ratio = ctelint_median.as_secs_f64() / floor_median.as_secs_f64();
    let default_median = median(&default_times);
    let default_ratio = default_median.as_secs_f64() / floor_median.as_secs_f64();
    let verdict = if ratio <= 1.0 {
        "meets the target (≤ 1.0)"
    } else if ratio <= 2.0 {
        "misses the target (≤ 1.0), not a defect (≤ 2.0)"
    } else {
        "DEFECT (> 2.0)"
    };
    let (floor_fps, floor_mbps) = throughput(floor_median);
    let (lint_fps, lint_mbps) = throughput(ctelint_median);
    let (default_fps, default_mbps) = throughput(default_median);
    let mib = |kib: u64| format!("{:.1} MiB", kib as f64 / 1024.0);
    let rows: Vec<[String; 5]> = vec![
        [
            "measurement".into(),
            "median".into(),
            "range / p90".into(),
            "files/s".into(),
            "MB/s".into(),
        ],
        [
            "floor: walk + read + serde_json, 1 thread".into(),
            ms(floor_median),
            range(&floor_times),
            floor_fps,
            floor_mbps,
        ],
        [
            format!("ctelint check --select ALL --output-format {}", args.format),
            ms(ctelint_median),
            range(&ctelint_times),
            lint_fps,
            lint_mbps,
        ],
        [
            "wall-time ratio ctelint / floor".into(),
            format!("{ratio:.2}"),
            String::new(),
            String::new(),
            String::new(),
        ],
        [
            format!("ctelint check --output-format {} (default rules)", args.format),
            ms(default_median),
            range(&default_times),
            default_fps,
            default_mbps,
        ],
        [
            "wall-time ratio, default rules / floor".into(),
            format!("{default_ratio:.2}"),
            String::new(),
            String::new(),
            String::new(),
        ],
        [
            format!("single file: ctelint check key.json (×{})", args.startup_runs),
            ms(median(&startup_times)),
            format!("p90 {}", ms(percentile(&startup_times, 90))),
            String::new(),
            String::new(),
        ],
        [
            format!("peak RSS, all {} files", corpus.files),
            mib(rss_all),
            String::new(),
            String::new(),
            String::new(),
        ],
        [
            format!("peak RSS, {subset} ({} files)", subset_files.files),
            mib(rss_subset),
            String::new(),
            String::new(),
            String::new(),
        ],
    ];
    println!();
    println!(
        "{} files, {mb:.1} MB, {} rounds each, interleaved; {} CPUs",
        corpus.files,
        args.rounds,
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    print_table(&rows);
    println!();
    println!(
        "ratio {ratio:.2}: {verdict}; single file {} (target < 5 ms)",
        ms(median(&startup_times))
    );
    println!("peak memory: {rss_method}");
    if args.keep {
        let kept = temp.keep();
        println!("corpus kept in {}", kept.join("corpus").display());
    }
}
