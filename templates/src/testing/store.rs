//! The objects a double holds (sessions, reports, events), as the JSON
//! Stripe would store, with list pages cut the way Stripe cuts them.
//!
//! Lists are newest first (by `created`, then by order of creation, since
//! the clock only moves when the test moves it). `starting_after` pages
//! towards older objects and `ending_before` towards newer ones; `has_more`
//! says whether objects remain beyond the page in that direction.

use std::collections::HashMap;

use serde_json::Value;

use super::errors::ApiFailure;

/// One stored object.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The object name (`identity.verification_session`).
    pub(crate) object: String,
    pub(crate) created: i64,
    /// Order of creation, which breaks ties between equal `created`.
    seq: u64,
    pub(crate) json: Value,
}

/// Every object of one double, by id.
#[derive(Debug)]
pub(crate) struct Store {
    entries: HashMap<String, Entry>,
    next_seq: u64,
    max_objects: usize,
}

/// Which page of a list to cut: `limit` objects after (older than) or
/// before (newer than) the cursor object, or from the newest.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) limit: usize,
    pub(crate) starting_after: Option<Position>,
    pub(crate) ending_before: Option<Position>,
}

/// Where an object sits in list order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    created: i64,
    seq: u64,
}

impl Entry {
    pub(crate) fn position(&self) -> Position {
        Position {
            created: self.created,
            seq: self.seq,
        }
    }
}

impl Store {
    pub(crate) fn new(max_objects: usize) -> Self {
        Store {
            entries: HashMap::new(),
            next_seq: 0,
            max_objects,
        }
    }

    /// Refuses a change that could store more objects than there is room
    /// for, before it changes anything.
    pub(crate) fn check_room(&self, objects: usize) -> Result<(), ApiFailure> {
        if self.entries.len() + objects > self.max_objects {
            return Err(ApiFailure::invalid(format!(
                "This Stripe test double holds at most {} objects (sessions, reports and events \
                 together; see Builder::max_objects), and it is full.",
                self.max_objects
            )));
        }
        Ok(())
    }

    /// Stores a new object (`json` must have an `id`); refused when the
    /// double already holds its maximum.
    pub(crate) fn insert(
        &mut self,
        object: &str,
        created: i64,
        json: Value,
    ) -> Result<(), ApiFailure> {
        self.check_room(1)?;
        let id = json["id"].as_str().unwrap_or_default().to_owned();
        let seq = self.next_seq;
        self.next_seq += 1;
        let entry = Entry {
            object: object.to_owned(),
            created,
            seq,
            json,
        };
        self.entries.insert(id, entry);
        Ok(())
    }

    /// The object with this id, if it is of kind `object`.
    pub(crate) fn get(&self, object: &str, id: &str) -> Option<&Value> {
        self.entries
            .get(id)
            .filter(|e| e.object == object)
            .map(|e| &e.json)
    }

    /// The object with this id, to change in place.
    pub(crate) fn get_mut(&mut self, object: &str, id: &str) -> Option<&mut Value> {
        self.entries
            .get_mut(id)
            .filter(|e| e.object == object)
            .map(|e| &mut e.json)
    }

    /// Every object of kind `object`, newest first.
    pub(crate) fn all(&self, object: &str) -> Vec<&Entry> {
        let mut all: Vec<&Entry> = self
            .entries
            .values()
            .filter(|e| e.object == object)
            .collect();
        all.sort_by_key(|e| std::cmp::Reverse(e.position()));
        all
    }

    /// Where the object with this id sits in list order, if it is of kind
    /// `object`.
    pub(crate) fn position(&self, object: &str, id: &str) -> Option<Position> {
        self.entries
            .get(id)
            .filter(|e| e.object == object)
            .map(Entry::position)
    }

    /// Every object of kind `object`, to change in place.
    pub(crate) fn all_mut(&mut self, object: &str) -> impl Iterator<Item = &mut Value> {
        let object = object.to_owned();
        self.entries
            .values_mut()
            .filter(move |e| e.object == object)
            .map(|e| &mut e.json)
    }
}

/// Cuts one page from `items` (newest first, already filtered); returns
/// the page and `has_more`. The cursor object itself need not pass the
/// filters: the page is cut by its position.
pub(crate) fn page<'a>(items: &[&'a Entry], page: &Page) -> (Vec<&'a Entry>, bool) {
    if let Some(before) = page.ending_before {
        let newer: Vec<&Entry> = items
            .iter()
            .copied()
            .filter(|e| e.position() > before)
            .collect();
        let start = newer.len().saturating_sub(page.limit);
        return (newer[start..].to_vec(), start > 0);
    }
    let older: Vec<&Entry> = items
        .iter()
        .copied()
        .filter(|e| match page.starting_after {
            Some(after) => e.position() < after,
            None => true,
        })
        .collect();
    let end = page.limit.min(older.len());
    (older[..end].to_vec(), end < older.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(count: usize) -> Store {
        let mut store = Store::new(100);
        for i in 0..count {
            // Two objects per second: ties are broken by creation order.
            let created = i64::try_from(i / 2).unwrap();
            store
                .insert("o", created, json!({"id": format!("o_{i}")}))
                .unwrap();
        }
        store
    }

    fn ids(entries: &[&Entry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| e.json["id"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn lists_are_newest_first_and_pages_follow_cursors() {
        let store = store(5);
        let all = store.all("o");
        assert_eq!(ids(&all), ["o_4", "o_3", "o_2", "o_1", "o_0"]);
        let at = |id: &str| store.position("o", id);
        let cut = |after: Option<&str>, before: Option<&str>| {
            let request = Page {
                limit: 2,
                starting_after: after.and_then(at),
                ending_before: before.and_then(at),
            };
            let (items, more) = page(&all, &request);
            (ids(&items), more)
        };
        assert_eq!(
            cut(None, None),
            (vec!["o_4".to_owned(), "o_3".to_owned()], true)
        );
        assert_eq!(
            cut(Some("o_3"), None),
            (vec!["o_2".to_owned(), "o_1".to_owned()], true)
        );
        assert_eq!(cut(Some("o_1"), None), (vec!["o_0".to_owned()], false));
        assert_eq!(
            cut(None, Some("o_1")),
            (vec!["o_3".to_owned(), "o_2".to_owned()], true)
        );
        assert_eq!(cut(None, Some("o_3")), (vec!["o_4".to_owned()], false));
    }

    #[test]
    fn the_store_is_bounded_and_kinds_are_separate() {
        let mut store = Store::new(1);
        assert!(store.check_room(2).is_err());
        store.insert("a", 0, json!({"id": "x_1"})).unwrap();
        assert!(store.check_room(1).is_err());
        assert!(store.insert("a", 0, json!({"id": "x_2"})).is_err());
        assert!(store.get("a", "x_1").is_some());
        assert!(store.get("b", "x_1").is_none());
    }
}
