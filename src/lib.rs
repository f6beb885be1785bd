//! ctelint: a linter for the JSON bodies that create CipherTrust Transparent Encryption keys in
//! CipherTrust Manager (`POST /v1/vault/keys2/`).
//!
//! The layers, bottom up: [`json`] parses with exact spans; [`request`] finds the key requests
//! in a document; [`rules`] check them under a [`profile::Profile`]; [`linter`] runs the rules
//! and sorts what they report; `output` renders findings; `cli` is the command line.
//!
//! ```
//! use ctelint::{linter, profile::Profile, settings::Settings, json::ParseOptions};
//!
//! let body = br#"{"name": "k", "algorithm": "aes", "unexportable": true}"#;
//! let settings = Settings::for_profile(Profile::Standard);
//! let result = linter::lint_bytes("k.json", body, ParseOptions::STRICT, &settings);
//! assert!(result.diagnostics.iter().any(|d| d.rule.code == "CTE203"));
//! ```

pub mod check;
pub mod cli;
pub mod config;
pub mod delete;
pub mod diagnostic;
pub mod docs;
pub mod escape;
pub mod fix;
pub mod json;
pub mod linter;
pub mod output;
pub mod profile;
pub mod redact;
pub mod request;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod selfcheck;
pub mod server;
pub mod settings;
pub mod source;
#[cfg(test)]
mod testing;
pub mod walk;
