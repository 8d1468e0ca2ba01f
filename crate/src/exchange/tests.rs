use super::*;

fn exchange() -> Exchange {
    Exchange {
        observed_at: Some(1_750_000_000_500.0),
        method: Some("get".into()),
        url: Some("https://dev-1.okta.com/api/v1/users?limit=2".into()),
        status_code: Some(429),
        request_headers: vec![Header {
            name: "AUTHORIZATION".into(),
            value: Some("SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB".into()),
        }].into(),
        response_headers: vec![
            Header { name: "X-Rate-Limit-Limit".into(), value: Some("600".into()) },
            Header { name: "X-Rate-Limit-Remaining".into(), value: Some("0".into()) },
            Header { name: "X-Rate-Limit-Reset".into(), value: Some("1750000060".into()) },
            Header { name: "X-Okta-Request-Id".into(), value: Some("reqA".into()) },
            Header { name: "Date".into(), value: None },
        ].into(),
        body: Some(" {\"errorCode\":\"E0000047\",\"errorSummary\":\"API call exceeded rate limit due to too many requests.\"}".into()),
        body_source: None,
        recorded: false,
        kind: None,
        error: None,
        ..Exchange::default()
    }
}

#[test]
fn an_exchange_is_read_once_into_every_part() {
    let s = Seen::from_exchange(&exchange(), None);
    assert_eq!(s.origin, Origin::Exchange);
    assert_eq!(s.status(), Some(429));
    assert_eq!(s.header("x-okta-request-id"), Some("reqA"));
    assert_eq!(
        s.header("X-Okta-Request-Id"),
        None,
        "lookups take lower-case names"
    );
    assert_eq!(s.header("date"), Some(""));
    assert_eq!(
        s.headers().get(0).map(|h| h.name),
        Some("X-Rate-Limit-Limit")
    );
    assert_eq!(s.rate_limit().and_then(|h| h.limit.min), Some(600));
    assert_eq!(s.signal, Some(rate_limit::Signal::OktaE0000047));
    assert_eq!(
        s.json.as_ref().map(|b| match b {
            body::Body::Okta(e) => e.code.as_str(),
            body::Body::Json(_) => "read as a value",
        }),
        Some("E0000047")
    );
    assert_eq!(
        s.bucket.as_ref().map(|b| b.path.as_str()),
        Some("/api/v1/users")
    );
    assert_eq!(s.clock, Clock::Observed(1_750_000_000));
    assert_eq!(s.now, 1_750_000_000);
    assert!(s.ctx.is_ssws());
    assert!(s.jwt.is_none());
    assert_eq!(s.ctx.request_id.as_deref(), Some("reqA"));
}

#[test]
fn the_clock_is_observed_else_caller_else_date() {
    let mut ex = exchange();
    assert_eq!(
        Seen::from_exchange(&ex, Some(5)).clock,
        Clock::Observed(1_750_000_000)
    );
    ex.observed_at = Some(f64::NAN);
    let s = Seen::from_exchange(&ex, Some(5));
    assert_eq!((s.clock, s.now), (Clock::Caller(5), 5));
    ex.observed_at = None;
    let mut list = ex.response_headers.to_vec();
    if let Some(h) = list.last_mut() {
        h.value = Some("Sun, 06 Dec 2026 05:00:00 GMT".into());
    }
    ex.response_headers = list.into();
    let s = Seen::from_exchange(&ex, None);
    assert_eq!(s.clock, Clock::Unknown);
    assert_eq!(
        Some(s.now),
        timestamp::parse_http_date("Sun, 06 Dec 2026 05:00:00 GMT")
    );
    ex.response_headers.clear();
    assert_eq!(Seen::from_exchange(&ex, None).now, 0);
}

#[test]
fn a_pasted_response_reads_its_request_credential_and_body() {
    let claims = r#"{"iss":"https://dev-1.okta.com/oauth2/default","scp":["openid"],"cid":"0oa1"}"#;
    let jwt = crate::jwt::testing::token(
        serde_json::json!({"alg":"RS256"}),
        serde_json::from_str(claims).unwrap_or_default(),
    );
    let r = Response {
        status: 403,
        headers: vec![("content-type".into(), "application/json".into())],
        body: "not json".into(),
        method: Some("GET".into()),
        url: Some("https://dev-1.okta.com/api/v1/users".into()),
        request_headers: vec![("Authorization".into(), format!("Bearer {jwt}"))],
    };
    let s = Seen::from_response(&r, 42);
    assert_eq!(s.origin, Origin::Response);
    assert_eq!((s.clock, s.now), (Clock::Caller(42), 42));
    assert!(s.json.is_none() && s.signal.is_none() && s.rate_limit().is_none());
    assert!(s.jwt.is_some());
    assert!(s.ctx.is_bearer());
    assert_eq!(s.ctx.client_id(), Some("0oa1"));
}

/// The session's clock reads the first `Date` header: the rate-limit scan's reading when it
/// read that same header, else its own (the scan skips an unreadable first one).
#[test]
fn the_first_date_header_read_once() {
    let with_dates = |dates: &[&str]| {
        let mut ex = exchange();
        ex.response_headers = dates
            .iter()
            .map(|d| Header {
                name: "Date".into(),
                value: Some((*d).into()),
            })
            .collect();
        Seen::from_exchange(&ex, None)
    };
    let good = "Sun, 06 Nov 1994 08:49:37 GMT";
    let other = "Mon, 09 Feb 2026 18:24:00 GMT";
    let first_good = with_dates(&[good, other]);
    assert_eq!(first_good.rate.0.date_at, Some(0));
    assert_eq!(first_good.date(), Some(784_111_777));
    // An unreadable first Date: the scan reads the second, the clock reads none.
    let first_bad = with_dates(&["soon", other]);
    assert_eq!(first_bad.rate.0.date, Some(1_770_661_440));
    assert_eq!(first_bad.date(), None);
    assert_eq!(with_dates(&[]).date(), None);
}

/// `Seen::is_okta` answers what `har::is_okta` answers of the exchange it read.
#[test]
fn okta_traffic_as_the_har_reader_says() {
    let urls = [
        "https://dev-1.okta.com/api/v1/users",
        "https://login.acme.com/oauth2/default/v1/token",
        "https://app.example/cb?code=1",
        "https://app.example/x.js",
        "not a url",
    ];
    for url in urls {
        for id in [false, true] {
            let mut ex = exchange();
            ex.url = Some(url.into());
            if id {
                ex.response_headers.push(Header {
                    name: "X-Okta-Request-Id".into(),
                    value: Some("req1".into()),
                });
            }
            let want = crate::har::is_okta(&ex);
            assert_eq!(Seen::from_exchange(&ex, None).is_okta(), want, "{url} {id}");
            assert_eq!(Seen::from_owned(ex, None).is_okta(), want, "{url} {id}");
        }
    }
}

/// A header is found by its lower-cased name whatever case it was sent in; a name asked with
/// an upper-case letter finds nothing (the names were compared lower-cased); the first wins.
#[test]
fn headers_are_found_by_their_lower_cased_names() {
    let mut ex = exchange();
    ex.response_headers.push(Header {
        name: "x-okta-REQUEST-id".into(),
        value: Some("reqB".into()),
    });
    let seen = Seen::from_exchange(&ex, None);
    assert_eq!(seen.header("x-okta-request-id"), Some("reqA"));
    assert_eq!(seen.header("X-Okta-Request-Id"), None);
    assert_eq!(seen.header("x-rate-limit-limit"), Some("600"));
    assert_eq!(seen.header("date"), Some(""));
    assert_eq!(seen.header("x-okta-request-i"), None);
    assert_eq!(seen.header(""), None);
}

/// An exchange's host is the one its flow reading read: `domain::host_of` of its URL, for any
/// URL or none.
#[test]
fn an_exchanges_host_is_read_once_as_host_of_says() {
    for url in [
        None,
        Some("https://Dev-1.OKTA.com:443/api/v1/users?limit=2"),
        Some("/api/v1/users"),
        Some("not a url"),
        Some("http://[::1]:8080/x"),
        Some("https://user@acme.example/cb?code=x&state=y"),
    ] {
        let mut ex = exchange();
        ex.url = url.map(str::to_string);
        let want = url.and_then(crate::domain::host_of);
        assert_eq!(
            Seen::from_exchange(&ex, None).host(),
            want.as_deref(),
            "{url:?}"
        );
        assert_eq!(
            Seen::from_owned(ex, None).host(),
            want.as_deref(),
            "{url:?}"
        );
    }
}

/// The report's request id is the context's (read once), which is what looking the header up
/// again gave (`http::analyze` before the eleventh liveFold pass): names in any case, near
/// misses, repeated headers, ids that are not ids, in every order.
#[test]
fn the_reports_request_id_is_the_header_looked_up_again() {
    let names = [
        "X-Okta-Request-Id",
        "x-okta-request-id",
        "X-OKTA-REQUEST-ID",
        "x-okta-request-idx",
        " x-okta-request-id",
        "x-okta-request-i",
    ];
    let values = [
        "reqAbc-1_2",
        "",
        "req abc",
        "réq",
        &"r".repeat(64),
        &"r".repeat(65),
    ];
    let mut cases = 0;
    for (i, first) in names.iter().enumerate() {
        for (j, second) in names.iter().enumerate().skip(i) {
            for (k, v1) in values.iter().enumerate() {
                let v2 = values[(k + i + j) % values.len()];
                let ex = Exchange {
                    url: Some("https://dev-1.okta.com/api/v1/users".into()),
                    status_code: Some(401),
                    response_headers: vec![
                        Header {
                            name: "Date".into(),
                            value: Some("x".into()),
                        },
                        Header {
                            name: (*first).into(),
                            value: Some((*v1).into()),
                        },
                        Header {
                            name: (*second).into(),
                            value: Some(v2.into()),
                        },
                    ]
                    .into(),
                    ..Exchange::default()
                };
                let seen = Seen::from_exchange(&ex, Some(0));
                let before = seen
                    .header("x-okta-request-id")
                    .filter(|i| crate::context::request_id_ok(i))
                    .map(str::to_string);
                let report = crate::http::analyze(seen);
                let got = report.request.and_then(|r| r.request_id);
                assert_eq!(got, before, "{first:?}={v1:?}, {second:?}={v2:?}");
                cases += 1;
            }
        }
    }
    assert!(cases > 100);
}

/// The request side read from the exchange's own headers is what reading copies of them as
/// pairs gave (before the eleventh liveFold pass): a header without a value read as an empty
/// one, names in any case, repeated headers, over every header the request side asks for.
#[test]
fn request_headers_read_in_place_are_the_pairs_read() {
    let names = [
        "Authorization",
        "AUTHORIZATION",
        "Origin",
        "origin",
        "Sec-Fetch-Mode",
        "Sec-Fetch-Dest",
        "Access-Control-Request-Method",
        "access-control-request-headers",
        "Referer",
        "X-Other",
    ];
    let values = [
        None,
        Some(""),
        Some(" navigate "),
        Some("document"),
        Some("iframe"),
        Some("https://app.example.com"),
        Some("Bearer abc.def.ghi"),
        Some("SSWS 00abcdefghijklmnopqrstuvwxyz0123456789AB"),
        Some("authorization, content-type"),
    ];
    let mut cases = 0;
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().skip(i) {
            for (k, va) in values.iter().enumerate() {
                let vb = values[(k * 5 + i + 1) % values.len()];
                let headers = vec![
                    Header {
                        name: (*a).into(),
                        value: va.map(str::to_string),
                    },
                    Header {
                        name: (*b).into(),
                        value: vb.map(str::to_string),
                    },
                ];
                for kind in [None, Some("main_frame"), Some("xmlhttprequest")] {
                    let ex = Exchange {
                        url: Some("https://dev-1.okta.com/oauth2/default/v1/token".into()),
                        method: Some("POST".into()),
                        request_headers: headers.clone().into(),
                        kind: kind.map(str::to_string),
                        ..Exchange::default()
                    };
                    let got = Request::read(&ex);
                    let copied: Vec<(String, String)> = ex
                        .request_headers
                        .iter()
                        .map(|h| (h.name.to_string(), h.value.unwrap_or_default().to_string()))
                        .collect();
                    let with_values = Exchange {
                        request_headers: copied
                            .iter()
                            .map(|(n, v)| Header {
                                name: n.clone(),
                                value: Some(v.clone()),
                            })
                            .collect(),
                        ..ex.clone()
                    };
                    let want_auth = copied
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
                        .map(|(_, v)| v.clone());
                    let want_cors = CorsRequest::read(&Headers::from_pairs(&copied), kind, None);
                    let want_flow =
                        flow::Read::of_exchange(&with_values, &with_values.request_headers);
                    let case = format!("{a}={va:?}, {b}={vb:?}, {kind:?}");
                    assert_eq!(got.authorization, want_auth, "{case}");
                    assert_eq!(got.cors, want_cors, "{case}");
                    assert_eq!(got.flow, want_flow, "{case}");
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 1000);
}

/// `flow::has_key` (one pass over the `=` signs) says what the `&str` searches it replaced said,
/// `contains("code=") || contains("error=")` and the SAML pair: on every golden input and
/// every URL of the seeded-secrets corpus, each cut at every byte boundary that keeps it
/// valid text, with every `=` dropped or doubled, and with each key spelt short or spliced in.
#[test]
fn has_key_is_the_substring_searches_it_replaced() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests");
    let mut texts: Vec<String> = std::fs::read_dir(format!("{root}/fixtures"))
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path().join("input.txt")).ok())
        .collect();
    let corpus = std::fs::read_to_string(format!("{root}/secrets/corpus.har")).unwrap();
    texts.extend(corpus.lines().map(str::to_string));
    assert!(texts.len() > 200);
    let key_sets: [&[&str]; 3] = [&["code", "error"], &["SAMLRequest", "SAMLResponse"], &[]];
    let mut cases = Vec::new();
    for t in &texts {
        cases.push(t.replace('=', ""));
        cases.push(t.replace('=', "=="));
        cases.push(t.replace("code=", "cod="));
        cases.push(t.replace("SAMLRe", "SAMLRe=SAMLResponse"));
        cases.push(format!("{t}error"));
        cases.push(format!("error={t}"));
        let short: String = t.chars().take(400).collect();
        for (i, _) in short.char_indices() {
            cases.push(short[..i].to_string());
            cases.push(short[i..].to_string());
        }
        cases.push(t.clone());
    }
    let (mut hits, mut misses) = (0, 0);
    for c in &cases {
        for keys in key_sets {
            let want = keys.iter().any(|k| c.contains(&format!("{k}=")));
            assert_eq!(flow::has_key(c, keys), want, "{keys:?} in {c:?}");
            match want {
                true => hits += 1,
                false => misses += 1,
            }
        }
    }
    assert!(hits > 1000 && misses > 1000, "{hits} {misses}");
}
