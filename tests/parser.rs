//! The parser: what it accepts and rejects, where errors point, and what the tree keeps.

use ctelint::json::{self, Kind, ParseOptions, Pointer, Span, locate, pointer_of};

fn strict(text: &str) -> Result<json::Document<'_>, json::ParseError> {
    json::parse(text, ParseOptions::STRICT)
}

#[test]
fn accepts_rfc_8259_documents() {
    for text in [
        "{}",
        "[]",
        " \t\r\n{\"a\" : [1, -0, 0.5, 1e3, -1E-2, 12.5e+10, true, false, null]}\r\n",
        "\"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"",
        "\"\\ud800\"",
        "123",
        "1e999999",
        "[[[[[[[]]]]]]]",
        "{\"a\":1,\"a\":2}",
        "\"\u{7f}\u{2028}\"",
    ] {
        assert!(strict(text).is_ok(), "rejected: {text:?}: {:?}", strict(text).err());
    }
}

#[test]
fn rejects_what_rfc_8259_forbids_at_the_offending_byte() {
    let cases: [(&str, usize, &str); 16] = [
        ("", 0, "end of input"),
        ("{\"a\":1,}", 6, "trailing comma"),
        ("[1,]", 2, "trailing comma"),
        ("{\"a\" 1}", 5, "expected `:`"),
        ("{a:1}", 1, "member name"),
        ("[01]", 2, "expected `,` or `]`"),
        ("[1.]", 3, "decimal point"),
        ("[.5]", 1, "where a value was expected"),
        ("[+1]", 1, "where a value was expected"),
        ("[1e]", 3, "exponent"),
        ("\"a\tb\"", 2, "control character"),
        ("\"\\x\"", 1, "invalid escape"),
        ("\"\\u12g4\"", 1, "four hexadecimal digits"),
        ("[tru]", 1, "expected `true`"),
        ("{} {}", 3, "after the top-level value"),
        ("// c\n{}", 0, "comments are not allowed"),
    ];
    for (text, at, message) in cases {
        let error = strict(text).expect_err(text);
        assert_eq!(error.span.start as usize, at, "{text:?}: {error:?}");
        assert!(error.message.contains(message), "{text:?}: {error:?}");
    }
}

#[test]
fn nesting_is_limited_without_overflowing_the_stack() {
    assert!(strict(&format!("{}{}", "[".repeat(128), "]".repeat(128))).is_ok());
    let error = strict(&format!("{}{}", "[".repeat(129), "]".repeat(129))).unwrap_err();
    assert_eq!(error.span, Span { start: 128, end: 129 });
    let deep = "[".repeat(100_000);
    let error = strict(&deep).unwrap_err();
    assert!(error.message.contains("nesting deeper than 128"), "{error:?}");
}

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let error = json::parse_bytes(b"{\"a\": \"x\xff\"}", ParseOptions::STRICT).unwrap_err();
    assert_eq!(error.span, Span { start: 8, end: 9 });
    assert!(error.message.contains("0xFF"), "{error:?}");
}

#[test]
fn a_byte_order_mark_is_skipped_and_recorded() {
    let document = strict("\u{feff}{\"a\": 1}").unwrap();
    assert!(document.bom);
    assert_eq!(document.root.span, Span { start: 3, end: 11 });
}

#[test]
fn jsonc_records_comments_and_trailing_commas() {
    let text = "{\n  // c\n  \"a\": [1, 2,], /* b */\n}";
    let document = json::parse(text, ParseOptions::JSONC).unwrap();
    let kinds: Vec<(json::ExtensionKind, &str)> = document
        .extensions
        .iter()
        .map(|e| (e.kind, &text[e.span.range()]))
        .collect();
    assert_eq!(
        kinds,
        [
            (json::ExtensionKind::Comment, "// c"),
            (json::ExtensionKind::TrailingComma, ","),
            (json::ExtensionKind::TrailingComma, ","),
            (json::ExtensionKind::Comment, "/* b */"),
        ]
    );
    assert!(
        json::parse("{/* open", ParseOptions::JSONC)
            .unwrap_err()
            .message
            .contains("unterminated block comment")
    );
}

#[test]
fn spans_cover_names_and_values_and_duplicates_are_kept() {
    let text = r#"{"a": {"b~/c": [10, "x"]}, "a": true}"#;
    let document = strict(text).unwrap();
    let Kind::Object(object) = &document.root.kind else {
        panic!("not an object")
    };
    assert_eq!(object.members.len(), 2);
    assert_eq!(&text[object.members[0].name_span.range()], "\"a\"");
    assert_eq!(
        object.get("a").unwrap().value.as_bool(),
        Some(true),
        "the last duplicate wins"
    );
    let pointer = Pointer::parse("/a/b~0~1c/1").unwrap();
    // The last `a` is a boolean, so the pointer through the first one does not resolve.
    assert!(locate(&document.root, &pointer).is_none());
    let first = &object.members[0].value;
    let located = locate(first, &Pointer::parse("/b~0~1c/1").unwrap()).unwrap();
    assert_eq!(&text[located.value.span.range()], "\"x\"");
    assert_eq!(pointer_of(first, located.value.span).unwrap().as_str(), "/b~0~1c/1");
    assert_eq!(Pointer::root().child("b~/c").child(1).as_str(), "/b~0~1c/1");
    let segments: Vec<String> = pointer.segments().collect();
    assert_eq!(segments, ["a", "b~/c", "1"]);
}

#[test]
fn numbers_keep_integers_exact_and_big_numbers_finite_or_infinite() {
    let document = strict("[12, -7, 1.5, 1e999999, 123456789012345678901234567890]").unwrap();
    let numbers: Vec<(Option<i64>, f64)> = document
        .root
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_number().map(|n| (n.int, n.float)).unwrap())
        .collect();
    assert_eq!(numbers[0], (Some(12), 12.0));
    assert_eq!(numbers[1], (Some(-7), -7.0));
    assert_eq!(numbers[2], (None, 1.5));
    assert!(numbers[3].1.is_infinite());
    assert_eq!(numbers[4].0, None);
}

#[test]
fn lone_surrogates_are_flagged() {
    let document = strict(r#"["\ud800", "\udc00x", "\ud83d\ude00"]"#).unwrap();
    let flags: Vec<bool> = document
        .root
        .as_array()
        .unwrap()
        .iter()
        .map(|v| match &v.kind {
            Kind::String(s) => s.lone_surrogate,
            _ => panic!("not a string"),
        })
        .collect();
    assert_eq!(flags, [true, true, false]);
}

#[test]
fn objects_know_whether_a_member_name_repeats() {
    let repeated = |text: &str| {
        let document = strict(text).unwrap();
        document.root.as_object().unwrap().has_repeated_names()
    };
    assert!(!repeated("{}"));
    assert!(!repeated(r#"{"name": 1, "size": 2, "meta": 3}"#));
    assert!(repeated(r#"{"name": 1, "size": 2, "name": 3}"#));
    // `ad` and `ba` leave the same mark (same length, same mix of first and last bytes): they
    // are compared, and differ.
    assert!(!repeated(r#"{"ad": 1, "ba": 2}"#));
    assert!(repeated(r#"{"ad": 1, "ba": 2, "ad": 3}"#));
    assert!(repeated(r#"{"": 1, "": 2}"#));
    // Large objects go through a set.
    let members = |names: &[String]| {
        let body: Vec<String> = names.iter().map(|n| format!("\"{n}\": 0")).collect();
        format!("{{{}}}", body.join(", "))
    };
    let mut names: Vec<String> = (0..40).map(|i| format!("member{i}")).collect();
    assert!(!repeated(&members(&names)));
    names.push("member0".to_owned());
    assert!(repeated(&members(&names)));
    // Only the object's own names count, not those of the objects inside it.
    assert!(!repeated(r#"{"a": {"x": 1, "x": 2}, "b": {"x": 3}}"#));
}
