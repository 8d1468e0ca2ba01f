use super::*;
use crate::recognise::{self, Json};

/// What the code before read of a body: serde_json's value, then the recogniser's Okta error,
/// the rate-limit signal and the sign-in flow's `error` / `error_description`.
fn old(text: &str) -> Option<Value> {
    serde_json::from_str::<Value>(text).ok()
}

fn flow_error(v: &Value) -> (Option<&str>, Option<&str>) {
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    (text("error"), text("error_description"))
}

const BODIES: &[&str] = &[
    r#"{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}"#,
    r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}"#,
    r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorId":"oae1","errorCauses":[{"errorSummary":"login: An object with this field already exists"},{"nope":1},"str",{"errorSummary":5},{"errorSummary":"a","errorSummary":"b"}]}"#,
    r#"{"errorCode":"E0000047"}"#,
    r#"{ "errorCode" : "E0000047" , "errorSummary" : "x\u00e9\n" }"#,
    r#"{"error\u0043ode":"E0000007","errorSummary":"Not found: "}"#,
    r#"{"errorCode":" E0000047 "}"#,
    r#"{"errorCode":"E0000047 "}"#,
    r#"{"errorCode":""}"#,
    r#"{"errorCode":"   "}"#,
    r#"{"errorCode":5}"#,
    r#"{"errorCode":null}"#,
    r#"{"errorCode":"E0000047","errorSummary":null}"#,
    r#"{"errorCode":"E0000047","errorSummary":7,"errorId":false}"#,
    r#"{"errorCode":"E0000047","errorCode":"E0000011"}"#,
    r#"{"errorCode":"E0000047","errorId":"a","errorId":"b"}"#,
    r#"{"errorCode":"E0000047","errorCauses":{}}"#,
    r#"{"errorCode":"E0000047","errorCauses":"none"}"#,
    r#"{"errorCode":"E0000047","errorCauses":[],"errorCauses":[{"errorSummary":"x"}]}"#,
    r#"{"errorCode":"E0000047","errorLink":1e999}"#,
    r#"{"errorCode":"E0000047","errorLink":[1,{"a":[true,null,-3.5e10]}]}"#,
    r#"{"errorCode":"E0000047","errorLink":"a","errorLink":"b"}"#,
    r#"{"errorCode":"E0000047","errorLink":"\ud800"}"#,
    r#"{"errorCode":"E0000047","errorSummary":"\ud83d\ude00"}"#,
    r#"{"errorCode":"E0000047","error":"invalid_grant"}"#,
    r#"{"errorCode":"E0000047","messages":{"value":[]}}"#,
    r#"{"errorCode":"E0000047","version":"1.0.0","stateHandle":"s"}"#,
    r#"{"errorCode":"E0000047","statusCode":429,"url":"https://x"}"#,
    r#"{"errorCode":"E0000047"} trailing"#,
    r#"{"errorCode":"E0000047""#,
    r#"{"error":"invalid_grant","error_description":"API call exceeded rate limit due to too many requests."}"#,
    r#"{"error":"invalid_client"}"#,
    r#"{"version":"1.0.0","stateHandle":"s","messages":{"type":"array","value":[{"message":"m","i18n":{"key":"tooManyRequests"},"class":"ERROR"}]}}"#,
    r#"{"active":false}"#,
    r#"{}"#,
    r#"{"a":1}"#,
    r#"{not json"#,
    " { \"errorCode\" : \"E0000047\" ,\t\"errorSummary\"\r\n:\"x\" , \"errorCauses\" : [ \n] } \n",
    r#"{"errorCode":"E0000014","errorSummary":"Mot de passe refusé ✓","errorLink":"","errorId":"oae-1"}"#,
    "{\"errorCode\":\"E0000047\",\"errorSummary\":\"tab\there\"}",
    "{\"errorCode\":\"E0000047\",\"errorSummary\":\"del\u{7f}\"}",
    r#"{"errorCode":"E0000047",}"#,
    r#"{"errorCode":"E0000047"}}"#,
    r#"{"errorCode":"E0000047" "errorId":"x"}"#,
    r#"{"errorCode" "E0000047"}"#,
    r#"{"errorCode":"E0000047","errorCauses":[],"errorCauses":[]}"#,
    r#"{"errorCode":"E0000047","errorCauses":[ ],"errorLink":"E0000047"}"#,
    r#"{"errorCauses":[],"errorSummary":"no code"}"#,
    r#"{"errorCode":"E0000047","errorCauses":[}"#,
    r#"{"errorCode":"E0000047","errorId":"x"#,
    r#"{"errorCode":"E0000047","errorId":"#,
    r#"{"#,
    r#"{"errorCode":"E0000047","errorCauses":null}"#,
];

/// The typed read answers what reading the value answered: a body the typed read takes is the
/// recogniser's Okta error, with the same rate-limit signal and no OAuth `error` for the flow;
/// every other body is the same value.
#[test]
fn typed_read_is_the_value_read() {
    let mut typed = 0;
    for text in BODIES {
        let before = old(text);
        match Body::read(text) {
            Some(Body::Okta(e)) => {
                typed += 1;
                let Some(v) = before else {
                    panic!("typed read of a body that is not JSON: {text}");
                };
                match recognise::json(&v) {
                    Some(Json::OktaError(was)) => assert_eq!(e, was, "{text}"),
                    _ => panic!("typed read of a body the recogniser does not call Okta's: {text}"),
                }
                assert_eq!(Body::Okta(e).signal(), rate_limit::signal(&v), "{text}");
                assert_eq!(flow_error(&v), (None, None), "{text}");
            }
            Some(Body::Json(v)) => {
                assert_eq!(Some(&v), before.as_ref(), "{text}");
                assert_eq!(Body::Json(v.clone()).signal(), rate_limit::signal(&v));
            }
            None => assert_eq!(before, None, "{text}"),
        }
    }
    assert_eq!(
        typed, 7,
        "the plain Okta bodies of Okta's members only are read typed"
    );
}

/// The scan's eight-byte steps stop where the byte-by-byte scan would: every string of up to
/// 20 bytes of plain text with a quote, a backslash, a control character, a byte past 0x7f or
/// none at each place reads as the byte-by-byte rule says.
#[test]
fn plain_by_words_is_plain_by_bytes() {
    let by_bytes = |t: &str| -> Option<usize> {
        let b = t.as_bytes();
        let mut end = 1;
        loop {
            match *b.get(end)? {
                b'"' => return Some(end + 1),
                b'\\' | 0..0x20 => return None,
                _ => end += 1,
            }
        }
    };
    let mut checked = 0;
    for len in 0..20 {
        for at in 0..=len {
            for odd in ["\"", "\\", "\u{1}", "\u{1f}", " ", "\u{7f}", "é", "~"] {
                let mut inner: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
                inner.insert_str(at, odd);
                for close in ["\"", ""] {
                    let t = format!("\"{inner}{close}");
                    let want = by_bytes(&t);
                    let got = encoding::json_plain_string(&t, 0).map(|(text, end)| {
                        assert_eq!(Some(text), t.get(1..end - 1));
                        end
                    });
                    assert_eq!(got, want, "{t:?}");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 210 * 8 * 2);
}
