//! Breaking recursive types: a struct that contains itself by value (directly
//! or through other structs) has infinite size, so the fields that close a
//! cycle are stored behind a `Box`.

use crate::ir::{TypeEntry, TypeId, TypeKind};

/// Marks `boxed` on every struct field from which the field's own struct is
/// reachable by value.
pub(super) fn box_cycles(types: &mut [TypeEntry]) {
    let mut to_box = Vec::new();
    for (index, entry) in types.iter().enumerate() {
        if let TypeKind::Struct(s) = &entry.kind {
            for (f, field) in s.fields.iter().enumerate() {
                if reaches(types, field.ty, TypeId(index), &mut Vec::new()) {
                    to_box.push((index, f));
                }
            }
        }
    }
    for (index, f) in to_box {
        if let TypeKind::Struct(s) = &mut types[index].kind {
            s.fields[f].boxed = true;
        }
    }
}

/// Types a value of `id` contains inline. Vec, maps and expandables already
/// allocate, so they end the walk.
fn by_value(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|(_, t)| *t).collect(),
        TypeKind::Emptyable(t) => vec![*t],
        TypeKind::EventPayload(p) => p.variants.iter().map(|v| v.object).collect(),
        _ => Vec::new(),
    }
}

fn reaches(types: &[TypeEntry], from: TypeId, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
    if from == target {
        return true;
    }
    if seen.contains(&from) {
        return false;
    }
    seen.push(from);
    by_value(&types[from.0].kind)
        .into_iter()
        .any(|next| reaches(types, next, target, seen))
}
