//! `okta-medic har [--redact] FILE`: a HAR read entry by entry from disk (serde's streaming
//! deserializer over a buffered reader), so a 200 MB export needs memory for one entry at a
//! time. Analysis folds entries into `har::Analysis`; `--redact` writes a sanitised copy, each
//! entry and `log` member handed to the redactor as its raw JSON text (serde_json `RawValue`),
//! so values it doesn't redact keep their bytes; members outside the HAR allow-list are dropped.

use std::{
    fmt,
    io::{BufReader, Read, Write},
};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// What the reader reports, in document order.
pub trait Sink {
    fn entry(&mut self, entry: &RawValue) -> Result<(), String>;
    /// A member of `log` other than `entries`.
    fn log_member(&mut self, key: &str, value: &RawValue) -> Result<(), String>;
    /// A top-level member other than `log`.
    fn top_member(&mut self, key: &str) -> Result<(), String>;
    fn open(&mut self, key: Option<&str>) -> Result<(), String>;
    fn close(&mut self) -> Result<(), String>;
    fn open_entries(&mut self) -> Result<(), String>;
    fn close_entries(&mut self) -> Result<(), String>;
}

struct Top<'s> {
    sink: &'s mut dyn Sink,
    found: &'s mut bool,
}
struct Log<'s> {
    sink: &'s mut dyn Sink,
    found: &'s mut bool,
}
struct Entries<'s> {
    sink: &'s mut dyn Sink,
}

fn sink_err<E: de::Error>(r: Result<(), String>) -> Result<(), E> {
    r.map_err(E::custom)
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR document (a JSON object with \"log\")")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        sink_err(self.sink.open(None))?;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                sink_err(self.sink.open(Some("log")))?;
                map.next_value_seed(Log {
                    sink: &mut *self.sink,
                    found: &mut *self.found,
                })?;
                sink_err(self.sink.close())?;
            } else if key == "requests" && !*self.found {
                // A SAML-tracer export (okta_medic::har::tracer): its requests, read as the HAR
                // entries they record, one at a time.
                *self.found = true;
                sink_err(self.sink.open(Some("log")))?;
                sink_err(self.sink.open_entries())?;
                map.next_value_seed(Tracer {
                    sink: &mut *self.sink,
                })?;
                sink_err(self.sink.close_entries())?;
                sink_err(self.sink.close())?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
                sink_err(self.sink.top_member(&key))?;
            }
        }
        sink_err(self.sink.close())
    }
}

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR \"log\" object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                *self.found = true;
                sink_err(self.sink.open_entries())?;
                map.next_value_seed(Entries {
                    sink: &mut *self.sink,
                })?;
                sink_err(self.sink.close_entries())?;
            } else {
                let v = map.next_value::<Box<RawValue>>()?;
                sink_err(self.sink.log_member(&key, &v))?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR \"log.entries\" array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Box<RawValue>>()? {
            sink_err(self.sink.entry(&entry))?;
        }
        Ok(())
    }
}

struct Tracer<'s> {
    sink: &'s mut dyn Sink,
}

impl<'de> DeserializeSeed<'de> for Tracer<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tracer<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SAML-tracer export's \"requests\" array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(request) = seq.next_element::<serde_json::Value>()? {
            let Some(entry) = okta_medic::har::tracer::entry(&request) else {
                continue;
            };
            let raw = serde_json::value::to_raw_value(&entry).map_err(de::Error::custom)?;
            sink_err(self.sink.entry(&raw))?;
        }
        Ok(())
    }
}

/// Streams `reader` through `sink`. Errors name what is wrong (not JSON, not a HAR).
pub fn stream(reader: impl Read, sink: &mut dyn Sink) -> Result<(), String> {
    let mut found = false;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, reader));
    de.deserialize_map(Top {
        sink,
        found: &mut found,
    })
    .map_err(|e| format!("not a readable HAR file: {e}"))?;
    if !found {
        return Err("not a HAR file: it has no log.entries array".to_string());
    }
    Ok(())
}

/// Folds every entry into an analysis, and keeps each Okta request's reference (time, method,
/// status, request id, finding ids) for the request table: every request, not only the
/// digest's latest.
pub struct Analyse {
    analysis: okta_medic::har::Analysis,
    requests: Vec<okta_medic::digest::RequestRef>,
}

impl Analyse {
    pub fn new(analysis: okta_medic::har::Analysis) -> Self {
        Analyse {
            analysis,
            requests: Vec::new(),
        }
    }

    /// The HAR's report and its Okta requests in file order.
    pub fn finish(self) -> (okta_medic::Report, Vec<okta_medic::digest::RequestRef>) {
        (self.analysis.finish(), self.requests)
    }
}

impl Sink for Analyse {
    fn entry(&mut self, entry: &RawValue) -> Result<(), String> {
        let value: serde_json::Value = serde_json::from_str(entry.get())
            .map_err(|e| format!("not a readable HAR file: {e}"))?;
        if self.analysis.add_entry(&value) {
            if let Some(r) = self.analysis.session.digest.requests.back() {
                self.requests.push(r.clone());
            }
        }
        Ok(())
    }
    fn log_member(&mut self, _: &str, _: &RawValue) -> Result<(), String> {
        Ok(())
    }
    fn top_member(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn open(&mut self, _: Option<&str>) -> Result<(), String> {
        Ok(())
    }
    fn close(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn open_entries(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn close_entries(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// Writes a sanitised copy as it reads, and collects the receipt.
pub struct Redact<W: Write> {
    out: W,
    /// Per open object/array: has a member been written yet?
    first: Vec<bool>,
    index: usize,
    pub receipt: okta_medic::redact::Receipt,
}

impl<W: Write> Redact<W> {
    pub fn new(out: W) -> Self {
        Redact {
            out,
            first: Vec::new(),
            index: 0,
            receipt: Default::default(),
        }
    }

    fn write(&mut self, s: &str) -> Result<(), String> {
        self.out
            .write_all(s.as_bytes())
            .map_err(|e| format!("cannot write the output: {e}"))
    }

    fn separator(&mut self) -> Result<(), String> {
        let first = self
            .first
            .last_mut()
            .map(|f| std::mem::replace(f, false))
            .unwrap_or(false);
        if first {
            Ok(())
        } else {
            self.write(",")
        }
    }

    fn key(&mut self, key: &str) -> Result<(), String> {
        self.separator()?;
        let k = serde_json::to_string(key).map_err(|e| e.to_string())?;
        self.write(&k)?;
        self.write(":")
    }

    pub fn finish(mut self) -> Result<okta_medic::redact::Receipt, String> {
        self.write("\n")?;
        self.out
            .flush()
            .map_err(|e| format!("cannot write the output: {e}"))?;
        Ok(self.receipt)
    }
}

impl<W: Write> Sink for Redact<W> {
    fn entry(&mut self, entry: &RawValue) -> Result<(), String> {
        let text = okta_medic::redact::har_entry_text(entry.get(), self.index, &mut self.receipt);
        self.index += 1;
        self.separator()?;
        self.write(&text)
    }
    fn log_member(&mut self, key: &str, value: &RawValue) -> Result<(), String> {
        match okta_medic::redact::har_log_member_text(key, value.get(), &mut self.receipt) {
            Some(text) => {
                self.key(key)?;
                self.write(&text)
            }
            None => Ok(()),
        }
    }
    fn top_member(&mut self, key: &str) -> Result<(), String> {
        okta_medic::redact::har_top_member_dropped(key, &mut self.receipt);
        Ok(())
    }
    fn open(&mut self, key: Option<&str>) -> Result<(), String> {
        if let Some(k) = key {
            self.key(k)?;
        }
        self.first.push(true);
        self.write("{")
    }
    fn close(&mut self) -> Result<(), String> {
        self.first.pop();
        self.write("}")
    }
    fn open_entries(&mut self) -> Result<(), String> {
        self.key("entries")?;
        self.first.push(true);
        self.write("[")
    }
    fn close_entries(&mut self) -> Result<(), String> {
        self.first.pop();
        self.write("]")
    }
}
