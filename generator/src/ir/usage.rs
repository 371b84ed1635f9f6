//! Which side of the API each type is on: users build request types and
//! receive response types, and the two are emitted differently (a response
//! struct is `#[non_exhaustive]` and keeps unknown fields; a request struct
//! is built with a literal). The changelog classes changes by the same
//! fact, so it is computed here once.

use super::{Ir, Response, TypeId, TypeKind};

/// The sides of the API a type is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from an operation's parameters: users build it.
    pub request: bool,
    /// Reachable from an operation's response, from a resource, or from a
    /// named type no request reaches (such as the error envelope or the
    /// event payload): users receive it.
    pub response: bool,
}

impl Usage {
    /// On both sides at once.
    pub fn both(self) -> bool {
        self.request && self.response
    }

    /// Only ever built by users. A type that is also received must decode
    /// what Stripe sends, so emission treats it as a response type.
    pub fn request_only(self) -> bool {
        self.request && !self.response
    }
}

/// The usage of every type of `ir`, by index: one pass from the request
/// roots, one from the response roots, each visiting a type once.
pub(super) fn compute(ir: &Ir) -> Vec<Usage> {
    let params = ir
        .operations
        .iter()
        .flat_map(|op| op.params.iter().chain(&op.path_params))
        .map(|p| p.ty);
    let request = reachable(ir, params);
    let responses = ir.operations.iter().map(|op| match op.response {
        Response::Object(ty) | Response::List(ty) => ty,
    });
    let received = ir.ids().filter(|id| {
        let kind = &ir.get(*id).kind;
        let resource = matches!(kind, TypeKind::Struct(s) if s.resource.is_some());
        // Event objects arrive in webhooks, and the runtime decodes every
        // error response as the envelope, even where a request holds one too.
        let always = matches!(kind, TypeKind::EventPayload(_)) || ir.error_envelope == Some(*id);
        resource || always || (ir.name(*id).is_some() && !request[id.0])
    });
    let response = reachable(ir, responses.chain(received));
    request
        .into_iter()
        .zip(response)
        .map(|(request, response)| Usage { request, response })
        .collect()
}

/// Which types can be reached from `roots` through [`Ir::children`].
fn reachable(ir: &Ir, roots: impl Iterator<Item = TypeId>) -> Vec<bool> {
    let mut seen = vec![false; ir.types.len()];
    let mut pending: Vec<TypeId> = roots.collect();
    while let Some(id) = pending.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        pending.extend(ir.children(id).map(|c| c.ty).filter(|c| !seen[c.0]));
    }
    seen
}
