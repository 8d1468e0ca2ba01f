//! The golden fixtures' inputs for the unit tests that run the core over all of them (tests
//! only): each case folder of `tests/fixtures` that holds an `input.txt`, by name.

/// `(case, input text)` for every golden case with an `input.txt`, sorted by case (more than
/// 200 of them).
pub(crate) fn inputs() -> Vec<(String, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let mut cases: Vec<(String, String)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path().join("input.txt")).ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), text))
        })
        .collect();
    cases.sort();
    // A missing or moved fixtures folder must fail the tests that read it, not pass them empty.
    assert!(
        cases.len() > 200,
        "{} golden inputs under {root}",
        cases.len()
    );
    cases
}

/// The exchanges of every golden input that is one or holds some (an exchange, a HAR, a
/// SAML-tracer export), and of the secrets corpus (tests/secrets/corpus.har), each with its
/// redirect target (a HAR response's `redirectURL`, as webRequest's onBeforeRedirect gives
/// it), by case.
#[allow(clippy::type_complexity)]
pub(crate) fn exchanges() -> Vec<(String, Vec<(crate::exchange::Exchange, Option<String>)>)> {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/secrets/corpus.har");
    let corpus = std::fs::read_to_string(corpus).unwrap_or_default();
    let mut all: Vec<_> = inputs();
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
