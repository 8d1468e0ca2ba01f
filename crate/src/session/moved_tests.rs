//! Strings the fold no longer copies (docs/performance-log.md, "liveFold, thirteenth pass"):
//! `http::analyze_noting` moves the report's method, URL and request id out of the `Seen`, and
//! an exchange's `Seen` keeps its host in its flow reading only. These tests hold them to the
//! code they replaced, over every fixture's exchange or response and mutations of each.
use crate::exchange::Seen;
use crate::http::{analyze_noting, Exchange, Header};
use crate::redact::{report_url, url::is_plainly_clean, Clean};
use crate::report::Request;

const NOW: i64 = 1_750_000_000;

fn variants(ex: &Exchange) -> Vec<Exchange> {
    let mut out = vec![ex.clone()];
    let mut v = ex.clone();
    v.url = None;
    out.push(v);
    let mut v = ex.clone();
    v.method = None;
    out.push(v);
    for tail in [
        "?access_token=eyJhbGciOiJIUzI1NiJ9.e30.sig",
        "?limit=2&after=00u1",
        "/XE6wE17zmphl3KqAPFxO",
        "#x",
    ] {
        let mut v = ex.clone();
        v.url = Some(ex.url.clone().unwrap_or_default() + tail);
        out.push(v);
    }
    for id in [
        Some("aW2qzGR3jXtCYZ8kVkWfKQAAA8o"),
        Some("not an id!"),
        None,
    ] {
        let mut v = ex.clone();
        v.response_headers
            .retain(|h| !h.name.eq_ignore_ascii_case("x-okta-request-id"));
        if let Some(id) = id {
            v.response_headers.push(Header {
                name: "X-Okta-Request-Id".into(),
                value: Some(id.into()),
            });
        }
        out.push(v);
    }
    out
}

fn seens() -> Vec<Seen> {
    let mut seens = Vec::new();
    for (_, text) in crate::golden::inputs() {
        if let Ok(ex) = serde_json::from_str::<Exchange>(&text) {
            if ex.url.is_some() || ex.status_code.is_some() {
                for v in variants(&ex) {
                    seens.push(Seen::from_exchange(&v, Some(NOW)));
                    seens.push(Seen::from_exchange(&v, None));
                }
            }
        } else if let Some(r) = crate::http::parse_response(text.trim()) {
            seens.push(Seen::from_response(&r, NOW));
        }
    }
    seens
}

/// The request the replaced code built: every string copied out of the `Seen`, the URL kept
/// as it is when plainly clean and redacted otherwise.
fn copied(seen: &Seen) -> Request {
    Request {
        method: seen.method.clone(),
        url: seen.url.as_deref().map(|u| match is_plainly_clean(u) {
            true => u.to_string(),
            false => report_url(u),
        }),
        status_code: seen.status(),
        request_id: seen.ctx.request_id.clone(),
        observed_at: seen.observed_at,
    }
}

/// The report's request is the one copied; the `Seen` after it is the `Seen` before without
/// the three strings moved (all the session's fold reads after is unchanged); the URL is noted
/// clean exactly when it is plainly clean, one `Clean` kept across every exchange as a live tab
/// keeps it.
#[test]
fn strings_moved_out_of_the_seen_are_the_strings_copied() {
    let seens = seens();
    assert!(seens.len() > 300, "{}", seens.len());
    let mut clean = Clean::default();
    let mut unclean = 0;
    for before in &seens {
        let mut seen = before.clone();
        let report = analyze_noting(&mut seen, &mut clean);
        assert_eq!(report.request, Some(copied(before)), "{:?}", before.url);
        let mut expected = before.clone();
        expected.method = None;
        expected.url = None;
        expected.ctx.request_id = None;
        assert_eq!(format!("{seen:?}"), format!("{expected:?}"));
        if let Some(u) = before.url.as_deref() {
            assert_eq!(clean.knows(u), is_plainly_clean(u), "{u}");
            unclean += usize::from(!is_plainly_clean(u));
        }
    }
    assert!(unclean > 100, "{unclean}");
}

/// `Seen::host` (an exchange's read from its flow reading, not copied into the `Seen`) is the
/// field the `Seen` kept before: `domain::host_of` of its URL, for an exchange or a response;
/// `is_okta`, the one reader besides the timeline, answers as it did.
#[test]
fn a_seens_host_is_the_host_it_copied_before() {
    let seens = seens();
    let mut hosts = 0;
    for seen in &seens {
        let copied = seen.url.as_deref().and_then(crate::domain::host_of);
        assert_eq!(seen.host(), copied.as_deref(), "{:?}", seen.url);
        let okta = copied.as_deref().is_some_and(crate::domain::is_okta_host)
            || crate::domain::is_okta_path(seen.url.as_deref().unwrap_or_default())
            || seen.header("x-okta-request-id").is_some();
        assert_eq!(seen.is_okta(), okta, "{:?}", seen.url);
        hosts += usize::from(copied.is_some());
    }
    assert!(hosts > 300, "{hosts}");
}
