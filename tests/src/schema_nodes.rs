//! Schema nodes of an OpenAPI document held as a `serde_yaml::Value`:
//! where every schema is (component schemas, what they nest, and the
//! schemas of operations), so a mutation can name one by index.

use serde_yaml::Value;

/// A step from a node to a child: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where a schema node is, and the component schema it is written in.
#[derive(Clone, Debug)]
pub struct Node {
    pub path: Vec<Step>,
    pub component: Option<String>,
}

/// Every schema node of `doc`, in document order: component schemas and
/// what they nest (properties, items, additionalProperties, anyOf, oneOf,
/// allOf members), and the schemas of operations' parameters, bodies and
/// responses.
pub fn nodes(doc: &Value) -> Vec<Node> {
    let mut out = Vec::new();
    for (name, _) in doc["components"]["schemas"]
        .as_mapping()
        .into_iter()
        .flatten()
    {
        let name = name.as_str().unwrap_or_default().to_owned();
        let path = vec![key("components"), key("schemas"), key(&name)];
        walk(doc, path, Some(name), &mut out);
    }
    for path in operation_schema_paths(doc) {
        walk(doc, path, None, &mut out);
    }
    out
}

/// `start` and the schema nodes under it, depth first with an explicit stack.
fn walk(doc: &Value, start: Vec<Step>, component: Option<String>, out: &mut Vec<Node>) {
    let mut pending = vec![start];
    while let Some(path) = pending.pop() {
        let Some(value) = get(doc, &path) else {
            continue;
        };
        let mut children = Vec::new();
        for (k, _) in value["properties"].as_mapping().into_iter().flatten() {
            children.push(vec![key("properties"), key(k.as_str().unwrap_or_default())]);
        }
        for k in ["items", "additionalProperties"] {
            if value[k].is_mapping() {
                children.push(vec![key(k)]);
            }
        }
        for k in ["anyOf", "oneOf", "allOf"] {
            let count = value[k].as_sequence().map_or(0, Vec::len);
            children.extend((0..count).map(|i| vec![key(k), Step::Index(i)]));
        }
        for child in children.into_iter().rev() {
            pending.push(path.iter().cloned().chain(child).collect());
        }
        out.push(Node {
            path,
            component: component.clone(),
        });
    }
}

/// The paths to the schemas written in operations.
fn operation_schema_paths(doc: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    for op_path in operations(doc) {
        let op = get(doc, &op_path).unwrap();
        let count = op["parameters"].as_sequence().map_or(0, Vec::len);
        for i in 0..count {
            out.push(extend(
                &op_path,
                [key("parameters"), Step::Index(i), key("schema")],
            ));
        }
        for (mime, _) in op["requestBody"]["content"]
            .as_mapping()
            .into_iter()
            .flatten()
        {
            let mime = key(mime.as_str().unwrap_or_default());
            out.push(extend(
                &op_path,
                [key("requestBody"), key("content"), mime, key("schema")],
            ));
        }
        for (status, response) in op["responses"].as_mapping().into_iter().flatten() {
            for (mime, _) in response["content"].as_mapping().into_iter().flatten() {
                let mime = key(mime.as_str().unwrap_or_default());
                let status = match status {
                    Value::Number(n) => n.to_string(),
                    s => s.as_str().unwrap_or_default().to_owned(),
                };
                let steps = [
                    key("responses"),
                    key(&status),
                    key("content"),
                    mime,
                    key("schema"),
                ];
                out.push(extend(&op_path, steps));
            }
        }
    }
    out.retain(|p| get(doc, p).is_some());
    out
}

/// Where every operation of `doc` is.
pub fn operations(doc: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_mapping().into_iter().flatten() {
        let path = path.as_str().unwrap_or_default();
        for method in ["get", "post", "delete"] {
            if item[method].is_mapping() {
                out.push(vec![key("paths"), key(path), key(method)]);
            }
        }
    }
    out
}

fn key(k: &str) -> Step {
    Step::Key(k.to_owned())
}

fn extend<const N: usize>(base: &[Step], steps: [Step; N]) -> Vec<Step> {
    base.iter().cloned().chain(steps).collect()
}

/// The value at `path`.
pub fn get<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, step| match step {
        Step::Key(k) => v.as_mapping()?.get(k.as_str()),
        Step::Index(i) => v.as_sequence()?.get(*i),
    })
}

/// The value at `path`, to change.
pub fn get_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |v, step| match step {
        Step::Key(k) => v.as_mapping_mut()?.get_mut(k.as_str()),
        Step::Index(i) => v.as_sequence_mut()?.get_mut(*i),
    })
}

/// The index in [`nodes`] of the node at the JSON-pointer-like `pointer`
/// (`/components/schemas/x/properties/y`, unescaped), for fixed mutation lists.
pub fn node_at(doc: &Value, pointer: &str) -> usize {
    nodes(doc)
        .iter()
        .position(|n| {
            let steps = n.path.iter().map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => i.to_string(),
            });
            steps.map(|s| format!("/{s}")).collect::<String>() == pointer
        })
        .unwrap_or_else(|| panic!("no schema node at {pointer}"))
}
