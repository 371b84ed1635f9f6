//! Breaking recursive types: a struct that contains itself by value (directly
//! or through other structs) has infinite size, so the fields that close a
//! cycle are stored behind a `Box`.
//!
//! A field closes a cycle when its struct is reachable from the field's type
//! by value, that is when both lie in one strongly connected component of
//! the by-value graph. The components are found once, in linear time and
//! without recursion, so a type graph as deep as the spec allows costs no
//! stack and no quadratic walk.

use crate::ir::{TypeEntry, TypeId, TypeKind};

/// Marks `boxed` on every struct field from which the field's own struct is
/// reachable by value.
pub(super) fn box_cycles(types: &mut [TypeEntry]) {
    let component = components(types);
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

/// Types a value of `kind` contains inline (see [`crate::ir::Edge::is_inline`]).
fn by_value(kind: &TypeKind) -> Vec<TypeId> {
    kind.children()
        .filter(|c| c.edge.is_inline())
        .map(|c| c.ty)
        .collect()
}

/// The strongly connected component of every type (Tarjan's algorithm with
/// an explicit stack). A type alone with no edge to itself is a component of
/// its own, so a struct is never boxed into itself without a cycle.
fn components(types: &[TypeEntry]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let edges: Vec<Vec<TypeId>> = types.iter().map(|t| by_value(&t.kind)).collect();
    let n = types.len();
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
