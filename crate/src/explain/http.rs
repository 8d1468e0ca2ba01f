//! The words of the findings about an exchange as a whole and about the input itself:
//! `http.*`, `scope.*`, `exchange.*`, `har.*`, `input.*`.

use crate::report::Finding;

/// What every "can't read this" finding tells the user the tool accepts.
const ACCEPTS: &str = "Okta Medic reads: a JWT (also with \"Bearer \" or \"Authorization:\" in front), an SSWS API token, an opaque token, an Okta error body ({\"errorCode\": …}), an OAuth error ({\"error\": …}), an Identity Engine (IDX) response, an /introspect response, an okta-token-storage value, curl -si or curl -v output, a redirect URL with error=…, a captured exchange, or a HAR file.";

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    match f.id.as_str() {
        "input.too_large" => {
            f.title = "Input too large".into();
            f.detail = format!(
                "The input is {} bytes; the limit is {} bytes (8 MiB). Tokens, error bodies and responses are far smaller, so this is probably a whole file or a binary.",
                p.int("bytes").unwrap_or_default(),
                p.int("limit").unwrap_or_default(),
            );
            f.fix = vec![
                "Paste only the token, the response or the error body.".into(),
                "For a HAR file, use the CLI: okta-medic har FILE.".into(),
            ];
        }
        "input.empty" => {
            f.title = "Nothing to analyse".into();
            f.detail = ACCEPTS.into();
        }
        "input.json_invalid" => {
            f.title = "Looks like JSON, but is not valid JSON".into();
            f.detail = format!(
                "The JSON parser stopped: {}. Nesting deeper than 128 levels is refused on purpose.",
                p.str("error")
            );
            f.fix = vec![
                "Copy the whole body again; a truncated copy is the usual cause.".into(),
                ACCEPTS.into(),
            ];
        }
        "input.unrecognized" if p.flag("json") => {
            f.title = "JSON, but not a shape Okta Medic knows".into();
            f.detail = ACCEPTS.into();
        }
        "input.unrecognized" => {
            f.title = "Not something Okta Medic recognises".into();
            let dotted = if p.flag("dotted") {
                "It has dot-separated parts, but not the three base64url parts of a JWT. "
            } else {
                ""
            };
            f.detail =
                format!("The input is none of the things Okta Medic reads. {dotted}{ACCEPTS}");
        }
        _ => {}
    }
}
