//! A pasted token's claim notes (one sentence per header parameter and claim the core knows,
//! `jwt::claims`): words, so the listener's analysis of pasted text leaves them out
//! (`facts_of_text`) and they are written here when the report is shown.

use serde_json::{Map, Value};

use crate::{
    jwt::claims::notes_of,
    report::{
        token::{Members, Notes},
        Kept, Report, Token,
    },
};

/// Adds the notes to the report's JWT view when it has none, whether the view was built here
/// or read back from the listener's JSON (then placed where the view writes them: before
/// `okta`, else last), so the report reads as if the view had been built with them.
pub(in crate::explain) fn add(report: &mut Report) {
    match report.token.as_mut() {
        Some(Kept::Built(Token::Jwt(jwt)))
            if jwt.notes.is_none() && (jwt.header.is_some() || jwt.claims.is_some()) =>
        {
            jwt.notes = Some(notes_of(jwt.header.as_ref(), jwt.claims.as_ref()));
        }
        Some(Kept::Read(Value::Object(view))) => {
            // A JWT's view has a `format`; a secret's has no header or claims.
            if !view.contains_key("format") || view.contains_key("notes") {
                return;
            }
            let part = |name: &str| view.get(name).and_then(Value::as_object);
            if part("header").is_none() && part("claims").is_none() {
                return;
            }
            // Read back as a `Map`: its members, once, as the built view holds them.
            let part = |name: &str| part(name).cloned().map(Members::from);
            let notes = as_value(notes_of(part("header").as_ref(), part("claims").as_ref()));
            let mut notes = Some(notes);
            for (key, value) in std::mem::take(view) {
                if key == "okta" {
                    if let Some(n) = notes.take() {
                        view.insert("notes".into(), n);
                    }
                }
                view.insert(key, value);
            }
            if let Some(n) = notes {
                view.insert("notes".into(), n);
            }
        }
        _ => {}
    }
}

fn as_value(notes: Notes) -> Value {
    let mut map = Map::new();
    map.insert("header".into(), Value::Object(notes.header));
    map.insert("claims".into(), Value::Object(notes.claims));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use crate::report::{Kept, Token};

    const NOW: i64 = 1_750_000_000;
    // {"alg":"RS256","kid":"k1"}.{"ver":1,"jti":"AT.x","iss":"https://dev-1.okta.com/oauth2/default","sub":"a@b.c","amr":["pwd","x"],"exp":1750003000}
    const JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJ2ZXIiOjEsImp0aSI6IkFULngiLCJpc3MiOiJodHRwczovL2Rldi0xLm9rdGEuY29tL29hdXRoMi9kZWZhdWx0Iiwic3ViIjoiYUBiLmMiLCJhbXIiOlsicHdkIiwieCJdLCJleHAiOjE3NTAwMDMwMDB9.c2ln";

    #[test]
    fn the_shown_report_has_the_notes_the_view_was_built_with() {
        let facts = crate::facts_of_text(JWT, NOW);
        let Some(Kept::Built(Token::Jwt(view))) = &facts.token else {
            panic!("a JWT view: {facts:?}");
        };
        assert!(view.notes.is_none(), "the listener leaves the words out");
        // Built with the notes, as every other path builds a view.
        let decoded = crate::jwt::decode(JWT, None);
        let want = serde_json::to_value(decoded.view(NOW)).unwrap();
        let shown = crate::analyze_text(JWT, NOW);
        let shown_token = serde_json::to_value(&shown.token).unwrap();
        assert_eq!(shown_token["notes"], want["notes"]);
        assert!(want["notes"]["claims"]["amr"]
            .as_str()
            .unwrap()
            .contains("x = not an RFC 8176 value"));
        // Read back as JSON (the words module's path): the same JSON, keys in the same order.
        let text = serde_json::to_string(&facts).unwrap();
        let mut read: crate::Report = serde_json::from_str(&text).unwrap();
        crate::explain::show(&mut read, &crate::Trusted::default());
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            serde_json::to_string(&shown).unwrap()
        );
    }
}
