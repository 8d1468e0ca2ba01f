//! An exchange's header list, held as one text and the places of each name and value in it.
//!
//! Why: a `Vec` of `{name: String, value: Option<String>}` was two allocations a header, the
//! largest single allocation site of the live fold (14 of ~72 a fold: docs/performance-log.md,
//! "liveFold, seventeenth pass"). Here, below the exchange, since the context and the
//! rate-limit scan read the response headers too. The service worker's glue hands the headers over already
//! joined (`name\0value\0…`, `wasm::fields`): that string is kept as it is, and only the list
//! of places is allocated. Every other reader (HAR, a pasted exchange, serde, tests) appends to
//! one text. Readers go through [`Headers::iter`] / [`HeaderRef`], never the layout.

use std::fmt;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

/// One header of an exchange as JSON and a HAR give it: what [`Headers`] are made of and
/// copied out into (`Headers::to_vec`, in tests).
#[derive(serde::Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Header {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

/// One header as a [`Headers`] lends it: the name as sent, the value (`None`: a header listed
/// without one, as a HAR or a pasted exchange can say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderRef<'a> {
    pub name: &'a str,
    pub value: Option<&'a str>,
}

/// Where one header's name and value are in [`Headers::text`] (byte ranges, each on a char
/// boundary: every range is made from the text's own `\0`s or from what was appended).
#[derive(Clone, Copy, Debug)]
struct Span {
    name: (usize, usize),
    value: Option<(usize, usize)>,
}

/// Headers in order: one text and the places in it (see the module's doc).
#[derive(Clone, Default)]
pub struct Headers {
    text: String,
    spans: Vec<Span>,
}

impl Headers {
    /// The glue's `name\0value\0name\0value` (`""`: no header), kept as it is; `None` when a
    /// name has no value after it (an odd count of parts).
    pub fn from_joined(joined: String) -> Option<Headers> {
        // Sized by the text, not counted: a header is rarely under 32 bytes joined, and a
        // list regrown was an allocation and a copy most folds (docs/performance-log.md,
        // "liveFold, eighteenth pass").
        let mut spans = Vec::with_capacity(joined.len() / 32 + 4);
        if !joined.is_empty() {
            let mut start = 0;
            let mut parts = joined.split('\0').map(|part| {
                let span = (start, start + part.len());
                start = span.1 + 1;
                span
            });
            while let Some(name) = parts.next() {
                let value = parts.next()?;
                spans.push(Span {
                    name,
                    value: Some(value),
                });
            }
        }
        Some(Headers {
            text: joined,
            spans,
        })
    }

    /// Every name and value of the list in one text (the glue's `\0`-joined string, or what
    /// was appended): a superset of what [`Headers::iter`] lends, for one scan over all of them
    /// (`exchange::saml::mentions_saml`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// `name: value` appended (copied into the text).
    pub fn add(&mut self, name: &str, value: Option<&str>) {
        let name = self.append(name);
        let value = value.map(|v| self.append(v));
        self.spans.push(Span { name, value });
    }

    /// A header appended.
    pub fn push(&mut self, header: Header) {
        self.add(&header.name, header.value.as_deref());
    }

    /// Only the headers `keep` answers `true` for (their text stays, unreferenced). Tests
    /// only, as `clear` and `to_vec`: the product never edits or copies out a list it read.
    #[cfg(test)]
    pub fn retain(&mut self, mut keep: impl FnMut(HeaderRef<'_>) -> bool) {
        let mut spans = std::mem::take(&mut self.spans);
        spans.retain(|s| keep(self.at(s)));
        self.spans = spans;
    }

    #[cfg(test)]
    pub fn clear(&mut self) {
        self.text.clear();
        self.spans.clear();
    }

    /// Each header copied out, as the `Vec<Header>` this type replaced held them.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<Header> {
        let own = |h: HeaderRef<'_>| Header {
            name: h.name.to_string(),
            value: h.value.map(str::to_string),
        };
        self.iter().map(own).collect()
    }

    fn append(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `i`th header.
    pub fn get(&self, i: usize) -> Option<HeaderRef<'_>> {
        self.spans.get(i).map(|s| self.at(s))
    }

    fn at(&self, s: &Span) -> HeaderRef<'_> {
        let text = |(a, b): (usize, usize)| self.text.get(a..b).unwrap_or_default();
        HeaderRef {
            name: text(s.name),
            value: s.value.map(text),
        }
    }

    /// The headers in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = HeaderRef<'_>> + ExactSizeIterator {
        self.spans.iter().map(|s| self.at(s))
    }

    /// The value of the first header called `name` (case-insensitive; no value reads as `""`).
    pub fn first(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.unwrap_or_default())
    }

    /// Name/value pairs (a pasted response's), copied into one text.
    pub fn from_pairs(pairs: &[(String, String)]) -> Headers {
        let mut h = Headers::with_capacity(pairs.len());
        for (name, value) in pairs {
            h.add(name, Some(value));
        }
        h
    }

    fn with_capacity(n: usize) -> Headers {
        Headers {
            text: String::new(),
            spans: Vec::with_capacity(n),
        }
    }
}

impl PartialEq for Headers {
    /// The same headers in the same order, however they are laid out.
    fn eq(&self, other: &Headers) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<Header> for Headers {
    fn from_iter<I: IntoIterator<Item = Header>>(iter: I) -> Headers {
        let mut h = Headers::default();
        h.extend(iter);
        h
    }
}

impl Extend<Header> for Headers {
    fn extend<I: IntoIterator<Item = Header>>(&mut self, iter: I) {
        for header in iter {
            self.push(header);
        }
    }
}

impl From<Vec<Header>> for Headers {
    fn from(list: Vec<Header>) -> Headers {
        list.into_iter().collect()
    }
}

impl<'de> Deserialize<'de> for Headers {
    /// What `Vec<Header>` read: a sequence of headers, each a `{name, value}` object (or an
    /// array of them in order), each member optional, `value` null or a string; the same
    /// errors, since the items are read by `Header`'s own deserialiser.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Headers, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Headers;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Headers, A::Error> {
                let mut h = Headers::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(header) = seq.next_element::<Header>()? {
                    h.push(header);
                }
                Ok(h)
            }
        }
        d.deserialize_seq(List)
    }
}
