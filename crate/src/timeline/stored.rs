//! A stored timeline read back by hand from its JSON, with the digest's reader
//! (digest/stored.rs says why): the same rules as serde's derived deserialisers.

use serde_json::Value;

use super::{Bucket, Point, Second, Timeline};
use crate::digest::stored::{Fields, Read};

impl Read for Point {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Point {
            at_ms: f.or_default("atMs")?,
            limit: f.or_default("limit")?,
            remaining: f.or_default("remaining")?,
            reset: f.or_default("reset")?,
        })
    }
}

/// `[epochSecond, count]`: exactly two numbers.
impl Read for Second {
    fn read(v: &Value) -> Option<Self> {
        match v.as_array()?.as_slice() {
            [second, count] => Some(Second(i64::read(second)?, u64::read(count)?)),
            _ => None,
        }
    }
}

impl Read for Bucket {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Bucket {
            key: f.or_default("key")?,
            host: f.or_default("host")?,
            name: f.or_default("name")?,
            known: f.or_default("known")?,
            last_method: f.or_default("lastMethod")?,
            last_path: f.or_default("lastPath")?,
            requests: f.or_default("requests")?,
            rate_limited: f.or_default("rateLimited")?,
            concurrent: f.or_default("concurrent")?,
            with_headers: f.or_default("withHeaders")?,
            first_seen_ms: f.opt("firstSeenMs")?,
            last_seen_ms: f.opt("lastSeenMs")?,
            latest: f.opt("latest")?,
            server_offset_seconds: f.or_default("serverOffsetSeconds")?,
            trajectory: f.or_default("trajectory")?,
            dropped_points: f.or_default("droppedPoints")?,
            per_second: f.or_default("perSecond")?,
        })
    }
}

impl Read for Timeline {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v)?;
        Some(Timeline {
            version: f.or("version", super::VERSION)?,
            exchanges: f.or_default("exchanges")?,
            ignored: f.or_default("ignored")?,
            untracked: f.or_default("untracked")?,
            buckets: f.or_default("buckets")?,
        })
    }
}
