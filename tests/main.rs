//! The one integration-test binary (one link step instead of one per file).

#![expect(clippy::unwrap_used, reason = "a test fails loudly on what it did not expect")]

mod cli;
mod delete;
mod docs;
mod fix;
mod frames;
mod hostile;
mod parser;
mod pipelines;
mod properties;
mod registry;
mod rules;
mod schema;
mod server;
mod source;
mod support;
