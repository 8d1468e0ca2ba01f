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
