//! Operation conversion: one request type per operation, named from its
//! path and HTTP method.

use super::route::Route;
use super::schema::{Ctx, Slot};
use super::Converter;
use crate::ir::{Operation, Param, Response, TypeId};
use crate::naming;
use crate::select::Method;
use crate::spec::{list_item, Pointer};
use crate::Error;
use openapiv3::{ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode, Type};

/// List parameters that name an object of the list as a cursor.
const CURSORS: [&str; 2] = ["starting_after", "ending_before"];

impl Converter<'_> {
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
    ) -> Result<Operation, Error> {
        let at = Pointer::path(path).push(method.as_str());
        let (prefix, namespace) = self.portion.route_base(path);
        let route = Route::parse(path, prefix, &at)?;
        let (success, success_at) = success_schema(op, &at)?;
        let verb = route.verb(method, list_item(success).is_some());
        let noun = if verb == "list" {
            route.scoped(route.collection, "_")
        } else {
            route.scoped(route.resource(), "_")
        };
        let name = naming::request_type(&verb, &noun);
        let request_type = self.claim(&name, &at.to_string(), naming::Kind::Other, false)?;
        let operation_id = op
            .operation_id
            .clone()
            .ok_or_else(|| Error::unsupported(&at, "operation has no operationId"))?;
        let object = self.route_object(&route, namespace);
        let parameters = self.merged_parameters(path, op, &at)?;
        let (mut path_params, mut params) =
            self.parameters(&parameters, &request_type, &route, &object)?;
        check_path_params(&route, &path_params, &at)?;
        params.extend(self.body_params(op, &at, &request_type)?);
        params.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        name_params(&mut path_params, &mut params);
        let response = self.response(success, success_at, &request_type)?;
        let docs = self.docs(op.description.as_deref(), &at.push("description"));
        Ok(Operation {
            operation_id,
            method,
            path: path.to_owned(),
            path_segments: route.segments.clone(),
            module: naming::operation_module(&route.scoped(route.resource(), "_")),
            resource: self.resource_type(&object),
            verb,
            request_type,
            docs,
            path_params,
            params,
            response,
        })
    }

    /// The object a route serves: the scoped resource in the namespace
    /// (`identity.verification_session`), or without it (`issuing.card` seen
    /// from `test_helpers`), whichever is a resource of the selection.
    fn route_object(&self, route: &Route<'_>, namespace: &str) -> String {
        let bare = route.scoped(route.resource(), ".");
        let namespaced = format!("{namespace}{bare}");
        if self.resource_type(&namespaced).is_none() && self.resource_type(&bare).is_some() {
            bare
        } else {
            namespaced
        }
    }

    /// The operation's parameters and those of its path item that the
    /// operation does not override (same name and location), as OpenAPI
    /// says, each with its pointer.
    fn merged_parameters(
        &self,
        path: &str,
        op: &openapiv3::Operation,
        at: &Pointer,
    ) -> Result<Vec<(openapiv3::Parameter, Pointer)>, Error> {
        let mut out: Vec<(openapiv3::Parameter, Pointer)> = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let here = at.push("parameters").push(i);
            out.push((self.spec.parameter(p, &here)?.clone(), here));
        }
        let item = self.spec.path_item(path)?.and_then(|i| i.as_item());
        let item_at = Pointer::path(path).push("parameters");
        for (i, p) in item
            .iter()
            .flat_map(|item| item.parameters.iter())
            .enumerate()
        {
            let here = item_at.push(i);
            let parameter = self.spec.parameter(p, &here)?;
            let same = |(o, _): &(openapiv3::Parameter, Pointer)| {
                std::mem::discriminant(o) == std::mem::discriminant(parameter)
                    && o.parameter_data_ref().name == parameter.parameter_data_ref().name
            };
            if !out.iter().any(same) {
                out.push((parameter.clone(), here));
            }
        }
        Ok(out)
    }

    /// Path parameters, and query parameters as request parameters.
    fn parameters(
        &mut self,
        parameters: &[(openapiv3::Parameter, Pointer)],
        request_type: &str,
        route: &Route<'_>,
        object: &str,
    ) -> Result<(Vec<Param>, Vec<Param>), Error> {
        let (mut path_params, mut query) = (Vec::new(), Vec::new());
        for (parameter, here) in parameters {
            let (location, data) = match parameter {
                openapiv3::Parameter::Path { parameter_data, .. } => ("path", parameter_data),
                openapiv3::Parameter::Query { parameter_data, .. } => ("query", parameter_data),
                // Stripe's API carries nothing in headers or cookies per
                // operation; the client sets its own headers.
                _ => continue,
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::unsupported(
                    here,
                    "parameter with `content` instead of `schema`",
                ));
            };
            let ctx = Ctx::new(
                here.push("schema"),
                naming::nested(request_type, &data.name),
            );
            let slot = self.schema(schema, &ctx)?;
            // A path parameter after the collection, and a list's cursors,
            // are ids of the collection's resource.
            let is_id = match location {
                "path" => route.id_param == Some(data.name.as_str()),
                _ => route.is_collection() && CURSORS.contains(&data.name.as_str()),
            };
            let ty = if is_id && self.resource_type(object).is_some() {
                self.id_type(object)?
            } else {
                self.maybe_id(&data.name, slot.ty, None)?
            };
            let docs = self.docs(data.description.as_deref(), &here.push("description"));
            let param = param(&data.name, docs, ty, data.required);
            if location == "path" {
                path_params.push(param)
            } else {
                query.push(param)
            }
        }
        Ok((path_params, query))
    }

    /// The form body's properties as request parameters.
    fn body_params(
        &mut self,
        op: &openapiv3::Operation,
        at: &Pointer,
        request_type: &str,
    ) -> Result<Vec<Param>, Error> {
        let Some(body) = &op.request_body else {
            return Ok(Vec::new());
        };
        let here = at.push("requestBody");
        let body = self.spec.request_body(body, &here)?;
        let mime = "application/x-www-form-urlencoded";
        let Some(schema) = body.content.get(mime).and_then(|m| m.schema.as_ref()) else {
            return Ok(Vec::new());
        };
        let here = here.push("content").push(mime).push("schema");
        let resolved = self.spec.schema(schema, &here)?;
        let SchemaKind::Type(Type::Object(object)) = &resolved.schema.schema_kind else {
            return Err(Error::unsupported(&here, "form body is not an object"));
        };
        let mut params = Vec::new();
        for (wire, prop) in &object.properties {
            let ctx = Ctx::new(
                here.push("properties").push(wire),
                naming::nested(request_type, wire),
            );
            let Slot { ty, .. } = self.schema(prop, &ctx)?;
            let ty = self.maybe_id(wire, ty, None)?;
            let description = match prop {
                ReferenceOr::Item(s) => s.schema_data.description.as_deref(),
                ReferenceOr::Reference { .. } => None,
            };
            let docs = self.docs(description, &ctx.at.push("description"));
            params.push(param(wire, docs, ty, object.required.contains(wire)));
        }
        Ok(params)
    }

    /// The 200 response: a list page (`object: list` with `data`) or one object.
    fn response(
        &mut self,
        schema: &ReferenceOr<Schema>,
        here: Pointer,
        request_type: &str,
    ) -> Result<Response, Error> {
        if let Some(item) = list_item(schema) {
            let ctx = Ctx::new(
                here.push("properties").push("data").push("items"),
                naming::list_item_type(request_type),
            );
            return Ok(Response::List(self.schema(item, &ctx)?.ty));
        }
        let ctx = Ctx::new(here, naming::response_type(request_type));
        Ok(Response::Object(self.schema(schema, &ctx)?.ty))
    }
}

/// Gives the request's parameters, path parameters first, Rust names
/// unique among them (a body parameter may share a path parameter's name).
fn name_params(path_params: &mut [Param], params: &mut [Param]) {
    let wires: Vec<&str> = path_params
        .iter()
        .chain(params.iter())
        .map(|p| p.wire_name.as_str())
        .collect();
    let names = naming::field_names(&wires);
    for (param, name) in path_params.iter_mut().chain(params.iter_mut()).zip(names) {
        param.rust_name = name;
    }
}

/// The JSON schema of the 200 response, and its pointer.
fn success_schema<'o>(
    op: &'o openapiv3::Operation,
    at: &Pointer,
) -> Result<(&'o ReferenceOr<Schema>, Pointer), Error> {
    let here = at
        .push("responses")
        .push(200)
        .push("content")
        .push("application/json")
        .push("schema");
    let found = op
        .responses
        .responses
        .iter()
        .find_map(|(status, r)| match (status, r) {
            (StatusCode::Code(200), ReferenceOr::Item(r)) => {
                r.content.get("application/json")?.schema.as_ref()
            }
            _ => None,
        });
    match found {
        Some(schema) => Ok((schema, here)),
        None => Err(Error::unsupported(
            &here,
            "operation has no JSON 200 response",
        )),
    }
}

/// Every `{parameter}` of the template is a declared path parameter and
/// every declared one is in the template, so each URL is filled completely.
fn check_path_params(route: &Route<'_>, declared: &[Param], at: &Pointer) -> Result<(), Error> {
    for name in route.params() {
        if !declared.iter().any(|p| p.wire_name == name) {
            let reason = format!("path parameter `{name}` is in the path but not declared");
            return Err(Error::unsupported(at, reason));
        }
    }
    for p in declared {
        if !route.params().any(|name| name == p.wire_name) {
            let reason = format!(
                "path parameter `{}` is declared but not in the path",
                p.wire_name
            );
            return Err(Error::unsupported(at, reason));
        }
    }
    Ok(())
}

/// A request parameter. Its Rust name is made unique among the request's
/// parameters by `name_params`.
fn param(wire: &str, docs: Option<String>, ty: TypeId, required: bool) -> Param {
    Param {
        wire_name: wire.to_owned(),
        rust_name: naming::field_name(wire),
        docs,
        ty,
        required,
    }
}
