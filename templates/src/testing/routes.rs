//! Finding the operation of a request in the generated table, and the
//! values of its path parameters.

use percent_encoding::percent_decode_str;

use super::errors::ApiFailure;
use super::shape::{Method, OperationSpec, Shape};
use super::spec::OPERATIONS;

/// A request matched to its operation.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) op: &'static OperationSpec,
    /// Each path parameter's name and decoded value, in path order.
    pub(crate) path: Vec<(&'static str, String)>,
}

impl Route {
    /// The value of the first path parameter (the object's id).
    pub(crate) fn id(&self) -> &str {
        self.path.first().map_or("", |(_, value)| value)
    }
}

/// The operation `method path` calls; Stripe's 404 when there is none.
pub(crate) fn find(method: &str, path: &str) -> Result<Route, ApiFailure> {
    let unrecognized = || {
        ApiFailure::invalid(format!(
            "Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or \
             we can help at https://support.stripe.com/."
        ))
        .status(404)
    };
    OPERATIONS
        .iter()
        .filter(|op| op.method.as_str() == method)
        .find_map(|op| matches(op, path).map(|values| Route { op, path: values }))
        .ok_or_else(unrecognized)
}

/// The path parameters' values if `path` fits the operation's template.
fn matches(op: &'static OperationSpec, path: &str) -> Option<Vec<(&'static str, String)>> {
    let template: Vec<&'static str> = op.path.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    if template.len() != given.len() {
        return None;
    }
    let mut values = Vec::new();
    for (pattern, segment) in template.into_iter().zip(given) {
        match pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if !segment.is_empty() => {
                let value = percent_decode_str(segment).decode_utf8().ok()?;
                values.push((name, value.into_owned()));
            }
            Some(_) => return None,
            None if pattern == segment => {}
            None => return None,
        }
    }
    Some(values)
}

/// Refuses a path id that is not an id of the expected kind with Stripe's
/// 404: `vr_…` where a session id is expected is no such session.
pub(crate) fn check_ids(route: &Route) -> Result<(), ApiFailure> {
    for (name, value) in &route.path {
        let shape = route
            .op
            .path_params
            .iter()
            .find(|p| p.name == *name)
            .map(|p| p.shape);
        if let Some(Shape::Id { prefix, object }) = shape {
            let well_formed = value.len() > prefix.len()
                && value.starts_with(prefix)
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !well_formed {
                return Err(ApiFailure::no_such(object, value, name, true));
            }
        }
    }
    Ok(())
}

/// Whether the operation takes its parameters in the body.
pub(crate) fn has_body(op: &OperationSpec) -> bool {
    op.method == Method::Post
}
