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

/// Webhook events: the endpoint's `enabled_events` lists the event types
/// (those outside the `test.` namespace are not the portion's), `event` is
/// the envelope, `GET /v1/events` the events API. `LAST_DATA` is where a
/// test puts a field of the widget that uses the event's data schema.
const EVENTS_SPEC: &str = r##"
openapi: 3.0.0
info: {title: test, version: "2099-01-01"}
paths:
  /v1/webhook_endpoints:
    post:
      operationId: PostWebhookEndpoints
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                enabled_events:
                  type: array
                  items:
                    type: string
                    enum: ['*', charge.succeeded, test.widget.created, test.widget.part.created, test.gizmo.created]
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
  /v1/events:
    get:
      operationId: GetEvents
      parameters:
        - {name: type, in: query, schema: {type: string}}
        - {name: types, in: query, schema: {type: array, items: {type: string}}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more, object, url]
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/event'}}
                  has_more: {type: boolean}
                  object: {type: string, enum: [list]}
                  url: {type: string}
components:
  schemas:
    event:
      type: object
      x-resourceId: event
      required: [data, id, object, type]
      properties:
        data: {$ref: '#/components/schemas/notification_event_data'}
        id: {type: string}
        object: {type: string, enum: [event]}
        type: {type: string}
    notification_event_data:
      type: object
      required: [object]
      properties:
        object: {type: object}
        previous_attributes: {type: object}
    test.widget:
      type: object
      x-resourceId: test.widget
      required: [id]
      properties:
        id: {type: string}
        LAST_DATA
    test.widget.part:
      type: object
      x-resourceId: test.widget.part
      required: [id]
      properties:
        id: {type: string}
"##;

fn events_ir(last_data: &str) -> Ir {
    let spec = EVENTS_SPEC.replace("LAST_DATA", last_data);
    crate::build_ir(&spec, "events_test.yaml", &Portion::namespace("test")).unwrap()
}

/// The Rust name of a type, or how an anonymous one holds its named one
/// (`[EventType]` for an array, `{Json}` for a map).
fn shown(ir: &Ir, id: TypeId) -> String {
    match &ir.get(id).kind {
        TypeKind::Array(item) => format!("[{}]", shown(ir, *item)),
        TypeKind::Map(value) => format!("{{{}}}", shown(ir, *value)),
        TypeKind::Primitive(p) => format!("{p:?}"),
        TypeKind::Json => "Json".to_owned(),
        _ => ir.name(id).unwrap_or("?").to_owned(),
    }
}

fn field_type(ir: &Ir, id: TypeId, wire: &str) -> String {
    let (_, ty) = fields(ir, id).into_iter().find(|(w, _)| w == wire).unwrap();
    shown(ir, ty)
}

#[test]
fn the_ir_says_where_the_events_are_and_what_each_type_carries() {
    let ir = events_ir("");
    let events = ir.events.expect("the spec has event types and an envelope");
    let names = [
        events.envelope,
        events.data,
        events.payload,
        events.event_type,
    ]
    .map(|id| shown(&ir, id));
    assert_eq!(
        names,
        [
            "Event",
            "NotificationEventData",
            "EventPayload",
            "EventType"
        ]
    );
    // Each event type of the namespace, with the longest resource its name
    // starts with; `test.gizmo` is no resource, so its object is raw JSON.
    let carried: Vec<(&str, String)> = ir
        .event_types()
        .iter()
        .map(|v| (v.wire_name.as_str(), shown(&ir, v.object)))
        .collect();
    assert_eq!(
        carried,
        [
            ("test.gizmo.created", "Json".to_owned()),
            ("test.widget.created", "Widget".to_owned()),
            ("test.widget.part.created", "WidgetPart".to_owned()),
        ]
    );
    // The envelope holds `data`, whose `object` is the payload, and its
    // `type` is the event-type enum (a string in the spec).
    assert_eq!(
        field_type(&ir, events.envelope, "data"),
        "NotificationEventData"
    );
    assert_eq!(field_type(&ir, events.envelope, "type"), "EventType");
    assert_eq!(field_type(&ir, events.data, "object"), "EventPayload");
    assert!(events.decodes_together(events.envelope) && events.decodes_together(events.data));
    assert!(!events.decodes_together(events.payload));
    // The event-type enum lists the same types, and the events API's
    // filters take it; other parameters keep their types.
    let TypeKind::Enum(def) = &ir.get(events.event_type).kind else {
        panic!("the event type is not an enum");
    };
    let values: Vec<(&str, &str)> = def
        .variants
        .iter()
        .map(|v| (v.wire_name.as_str(), v.rust_name.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("test.gizmo.created", "GizmoCreated"),
            ("test.widget.created", "WidgetCreated"),
            ("test.widget.part.created", "WidgetPartCreated"),
        ]
    );
    assert_eq!(def.catch_all, "Unknown");
    let list = ir
        .operations
        .iter()
        .find(|op| op.path == "/v1/events")
        .unwrap();
    let params: Vec<(&str, String)> = list
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), shown(&ir, p.ty)))
        .collect();
    assert_eq!(
        params,
        [
            ("limit", "Integer".to_owned()),
            ("type", "EventType".to_owned()),
            ("types", "[EventType]".to_owned()),
        ]
    );
}

/// A widget's field uses the event's data schema: that schema stays a
/// plain struct (its `object` raw JSON), and the envelope gets a copy of
/// its own, whose `object` is the payload.
#[test]
fn data_used_elsewhere_stays_plain_and_the_envelope_gets_its_own_copy() {
    let ir = events_ir("last_data: {$ref: '#/components/schemas/notification_event_data'}");
    let events = ir.events.unwrap();
    assert_eq!(shown(&ir, events.data), "EventData");
    assert_eq!(
        ir.get(events.data).origin,
        "#/components/schemas/event/properties/data"
    );
    assert_eq!(field_type(&ir, events.envelope, "data"), "EventData");
    assert_eq!(field_type(&ir, events.data, "object"), "EventPayload");
    let widget = named(&ir, "Widget");
    assert_eq!(
        field_type(&ir, widget, "last_data"),
        "NotificationEventData"
    );
    let plain = named(&ir, "NotificationEventData");
    // A free-form object: a map of JSON values.
    assert_eq!(field_type(&ir, plain, "object"), "{Json}");
    assert!(!events.decodes_together(plain));
}

#[test]
fn a_portion_without_event_types_has_no_events() {
    let ir = ir();
    assert_eq!(ir.events, None);
    assert!(ir.event_types().is_empty());
}
