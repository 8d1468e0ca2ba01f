//! The service worker's pre-check ([`mentions_saml`]) against the full fold: every exchange
//! whose fold decodes a SAML message (`saml::read`, `saml::marker`: the test-only counter
//! `saml::decoded`) is one the pre-check hands to the full module, over every golden exchange
//! and HAR entry and crafted cases; the names only the redactor's normalisation makes
//! `samlresponse` are the documented exceptions (the marker's backstop, saml/marker.rs).

use super::super::{Exchange, FormField, OmittedField};
use super::build::posted;
use super::{mentions_saml, mentions_saml_text};
use crate::{context::Headers, live::Tabs, saml::decoded};

/// Folds `ex` natively into a fresh tab of `tabs`; whether the fold decoded a SAML message.
fn decodes(tabs: &mut Tabs, id: i64, ex: &Exchange, redirect: Option<&str>) -> bool {
    let before = decoded::count();
    tabs.fold(id, ex, redirect);
    decoded::count() != before
}

/// `s` with every `saml` (any case) made `s_ml`.
fn defang(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(at) = out.to_ascii_lowercase().find("saml") {
        out.replace_range(at + 1..at + 2, "_");
    }
    out
}

/// `ex` with `saml` left only in its form fields' names and values (the URL, the headers, the
/// body and the other strings defanged), and without a redirect target: the pre-check must
/// then find the form on its own.
fn only_the_form_says_saml(ex: &Exchange) -> Exchange {
    let text = |s: &Option<String>| s.as_deref().map(defang);
    let headers = |h: &Headers| {
        let pairs: Vec<(String, String)> = h
            .iter()
            .map(|h| (defang(h.name), defang(h.value.unwrap_or_default())))
            .collect();
        Headers::from_pairs(&pairs)
    };
    Exchange {
        url: text(&ex.url),
        method: text(&ex.method),
        body: text(&ex.body),
        kind: text(&ex.kind),
        error: text(&ex.error),
        initiator: text(&ex.initiator),
        request_headers: headers(&ex.request_headers),
        response_headers: headers(&ex.response_headers),
        ..ex.clone()
    }
}

#[test]
fn every_golden_exchange_whose_fold_decodes_saml_is_flagged_by_the_pre_check() {
    let (mut flagged, mut decoding, mut total, mut form_only) = (0, 0, 0, 0);
    for (case, exchanges) in golden() {
        let mut tabs = Tabs::default();
        for (i, (ex, _)) in exchanges.iter().enumerate() {
            let ex = only_the_form_says_saml(ex);
            let pre = mentions_saml(&ex, None);
            let moved = decodes(&mut tabs, 2, &ex, None);
            assert!(pre || !moved, "{case} #{i}, saml only in the form: missed");
            form_only += usize::from(moved);
        }
        for (i, (ex, redirect)) in exchanges.iter().enumerate() {
            let pre = mentions_saml(ex, redirect.as_deref());
            let moved = decodes(&mut tabs, 1, ex, redirect.as_deref());
            assert!(
                pre || !moved,
                "{case} #{i}: the fold decoded SAML, the pre-check missed it: {:?}",
                ex.url
            );
            total += 1;
            flagged += usize::from(pre);
            decoding += usize::from(moved);
        }
    }
    // Not vacuous: the SAML fixtures decode, and most traffic is not flagged.
    assert!(decoding >= 10, "{decoding} of {total} decoded SAML");
    assert!(
        form_only >= 5,
        "{form_only} decoded with saml only in the form"
    );
    assert!(flagged * 5 < total, "{flagged} of {total} flagged");
}

fn exchange(url: &str) -> Exchange {
    Exchange {
        method: Some("GET".into()),
        url: Some(url.into()),
        status_code: Some(200),
        ..Exchange::default()
    }
}

fn with_headers(
    url: &str,
    request: &[(&str, &str)],
    status: u16,
    response: &[(&str, &str)],
) -> Exchange {
    let pairs = |h: &[(&str, &str)]| {
        let v: Vec<(String, String)> = h
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Headers::from_pairs(&v)
    };
    Exchange {
        status_code: Some(status),
        request_headers: pairs(request),
        response_headers: pairs(response),
        ..exchange(url)
    }
}

const OKTA: &str = "https://dev-1.okta.com";
const VALUE: &str = "PHNhbWxwOlJlc3BvbnNlIElEPSJpZDEiLz4%3D";

fn form(url: &str, fields: &[(&str, &str)]) -> Exchange {
    Exchange {
        method: Some("POST".into()),
        request_form: fields
            .iter()
            .map(|(n, v)| FormField {
                name: n.to_string(),
                value: v.to_string(),
            })
            .collect(),
        ..exchange(url)
    }
}

/// Crafted places a SAML message can be in: the pre-check says true for each. The last
/// column pins whether today's full fold decodes it (a header, a redirect target, a JSON key
/// are redacted where a report quotes them, and these reports quote none), so a change shows
/// here.
#[test]
fn crafted_saml_anywhere_is_flagged() {
    let referer = format!("https://app.example.com/sso?SAMLRequest={VALUE}");
    let location = format!("{OKTA}/app/x/exk1/sso/saml?SAMLRequest={VALUE}");
    let json = format!(r#"{{"SAMLResponse":"{VALUE}"}}"#);
    let cookie = format!("SAMLResponse={VALUE}");
    let cases: Vec<(&str, Exchange, Option<String>, bool)> = vec![
        (
            "Referer header",
            with_headers(
                &format!("{OKTA}/api/v1/users/me"),
                &[("Referer", &referer)],
                200,
                &[],
            ),
            None,
            false,
        ),
        (
            "Location header",
            with_headers(
                &format!("{OKTA}/login"),
                &[],
                302,
                &[("Location", &location)],
            ),
            None,
            false,
        ),
        (
            "redirect target",
            exchange(&format!("{OKTA}/login")),
            Some(location.clone()),
            false,
        ),
        (
            "JSON body key",
            Exchange {
                body: Some(json),
                response_headers: {
                    let mut h = Headers::default();
                    h.add("Content-Type", Some("application/json"));
                    h
                },
                ..exchange(&format!("{OKTA}/api/v1/x"))
            },
            None,
            false,
        ),
        (
            "cookie name",
            with_headers(
                &format!("{OKTA}/api/v1/users/me"),
                &[("Cookie", &cookie)],
                200,
                &[],
            ),
            None,
            false,
        ),
        (
            "posted form",
            posted("https://app.example.com/saml/acs", "<samlp:Response/>"),
            None,
            true,
        ),
        (
            "omitted form field",
            Exchange {
                request_form_omitted: vec![OmittedField {
                    name: "SAMLResponse".into(),
                    length: 100_000,
                }],
                ..form("https://app.example.com/saml/acs", &[("RelayState", "/")])
            },
            None,
            true,
        ),
        (
            "SAML_Response",
            form("https://app.example.com/acs", &[("SAML_Response", VALUE)]),
            None,
            false,
        ),
        (
            "lower-case samlresponse",
            exchange(&format!("https://app.example.com/acs?samlresponse={VALUE}")),
            None,
            true,
        ),
        (
            "SAMLRequest in the URL",
            exchange(&format!("{OKTA}/app/x/exk1/sso/saml?SAMLRequest={VALUE}")),
            None,
            true,
        ),
    ];
    let (mut got, mut want) = (Vec::new(), Vec::new());
    for (what, ex, redirect, decoded) in cases {
        assert!(
            mentions_saml(&ex, redirect.as_deref()),
            "{what}: not flagged"
        );
        let mut tabs = Tabs::default();
        got.push((what, decodes(&mut tabs, 1, &ex, redirect.as_deref())));
        want.push((what, decoded));
    }
    assert_eq!(got, want);
}

/// The documented misses: names without `saml` in a row that the redactor's normalisation
/// makes `samlresponse`/`samlrequest`. The pre-check lets them through and the full fold
/// decodes them for the marker; the worker's module writes the backstop marker instead.
#[test]
fn names_only_normalisation_makes_saml_are_the_documented_misses() {
    let misses = [
        exchange(&format!(
            "https://app.example.com/acs?%53AMLResponse={VALUE}"
        )),
        exchange(&format!(
            "https://app.example.com/acs?S-A-M-L-Response={VALUE}"
        )),
        form("https://app.example.com/acs", &[("S.A.M.L.Request", VALUE)]),
    ];
    let mut all = Vec::new();
    for ex in &misses {
        let mut tabs = Tabs::default();
        all.push((mentions_saml(ex, None), decodes(&mut tabs, 1, ex, None)));
    }
    assert_eq!(all, [(false, true), (false, true), (false, false)]);
}

/// The scan against the plain reference (lower-case, then `contains`), over every golden
/// input's text at every start and a set of edge cases.
#[test]
fn the_scan_finds_saml_exactly_where_the_reference_does() {
    let reference = |t: &str| t.to_ascii_lowercase().contains("saml");
    let mut texts: Vec<String> = [
        "",
        "s",
        "saml",
        "SAML",
        "sAmL",
        "xsaml",
        "samlx",
        "ssaml",
        "sasaml",
        "samsaml",
        "sam",
        "aml",
        "s\u{0}aml",
        "sa ml",
        "Sam L",
        "ſaml",
        "SAM\u{4c}",
        "%53AML",
        "é€saml",
        "ssssaaaammmmllll",
        "lllll",
        "mmsaml",
        "asaml",
        "samlsaml",
        "SAMl",
        "\u{73}\u{41}ml",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every byte value around the four letters.
    for b in 0u8..=127 {
        let c = char::from(b);
        texts.push(format!("{c}aml"));
        texts.push(format!("s{c}ml"));
        texts.push(format!("sa{c}l"));
        texts.push(format!("sam{c}"));
    }
    // Every alignment against the scan's eight-byte words, with `l`s before and after.
    for pad in 0..20 {
        for tail in 0..10 {
            for word in ["sAmL", "saml", "sam", "xaml", "lsaml", "samll"] {
                let l = "l".repeat(pad);
                texts.push(format!("{l}{word}{}", "m".repeat(tail)));
                texts.push(format!("{}{word}{l}", "x".repeat(pad + tail)));
            }
        }
    }
    for t in &texts {
        assert_eq!(mentions_saml_text(t), reference(t), "{t:?}");
    }
    let mut checked = 0;
    for (case, text) in crate::golden::inputs() {
        let bytes = text.as_bytes();
        for start in (0..bytes.len()).step_by(97) {
            let Some(t) = text.get(start..) else { continue };
            assert_eq!(mentions_saml_text(t), reference(t), "{case} from {start}");
            checked += 1;
        }
        assert_eq!(mentions_saml_text(&text), reference(&text), "{case}");
    }
    assert!(checked > 1000, "{checked}");
}

/// The exchanges of every golden input that is one or holds some (an exchange, a HAR, a
/// SAML-tracer export), and of the secrets corpus (tests/secrets/corpus.har), each with its
/// redirect target (a HAR response's `redirectURL`, as webRequest's onBeforeRedirect gives
/// it), by case.
#[allow(clippy::type_complexity)]
pub(crate) fn golden() -> Vec<(String, Vec<(crate::exchange::Exchange, Option<String>)>)> {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/secrets/corpus.har");
    let corpus = std::fs::read_to_string(corpus).unwrap_or_default();
    let mut all: Vec<_> = crate::golden::inputs();
    all.push(("secrets-corpus".into(), corpus));
    all.into_iter()
        .filter_map(|(case, text)| {
            let found = exchanges_in(&text);
            (!found.is_empty()).then_some((case, found))
        })
        .collect()
}

fn exchanges_in(text: &str) -> Vec<(crate::exchange::Exchange, Option<String>)> {
    use serde_json::Value;
    let Ok(v) = serde_json::from_str::<Value>(text.trim()) else {
        return Vec::new();
    };
    let v = match crate::har::tracer::is_export(&v) {
        true => crate::har::tracer::to_har(&v).unwrap_or(v),
        false => v,
    };
    if let Some(entries) = crate::har::parse(&v) {
        let redirect = |e: &Value| {
            let url = e.pointer("/response/redirectURL").and_then(Value::as_str);
            url.filter(|u| !u.is_empty()).map(str::to_string)
        };
        return entries
            .iter()
            .filter_map(|e| Some((crate::har::exchange(e)?, redirect(e))))
            .collect();
    }
    match crate::recognise::json(&v) {
        Some(crate::recognise::Json::Exchange(ex)) => vec![(*ex, None)],
        _ => Vec::new(),
    }
}
