//! The only JSON parser in the crate: a spanned tree ([`Value`]), a strict or JSONC parser
//! ([`parse()`]) and RFC 6901 pointers ([`Pointer`], [`locate`], [`pointer_of`]).
//!
//! serde_json is used for our own machine output, never to read user documents: it keeps no
//! spans and silently drops duplicate members.

mod parse;
mod pointer;
mod tree;

pub use parse::{Document, Extension, ExtensionKind, MAX_DEPTH, ParseError, ParseOptions, parse, parse_bytes};
pub use pointer::{Located, Pointer, locate, pointer_of};
pub use tree::{Kind, Member, Number, Object, Span, Str, Value};
