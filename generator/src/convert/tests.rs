//! Conversion corner cases on tiny specs, checked against what the spec
//! says, read by hand.

use crate::ir::{Field, Ir, TypeKind};
use crate::Portion;

/// The field `wire_name` of the resource struct `Node` both specs define.
fn node_field<'a>(ir: &'a Ir, wire_name: &str) -> &'a Field {
    let node = ir.ids().find(|id| ir.name(*id) == Some("Node")).unwrap();
    let TypeKind::Struct(def) = &ir.get(node).kind else {
        panic!("Node is not a struct")
    };
    def.fields
        .iter()
        .find(|f| f.wire_name == wire_name)
        .unwrap()
}

/// `node_ref` is only a (nullable-style) reference to `test.node`, which
/// holds a `node_ref`. Converting the resource first reaches `node_ref`
/// while `test.node` is unfinished, so there is nothing to copy yet; once
/// conversion is done, `node_ref` takes `test.node`'s shape, and the field
/// that closes the cycle is boxed: a node holds its parent node.
const ALIAS_OF_A_CONTAINER: &str = r##"
openapi: 3.0.0
info: {title: test, version: "2099-01-01"}
paths:
  /v1/test/nodes/{node}:
    get:
      operationId: GetNode
      parameters:
        - {name: node, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/test.node"}}}
components:
  schemas:
    node_ref:
      anyOf:
        - $ref: "#/components/schemas/test.node"
    test.node:
      type: object
      x-resourceId: test.node
      required: [id]
      properties:
        id: {type: string}
        parent: {$ref: "#/components/schemas/node_ref"}
"##;

#[test]
fn a_reference_to_a_schema_still_in_progress_takes_its_shape_when_done() {
    let portion = Portion::namespace("test");
    let ir = crate::build_ir(ALIAS_OF_A_CONTAINER, "alias.yaml", &portion).unwrap();
    let parent = node_field(&ir, "parent");
    assert_eq!(ir.name(parent.ty), Some("Node"));
    assert!(parent.boxed, "a node holds its parent node by value");
    assert!(ir.warnings.is_empty(), "{:?}", ir.warnings);
}

/// `tree` is an array of itself: no Rust type can hold it (`Vec<Vec<...>>`
/// without end), so the field becomes opaque JSON with a warning naming
/// `tree`, instead of a wrapper around itself that emission would follow
/// for ever.
const ARRAY_OF_ITSELF: &str = r##"
openapi: 3.0.0
info: {title: test, version: "2099-01-01"}
paths: {}
components:
  schemas:
    tree:
      type: array
      items: {$ref: "#/components/schemas/tree"}
    test.node:
      type: object
      x-resourceId: test.node
      required: [id]
      properties:
        id: {type: string}
        children: {$ref: "#/components/schemas/tree"}
"##;

#[test]
fn a_schema_that_is_an_array_of_itself_is_json_with_a_warning() {
    let portion = Portion::namespace("test");
    let ir = crate::build_ir(ARRAY_OF_ITSELF, "tree.yaml", &portion).unwrap();
    let children = node_field(&ir, "children");
    assert_eq!(ir.get(children.ty).kind, TypeKind::Json);
    let pointers: Vec<&str> = ir.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(pointers, ["#/components/schemas/tree"]);
    assert!(ir.warnings[0].reason.contains("itself"));
}
