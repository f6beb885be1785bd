//! `ctelint server`: a Language Server Protocol server on stdio (SPEC §10).
//!
//! Synchronous, on lsp-server: one loop reads messages, keeps the open documents (full-text
//! sync) and lints them with the settings `ctelint check` would use for their path (the nearest
//! `ctelint.toml`, its profile, overrides, per-file ignores and `[[suppress]]` entries), then
//! publishes what it found, masked as every other output is. Documents are linted when the
//! queue of incoming messages is empty, so a burst of changes costs one lint. Code actions offer
//! a quick fix per fixable finding and `source.fixAll.ctelint` (safe fixes only).
//!
//! Configs are read through a [`Resolver`], which caches them; it is re-created on every
//! `didSave` and on `workspace/didChangeWatchedFiles` (the server asks to watch
//! `**/ctelint.toml` and `**/.ctelint.toml` when the client can register watchers), and every
//! open document is then linted again.

mod actions;
mod convert;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Duration;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, RegisterCapability, Request as _, Shutdown};
use lsp_types::{
    CodeActionOptions, CodeActionParams, CodeActionProviderCapability, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    Location, LogMessageParams, MessageType, NumberOrString, PublishDiagnosticsParams, Range, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::{Value, json};

use crate::check::{self, Base, FileSettings, Status};
use crate::config::{ConfigError, Resolver, Source};
use crate::diagnostic::Diagnostic;
use crate::json::{ParseOptions, Pointer, Span};
use crate::linter;
use crate::rules;
use crate::source::LineIndex;
use crate::walk;
use convert::{Encoding, View};

/// Documents above this size are not linted (the default `--max-file-size` of `check`).
const MAX_DOCUMENT: u64 = crate::walk::DEFAULT_MAX_FILE_SIZE;

/// How long to wait for `exit` after answering `shutdown` (what lsp-server's own
/// `handle_shutdown` waits).
const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the server on stdin and stdout until the client exits: [`Status::Success`] after
/// `shutdown` then `exit`, [`Status::Failure`] when the client exits or goes away without
/// `shutdown` (the protocol's exit code 1), [`Status::Error`] on a protocol error.
pub fn run() -> Status {
    let (connection, io_threads) = Connection::stdio();
    let status = serve(connection);
    // The reader thread ends at `exit` or at the end of stdin; on a protocol error stdin may
    // still be open, so only a clean end waits for the threads (and so for the last write).
    if status == Status::Success
        && let Err(e) = io_threads.join()
    {
        log_stderr(&format!("the connection failed: {e}"));
        return Status::Error;
    }
    status
}

/// Serves one client on `connection` (stdio, or `Connection::memory()` in tests): the
/// `initialize` handshake, then the main loop until `exit`. See [`run`] for the status. The
/// connection is dropped on return, which closes its sending side (so stdio's writer thread
/// ends once the last message is written).
pub fn serve(connection: Connection) -> Status {
    let status = serve_on(&connection);
    drop(connection);
    status
}

fn serve_on(connection: &Connection) -> Status {
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        Err(e) => {
            log_stderr(&format!("no initialize request: {e}"));
            return Status::Error;
        }
    };
    // Read leniently from the raw JSON: a client's odd capability must not stop the server.
    let encoding = Encoding::negotiate(params.pointer("/capabilities/general/positionEncodings"));
    let can_watch = params
        .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
        .and_then(Value::as_bool)
        == Some(true);
    let result = json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "ctelint", "version": env!("CARGO_PKG_VERSION") },
    });
    if let Err(e) = connection.initialize_finish(id, result) {
        log_stderr(&format!("initialization failed: {e}"));
        return Status::Error;
    }
    let mut server = Server::new(connection, encoding);
    if can_watch {
        server.watch_configs();
    }
    server.main_loop()
}

/// What the server advertises.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(actions::kinds()),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

#[expect(clippy::print_stderr, reason = "a language server's stderr is its log")]
fn log_stderr(message: &str) {
    eprintln!("ctelint server: {message}");
}

/// One open document.
struct Document {
    text: String,
    index: LineIndex,
    version: i32,
    language: String,
    /// What the last lint found; `None` until the current text is linted.
    analysis: Option<Analysis>,
    /// The fix-all action for the current text and settings, once asked for (it runs the
    /// fixer loop, and editors ask for code actions whenever the cursor moves).
    fix_all: OnceCell<FixAll>,
}

/// What [`actions::fix_all`] answers.
type FixAll = Result<Option<lsp_types::CodeActionOrCommand>, String>;

impl Document {
    fn new(text: String, version: i32, language: String) -> Self {
        let index = LineIndex::new(&text);
        Self {
            text,
            index,
            version,
            language,
            analysis: None,
            fix_all: OnceCell::new(),
        }
    }

    /// Forgets what was found: the text or the settings changed.
    fn outdate(&mut self) {
        self.analysis = None;
        self.fix_all = OnceCell::new();
    }

    fn view(&self, encoding: Encoding) -> View<'_> {
        View {
            text: &self.text,
            index: &self.index,
            encoding,
        }
    }

    /// Replaces `range` (or everything) with `text`.
    fn change(&mut self, range: Option<Range>, text: String, encoding: Encoding) {
        match range {
            None => self.text = text,
            Some(range) => {
                let span = self.view(encoding).span(range);
                self.text.replace_range(span.range(), &text);
            }
        }
        self.index = LineIndex::new(&self.text);
        self.outdate();
    }
}

/// A document's last lint.
enum Analysis {
    /// Linted under `file`'s settings.
    Linted {
        /// The settings it was linted with.
        file: FileSettings,
        /// The name it was linted under.
        display: String,
        /// What was found and not suppressed.
        findings: Vec<Finding>,
    },
    /// Not linted (not JSON, excluded by its config, a broken config): what to publish.
    Other(Vec<lsp_types::Diagnostic>),
}

impl Analysis {
    fn published(&self) -> Vec<lsp_types::Diagnostic> {
        match self {
            Self::Linted { findings, .. } => findings.iter().map(|f| f.lsp.clone()).collect(),
            Self::Other(diagnostics) => diagnostics.clone(),
        }
    }
}

/// One finding, as linted and as published.
struct Finding {
    /// With secrets masked (as every output shows it).
    diagnostic: Diagnostic,
    /// As published.
    lsp: lsp_types::Diagnostic,
    /// Whether masking left the fix's edits alone (a fix whose inserted text held a secret is
    /// not offered: its masked form would write `<redacted>` into the file).
    fix_intact: bool,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    /// Configs by folder, re-created when configs may have changed.
    configs: Resolver,
    /// For documents that are not files (`untitled:`): no config at all.
    isolated: Resolver,
    documents: HashMap<Uri, Document>,
    /// Config errors already shown with `window/showMessage` (each is shown once).
    announced: HashSet<String>,
    next_id: i32,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, encoding: Encoding) -> Self {
        Self {
            connection,
            encoding,
            configs: Resolver::new(Source::Discover),
            isolated: Resolver::new(Source::Isolated),
            documents: HashMap::new(),
            announced: HashSet::new(),
            next_id: 0,
        }
    }

    fn main_loop(&mut self) -> Status {
        loop {
            let stale = self.documents.values().any(|d| d.analysis.is_none());
            let message = if stale {
                match self.connection.receiver.try_recv() {
                    Ok(message) => message,
                    Err(e) if e.is_empty() => {
                        self.refresh_all();
                        continue;
                    }
                    Err(_) => return Status::Failure,
                }
            } else {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Status::Failure,
                }
            };
            match message {
                Message::Request(request) if request.method == Shutdown::METHOD => {
                    self.send(Response::new_ok(request.id, ()).into());
                    return self.await_exit();
                }
                Message::Request(request) => self.on_request(request),
                Message::Notification(notification) if notification.method == Exit::METHOD => return Status::Failure,
                Message::Notification(notification) => self.on_notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    /// After `shutdown`: `exit` ends the server with success; requests are refused, other
    /// notifications dropped, as the protocol asks.
    fn await_exit(&self) -> Status {
        loop {
            match self.connection.receiver.recv_timeout(EXIT_TIMEOUT) {
                Ok(Message::Notification(notification)) if notification.method == Exit::METHOD => {
                    return Status::Success;
                }
                Ok(Message::Request(request)) => self.send(
                    Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".to_owned(),
                    )
                    .into(),
                ),
                Ok(_) => {}
                // The client closed the connection after a clean shutdown.
                Err(e) if e.is_disconnected() => return Status::Success,
                Err(_) => {
                    log_stderr("no exit notification after shutdown");
                    return Status::Failure;
                }
            }
        }
    }

    fn send(&self, message: Message) {
        // A closed connection shows up as the end of the receiver; nothing to do here.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify::<LogMessage>(LogMessageParams { typ, message });
    }

    /// Asks the client to tell us when a config file changes.
    fn watch_configs(&mut self) {
        let watchers = crate::config::FILE_NAMES
            .iter()
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "ctelint-config-watcher".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let id = RequestId::from(format!("ctelint-{}", self.next_id));
        self.send(Request::new(id, RegisterCapability::METHOD.to_owned(), params).into());
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let method = request.method.clone();
        let response = catch_unwind(AssertUnwindSafe(|| self.respond(request))).unwrap_or_else(|_| {
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("ctelint failed on `{method}` (a bug in ctelint; please report it)"),
            )
        });
        self.send(response.into());
    }

    fn respond(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        match method.as_str() {
            CodeActionRequest::METHOD => match serde_json::from_value::<CodeActionParams>(params) {
                Ok(params) => Response::new_ok(id, self.code_actions(&params)),
                Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
            },
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("ctelint does not handle `{method}`"),
            ),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        if catch_unwind(AssertUnwindSafe(|| self.handle_notification(notification))).is_err() {
            self.log(
                MessageType::ERROR,
                format!("ctelint failed on `{method}` (a bug in ctelint; please report it)"),
            );
        }
    }

    fn handle_notification(&mut self, notification: Notification) {
        let Notification { method, params } = notification;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Some(params) = self.params::<DidOpenTextDocumentParams>(&method, params) {
                    let item = params.text_document;
                    let document = Document::new(item.text, item.version, item.language_id);
                    self.documents.insert(item.uri, document);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(params) = self.params::<DidChangeTextDocumentParams>(&method, params) {
                    let encoding = self.encoding;
                    if let Some(document) = self.documents.get_mut(&params.text_document.uri) {
                        document.version = params.text_document.version;
                        for change in params.content_changes {
                            document.change(change.range, change.text, encoding);
                        }
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(params) = self.params::<DidSaveTextDocumentParams>(&method, params) {
                    let encoding = self.encoding;
                    if let (Some(text), Some(document)) =
                        (params.text, self.documents.get_mut(&params.text_document.uri))
                    {
                        document.change(None, text, encoding);
                    }
                    self.reload_configs();
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(params) = self.params::<DidCloseTextDocumentParams>(&method, params) {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => self.reload_configs(),
            // `$/cancelRequest` (every request is answered before the next is read),
            // `$/setTrace`, `workspace/didChangeConfiguration` and the rest.
            _ => {}
        }
    }

    fn params<P: serde::de::DeserializeOwned>(&self, method: &str, params: Value) -> Option<P> {
        match serde_json::from_value(params) {
            Ok(params) => Some(params),
            Err(e) => {
                self.log(
                    MessageType::ERROR,
                    format!("ignored `{method}` with bad parameters: {e}"),
                );
                None
            }
        }
    }

    /// Configs may have changed: read them again, and lint every open document again.
    fn reload_configs(&mut self) {
        self.configs = Resolver::new(Source::Discover);
        for document in self.documents.values_mut() {
            document.outdate();
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    /// Lints and publishes every document whose text changed since its last lint.
    fn refresh_all(&mut self) {
        let stale: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| d.analysis.is_none())
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in stale {
            self.refresh(&uri);
        }
    }

    /// Lints and publishes `uri` if its text changed since its last lint.
    fn refresh(&mut self, uri: &Uri) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        if document.analysis.is_some() {
            return;
        }
        let linted = catch_unwind(AssertUnwindSafe(|| self.analyze(uri, document)));
        let (analysis, broken) = linted.unwrap_or_else(|_| {
            self.log(
                MessageType::ERROR,
                format!(
                    "ctelint failed on {} (a bug in ctelint; please report it)",
                    uri.as_str()
                ),
            );
            (Analysis::Other(Vec::new()), None)
        });
        let diagnostics = analysis.published();
        let version = document.version;
        if let Some(message) = broken
            && !self.announced.contains(&message)
        {
            self.notify::<ShowMessage>(ShowMessageParams {
                typ: MessageType::ERROR,
                message: message.clone(),
            });
            self.announced.insert(message);
        }
        if let Some(document) = self.documents.get_mut(uri) {
            document.analysis = Some(analysis);
        }
        self.publish(uri.clone(), diagnostics, Some(version));
    }

    /// Lints a document as `ctelint check` would lint the file at its path; also returns the
    /// text of a config error, if one stopped it.
    fn analyze(&self, uri: &Uri, document: &Document) -> (Analysis, Option<String>) {
        let path = convert::file_path(uri);
        let display = path
            .as_deref()
            .map_or_else(|| uri.as_str().to_owned(), walk::display_path);
        let language = document.language.to_ascii_lowercase();
        if !(language == "json" || language == "jsonc" || walk::is_included(&display)) {
            return (Analysis::Other(Vec::new()), None);
        }
        let resolved = match &path {
            Some(path) => check::resolve(&self.configs, &Base::default(), path, &display),
            None => check::resolve(&self.isolated, &Base::default(), Path::new(&display), &display),
        };
        let mut file = match resolved {
            Ok(file) => file,
            Err(error) => {
                let diagnostic = config_diagnostic(&error, self.encoding);
                let message = format!("ctelint: {}", diagnostic.message);
                return (Analysis::Other(vec![diagnostic]), Some(message));
            }
        };
        if path.is_none() && language == "jsonc" {
            file.dialect = ParseOptions::JSONC;
        }
        if let (Some(path), Some(config)) = (&path, &file.config) {
            let absolute = walk::resolved(path);
            if config.exclude.iter().any(|pattern| pattern.matches(&absolute)) {
                return (Analysis::Other(Vec::new()), None);
            }
        }
        let text = document.view(self.encoding);
        let (shown, raw) = if document.text.len() as u64 > MAX_DOCUMENT {
            let found = too_large(&document.text, &file);
            (found.clone(), found)
        } else {
            let result = linter::lint_alone(&display, document.text.as_bytes(), file.dialect, &file.settings);
            (result.shown().1, result.diagnostics)
        };
        let findings = shown
            .into_iter()
            .zip(raw)
            .filter(|(diagnostic, _)| !file.suppressions.iter().any(|s| s.covers(diagnostic)))
            .map(|(diagnostic, raw)| Finding {
                lsp: text.diagnostic(uri, &diagnostic),
                fix_intact: diagnostic.fix == raw.fix,
                diagnostic,
            })
            .collect();
        (
            Analysis::Linted {
                file,
                display,
                findings,
            },
            None,
        )
    }

    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        self.refresh(uri);
        let Some(document) = self.documents.get(uri) else {
            return Vec::new();
        };
        let Some(analysis) = &document.analysis else {
            return Vec::new();
        };
        let text = document.view(self.encoding);
        let only = params.context.only.as_deref();
        let mut found = Vec::new();
        if actions::wanted(only, &lsp_types::CodeActionKind::QUICKFIX) {
            found.extend(actions::quick_fixes(uri, text, analysis, text.span(params.range)));
        }
        if actions::wanted(only, &actions::FIX_ALL) {
            match document.fix_all.get_or_init(|| actions::fix_all(uri, text, analysis)) {
                Ok(action) => found.extend(action.clone()),
                Err(why) => self.log(MessageType::WARNING, format!("fix all: {why}")),
            }
        }
        found
    }
}

/// The CTE000 finding for a document over the size limit (when the rule is on).
fn too_large(text: &str, file: &FileSettings) -> Vec<Diagnostic> {
    if !file.settings.is_enabled(rules::IO_ERROR) {
        return Vec::new();
    }
    let mut diagnostic = Diagnostic::new(
        rules::IO_ERROR,
        Pointer::root(),
        Span::new(0, text.chars().next().map_or(0, char::len_utf8)),
        format!(
            "the document is {} bytes, over the size limit of {MAX_DOCUMENT} bytes, so it was not linted",
            text.len()
        ),
    );
    diagnostic.help("split it, or lint it with `ctelint check --max-file-size`");
    if let Some(severity) = file.settings.severity_override(rules::IO_ERROR) {
        diagnostic.severity = severity;
    }
    vec![diagnostic]
}

/// The one diagnostic a document gets when its config cannot be used: at the document's start,
/// pointing to the mistake in the config.
fn config_diagnostic(error: &ConfigError, encoding: Encoding) -> lsp_types::Diagnostic {
    let source = &error.source;
    let mut place = source.name().to_owned();
    let mut related = None;
    if let Some(span) = error.span {
        let at = source.line_col(span.start as usize);
        place = format!("{place}:{}:{}", at.line, at.column);
        let config = View {
            text: source.text(),
            index: source.index(),
            encoding,
        };
        let absolute = std::path::absolute(source.name()).ok();
        if let Some(uri) = absolute.as_deref().and_then(convert::file_uri) {
            related = Some(vec![DiagnosticRelatedInformation {
                location: Location::new(uri, config.range(span)),
                message: error.message.clone(),
            }]);
        }
    }
    lsp_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("ctelint::config".to_owned())),
        code_description: None,
        source: Some(convert::SOURCE.to_owned()),
        message: format!(
            "this file was not linted: its config is broken: {place}: {}",
            error.message
        ),
        related_information: related,
        tags: None,
        data: None,
    }
}
