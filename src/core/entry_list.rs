//! The entries as a judges' list holds them (issue 18): column arrays, not a struct per row.
//!
//! Every text field of every entry lives in one `String` arena; each entry has the ends of its
//! fields there (`u32` offsets), its group as a small interned number and its running order. At
//! 100k entries that is one allocation for the text instead of eight or nine an entry, and some
//! 60 bytes an entry beside the text instead of some 400. An [`EntryRef`] names one entry of a
//! shared list (an `Arc` and an index): what a row of a judge's list holds.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::entry::Entry;

/// The text fields of an entry, in the order they sit in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id = 0,
    Title,
    Name,
    Organization,
    County,
    Submitter,
    SubmitterType,
    Perspective,
    /// The extra columns as stored (JSON of a map), empty for none.
    Extra,
}

/// How many text fields an entry has in the arena.
pub const TEXT_FIELDS: usize = 9;

/// The text fields, in order.
pub const FIELDS: [Field; TEXT_FIELDS] = [
    Field::Id,
    Field::Title,
    Field::Name,
    Field::Organization,
    Field::County,
    Field::Submitter,
    Field::SubmitterType,
    Field::Perspective,
    Field::Extra,
];

/// Every entry of a list (without the long texts), in column arrays.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EntryList {
    text: String,
    /// Per entry, the end of each of its [`TEXT_FIELDS`] fields in `text`; a field starts where
    /// the one before it (the previous entry's last one, for the first) ends.
    ends: Vec<u32>,
    /// Per entry: 0 for no group, else 1 + its index in `group_names`.
    groups: Vec<u32>,
    group_names: Vec<String>,
    orders: Vec<Option<i64>>,
}

/// Why a list could not be built: its text is not UTF-8, or longer than 4 GiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListError {
    NotUtf8,
    TooLarge,
}

/// Builds an [`EntryList`] from borrowed bytes, one entry at a time, with no allocation per entry.
#[derive(Debug, Default)]
pub struct EntryListBuilder {
    bytes: Vec<u8>,
    ends: Vec<u32>,
    groups: Vec<u32>,
    group_names: Vec<Vec<u8>>,
    group_index: HashMap<Vec<u8>, u32>,
    orders: Vec<Option<i64>>,
    too_large: bool,
}

impl EntryListBuilder {
    /// Room for `entries` entries of about `bytes_each` bytes of text.
    pub fn with_capacity(entries: usize, bytes_each: usize) -> EntryListBuilder {
        EntryListBuilder {
            bytes: Vec::with_capacity(entries.saturating_mul(bytes_each)),
            ends: Vec::with_capacity(entries.saturating_mul(TEXT_FIELDS)),
            groups: Vec::with_capacity(entries),
            orders: Vec::with_capacity(entries),
            ..Default::default()
        }
    }

    /// One entry: its text fields in [`Field`] order, its group and its running order. An
    /// `extra` of `{}` (no extra columns) is kept as empty.
    pub fn push(&mut self, fields: [&[u8]; TEXT_FIELDS], group: Option<&[u8]>, order: Option<i64>) {
        for (i, field) in fields.into_iter().enumerate() {
            let field = if i == Field::Extra as usize && field == b"{}" {
                &[][..]
            } else {
                field
            };
            self.bytes.extend_from_slice(field);
            match u32::try_from(self.bytes.len()) {
                Ok(end) => self.ends.push(end),
                Err(_) => {
                    self.too_large = true;
                    self.ends.push(u32::MAX);
                }
            }
        }
        let group = match group {
            None => 0,
            Some(g) => match self.group_index.get(g) {
                Some(&n) => n,
                None => {
                    self.group_names.push(g.to_vec());
                    let n = u32::try_from(self.group_names.len()).unwrap_or(u32::MAX);
                    self.group_index.insert(g.to_vec(), n);
                    n
                }
            },
        };
        self.groups.push(group);
        self.orders.push(order);
    }

    /// The list; its text is checked as UTF-8 once, as a whole.
    pub fn finish(self) -> Result<EntryList, ListError> {
        if self.too_large {
            return Err(ListError::TooLarge);
        }
        // Room reserved and not used goes back (large blocks are remapped, not copied).
        let mut bytes = self.bytes;
        bytes.shrink_to_fit();
        let (mut ends, mut groups, mut orders) = (self.ends, self.groups, self.orders);
        ends.shrink_to_fit();
        groups.shrink_to_fit();
        orders.shrink_to_fit();
        let text = String::from_utf8(bytes).map_err(|_| ListError::NotUtf8)?;
        let group_names = self
            .group_names
            .into_iter()
            .map(|g| String::from_utf8(g).map_err(|_| ListError::NotUtf8))
            .collect::<Result<_, _>>()?;
        Ok(EntryList {
            text,
            ends,
            groups,
            group_names,
            orders,
        })
    }
}

impl EntryList {
    /// A list of the given entries (their sections are not kept).
    pub fn of(entries: &[Entry]) -> EntryList {
        let mut b = EntryListBuilder::with_capacity(entries.len(), 64);
        let extras: Vec<String> = entries
            .iter()
            .map(|e| {
                if e.extra.is_empty() {
                    String::new()
                } else {
                    serde_json::to_string(&e.extra).unwrap_or_default()
                }
            })
            .collect();
        for (e, extra) in entries.iter().zip(&extras) {
            b.push(
                [
                    e.id.as_bytes(),
                    e.title.as_bytes(),
                    e.name.as_bytes(),
                    e.organization.as_bytes(),
                    e.county.as_bytes(),
                    e.submitter.as_bytes(),
                    e.submitter_type.as_bytes(),
                    e.perspective.as_bytes(),
                    extra.as_bytes(),
                ],
                e.group.as_deref().map(str::as_bytes),
                e.order,
            );
        }
        // Built from `String`s under 4 GiB in all: neither error can happen.
        b.finish().unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Field `field` of entry `i` (empty past the end).
    pub fn field(&self, i: usize, field: Field) -> &str {
        let at = i * TEXT_FIELDS + field as usize;
        let Some(&end) = self.ends.get(at) else { return "" };
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    pub fn id(&self, i: usize) -> &str {
        self.field(i, Field::Id)
    }

    pub fn group(&self, i: usize) -> Option<&str> {
        match self.groups.get(i).copied().unwrap_or(0) {
            0 => None,
            n => self.group_names.get(n as usize - 1).map(String::as_str),
        }
    }

    pub fn order(&self, i: usize) -> Option<i64> {
        self.orders.get(i).copied().flatten()
    }

    /// Entry `i` as an [`Entry`] (without sections), as the store reads one.
    pub fn entry(&self, i: usize) -> Entry {
        let extra = self.field(i, Field::Extra);
        Entry {
            id: self.id(i).to_string(),
            group: self.group(i).map(str::to_string),
            title: self.field(i, Field::Title).to_string(),
            name: self.field(i, Field::Name).to_string(),
            organization: self.field(i, Field::Organization).to_string(),
            county: self.field(i, Field::County).to_string(),
            submitter: self.field(i, Field::Submitter).to_string(),
            submitter_type: self.field(i, Field::SubmitterType).to_string(),
            perspective: self.field(i, Field::Perspective).to_string(),
            order: self.order(i),
            // Written by the store from a BTreeMap; an unreadable value means no extras.
            extra: if extra.is_empty() {
                BTreeMap::new()
            } else {
                serde_json::from_str::<BTreeMap<String, String>>(extra).unwrap_or_default()
            },
            sections: Default::default(),
        }
    }

    /// The entries of `other` after these.
    pub fn append(&mut self, other: EntryList) {
        let shift = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e.saturating_add(shift)));
        let remap: Vec<u32> = other
            .group_names
            .into_iter()
            .map(|g| match self.group_names.iter().position(|x| *x == g) {
                Some(n) => u32::try_from(n + 1).unwrap_or(u32::MAX),
                None => {
                    self.group_names.push(g);
                    u32::try_from(self.group_names.len()).unwrap_or(u32::MAX)
                }
            })
            .collect();
        self.groups.extend(
            other
                .groups
                .iter()
                .map(|&g| if g == 0 { 0 } else { remap[g as usize - 1] }),
        );
        self.orders.extend(other.orders);
    }

    /// Bytes held (the arrays' capacity included): what the list costs in memory.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * 4
            + self.groups.capacity() * 4
            + self.orders.capacity() * std::mem::size_of::<Option<i64>>()
            + self.group_names.iter().map(String::capacity).sum::<usize>()
    }
}

/// One entry of a shared [`EntryList`]: what a row of a judge's list holds.
#[derive(Clone)]
pub struct EntryRef {
    list: Arc<EntryList>,
    index: u32,
}

impl EntryRef {
    /// Entry `index` of `list` (`index` below `list.len()`, and so below `u32::MAX`).
    pub fn new(list: &Arc<EntryList>, index: usize) -> EntryRef {
        EntryRef {
            list: Arc::clone(list),
            index: u32::try_from(index).unwrap_or(u32::MAX),
        }
    }

    pub fn list(&self) -> &Arc<EntryList> {
        &self.list
    }

    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The same entry of the same list (not merely equal fields).
    pub fn same(a: &EntryRef, b: &EntryRef) -> bool {
        Arc::ptr_eq(&a.list, &b.list) && a.index == b.index
    }

    pub fn field(&self, field: Field) -> &str {
        self.list.field(self.index(), field)
    }

    pub fn id(&self) -> &str {
        self.field(Field::Id)
    }

    pub fn title(&self) -> &str {
        self.field(Field::Title)
    }

    pub fn name(&self) -> &str {
        self.field(Field::Name)
    }

    pub fn organization(&self) -> &str {
        self.field(Field::Organization)
    }

    pub fn county(&self) -> &str {
        self.field(Field::County)
    }

    pub fn submitter(&self) -> &str {
        self.field(Field::Submitter)
    }

    pub fn group(&self) -> Option<&str> {
        self.list.group(self.index())
    }

    pub fn order(&self) -> Option<i64> {
        self.list.order(self.index())
    }

    /// What a list shows for the entry: the title, or the contestant's name when there is no
    /// title (as [`Entry::label`]).
    pub fn label(&self) -> &str {
        let title = self.title();
        if title.is_empty() { self.name() } else { title }
    }

    /// The entry as an [`Entry`] (without sections).
    pub fn to_entry(&self) -> Entry {
        self.list.entry(self.index())
    }
}

/// A list of one entry (tests, and anything that has a single entry at hand).
impl From<Entry> for EntryRef {
    fn from(entry: Entry) -> EntryRef {
        EntryRef::new(&Arc::new(EntryList::of(std::slice::from_ref(&entry))), 0)
    }
}

impl PartialEq for EntryRef {
    fn eq(&self, other: &EntryRef) -> bool {
        EntryRef::same(self, other)
            || (FIELDS.iter().all(|&f| self.field(f) == other.field(f))
                && self.group() == other.group()
                && self.order() == other.order())
    }
}

impl Eq for EntryRef {}

impl std::fmt::Debug for EntryRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryRef")
            .field("id", &self.id())
            .field("group", &self.group())
            .field("title", &self.title())
            .field("name", &self.name())
            .field("order", &self.order())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, group: Option<&str>, title: &str, order: Option<i64>) -> Entry {
        Entry {
            id: id.into(),
            group: group.map(str::to_string),
            title: title.into(),
            name: format!("{id} 的名字"),
            organization: "某某小学".into(),
            county: "城关区".into(),
            submitter: "张老师".into(),
            submitter_type: "教师".into(),
            perspective: "家长".into(),
            order,
            extra: [("备注".to_string(), "无".to_string())].into_iter().collect(),
            sections: Default::default(),
        }
    }

    #[test]
    fn a_list_gives_back_every_field_of_every_entry() {
        let entries = vec![
            entry("A1", Some("亲子沟通"), "第一个", Some(2)),
            entry("A2", None, "", None),
            Entry {
                id: "A3".into(),
                group: Some("习惯养成".into()),
                ..Default::default()
            },
            entry("A4", Some("亲子沟通"), "第四个", Some(1)),
        ];
        let list = EntryList::of(&entries);
        assert_eq!(list.len(), 4);
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(list.entry(i), *e, "entry {i}");
        }
        assert_eq!(list.group(3), Some("亲子沟通"));
        assert_eq!(list.group(1), None);
        assert_eq!(list.field(1, Field::Title), "");
        assert_eq!(list.field(9, Field::Title), "", "past the end");
        let list = Arc::new(list);
        assert_eq!(EntryRef::new(&list, 1).label(), "A2 的名字");
        assert_eq!(EntryRef::new(&list, 0).label(), "第一个");
    }

    #[test]
    fn appended_lists_keep_their_groups_and_text() {
        let a = vec![
            entry("A1", Some("甲"), "一", None),
            entry("A2", Some("乙"), "二", Some(3)),
        ];
        let b = vec![entry("B1", Some("乙"), "三", None), entry("B2", Some("丙"), "四", None)];
        let mut list = EntryList::of(&a);
        list.append(EntryList::of(&b));
        let all: Vec<Entry> = a.into_iter().chain(b).collect();
        assert_eq!(list, EntryList::of(&all));
        assert_eq!(list.group(2), Some("乙"));
        assert_eq!(list.group(3), Some("丙"));
    }

    #[test]
    fn equal_entries_of_other_lists_are_equal_and_not_the_same() {
        let one = EntryRef::from(entry("A1", Some("甲"), "一", None));
        let two = EntryRef::from(entry("A1", Some("甲"), "一", None));
        let other = EntryRef::from(entry("A1", Some("甲"), "二", None));
        assert_eq!(one, two);
        assert!(!EntryRef::same(&one, &two));
        assert!(EntryRef::same(&one, &one.clone()));
        assert_ne!(one, other);
    }

    #[test]
    fn bad_text_is_refused() {
        let mut b = EntryListBuilder::default();
        b.push([b"A1", b"\xff", b"", b"", b"", b"", b"", b"", b""], None, None);
        assert_eq!(b.finish(), Err(ListError::NotUtf8));
    }
}
