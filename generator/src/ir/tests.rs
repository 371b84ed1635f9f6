//! `children` and `usage` on the IR of a tiny spec, checked against what
//! the spec below says, read by hand.

use super::{Edge, Ir, Primitive, TypeId, TypeKind, Usage};
use crate::Portion;

/// A resource (`Widget`) returned by one operation that takes a plain
/// parameter, an inline object, an emptyable object and a component
/// (`widget_dimensions`) that the resource also holds.
const SPEC: &str = r##"
openapi: 3.0.0
info: {title: test, version: "2099-01-01"}
paths:
  /v1/test/widgets:
    post:
      operationId: PostTestWidgets
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                dimensions: {$ref: '#/components/schemas/widget_dimensions'}
                options:
                  type: object
                  properties:
                    size: {type: integer}
                extras:
                  anyOf:
                    - type: object
                      properties:
                        fast: {type: boolean}
                    - type: string
                      enum: ['']
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/test.widget'}
components:
  schemas:
    widget_dimensions:
      type: object
      properties:
        depth: {type: number}
    test.widget:
      type: object
      x-resourceId: test.widget
      required: [id, status]
      properties:
        id: {type: string}
        dimensions: {$ref: '#/components/schemas/widget_dimensions'}
        status: {type: string, enum: [active, inactive]}
        tags: {type: array, items: {type: string}}
"##;

fn ir() -> Ir {
    crate::build_ir(SPEC, "ir_test.yaml", &Portion::namespace("test")).unwrap()
}

fn named(ir: &Ir, name: &str) -> TypeId {
    ir.ids()
        .find(|id| ir.name(*id) == Some(name))
        .unwrap_or_else(|| panic!("no type named {name}"))
}

/// The type of the one operation's parameter `wire`.
fn param(ir: &Ir, wire: &str) -> TypeId {
    let params = &ir.operations[0].params;
    params.iter().find(|p| p.wire_name == wire).unwrap().ty
}

/// `(wire name, type)` of every field child of a struct.
fn fields(ir: &Ir, id: TypeId) -> Vec<(String, TypeId)> {
    ir.children(id)
        .map(|c| match c.edge {
            Edge::Field(f) => (f.wire_name.clone(), c.ty),
            other => panic!("not a field: {other:?}"),
        })
        .collect()
}

fn kind(ir: &Ir, id: TypeId) -> &TypeKind {
    &ir.get(id).kind
}

#[test]
fn a_struct_s_children_are_its_fields_in_wire_order() {
    let ir = ir();
    let widget = named(&ir, "Widget");
    let dimensions = named(&ir, "WidgetDimensions");
    let children = fields(&ir, widget);
    let wires: Vec<&str> = children.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(wires, ["dimensions", "id", "status", "tags"]);
    assert_eq!(children[0].1, dimensions);
    assert!(matches!(kind(&ir, children[1].1), TypeKind::Id(def) if def.object == "test.widget"));
    assert!(matches!(kind(&ir, children[2].1), TypeKind::Enum(_)));
    // `tags` is an array: one wrapper child, the string, held out of line.
    let tags: Vec<_> = ir.children(children[3].1).collect();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].edge, Edge::Element);
    assert!(!tags[0].edge.is_inline());
    assert_eq!(
        kind(&ir, tags[0].ty),
        &TypeKind::Primitive(Primitive::String)
    );
    assert_eq!(ir.unwrap(children[3].1), tags[0].ty);
}

#[test]
fn leaves_have_no_children_and_wrappers_unwrap_to_their_object() {
    let ir = ir();
    let widget = named(&ir, "Widget");
    let status = fields(&ir, widget)[2].1;
    assert_eq!(ir.children(status).count(), 0, "an enum holds no types");
    assert_eq!(ir.children(param(&ir, "name")).count(), 0);
    assert_eq!(ir.unwrap(status), status);
    // `extras` is the emptyable idiom: the object is held inline.
    let extras = param(&ir, "extras");
    let inner: Vec<_> = ir.children(extras).collect();
    assert_eq!(inner.len(), 1);
    assert_eq!(inner[0].edge, Edge::Emptyable);
    assert!(inner[0].edge.is_inline());
    let object = ir.unwrap(extras);
    assert_eq!(fields(&ir, object)[0].0, "fast");
}

#[test]
fn usage_says_who_builds_and_who_receives_each_type() {
    let ir = ir();
    let request = Usage {
        request: true,
        response: false,
    };
    let response = Usage {
        request: false,
        response: true,
    };
    let both = Usage {
        request: true,
        response: true,
    };
    let widget = named(&ir, "Widget");
    assert_eq!(ir.usage(widget), response);
    let status = fields(&ir, widget)[2].1;
    assert_eq!(ir.usage(status), response);
    // A parameter and a field of the resource.
    assert_eq!(ir.usage(named(&ir, "WidgetDimensions")), both);
    assert!(ir.usage(named(&ir, "WidgetDimensions")).both());
    // Strings are sent (`name`) and received (`tags`).
    assert_eq!(ir.usage(param(&ir, "name")), both);
    let options = param(&ir, "options");
    assert_eq!(ir.usage(options), request);
    assert_eq!(ir.usage(fields(&ir, options)[0].1), request, "size");
    assert_eq!(ir.usage(param(&ir, "extras")), request);
    assert_eq!(ir.usage(ir.unwrap(param(&ir, "extras"))), request);
}
