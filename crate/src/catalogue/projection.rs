//! The service worker's view of the catalogues: the columns its module never reads, emptied.
//! `include_str!` embeds a whole file, so a column only the words read (an explanation, a
//! documented status) would ride along in the module the browser keeps resident. build.rs
//! writes the `sw` module's copies through [`project`] (when the `sw` feature is on without
//! `ui`); the `ui` module, the CLI and the tests embed the full files. Each row keeps its
//! column count and its place, so every index the analysis uses stays valid.
//!
//! Shared by build.rs (`#[path]`) and the crate: plain `std` only. The tests run the analysis
//! over the golden inputs and every catalogue row with these copies and hold it equal to the
//! full data's (catalogue.rs, `the_service_worker_reads_no_emptied_column`).

/// `(file, columns)`: the columns of a catalogue the `sw` module's exports never read (its
/// readers leave them to the explain layer, which only the `ui` module links).
pub const SW_UNREAD: &[(&str, &[usize])] = &[
    // Each family's operation count: only the path prefix is read (endpoint.rs).
    ("api_families.tsv", &[1]),
    // The map's entry count per bucket: bucket.rs reads kind, method, path and bucket.
    ("buckets.tsv", &[4]),
    // The documented HTTP status: explain/oauth_error words it; the analysis matches the
    // `error`, the internal code, the origin and the description.
    ("oauth_errors.tsv", &[1]),
    // Our explanation of each errorCauses template (explain/okta_error).
    ("okta_error_causes.tsv", &[1]),
    // The documented status and the origin (current, removed, widget): explain/okta_error's
    // advice words them; the analysis matches the code and the summary.
    ("okta_errors.tsv", &[1, 2]),
];

/// The columns of `file` the `sw` module never reads (none: an empty slice).
pub fn unread(file: &str) -> &'static [usize] {
    SW_UNREAD
        .iter()
        .find(|(name, _)| *name == file)
        .map_or(&[], |(_, columns)| columns)
}

/// `rows` (a catalogue without its `#` lines) with the `columns` emptied in every row: the
/// same lines, tabs and order, only those cells' text gone. `None` when nothing is emptied.
pub fn project(rows: &str, columns: &[usize]) -> Option<String> {
    if columns.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(rows.len());
    for line in rows.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        for (i, cell) in body.split('\t').enumerate() {
            if i > 0 {
                out.push('\t');
            }
            if !columns.contains(&i) {
                out.push_str(cell);
            }
        }
        out.push_str(end);
    }
    Some(out)
}
