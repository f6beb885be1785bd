//! `ctelint server` driven in process through `Connection::memory()`: the handshake and the
//! position encoding, diagnostics as `ctelint check` reports them, quick fixes and fix-all,
//! configs, and documents that must not stall it.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use ctelint::check::Status;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::{CodeAction, CodeActionOrCommand, Diagnostic, NumberOrString, PublishDiagnosticsParams, TextEdit};
use serde_json::{Value, json};

use crate::cli::{ctelint, vendor_sample, workspace};

/// Longest wait for any one answer (generous: debug builds on a loaded 2-core machine).
const TIMEOUT: Duration = Duration::from_secs(60);

/// A test client on one end of an in-memory connection; the server runs on a thread.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<Status>>,
    next_id: i32,
    /// Notifications that arrived while waiting for something else.
    inbox: VecDeque<Notification>,
    /// What `initialize` answered.
    initialized: Value,
}

impl Client {
    /// Starts a server and initializes it; `encodings` is what the client offers in
    /// `general.positionEncodings` (`None`: the member is absent, as in older clients).
    fn start(encodings: Option<&[&str]>) -> Self {
        let (server_side, client_side) = Connection::memory();
        let server = thread::spawn(move || ctelint::server::serve(server_side));
        let mut client = Self {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            inbox: VecDeque::new(),
            initialized: Value::Null,
        };
        let mut capabilities = json!({ "textDocument": { "codeAction": {} } });
        if let Some(encodings) = encodings {
            capabilities["general"] = json!({ "positionEncodings": encodings });
        }
        let response = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
        );
        client.initialized = response.response_result.unwrap();
        client.notify("initialized", json!({}));
        client
    }

    fn send(&self, message: Message) {
        self.connection.sender.send(message).unwrap();
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.to_owned(), params).into());
    }

    fn receive(&self, deadline: Instant) -> Message {
        let left = deadline.saturating_duration_since(Instant::now());
        self.connection
            .receiver
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("no message from the server within {TIMEOUT:?}: {e}"))
    }

    /// Sends a request and waits for its response, keeping the notifications that come first.
    fn request(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Request::new(id.clone(), method.to_owned(), params).into());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.receive(deadline) {
                Message::Response(response) if response.id == id => return response,
                Message::Response(other) => panic!("a response to a request not sent: {other:?}"),
                Message::Notification(notification) => self.inbox.push_back(notification),
                Message::Request(request) => {
                    self.send(Response::new_ok(request.id, ()).into());
                }
            }
        }
    }

    /// The next notification `method` (earlier ones of other methods stay in the inbox).
    fn notification(&mut self, method: &str, matching: impl Fn(&Notification) -> bool) -> Notification {
        if let Some(at) = self.inbox.iter().position(|n| n.method == method && matching(n)) {
            return self.inbox.remove(at).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.receive(deadline) {
                Message::Notification(n) if n.method == method && matching(&n) => return n,
                Message::Notification(n) => self.inbox.push_back(n),
                Message::Request(request) => self.send(Response::new_ok(request.id, ()).into()),
                Message::Response(other) => panic!("a response to a request not sent: {other:?}"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> PublishDiagnosticsParams {
        let n = self.notification("textDocument/publishDiagnostics", |n| n.params["uri"] == uri);
        serde_json::from_value(n.params).unwrap()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Vec<Diagnostic> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
        self.diagnostics(uri).diagnostics
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) -> Vec<Diagnostic> {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        let published = self.diagnostics(uri);
        assert_eq!(published.version, Some(version));
        published.diagnostics
    }

    /// The code actions for `range` (`[line, character]` pairs), of the kinds in `only`.
    fn code_actions(&mut self, uri: &str, range: &Value, only: Option<&[&str]>) -> Vec<CodeAction> {
        let mut context = json!({ "diagnostics": [] });
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let response = self.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        );
        assert!(response.response_result.is_ok(), "{response:?}");
        let actions: Vec<CodeActionOrCommand> = serde_json::from_value(response.response_result.unwrap()).unwrap();
        actions
            .into_iter()
            .map(|action| match action {
                CodeActionOrCommand::CodeAction(action) => action,
                CodeActionOrCommand::Command(command) => panic!("a bare command: {command:?}"),
            })
            .collect()
    }

    /// `shutdown` then `exit`; the server's status once its thread has ended.
    fn shutdown(mut self) -> Status {
        let response = self.request("shutdown", Value::Null);
        assert!(response.response_result.is_ok(), "{response:?}");
        self.notify("exit", Value::Null);
        self.join()
    }

    fn join(&mut self) -> Status {
        let server = self.server.take().unwrap();
        let deadline = Instant::now() + TIMEOUT;
        while !server.is_finished() {
            assert!(Instant::now() < deadline, "the server did not end");
            thread::sleep(Duration::from_millis(10));
        }
        server.join().unwrap()
    }
}

/// The vendor sample with two mistakes (CTE203 with a sensitive fix, CTE207 with a safe one)
/// and a non-ASCII `description` before the first, on the same line.
fn bad_key() -> String {
    let text = vendor_sample()
        .replace(
            "  \"unexportable\": false,",
            "  \"description\": \"é😀… ü\", \"unexportable\": true,",
        )
        .replace("\"CBC_CS1\"", "\"cbc_cs1\"");
    assert!(text.contains("\"unexportable\": true") && text.contains("cbc_cs1"));
    text
}

/// `[line, character]` of byte `offset` in `text`, counted in `utf8` bytes or UTF-16 units.
fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[start..offset];
    let character = if utf8 {
        before.len()
    } else {
        before.encode_utf16().count()
    };
    json!({ "line": line, "character": character })
}

fn range(text: &str, start: usize, end: usize, utf8: bool) -> Value {
    json!({ "start": position(text, start, utf8), "end": position(text, end, utf8) })
}

/// Applies LSP text edits to `text` (as a client does), in `utf8` bytes or UTF-16 units.
fn apply(text: &str, edits: &[TextEdit], utf8: bool) -> String {
    let offset = |line: u32, character: u32| {
        let start: usize = text.split_inclusive('\n').take(line as usize).map(str::len).sum();
        let mut counted = 0;
        for (i, c) in text[start..].char_indices() {
            if counted >= character as usize || c == '\n' {
                return start + i;
            }
            counted += if utf8 { c.len_utf8() } else { c.len_utf16() };
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let start = offset(e.range.start.line, e.range.start.character);
            let end = offset(e.range.end.line, e.range.end.character);
            (start, end, e.new_text.as_str())
        })
        .collect();
    edits.sort_by_key(|e| e.0);
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new) in edits {
        assert!(start >= at, "overlapping edits");
        out.push_str(&text[at..start]);
        out.push_str(new);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The edits of a code action for `uri` (it must carry exactly that document's edits).
fn edits_of(action: &CodeAction, uri: &str) -> Vec<TextEdit> {
    let edit = serde_json::to_value(action.edit.as_ref().unwrap()).unwrap();
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.keys().collect::<Vec<_>>(), [uri]);
    serde_json::from_value(changes[uri].clone()).unwrap()
}

fn code(d: &Diagnostic) -> &str {
    match d.code.as_ref().unwrap() {
        NumberOrString::String(code) => code,
        NumberOrString::Number(n) => panic!("numeric code {n}"),
    }
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(code).collect()
}

fn find<'a>(diagnostics: &'a [Diagnostic], wanted: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| code(d) == wanted)
        .unwrap_or_else(|| panic!("no {wanted} in {:?}", codes(diagnostics)))
}

/// A `file:` URI for a path (percent-encoding what a URI may not hold).
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            write!(uri, "%{byte:02X}").unwrap();
        }
    }
    uri
}

/// What `ctelint check --output-format json` reports for `text` as `name` in `dir`.
fn check_json(dir: &Path, name: &str, text: &str) -> Vec<Value> {
    let run = ctelint(
        dir,
        &["check", "--output-format", "json", "--stdin-filename", name, "-"],
        Some(text.as_bytes()),
    );
    run.json()
}

/// The whole editing round trip, in UTF-16 (`utf8` false) or UTF-8 positions.
fn round_trip(encodings: Option<&[&str]>, utf8: bool) {
    let dir = workspace(None);
    let path = dir.path().join("payroll key.json");
    let text = bad_key();
    fs::write(&path, &text).unwrap();
    let uri = file_uri(&path);
    let mut client = Client::start(encodings);
    let capabilities = &client.initialized["capabilities"];
    assert_eq!(capabilities["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
    assert_eq!(capabilities["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(
        capabilities["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.ctelint"])
    );
    assert_eq!(client.initialized["serverInfo"]["name"], "ctelint");

    // The same findings as `ctelint check`, at the same places.
    let published = client.open(&uri, "json", &text);
    let expected = check_json(dir.path(), "payroll key.json", &text);
    assert_eq!(
        codes(&published),
        expected.iter().map(|d| d["code"].as_str().unwrap()).collect::<Vec<_>>()
    );
    for (lsp, cli) in published.iter().zip(&expected) {
        let start = usize::try_from(cli["span"]["offset"].as_u64().unwrap()).unwrap();
        let end = start + usize::try_from(cli["span"]["length"].as_u64().unwrap()).unwrap();
        assert_eq!(serde_json::to_value(lsp.range).unwrap(), range(&text, start, end, utf8));
        assert!(
            lsp.message.starts_with(cli["message"].as_str().unwrap()),
            "{}",
            lsp.message
        );
        assert!(lsp.message.ends_with(cli["help"].as_str().unwrap()), "{}", lsp.message);
        assert_eq!(lsp.source.as_deref(), Some("ctelint"));
        assert_eq!(
            lsp.code_description.as_ref().unwrap().href.as_str(),
            cli["url"].as_str().unwrap()
        );
        let severity = match cli["severity"].as_str().unwrap() {
            "error" => lsp_types::DiagnosticSeverity::ERROR,
            "warning" => lsp_types::DiagnosticSeverity::WARNING,
            _ => lsp_types::DiagnosticSeverity::INFORMATION,
        };
        assert_eq!(lsp.severity, Some(severity));
    }

    // The column of `true` after the non-ASCII description, in the negotiated unit.
    let unexportable = find(&published, "CTE203");
    let value = text.find("\"unexportable\": true").unwrap() + "\"unexportable\": ".len();
    let line_start = text[..value].rfind('\n').unwrap() + 1;
    let utf16_column = text[line_start..value].encode_utf16().count();
    let utf8_column = value - line_start;
    assert_ne!(utf16_column, utf8_column, "the line must tell the units apart");
    assert_eq!(
        unexportable.range.start.character as usize,
        if utf8 { utf8_column } else { utf16_column }
    );
    assert_eq!(unexportable.range.start.line, 5);

    // A quick fix for CTE207 (safe, preferred); none for CTE203 (sensitive, not allowed).
    let mode = find(&published, "CTE207").clone();
    let mode_range = serde_json::to_value(mode.range).unwrap();
    let actions = client.code_actions(&uri, &mode_range, None);
    let quick: Vec<&CodeAction> = actions
        .iter()
        .filter(|a| a.kind == Some(lsp_types::CodeActionKind::QUICKFIX))
        .collect();
    assert_eq!(quick.len(), 1, "{actions:?}");
    let fix = quick[0];
    assert_eq!(fix.title, "CTE207: replace `cbc_cs1` with `CBC_CS1` (safe fix)");
    assert_eq!(fix.is_preferred, Some(true));
    assert_eq!(codes(fix.diagnostics.as_ref().unwrap()), ["CTE207"]);
    let sensitive = client.code_actions(
        &uri,
        &serde_json::to_value(unexportable.range).unwrap(),
        Some(&["quickfix"]),
    );
    assert!(sensitive.is_empty(), "{sensitive:?}");

    // Applying the quick fix's edit makes the finding go away.
    let fixed = apply(&text, &edits_of(fix, &uri), utf8);
    assert_eq!(fixed, text.replace("\"cbc_cs1\"", "\"CBC_CS1\""));
    let after = client.change(&uri, 2, &fixed);
    assert!(!codes(&after).contains(&"CTE207"), "{:?}", codes(&after));
    assert!(codes(&after).contains(&"CTE203"));

    // Fix-all, asked for as editors do on save: the safe fixes only.
    client.change(&uri, 3, &text);
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": position(&text, text.len(), utf8) });
    let all = client.code_actions(&uri, &whole, Some(&["source.fixAll"]));
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].kind.as_ref().unwrap().as_str(), "source.fixAll.ctelint");
    let edits = &edits_of(&all[0], &uri);
    assert_eq!(edits.len(), 1, "one small edit, not the whole document: {edits:?}");
    assert!(edits[0].new_text.len() < 10, "{edits:?}");
    let fixed_all = apply(&text, edits, utf8);
    assert_eq!(fixed_all, fixed);
    let remaining = client.change(&uri, 4, &fixed_all);
    assert_eq!(codes(&remaining), ["CTE602", "CTE203"], "the sensitive CTE203 stays");

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let closed = client.diagnostics(&uri);
    assert!(closed.diagnostics.is_empty());
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn round_trip_in_utf16_when_the_client_offers_no_encodings() {
    round_trip(None, false);
}

#[test]
fn round_trip_in_utf16_when_the_client_offers_only_utf16() {
    round_trip(Some(&["utf-16"]), false);
}

#[test]
fn round_trip_in_utf8_when_the_client_offers_it() {
    round_trip(Some(&["utf-16", "utf-8"]), true);
}

#[test]
fn nearest_config_sets_profile_and_sensitive_fixes() {
    let dir = workspace(None);
    let keys = dir.path().join("keys");
    fs::create_dir(&keys).unwrap();
    fs::write(
        dir.path().join("ctelint.toml"),
        "profile = \"esg\"\nallow-sensitive-fixes = [\"CTE203\"]\n",
    )
    .unwrap();
    let text = bad_key().replace("\"cbc_cs1\"", "\"CBC_CS1\"");
    let path = keys.join("k.json");
    fs::write(&path, &text).unwrap();
    let uri = file_uri(&path);
    let mut client = Client::start(None);
    let published = client.open(&uri, "json", &text);
    let expected = check_json(&keys, "k.json", &text);
    let expected: Vec<&str> = expected.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes(&published), expected);
    assert!(
        expected.contains(&"CTE302"),
        "the esg profile is in force: {expected:?}"
    );
    let mode = find(&published, "CTE302");
    assert!(mode.message.contains("esg"), "{}", mode.message);

    // The config allows CTE203's sensitive fix: offered as a quick fix, not preferred.
    let unexportable = find(&published, "CTE203");
    let actions = client.code_actions(
        &uri,
        &serde_json::to_value(unexportable.range).unwrap(),
        Some(&["quickfix"]),
    );
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert!(
        titles.contains(&"CTE203: set `unexportable` to false (sensitive fix)"),
        "{titles:?}"
    );
    let sensitive = actions.iter().find(|a| a.title.starts_with("CTE203")).unwrap();
    assert_eq!(sensitive.is_preferred, Some(false));
    // ... but never by fix-all.
    let end = position(&text, text.len(), false);
    let all = client.code_actions(
        &uri,
        &json!({ "start": { "line": 0, "character": 0 }, "end": end }),
        Some(&["source.fixAll.ctelint"]),
    );
    for action in &all {
        let fixed = apply(&text, &edits_of(action, &uri), false);
        assert!(
            fixed.contains("\"unexportable\": true"),
            "fix-all applied a sensitive fix"
        );
    }
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn a_broken_config_is_one_diagnostic_and_a_message() {
    let dir = workspace(None);
    let config = dir.path().join("ctelint.toml");
    fs::write(&config, "profile = \"esg\"\n").unwrap();
    let path = dir.path().join("k.json");
    let text = bad_key().replace("\"cbc_cs1\"", "\"CBC_CS1\"");
    fs::write(&path, &text).unwrap();
    let uri = file_uri(&path);
    let mut client = Client::start(None);
    assert!(codes(&client.open(&uri, "json", &text)).contains(&"CTE302"));

    // The config breaks while the server runs; saving the document reads it again.
    fs::write(&config, "profile = \"esg\"\nignor = [\"CTE101\"]\n").unwrap();
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    let published = client.diagnostics(&uri).diagnostics;
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(code(&published[0]), "ctelint::config");
    assert!(published[0].message.contains("ignor"), "{}", published[0].message);
    assert!(
        published[0].message.contains("ctelint.toml:2:1"),
        "{}",
        published[0].message
    );
    let related = &published[0].related_information.as_ref().unwrap()[0];
    assert!(related.location.uri.as_str().ends_with("/ctelint.toml"));
    assert_eq!(related.location.range.start.line, 1);
    let shown = client.notification("window/showMessage", |_| true);
    assert!(shown.params["message"].as_str().unwrap().contains("ignor"));

    // Repaired, and announced through a watched-files notification.
    fs::write(&config, "profile = \"standard\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": file_uri(&config), "type": 2 }] }),
    );
    let repaired = client.diagnostics(&uri).diagnostics;
    assert!(codes(&repaired).contains(&"CTE203"), "{:?}", codes(&repaired));
    assert!(!codes(&repaired).contains(&"CTE302"));
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn untitled_and_non_key_documents() {
    let mut client = Client::start(None);
    let untitled = client.open("untitled:Untitled-1", "json", &bad_key());
    assert!(codes(&untitled).contains(&"CTE203"));
    assert!(codes(&untitled).contains(&"CTE207"));
    // JSONC only when the editor says so.
    let commented = format!("// a key\n{}", bad_key());
    assert_eq!(
        codes(&client.open("untitled:Untitled-2", "json", &commented)),
        ["CTE001"]
    );
    assert!(codes(&client.open("untitled:Untitled-3", "jsonc", &commented)).contains(&"CTE203"));
    // Not a key request, not JSON at all.
    let package = r#"{"name": "app", "version": "1.0.0", "dependencies": {}}"#;
    assert!(client.open("untitled:package", "json", package).is_empty());
    assert!(
        client
            .open("file:///tmp/ctelint-lsp/Cargo.toml", "toml", "[package]\n")
            .is_empty()
    );
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn secrets_never_leave_the_file() {
    let secret = "hunter2-é-ü";
    let text = bad_key().replace(
        "  \"size\": 256,",
        &format!("  \"wrapPBE\": {{\"password\": \"{secret}\"}}, \"size\": \"{secret}\","),
    );
    let mut client = Client::start(None);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "untitled:s", "languageId": "json", "version": 1, "text": text } }),
    );
    let n = client.notification("textDocument/publishDiagnostics", |_| true);
    let raw = n.params.to_string();
    assert!(!raw.contains("hunter2"), "{raw}");
    let published: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
    assert!(codes(&published.diagnostics).contains(&"CTE702"), "{raw}");
    // Columns after the secret (whose `é` and `ü` are masked byte by byte) are counted in the
    // real text, not the masked one.
    let value = text.find(&format!("\"size\": \"{secret}\"")).unwrap() + "\"size\": ".len();
    let expected = position(&text, value, false);
    let at_size: Vec<&str> = published
        .diagnostics
        .iter()
        .filter(|d| serde_json::to_value(d.range.start).unwrap() == expected)
        .map(code)
        .collect();
    assert!(!at_size.is_empty(), "nothing at {expected}: {raw}");
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": position(&text, text.len(), false) });
    let response = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": "untitled:s" }, "range": whole, "context": { "diagnostics": [] } }),
    );
    let raw = serde_json::to_string(&response).unwrap();
    assert!(!raw.contains("hunter2"), "{raw}");
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn unknown_requests_get_method_not_found() {
    let mut client = Client::start(None);
    for method in ["textDocument/hover", "ctelint/nonsense"] {
        let response = client.request(method, json!({}));
        let error = response.response_result.unwrap_err();
        assert_eq!(error.code, lsp_server::ErrorCode::MethodNotFound as i32);
    }
    let bad = client.request("textDocument/codeAction", json!({ "nonsense": true }));
    assert_eq!(
        bad.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    // A notification the server does not know is dropped; the server goes on.
    client.notify("$/nonsense", json!({}));
    assert!(
        client
            .request("ctelint/still-there", json!({}))
            .response_result
            .is_err()
    );
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn large_and_invalid_documents_are_answered_quickly() {
    let mut client = Client::start(None);
    // About 5 MB: an array of bad key requests.
    let one = bad_key();
    let copies = 5_000_000 / one.len() + 1;
    let large = format!("[{}]", vec![one.as_str(); copies].join(","));
    assert!(large.len() >= 5_000_000);
    let started = Instant::now();
    let published = client.open("untitled:large", "json", &large);
    let linted = started.elapsed();
    assert!(published.len() >= 2 * copies, "{}", published.len());
    let started = Instant::now();
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": position(&large, large.len(), false) });
    let actions = client.code_actions("untitled:large", &whole, None);
    assert!(
        actions
            .iter()
            .any(|a| a.kind.as_ref().unwrap().as_str() == "source.fixAll.ctelint")
    );
    let acted = started.elapsed();
    assert!(client.request("textDocument/hover", json!({})).response_result.is_err());
    eprintln!(
        "{} bytes, {} findings: published in {linted:?}, {} code actions in {acted:?}",
        large.len(),
        published.len(),
        actions.len()
    );
    assert!(linted < Duration::from_secs(30) && acted < Duration::from_secs(30));

    // Over the 16 MiB limit of `check`: one CTE000, not a lint.
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(17 * 1024 * 1024));
    let started = Instant::now();
    assert_eq!(codes(&client.open("untitled:huge", "json", &huge)), ["CTE000"]);
    eprintln!("{} bytes: CTE000 in {:?}", huge.len(), started.elapsed());

    // Invalid JSON, deep nesting, binary junk: one CTE001 each, and answers.
    let deep = "[".repeat(100_000);
    for (name, text) in [
        ("untitled:truncated", "{\"unexportable\": tru".to_owned()),
        ("untitled:deep", deep),
        ("untitled:junk", "\u{0}\u{1}\u{fffd}{".to_owned()),
    ] {
        let started = Instant::now();
        assert_eq!(codes(&client.open(name, "json", &text)), ["CTE001"], "{name}");
        let actions = client.code_actions(
            name,
            &json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 5 } }),
            None,
        );
        assert!(actions.is_empty(), "{name}: {actions:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{name}");
    }
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn burst_of_changes_ends_with_the_last_text() {
    let mut client = Client::start(None);
    let text = bad_key();
    client.open("untitled:b", "json", &text);
    let fixed = text.replace("\"cbc_cs1\"", "\"CBC_CS1\"");
    for version in 2..50 {
        let body = if version % 2 == 0 { &text } else { &fixed };
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": "untitled:b", "version": version }, "contentChanges": [{ "text": body }] }),
        );
    }
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "untitled:b", "version": 50 }, "contentChanges": [{ "text": fixed }] }),
    );
    // Whatever was coalesced, the last publication is for version 50 and its text.
    loop {
        let published = client.diagnostics("untitled:b");
        if published.version == Some(50) {
            assert!(!codes(&published.diagnostics).contains(&"CTE207"));
            break;
        }
    }
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn ranged_changes_are_applied_too() {
    // The server asks for full-text sync, but a client may still send a ranged change.
    let mut client = Client::start(None);
    let text = bad_key();
    assert!(codes(&client.open("untitled:r", "json", &text)).contains(&"CTE207"));
    let at = text.find("cbc_cs1").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": "untitled:r", "version": 2 },
            "contentChanges": [{ "range": range(&text, at, at + "cbc_cs1".len(), false), "text": "CBC_CS1" }],
        }),
    );
    let published = client.diagnostics("untitled:r");
    assert_eq!(published.version, Some(2));
    assert_eq!(codes(&published.diagnostics), ["CTE602", "CTE203"]);
    assert_eq!(client.shutdown(), Status::Success);
}

#[test]
fn shutdown_and_exit_follow_the_protocol() {
    // Requests after shutdown are refused; exit then ends the server with success.
    let mut client = Client::start(None);
    assert!(client.request("shutdown", Value::Null).response_result.is_ok());
    let late = client.request("textDocument/codeAction", json!({}));
    assert_eq!(
        late.response_result.unwrap_err().code,
        lsp_server::ErrorCode::InvalidRequest as i32
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Status::Success);

    // Exit without shutdown is a failure (exit code 1).
    let mut client = Client::start(None);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Status::Failure);
}

#[test]
fn the_binary_serves_on_stdio() {
    use std::io::{BufReader, Write};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_ctelint"))
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut id = 0;
    let mut request = |stdin: &mut std::process::ChildStdin, method: &str, params: Value| {
        id += 1;
        Message::from(Request::new(RequestId::from(id), method.to_owned(), params))
            .write(stdin)
            .unwrap();
        stdin.flush().unwrap();
    };
    let notify = |stdin: &mut std::process::ChildStdin, method: &str, params: Value| {
        Message::from(Notification::new(method.to_owned(), params))
            .write(stdin)
            .unwrap();
        stdin.flush().unwrap();
    };
    request(&mut stdin, "initialize", json!({ "capabilities": {} }));
    let Some(Message::Response(init)) = Message::read(&mut stdout).unwrap() else {
        panic!("no initialize response")
    };
    assert_eq!(
        init.response_result.unwrap()["capabilities"]["positionEncoding"],
        "utf-16"
    );
    notify(&mut stdin, "initialized", json!({}));
    notify(
        &mut stdin,
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "untitled:k", "languageId": "json", "version": 1, "text": bad_key() } }),
    );
    let Some(Message::Notification(published)) = Message::read(&mut stdout).unwrap() else {
        panic!("no diagnostics")
    };
    assert_eq!(published.method, "textDocument/publishDiagnostics");
    assert!(published.params.to_string().contains("CTE207"));
    request(&mut stdin, "shutdown", Value::Null);
    let Some(Message::Response(_)) = Message::read(&mut stdout).unwrap() else {
        panic!("no shutdown response")
    };
    notify(&mut stdin, "exit", Value::Null);
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
