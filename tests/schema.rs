//! The embedded schema's own validator against the `jsonschema` crate: the same errors, with
//! the same wording, for every request in the fixtures and for the vendor sample with each
//! member the schema defines replaced by values of every kind.

use std::collections::BTreeMap;
use std::fs;

use ctelint::json::{Kind, ParseOptions, Value};
use ctelint::schema::{ErrorKind, SchemaError};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Value as Json, json};

/// Our tree as serde_json's (documents with duplicate members are left out).
fn to_serde(value: &Value) -> Json {
    match &value.kind {
        Kind::Null => Json::Null,
        Kind::Bool(b) => Json::Bool(*b),
        Kind::Number(n) => match n.int {
            Some(i) => json!(i),
            None => serde_json::Number::from_f64(n.float)
                .or_else(|| serde_json::Number::from_f64(f64::MAX.copysign(n.float)))
                .map_or(Json::Null, Json::Number),
        },
        Kind::String(s) => Json::String(s.as_str().to_owned()),
        Kind::Array(items) => Json::Array(items.iter().map(to_serde).collect()),
        Kind::Object(object) => Json::Object(
            object
                .members
                .iter()
                .map(|m| (m.name().to_owned(), to_serde(&m.value)))
                .collect(),
        ),
    }
}

fn has_duplicates(value: &Value) -> bool {
    match &value.kind {
        Kind::Object(object) => {
            let mut names: Vec<&str> = object.members.iter().map(ctelint::json::Member::name).collect();
            names.sort_unstable();
            names.windows(2).any(|w| w[0] == w[1]) || object.members.iter().any(|m| has_duplicates(&m.value))
        }
        Kind::Array(items) => items.iter().any(has_duplicates),
        _ => false,
    }
}

/// What `jsonschema` finds, in the shape of our errors.
fn oracle(validator: &jsonschema::Validator, request: &Json) -> Vec<SchemaError> {
    let mut out = Vec::new();
    for error in validator.iter_errors(request) {
        let pointer = ctelint::json::Pointer::parse(error.instance_path().as_str()).unwrap();
        let kind = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    out.push(SchemaError {
                        pointer: pointer.child(name),
                        kind: ErrorKind::Unknown,
                        detail: String::new(),
                    });
                }
                continue;
            }
            ValidationErrorKind::Type { kind } => ErrorKind::Type(match kind {
                TypeKind::Single(single) => vec![single.to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
            }),
            ValidationErrorKind::Enum { options } => ErrorKind::Enum(options.as_array().cloned().unwrap()),
            ValidationErrorKind::Required { property } => ErrorKind::Required(property.as_str().unwrap().to_owned()),
            ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner.instance().as_str().unwrap().to_owned();
                out.push(SchemaError {
                    pointer: pointer.child(&name),
                    kind: ErrorKind::PropertyName,
                    detail: inner.masked().to_string(),
                });
                continue;
            }
            other => ErrorKind::Other(other.keyword().to_owned()),
        };
        out.push(SchemaError {
            pointer,
            kind,
            detail: error.masked().to_string(),
        });
    }
    canonical(out)
}

/// Errors in one order whatever the validator's order of keywords at one pointer.
fn canonical(mut errors: Vec<SchemaError>) -> Vec<SchemaError> {
    errors.sort_by_key(|e| (e.pointer.clone(), format!("{:?}", e.kind), e.detail.clone()));
    errors.dedup();
    errors
}

fn jsonschema_validator() -> jsonschema::Validator {
    let schema: Json = serde_json::from_str(ctelint::schema::SCHEMA_TEXT).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Compares the two on `text`'s requests; returns how many were compared.
fn compare(validator: &jsonschema::Validator, name: &str, text: &str) -> usize {
    let Ok(document) = ctelint::json::parse(text, ParseOptions::JSONC) else {
        return 0;
    };
    let mut compared = 0;
    for request in ctelint::request::requests(&document) {
        if has_duplicates(request.value) {
            continue;
        }
        let ours = canonical(ctelint::schema::validate(request.value));
        let theirs = oracle(validator, &to_serde(request.value));
        assert_eq!(ours, theirs, "{name}: {text}");
        compared += 1;
    }
    compared
}

#[test]
fn the_embedded_schema_compiles() {
    assert_eq!(ctelint::schema::check_compiles(), Ok(()));
}

/// Keywords that only annotate: the compiled copy leaves them out, and the validator, which
/// compiles only that copy, refuses them.
const ANNOTATIONS: [&str; 9] = [
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "examples",
    "default",
    "deprecated",
    "writeOnly",
];

/// The schema object `node` without its annotations, its subschemas likewise.
fn without_annotations(node: &Json) -> Json {
    let Json::Object(members) = node else {
        return node.clone();
    };
    let subschemas = |map: &Json| match map {
        Json::Object(named) => Json::Object(
            named
                .iter()
                .map(|(name, schema)| (name.clone(), without_annotations(schema)))
                .collect(),
        ),
        other => other.clone(),
    };
    Json::Object(
        members
            .iter()
            .filter(|(keyword, _)| !ANNOTATIONS.contains(&keyword.as_str()))
            .map(|(keyword, value)| {
                let value = match keyword.as_str() {
                    "properties" | "$defs" => subschemas(value),
                    "items" | "additionalProperties" | "propertyNames" => without_annotations(value),
                    _ => value.clone(),
                };
                (keyword.clone(), value)
            })
            .collect(),
    )
}

/// The copy the validator compiles is the schema without its annotations; with
/// `CTELINT_UPDATE_SCHEMA` set, it is written anew first.
#[test]
fn the_compiled_copy_is_the_schema_without_its_annotations() {
    let schema: Json = serde_json::from_str(ctelint::schema::SCHEMA_TEXT).unwrap();
    let expected = format!("{}\n", without_annotations(&schema));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema/keys2-create.compiled.json");
    if std::env::var_os("CTELINT_UPDATE_SCHEMA").is_some() {
        fs::write(&path, &expected).unwrap();
        return;
    }
    assert!(
        ctelint::schema::COMPILED_TEXT == expected,
        "{} is out of date: run `CTELINT_UPDATE_SCHEMA=1 cargo test --test integration schema::the_compiled_copy` and rebuild",
        path.display()
    );
    assert!(
        expected.len() * 4 < ctelint::schema::SCHEMA_TEXT.len(),
        "annotations were removed"
    );
    assert!(!expected.contains("\"description\":\""), "no description is left");
}

#[test]
fn fixtures_get_the_errors_jsonschema_finds() {
    let validator = jsonschema_validator();
    let mut compared = 0;
    for entry in walkdir(&crate::support::root().join("fixtures")) {
        let text = String::from_utf8_lossy(&fs::read(&entry).unwrap()).into_owned();
        compared += compare(&validator, &entry.display().to_string(), &text);
    }
    assert!(compared > 150, "only {compared} requests compared");
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walkdir(&path));
        } else if path.extension().is_some_and(|e| e == "json" || e == "jsonc") {
            found.push(path);
        }
    }
    found
}

/// Paths to every member the schema defines, through `$ref`s, down to `depth` levels.
fn member_paths(schema: &Json, node: &Json, prefix: &[String], depth: usize, out: &mut Vec<Vec<String>>) {
    let node = match node.get("$ref").and_then(Json::as_str) {
        Some(target) => schema.pointer(target.strip_prefix('#').unwrap()).unwrap(),
        None => node,
    };
    if depth == 0 {
        return;
    }
    if let Some(properties) = node.get("properties").and_then(Json::as_object) {
        for (name, child) in properties {
            let mut path = prefix.to_vec();
            path.push(name.clone());
            out.push(path.clone());
            member_paths(schema, child, &path, depth - 1, out);
        }
    }
    if let Some(items) = node.get("items") {
        let mut path = prefix.to_vec();
        path.push("0".to_owned());
        out.push(path.clone());
        member_paths(schema, items, &path, depth - 1, out);
    }
}

/// Sets `path` in `target` to `value`, making the objects and arrays on the way.
fn set(target: &mut Json, path: &[String], value: Json) {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    if let Ok(index) = first.parse::<usize>() {
        if !target.is_array() {
            *target = json!([]);
        }
        let items = target.as_array_mut().unwrap();
        while items.len() <= index {
            items.push(json!({"alias": "a"}));
        }
        set(&mut items[index], rest, value);
    } else {
        if !target.is_object() {
            *target = json!({});
        }
        let slot = target
            .as_object_mut()
            .unwrap()
            .entry(first.clone())
            .or_insert(Json::Null);
        set(slot, rest, value);
    }
}

#[test]
fn every_member_with_values_of_every_kind_gets_the_errors_jsonschema_finds() {
    let validator = jsonschema_validator();
    let schema: Json = serde_json::from_str(ctelint::schema::SCHEMA_TEXT).unwrap();
    let sample: Json = serde_json::from_str(&crate::cli::vendor_sample()).unwrap();
    let mut paths = Vec::new();
    member_paths(&schema, &schema, &[], 4, &mut paths);
    assert!(paths.len() > 100, "{}", paths.len());
    let values = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(-0.5),
        json!(128),
        json!(128.0),
        json!(13),
        json!(512),
        json!(513),
        json!(4_194_303),
        json!(4_194_304),
        json!(10_000_001),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e300),
        json!(""),
        json!("x"),
        json!("short"),
        json!("a-long-enough-password"),
        json!("x".repeat(64)),
        json!("x".repeat(129)),
        json!("<script>"),
        json!("back\\slash"),
        json!("123"),
        json!("ключ"),
        json!("naïve<"),
        json!("日本/チーム"),
        json!("12a"),
        json!("00112233445566778899aabbccddeeff"),
        json!("00112233445566778899AABBCCDDEEF"),
        json!("0f8fad5b-d9cb-469f-a165-70867728950e"),
        json!("0F8FAD5B-D9CB-469F-A165-70867728950E"),
        json!("2024-02-29T12:00:00Z"),
        json!("2023-02-29T12:00:00Z"),
        json!("1998-12-31T23:59:60Z"),
        json!("2024-01-01T12:00:00+0100"),
        json!("aes"),
        json!("CBC_CS1"),
        json!("cbc"),
        json!("Active"),
        json!("hmac-sha512/256"),
        json!("oaep"),
        json!([]),
        json!(["CTE Clients"]),
        json!([1, "a"]),
        json!([{"alias": "x", "index": 0, "type": "uri"}]),
        json!([{"index": -1, "type": "url", "extra": 1}]),
        json!({}),
        json!({"alias": "x"}),
        json!({"unknown": 1}),
        json!({"team": "ok", "bad/name/twice": "v", "-dash": "v", "ok": "bad value!"}),
        json!({"example.com/team": "x".repeat(64)}),
        json!({"équipe": "v", "team": "värde"}),
    ];
    let mut compared = 0;
    for path in &paths {
        for value in &values {
            let mut request = sample.clone();
            set(&mut request, path, value.clone());
            let text = serde_json::to_string_pretty(&request).unwrap();
            compared += compare(&validator, &path.join("/"), &text);
        }
    }
    let mut counts: BTreeMap<bool, usize> = BTreeMap::new();
    for path in &paths {
        *counts.entry(path.len() > 1).or_default() += 1;
    }
    assert!(compared >= paths.len() * values.len(), "{compared}");
    assert!(counts[&true] > 40, "nested members are covered: {counts:?}");
}

#[test]
fn at_one_pointer_a_wrong_type_comes_first() {
    let document = ctelint::json::parse(r#"{"name": "k", "usageMask": -1.5}"#, ParseOptions::JSONC).unwrap();
    let errors = ctelint::schema::validate(&document.root);
    let kinds: Vec<&ErrorKind> = errors.iter().map(|e| &e.kind).collect();
    assert_eq!(
        kinds,
        [
            &ErrorKind::Type(vec!["integer".to_owned()]),
            &ErrorKind::Other("minimum".to_owned())
        ]
    );
    assert_eq!(errors[1].detail, "value is less than the minimum of 0");
}

#[test]
fn with_duplicate_members_the_last_one_is_validated() {
    let errors = |text: &str| -> Vec<(String, ErrorKind)> {
        let document = ctelint::json::parse(text, ParseOptions::JSONC).unwrap();
        ctelint::schema::validate(&document.root)
            .into_iter()
            .map(|e| (e.pointer.as_str().to_owned(), e.kind))
            .collect()
    };
    let wrong_size = || ("/size".to_owned(), ErrorKind::Type(vec!["integer".to_owned()]));
    assert_eq!(errors(r#"{"name": "k", "size": "x", "size": 256}"#), []);
    assert_eq!(errors(r#"{"name": "k", "size": 256, "size": "x"}"#), [wrong_size()]);
    // Past the size where names are compared pairwise.
    let many: Vec<String> = (0..80).map(|i| format!(r#""labels{i}": 1"#)).collect();
    let many = many.join(", ");
    let text = format!(r#"{{"name": "k", {many}, "size": 256, "size": "x", "size": 128}}"#);
    let found = errors(&text);
    assert_eq!(found.len(), 80, "{found:?}");
    assert!(found.iter().all(|(_, kind)| *kind == ErrorKind::Unknown));
    let text = format!(r#"{{"name": "k", {many}, "size": 256, "size": "x"}}"#);
    assert!(errors(&text).contains(&wrong_size()));
}
