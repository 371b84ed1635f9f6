//! Breaking recursive types. A struct that contains itself by value
//! (directly or through other structs) has infinite size, so the fields that
//! close a cycle are stored behind a `Box`.
//!
//! A field closes a cycle when its struct is reachable from the field's type
//! by value, that is when both lie in one strongly connected component of
//! the by-value graph. The components are found once, in linear time and
//! without recursion, so a type graph as deep as the spec allows costs no
//! stack and no quadratic walk.
//!
//! Two cycles a `Box` cannot fix become opaque JSON first, with a warning:
//! a schema that is only itself wrapped (`A = [A]`, `A = {string: A}`), for
//! which Rust has no type expression, and a cycle of unions and emptyables
//! with no struct or collection on it (`A = string | B`, `B = integer | A`),
//! which an untagged decoder would try forever on a value matching neither.

use crate::ir::{Edge, TypeEntry, TypeId, TypeKind};
use crate::Warning;

/// Makes every recursive type finite: replaces the cycles described above
/// with JSON, then boxes the struct fields that close a cycle. `targets`
/// are the component schemas that copy another type's kind (see
/// `Converter::named`), each with the end of its chain ([`alias_targets`]);
/// they are copied again as the types they copy change.
pub(super) fn break_cycles(types: &mut [TypeEntry], targets: &[(TypeId, TypeId)]) -> Vec<Warning> {
    copy_aliases(types, targets);
    let mut warnings = Vec::new();
    let unproductive = "its own value, with no struct or collection";
    warnings.extend(to_json(types, same_value, unproductive));
    let unnameable = "itself only wrapped, which no Rust type can name";
    warnings.extend(to_json(types, inline, unnameable));
    copy_aliases(types, targets);
    box_fields(types, targets);
    copy_aliases(types, targets);
    warnings
}

/// Marks `boxed` on every struct field from which the field's own struct
/// is reachable by value.
fn box_fields(types: &mut [TypeEntry], aliases: &[(TypeId, TypeId)]) {
    // A copy of a named type is that type by value, and emits as it: its
    // own fields are not edges, or the copy and the type it copies could
    // be boxed differently.
    let mut by_value = edges(types, by_value);
    for (alias, target) in aliases {
        if is_named(&types[target.0].kind) {
            by_value[alias.0] = vec![*target];
        }
    }
    let component = components(&by_value);
    for (index, entry) in types.iter_mut().enumerate() {
        if let TypeKind::Struct(s) = &mut entry.kind {
            for field in &mut s.fields {
                if component[field.ty.0] == component[index] {
                    field.boxed = true;
                }
            }
        }
    }
}

/// Every alias with the type at the end of its chain of aliases (a chain
/// that loops ends where it started looping).
pub(super) fn alias_targets(count: usize, aliases: &[(TypeId, TypeId)]) -> Vec<(TypeId, TypeId)> {
    let mut next = vec![None; count];
    for (alias, target) in aliases {
        next[alias.0] = Some(*target);
    }
    let end = |start: TypeId| {
        let mut at = start;
        for _ in 0..aliases.len() {
            match next[at.0] {
                Some(t) => at = t,
                None => break,
            }
        }
        at
    };
    aliases
        .iter()
        .map(|(alias, _)| (*alias, end(*alias)))
        .collect()
}

/// Makes every alias of a named type (or of JSON) a copy of it as it is
/// now, unless the alias itself became JSON.
fn copy_aliases(types: &mut [TypeEntry], targets: &[(TypeId, TypeId)]) {
    for (alias, target) in targets {
        let kind = &types[target.0].kind;
        let copies = is_named(kind) || *kind == TypeKind::Json;
        if copies && alias != target && types[alias.0].kind != TypeKind::Json {
            types[alias.0].kind = kind.clone();
        }
    }
}

/// Whether a kind is emitted as an item of its own name.
fn is_named(kind: &TypeKind) -> bool {
    matches!(
        kind,
        TypeKind::Struct(_)
            | TypeKind::Enum(_)
            | TypeKind::Union(_)
            | TypeKind::Id(_)
            | TypeKind::EventPayload(_)
    )
}

/// Turns into JSON every type on a cycle of the graph `edges_of` makes,
/// with a warning naming where each came from and that it contains `what`.
fn to_json(
    types: &mut [TypeEntry],
    edges_of: fn(&[TypeEntry], &TypeKind) -> Vec<TypeId>,
    what: &str,
) -> Vec<Warning> {
    let edges = edges(types, edges_of);
    let component = components(&edges);
    let mut size = vec![0usize; types.len()];
    for &c in &component {
        size[c] += 1;
    }
    let mut warnings = Vec::new();
    for (index, entry) in types.iter_mut().enumerate() {
        let self_loop = edges[index].contains(&TypeId(index));
        if size[component[index]] > 1 || self_loop {
            entry.kind = TypeKind::Json;
            warnings.push(Warning {
                pointer: entry.origin.clone(),
                reason: format!("recursive type that contains {what}"),
            });
        }
    }
    warnings
}

/// The edges `edges_of` gives every type.
fn edges(
    types: &[TypeEntry],
    edges_of: fn(&[TypeEntry], &TypeKind) -> Vec<TypeId>,
) -> Vec<Vec<TypeId>> {
    types.iter().map(|t| edges_of(types, &t.kind)).collect()
}

/// Types a value of `kind` contains inline (see [`crate::ir::Edge::is_inline`]).
fn by_value(_: &[TypeEntry], kind: &TypeKind) -> Vec<TypeId> {
    kind.children()
        .filter(|c| c.edge.is_inline())
        .map(|c| c.ty)
        .collect()
}

/// Types that decode the very JSON value `kind` decodes: a union's members,
/// what an emptyable or expandable holds. A struct, array or map descends
/// into the value, so it ends the walk.
fn same_value(_: &[TypeEntry], kind: &TypeKind) -> Vec<TypeId> {
    kind.children()
        .filter(|c| matches!(c.edge, Edge::Member(_) | Edge::Emptyable | Edge::Expanded))
        .map(|c| c.ty)
        .collect()
}

/// Unnamed types whose Rust type expression writes out `kind`'s unnamed
/// parts (`Vec<BTreeMap<String, T>>`); a named type ends the expression.
fn inline(types: &[TypeEntry], kind: &TypeKind) -> Vec<TypeId> {
    kind.children()
        .filter(|c| c.edge.is_wrapper() && is_wrapper(&types[c.ty.0].kind))
        .map(|c| c.ty)
        .collect()
}

/// Whether `kind` is only a wrapper around one child, with no item of its own.
fn is_wrapper(kind: &TypeKind) -> bool {
    kind.children().any(|c| c.edge.is_wrapper())
}

/// The strongly connected component of every node of `edges` (Tarjan's algorithm with
/// an explicit stack). A type alone with no edge to itself is a component of
/// its own, so a struct is never boxed into itself without a cycle.
fn components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack) = (vec![false; n], Vec::new());
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame is a node and how many of its edges were followed.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = frames.last_mut() {
            if let Some(&TypeId(next)) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}
