use super::*;

#[test]
fn the_index_finds_what_trying_every_row_in_order_finds() {
    let t = table();
    let brute = |method: &str, path: &str| {
        let segs: Vec<&str> = segments(path).collect();
        t.entries
            .iter()
            .filter_map(|e| fit(e, &segs, method).map(|(len, lit)| (e, len, lit)))
            .min_by(|(a, al, alit), (b, bl, blit)| {
                a.how.cmp(&b.how).then(bl.cmp(al)).then(blit.cmp(alit))
            })
            .map(|(e, _, _)| (e.bucket, e.how))
    };
    let mut tried = 0;
    for e in &t.entries {
        let concrete: Vec<String> = e
            .segs
            .iter()
            .map(|s| match s {
                Seg::Literal(l) => (*l).to_string(),
                Seg::Any => "00u1qqxig80SMWArY0g7".to_string(),
                Seg::StartsWith(p) => format!("{p}x"),
            })
            .collect();
        let path = format!("/{}", concrete.join("/"));
        for p in [path.clone(), format!("{path}/more"), format!("{path}/a/b")] {
            for m in ["GET", "POST", e.method] {
                let got = lookup(Some(m), &p).map(|x| (x.info.name, x.how));
                assert_eq!(got, brute(m, &p), "{m} {p}");
                tried += 1;
            }
        }
    }
    assert!(tried > 300);
}

#[test]
fn data_loads_whole() {
    let t = table();
    let count = |h: How| t.entries.iter().filter(|e| e.how == h).count();
    // tools/extract-buckets.py prints these counts; a short read means a broken row.
    assert_eq!(count(How::Exact), 170);
    assert_eq!(count(How::Family), 61);
    assert_eq!(count(How::Prefix), 81);
    assert_eq!(t.infos.len(), 83);
    for e in &t.entries {
        assert!(
            t.infos.contains_key(e.bucket),
            "{} has no limits row",
            e.bucket
        );
    }
    let listed: u32 = cells(crate::catalogue::data!("buckets.tsv"))
        .filter(|r| r.first() != Some(&"prefix"))
        .filter_map(|r| r.get(4).and_then(|n| n.parse::<u32>().ok()))
        .sum();
    assert_eq!(listed, 982, "okta.md §3.3: 982 generated lines");
    // `lookup` holds SEGMENTS of a path: a pattern as long would be the whole path of a
    // longer one.
    assert!(t.entries.iter().all(|e| e.segs.len() < SEGMENTS));
}

/// `lookup` with the path's first `SEGMENTS` segments on the stack answers what it answered
/// with the first 64 collected in a `Vec` (the old collection kept here, the match shared):
/// every pattern of the catalogue filled in, then 0 to 70 more segments, each with three
/// methods.
#[test]
fn segments_held_on_the_stack_are_the_segments_collected() {
    fn before(method: Option<&str>, url: &str) -> Option<Match> {
        let method = method
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .unwrap_or("GET");
        let path = path_of(url);
        let segs: Vec<&str> = segments(path).take(64).collect();
        lookup_in(method, path, &segs)
    }
    let (mut tried, mut found) = (0, 0);
    for e in &table().entries {
        let path: String = e
            .segs
            .iter()
            .map(|s| match s {
                Seg::Literal(l) => format!("/{l}"),
                Seg::Any => "/00u1qqxig80SMWArY0g7".to_string(),
                Seg::StartsWith(p) => format!("/{p}x"),
            })
            .collect();
        for more in [
            0, 1, 2, 3, 4, 7, 8, 11, 12, 13, 20, 55, 56, 57, 63, 64, 65, 70,
        ] {
            let url = format!("https://x.okta.com{path}{}?a=/b/c", "/s".repeat(more));
            for m in [Some("GET"), Some(" post "), Some(e.method), None] {
                let got = lookup(m, &url);
                assert_eq!(got, before(m, &url), "{m:?} {url}");
                tried += 1;
                found += usize::from(got.is_some());
            }
        }
    }
    assert!(tried > 20_000 && found > 20_000, "{tried} {found}");
}

#[test]
fn lookup_table() {
    // "METHOD URL => how bucket", or "=> -" for no bucket.
    let cases = [
        "GET https://dev-1.okta.com/api/v1/users?limit=200 => family /api/v1/users",
        "POST /api/v1/users?activate=true => family /api/v1/users",
        "GET /api/v1/users/me => exact /api/v1/users/me",
        "GET /api/v1/users/00u1qqxig80SMWArY0g7 => exact /api/v1/users/{id:.+}",
        "GET /api/v1/users/alice@example.com => exact /api/v1/users/{id:.+}",
        "POST /api/v1/users/00u1qqxig80SMWArY0g7 => exact /api/v1/users/{id}",
        "DELETE /api/v1/users/00u1qqxig80SMWArY0g7/ => exact /api/v1/users/{id}",
        "GET /api/v1/users/00u1qqxig80SMWArY0g7/groups => family /api/v1/users",
        "POST /api/v1/users/00u1/factors/sms/verify => exact /api/v1/users/{userId}/factors/{userFactorIdOrFactorType}/verify",
        "GET /api/v1/groups/00g1emaKYZTWRYYRRTSK => exact /api/v1/groups/{id}",
        "GET /api/v1/groups?q=eng => family /api/v1/groups",
        "GET /api/v1/apps/0oa1gjh63g214q0Hq0g4 => exact /api/v1/apps/{id}",
        "GET /api/v1/logs?since=2026-01-01 => exact /api/v1/logs",
        "GET /api/v1/events => exact /api/v1/events",
        "GET /api/v1/policies?type=OKTA_SIGN_ON => family /api/v1",
        "GET /api/v1/authorizationServers/default => family /api/v1",
        "GET /api/v1/brandnew-api => prefix /api/v1",
        "POST /api/v1/authn => family /api/v1/authn",
        "POST /api/v1/authn/factors/sms/verify => exact /api/v1/authn/factors/{factorIdOrFactorType}/verify",
        "GET /api/v1/sessions/me => exact /api/v1/sessions",
        "POST /api/v1/orgs => exact /api/v1/orgs",
        "GET /api/v1/devices/guv1/users/00u1 => exact /api/v1/devices",
        "GET /oauth2/v1/authorize?client_id=x => exact /oauth2/v1/authorize",
        "POST /oauth2/v1/authorize => family /oauth2/v1",
        "POST /oauth2/v1/token => exact /oauth2/v1/token",
        "GET /oauth2/v1/userinfo => family /oauth2/v1",
        "POST /oauth2/v1/introspect => family /oauth2/v1",
        "GET /oauth2/v1/keys => exact /oauth2/v1/keys",
        "GET /oauth2/v1/clients/0oa1 => exact /oauth2/v1/clients",
        "POST /oauth2/default/v1/token => exact /oauth2/{authorizationServerId}/v1/token",
        "GET /oauth2/aus1a2b3c4d5e6f7g8h9/v1/authorize => exact /oauth2/{authorizationServerId}/v1/authorize",
        "GET /oauth2/default/v1/userinfo => exact /oauth2/{authorizationServerId}/v1",
        "GET /oauth2/default/v1/keys => exact /oauth2/{authorizationServerId}/v1/keys",
        "GET /oauth2/default/.well-known/openid-configuration => exact /oauth2/{authorizationServerId}/.well-known/openid-configuration",
        "GET /.well-known/openid-configuration => exact /.well-known/openid-configuration",
        "GET /oauth2/authorize => exact /",
        "POST /oauth2/token => exact /oauth2",
        "POST /idp/idx/identify => prefix /idp/idx/identify",
        "POST /idp/idx/challenge/answer => prefix /idp/idx",
        "POST /idp/idx/introspect => prefix /idp/idx/introspect",
        "GET /login/login.htm?fromURI=/app => prefix /login/login.htm",
        "POST /app/template_saml_2_0/exk1/sso/saml => prefix /app/template_saml_2_0/{key}/sso/saml",
        "POST /app/salesforce/exk1/sso/saml => prefix /app/{app}/{key}/sso/saml",
        "POST /app/office365/exk1/sso/wsfed/active => prefix /app/office365{appType}/{key}/sso/wsfed/active",
        "POST /api/v1/radius => prefix /api/{apiVersion}/radius",
        "POST /api/v2/radius => prefix /api/{apiVersion}/radius",
        "GET / => -",
        "GET  => -",
        "GET /some/app/page => -",
        "GET https://app.example.com/ => -",
    ];
    for case in cases {
        let (request, want) = case.split_once(" => ").unwrap();
        let (method, url) = request.split_once(' ').unwrap();
        let got = lookup(Some(method), url)
            .map(|m| format!("{} {}", m.how.as_str(), m.info.name))
            .unwrap_or_else(|| "-".to_string());
        assert_eq!(got, want, "{request}");
    }
}

#[test]
fn scopes_and_published_limits() {
    let m = lookup(Some("GET"), "/api/v1/users").unwrap();
    assert_eq!(
        m.info.published,
        [Some(100), Some(600), Some(600), Some(600)]
    );
    assert_eq!(
        m.info.plans_with(600),
        ["One App", "Enterprise", "Workforce Identity"]
    );
    assert!(m.is_listing());
    let keys = lookup(None, "/oauth2/default/v1/keys").unwrap();
    assert!(keys.info.scope.unlimited);
    assert_eq!(keys.info.published_limits(), []);
    let authz = lookup(Some("GET"), "/oauth2/v1/authorize").unwrap();
    assert!(authz.info.scope.per_client);
    assert!(authz.info.scope_notes()[0].contains("60 requests per minute"));
    let token = lookup(Some("POST"), "/oauth2/v1/token").unwrap();
    assert!(token.info.scope.per_username);
    let me = lookup(Some("GET"), "/api/v1/users/me").unwrap();
    assert!(me.info.scope.per_user);
    let idx = lookup(Some("POST"), "/idp/idx/identify").unwrap();
    assert!(idx.info.scope.per_client && idx.info.scope.per_user);
    assert!(idx.info.scope_notes()[1].contains("state token"));
    assert_eq!(
        info("/api/v1").published,
        [Some(100), Some(600), Some(600), Some(1200)]
    );
    assert_eq!(info("no such bucket"), Info::default());
}

#[test]
fn normalisation_hides_ids_and_logins() {
    let cases = [
        (
            "/api/v1/users/00u1qqxig80SMWArY0g7/groups?limit=5",
            "/api/v1/users/ID/groups",
        ),
        (
            "https://x.okta.com/api/v1/users/alice@example.com",
            "/api/v1/users/ID",
        ),
        ("/api/v1/users/alice%40example.com", "/api/v1/users/ID"),
        (
            "/api/v1/authorizationServers/default",
            "/api/v1/authorizationServers/default",
        ),
        ("/oauth2/default/v1/token#x", "/oauth2/default/v1/token"),
        ("https://x.okta.com", "/"),
        ("", "/"),
    ];
    for (url, want) in cases {
        assert_eq!(normalise(url), want, "{url}");
    }
    let m = lookup(Some("get"), "/api/v1/users/00u1qqxig80SMWArY0g7").unwrap();
    assert_eq!(
        (m.method.as_ref(), m.path.as_str()),
        ("GET", "/api/v1/users/ID")
    );
}

#[test]
fn hostile_paths_are_total() {
    let long = "/a".repeat(100_000);
    let deep_api = format!("/api/v1{}", "/x".repeat(10_000));
    for url in [
        long.as_str(),
        deep_api.as_str(),
        "//////",
        "?",
        "#",
        "/api/v1/\u{0}",
        "://",
        "http://",
    ] {
        let _ = lookup(Some("GET"), url);
        let _ = normalise(url);
    }
    assert_eq!(
        lookup(Some(""), &deep_api).map(|m| m.info.name),
        Some("/api/v1")
    );
}

/// The table's maps hashed by FNV-1a answer what a scan of their entries answers: every key
/// found with its own value, and keys that are not there (every segment of every pattern,
/// cut, changed in case, and whole request paths) not found.
#[test]
fn fnv_maps_answer_what_a_scan_answers() {
    let t = table();
    let mut probes: Vec<String> = Vec::new();
    for k in t.by_first.keys().chain(t.infos.keys()) {
        probes.push((*k).to_string());
        probes.push(k.to_ascii_uppercase());
        probes.push(k.get(1..).unwrap_or_default().to_string());
        probes.push(format!("{k}x"));
    }
    probes.extend(["", "api", "v1", "users", "/api/v1/users", "oauth2", "ID"].map(String::from));
    for p in &probes {
        let scan = t
            .by_first
            .iter()
            .find(|(k, _)| **k == p.as_str())
            .map(|(_, v)| v);
        assert_eq!(t.by_first.get(p.as_str()), scan, "{p:?}");
        let scan = t
            .infos
            .iter()
            .find(|(k, _)| **k == p.as_str())
            .map(|(_, v)| v);
        assert_eq!(t.infos.get(p.as_str()), scan, "{p:?}");
    }
    let mut threes: Vec<[&str; 3]> = t.by_three.keys().copied().collect();
    for k in t.by_three.keys() {
        threes.push([k[0], k[2], k[1]]);
        threes.push([k[0], k[1], "x"]);
    }
    for p in &threes {
        let scan = t.by_three.iter().find(|(k, _)| *k == p).map(|(_, v)| v);
        assert_eq!(t.by_three.get(p), scan, "{p:?}");
    }
    assert!(probes.len() > 100 && threes.len() > 30);
}

/// `normalise` sized once and asking for `%40` only after a `%` is what it was before (the
/// old body kept here): every catalogue path with its variables filled by ids, logins, `%`
/// escapes and near misses, with queries, fragments, hosts and doubled slashes.
#[test]
fn normalise_sized_once_is_normalise_before() {
    fn before(url: &str) -> String {
        let mut out = String::new();
        for seg in segments(path_of(url)) {
            out.push('/');
            if is_okta_id(seg) || seg.contains('@') || seg.contains("%40") {
                out.push_str("ID");
            } else {
                out.push_str(seg);
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
    let fills = [
        "00u1abcdefGHIJKLM0x7",
        "a@b.c",
        "a%40b.c",
        "a%4",
        "%",
        "%%40",
        "40",
        "x",
        "",
        "é%40",
        "me",
        "0oa1abcdefGHIJKLM0x7%",
    ];
    let mut urls = vec![
        String::new(),
        "/".into(),
        "//".into(),
        "?".into(),
        "#x".into(),
    ];
    for e in &table().entries {
        for fill in fills {
            let path: String = e
                .segs
                .iter()
                .map(|s| match s {
                    Seg::Literal(l) => format!("/{l}"),
                    _ => format!("/{fill}"),
                })
                .collect();
            urls.push(path.clone());
            urls.push(format!("https://dev-1.okta.com{path}?limit=2#f"));
            urls.push(format!("{path}//{fill}/"));
        }
    }
    for u in &urls {
        assert_eq!(normalise(u), before(u), "{u:?}");
    }
    assert!(urls.len() > 1000);
}

/// `upper` (HTTP's methods borrowed) is the upper-cased copy it replaced, and borrows exactly
/// HTTP's methods: every method in three cases, cut, lengthened, padded, with a digit, a dash,
/// a non-ASCII letter, empty; and every bucket lookup's method is the copy's.
#[test]
fn methods_borrowed_are_the_methods_upper_cased() {
    let (mut borrowed, mut owned) = (0, 0);
    let probes = METHODS.iter().chain(&[
        "PROPFIND", "M-SEARCH", "G3T", "GÉT", "", " ", "É", "get ", "ß",
    ]);
    for k in probes {
        let mixed: String = (k.chars().enumerate())
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        for m in [k.to_string(), k.to_lowercase(), mixed] {
            let cut: String = m.chars().skip(1).collect();
            for probe in [
                m.clone(),
                format!(" {m}"),
                format!("{m}S"),
                format!("{m}1"),
                cut,
            ] {
                let got = upper(&probe);
                assert_eq!(got, probe.to_ascii_uppercase(), "{probe:?}");
                let known = METHODS.contains(&&*probe.to_ascii_uppercase());
                assert_eq!(matches!(got, Cow::Borrowed(_)), known, "{probe:?}");
                match got {
                    Cow::Borrowed(_) => borrowed += 1,
                    Cow::Owned(_) => owned += 1,
                }
                let url = "https://x.okta.com/api/v1/users/00u1qqxig80SMWArY0g7";
                if let Some(found) = lookup(Some(&probe), url) {
                    let trimmed = probe.trim();
                    let want = if trimmed.is_empty() {
                        "GET".into()
                    } else {
                        trimmed.to_ascii_uppercase()
                    };
                    assert_eq!(found.method, want, "{probe:?}");
                }
            }
        }
    }
    assert!(borrowed >= 27 && owned > 30, "{borrowed} {owned}");
}
