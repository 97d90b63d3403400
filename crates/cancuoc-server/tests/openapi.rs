//! The OpenAPI spec describes every body of `/api/v1` (đặc tả đầy đủ):
//! each request and response schema, followed through its `$ref`s into
//! `components.schemas` and down its properties, items and compositions,
//! names a type, a reference or a composition, and no object in it is a
//! bare `{"type": "object"}` without properties (what `Object` in a
//! `#[utoipa::path]` or `value_type = Object` produces). A client generated
//! from the spec then knows every field it reads.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// One thing wrong with a schema, with where it was found.
type Finding = String;

/// Walks a schema and everything it references.
struct Walker<'a> {
    /// `components.schemas` of the spec.
    components: &'a Map<String, Value>,
    /// References already walked (a recursive schema is walked once).
    seen: BTreeSet<String>,
    /// Every finding so far.
    findings: Vec<Finding>,
}

impl Walker<'_> {
    fn walk(&mut self, at: &str, schema: &Value) {
        let Some(obj) = schema.as_object() else {
            // `items: false` (a tuple's `prefixItems` say it all) is the
            // one boolean schema that may appear.
            if schema != &Value::Bool(false) {
                self.findings
                    .push(format!("{at}: not a schema object: {schema}"));
            }
            return;
        };
        if let Some(reference) = obj.get("$ref") {
            self.follow(at, reference);
            return;
        }
        let composed = ["oneOf", "allOf", "anyOf"]
            .iter()
            .filter_map(|k| obj.get(*k).map(|v| (*k, v)))
            .collect::<Vec<_>>();
        let types = types_of(obj.get("type"));
        // A composition says what it is through its parts, each walked
        // below (a flattened member is an `allOf` of its type and the
        // rest).
        if types.is_empty() && composed.is_empty() {
            self.findings.push(format!(
                "{at}: neither a `type`, a `$ref` nor a composition: {schema}"
            ));
        }
        for (key, parts) in composed {
            for (i, part) in parts.as_array().into_iter().flatten().enumerate() {
                self.walk(&format!("{at}.{key}[{i}]"), part);
            }
        }
        if types.contains(&"object") {
            let props = obj.get("properties").and_then(Value::as_object);
            let extra = obj.get("additionalProperties");
            match (props, extra) {
                (Some(p), _) if !p.is_empty() => {
                    for (name, prop) in p {
                        self.walk(&format!("{at}.{name}"), prop);
                    }
                }
                (_, Some(extra)) if extra.is_object() => {
                    self.walk(&format!("{at}{{*}}"), extra);
                }
                _ => self.findings.push(format!(
                    "{at}: an object without properties (a bare `Object`): {schema}"
                )),
            }
        }
        if types.contains(&"array") {
            let tuple = obj.get("prefixItems").and_then(Value::as_array);
            for (i, item) in tuple.into_iter().flatten().enumerate() {
                self.walk(&format!("{at}[{i}]"), item);
            }
            match obj.get("items") {
                Some(items) => self.walk(&format!("{at}[]"), items),
                None if tuple.is_some() => {}
                None => self
                    .findings
                    .push(format!("{at}: an array without `items`: {schema}")),
            }
        }
    }

    fn follow(&mut self, at: &str, reference: &Value) {
        let name = reference
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"));
        let Some(name) = name else {
            self.findings.push(format!(
                "{at}: a reference outside the components: {reference}"
            ));
            return;
        };
        if !self.seen.insert(name.to_owned()) {
            return;
        }
        match self.components.get(name) {
            Some(target) => self.walk(&format!("{at} → {name}"), target),
            None => self
                .findings
                .push(format!("{at}: reference to a missing schema {name}")),
        }
    }
}

/// The names in `type`, which OpenAPI 3.1 writes as a string or a list
/// (`["string", "null"]`).
fn types_of(t: Option<&Value>) -> Vec<&str> {
    match t {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Every request and response body schema of the `/api/v1` operations,
/// with where it is (`GET /api/v1/… 200 application/json`).
fn bodies(spec: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let paths = spec["paths"].as_object().into_iter().flatten();
    for (path, item) in paths.filter(|(p, _)| p.starts_with("/api/v1")) {
        let ops = item.as_object().into_iter().flatten();
        for (method, op) in ops {
            let method = method.to_uppercase();
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for (media, body) in content {
                    out.push((format!("{method} {path} request {media}"), &body["schema"]));
                }
            }
            let responses = op["responses"].as_object().into_iter().flatten();
            for (status, response) in responses {
                let content = response["content"].as_object().into_iter().flatten();
                for (media, body) in content {
                    out.push((format!("{method} {path} {status} {media}"), &body["schema"]));
                }
            }
        }
    }
    out
}

/// Every finding in the bodies of the spec.
fn findings(spec: &Value) -> Vec<Finding> {
    let empty = Map::new();
    let components = spec["components"]["schemas"].as_object().unwrap_or(&empty);
    let mut all = Vec::new();
    for (at, schema) in bodies(spec) {
        // Each body is walked on its own, so every body's references are
        // followed (and reported under that body) at least once.
        let mut walker = Walker {
            components,
            seen: BTreeSet::new(),
            findings: Vec::new(),
        };
        walker.walk(&at, schema);
        all.extend(walker.findings);
    }
    all
}

#[test]
fn every_api_body_schema_has_its_properties() {
    let spec = serde_json::to_value(cancuoc_server::openapi()).expect("spec as JSON");
    let bodies = bodies(&spec);
    // The walk must see the API: every route with a body, both directions.
    assert!(bodies.len() >= 30, "only {} bodies found", bodies.len());
    assert!(
        bodies
            .iter()
            .any(|(at, _)| at.starts_with("PUT ") && at.contains(" request ")),
        "no request body found"
    );
    let found = findings(&spec);
    assert!(
        found.is_empty(),
        "{} schema(s) of /api/v1 bodies say too little:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_walker_catches_bare_objects() {
    // The checks themselves, on a made-up spec: a bare object behind a
    // reference, a nullable bare object, an array of bare objects, a
    // schema with no type at all; and a well-formed body passes.
    let spec = serde_json::json!({
        "paths": {
            "/api/v1/a": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
            }}},
            "/api/v1/b": {"put": {
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "list": {"type": "array", "items": {"type": "object"}},
                        "maybe": {"type": ["object", "null"]},
                        "loose": {"description": "nothing"},
                        "ok": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/B"}]}
                    }
                }}}}}
            }},
            "/healthz": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"type": "object"}}}}
            }}}
        },
        "components": {"schemas": {
            "A": {"type": "object", "properties": {"inner": {"type": "object"}}},
            "B": {"type": "object", "properties": {"pair": {
                "type": "array", "items": false,
                "prefixItems": [{"type": "string"}, {"type": "string"}]
            }}}
        }}
    });
    let found = findings(&spec);
    let expect = [
        "GET /api/v1/a 200 application/json → A.inner: an object without properties",
        "PUT /api/v1/b request application/json: an object without properties",
        "PUT /api/v1/b 200 application/json.list[]: an object without properties",
        "PUT /api/v1/b 200 application/json.maybe: an object without properties",
        "PUT /api/v1/b 200 application/json.loose: neither a `type`",
    ];
    for want in expect {
        assert!(
            found.iter().any(|f| f.starts_with(want)),
            "missing {want:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}
