//! Path templates, parsed once into segments, and what a path says about
//! its operation: the collection, the id that picks one object of it, and
//! the action on that object.
//!
//! Stripe's paths read `[scope/...]collection[/{id}][/action...]` after the
//! portion's prefix: `issuing/authorizations/{authorization}/capture` is the
//! action `capture` on one `authorization` of the `issuing` scope. Parents
//! may carry ids of their own (`customers/{customer}/tax_ids/{id}`).

use crate::ir::PathSegment;
use crate::naming;
use crate::select::Method;
use crate::spec::Pointer;
use crate::Error;

/// What a path says about its operation.
#[derive(Debug, PartialEq)]
pub(super) struct Route<'p> {
    /// Every segment of the whole path, literals and parameters.
    pub segments: Vec<PathSegment>,
    /// Literals before the collection (`issuing`), which qualify its names.
    pub scope: Vec<&'p str>,
    pub collection: &'p str,
    /// The parameter right after the collection: the id of one of its objects.
    pub id_param: Option<&'p str>,
    /// Literals after the id, or after the collection for an action on the
    /// collection itself (`create_force_capture`).
    pub action: Vec<&'p str>,
}

impl<'p> Route<'p> {
    /// Parses `path`; the route is read after `prefix`. A segment is a
    /// parameter when it is exactly `{name}`; any other brace is an error, so
    /// a generated URL can never contain one.
    pub fn parse(path: &'p str, prefix: &str, at: &Pointer) -> Result<Route<'p>, Error> {
        let rest = path.strip_prefix(prefix).ok_or_else(|| {
            Error::unsupported(at, format!("path does not start with `{prefix}`"))
        })?;
        let mut segments = literal_prefix(prefix);
        let mut route_segments = Vec::new();
        for segment in rest.split('/').filter(|s| !s.is_empty()) {
            let parsed = parse_segment(segment, at)?;
            segments.push(parsed.clone());
            route_segments.push((segment, parsed));
        }
        let mut route = Self::from_segments(&route_segments, at)?;
        route.segments = segments;
        Ok(route)
    }

    fn from_segments(segments: &[(&'p str, PathSegment)], at: &Pointer) -> Result<Self, Error> {
        let is_param = |i: usize| matches!(segments[i].1, PathSegment::Param(_));
        let literal = |i: usize| segments[i].0;
        let empty = || Error::unsupported(at, "path has no collection after the portion's prefix");
        let last_param = (0..segments.len()).rev().find(|i| is_param(*i));
        let (collection, id_param, action_from) = match last_param {
            Some(k) => {
                let collection = k.checked_sub(1).filter(|c| !is_param(*c)).ok_or_else(|| {
                    Error::unsupported(at, "a path parameter must follow a collection name")
                })?;
                (collection, Some(k), k + 1)
            }
            None => {
                let last = segments.len().checked_sub(1).ok_or_else(empty)?;
                // A trailing plural is a collection (`issuing/authorizations`);
                // anything else is an action on the collection before it
                // (`transactions/create_force_capture`).
                match last.checked_sub(1) {
                    Some(before) if !literal(last).ends_with('s') => (before, None, last),
                    _ => (last, None, last + 1),
                }
            }
        };
        let id_param = id_param.map(|k| param_name(literal(k)));
        Ok(Route {
            segments: Vec::new(),
            scope: (0..collection)
                .filter(|i| !is_param(*i))
                .map(literal)
                .collect(),
            collection: literal(collection),
            id_param,
            action: (action_from..segments.len()).map(literal).collect(),
        })
    }

    /// The collection itself, not one object or an action: where lists are.
    pub fn is_collection(&self) -> bool {
        self.id_param.is_none() && self.action.is_empty()
    }

    /// The resource the collection holds (`verification_sessions` -> `verification_session`).
    pub fn resource(&self) -> &'p str {
        self.collection.strip_suffix('s').unwrap_or(self.collection)
    }

    /// The resource with its scope, joined by `sep` (`issuing.authorization`).
    pub fn scoped(&self, noun: &str, sep: &str) -> String {
        let mut parts = self.scope.clone();
        parts.push(noun);
        parts.join(sep)
    }

    /// The names of the parameters in the template, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
    }

    /// The verb a user would guess for this route and method. An action read
    /// with GET is `retrieve_<action>` (`list_<action>` when it returns a
    /// list), so it never clashes with the POST that changes it.
    pub fn verb(&self, method: Method, returns_list: bool) -> String {
        let action = (!self.action.is_empty()).then(|| naming::field_name(&self.action.join("_")));
        let verb = match (self.id_param, action, method) {
            (_, Some(action), Method::Get) => naming::get_action_verb(&action, returns_list),
            (_, Some(action), _) => action,
            (None, None, Method::Get) => "list".to_owned(),
            (None, None, Method::Post) => "create".to_owned(),
            (Some(_), None, Method::Get) => "retrieve".to_owned(),
            (Some(_), None, Method::Post) => "update".to_owned(),
            (_, None, Method::Delete) => "delete".to_owned(),
        };
        naming::resource_method(verb)
    }
}

/// The prefix (`/v1/identity/`) as literal segments.
fn literal_prefix(prefix: &str) -> Vec<PathSegment> {
    prefix
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| PathSegment::Literal(s.to_owned()))
        .collect()
}

fn parse_segment(segment: &str, at: &Pointer) -> Result<PathSegment, Error> {
    let name = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
    match name {
        Some(name) if !name.is_empty() && !name.contains(['{', '}']) => {
            Ok(PathSegment::Param(name.to_owned()))
        }
        _ if segment.contains(['{', '}']) => Err(Error::unsupported(
            at,
            format!("path segment `{segment}` is neither a literal nor a `{{parameter}}`"),
        )),
        _ => Ok(PathSegment::Literal(segment.to_owned())),
    }
}

fn param_name(segment: &str) -> &str {
    segment.trim_start_matches('{').trim_end_matches('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str) -> Route<'_> {
        Route::parse(path, "/v1/test_helpers/", &Pointer::path(path)).unwrap()
    }

    #[test]
    fn a_nested_action_has_its_scope_collection_id_and_action() {
        let r = route("/v1/test_helpers/issuing/cards/{card}/shipping/deliver");
        assert_eq!(r.scope, ["issuing"]);
        assert_eq!(r.collection, "cards");
        assert_eq!(r.id_param, Some("card"));
        assert_eq!(r.action, ["shipping", "deliver"]);
        assert_eq!(r.verb(Method::Post, false), "shipping_deliver");
        assert_eq!(r.params().collect::<Vec<_>>(), ["card"]);
    }

    #[test]
    fn collections_and_collection_actions_are_told_apart() {
        let r = route("/v1/test_helpers/issuing/authorizations");
        assert_eq!(
            (r.scope.as_slice(), r.collection),
            (&["issuing"][..], "authorizations")
        );
        assert!(r.is_collection());
        let r = route("/v1/test_helpers/issuing/transactions/create_force_capture");
        assert_eq!(r.collection, "transactions");
        assert_eq!(r.action, ["create_force_capture"]);
    }

    #[test]
    fn parents_may_carry_ids() {
        let r = route("/v1/test_helpers/customers/{customer}/tax_ids/{id}");
        assert_eq!(r.collection, "tax_ids");
        assert_eq!(r.id_param, Some("id"));
        assert_eq!(r.scope, ["customers"]);
        assert_eq!(r.params().collect::<Vec<_>>(), ["customer", "id"]);
    }

    #[test]
    fn stray_braces_and_adjacent_parameters_are_errors() {
        let at = Pointer::path("x");
        for path in [
            "/v1/test_helpers/a{b}",
            "/v1/test_helpers/a/{b",
            "/v1/test_helpers/a/{}",
            "/v1/test_helpers/a/{b}/{c}",
            "/v1/test_helpers/{b}",
            "/v1/test_helpers/",
        ] {
            assert!(
                Route::parse(path, "/v1/test_helpers/", &at).is_err(),
                "{path}"
            );
        }
    }
}
