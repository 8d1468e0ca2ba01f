//! Tests only: the catalogues as the service worker's module embeds them ([`super::projection`]),
//! read in the same process as the full files, and the test that holds the analysis equal on
//! both. A thread inside [`with`] reads the `sw` copies; every other thread the full files.

use std::{
    cell::Cell,
    sync::{Mutex, PoisonError},
};

use super::projection;

/// The `sw` copies made so far: (file, text), each leaked once for the process.
static COPIES: Mutex<Vec<(&str, &str)>> = Mutex::new(Vec::new());

thread_local! {
    static ON: Cell<bool> = const { Cell::new(false) };
}

/// True on a thread inside [`with`].
pub(crate) fn on() -> bool {
    ON.with(Cell::get)
}

/// Runs `f` with the `sw` module's catalogues on this thread.
pub(crate) fn with<R>(f: impl FnOnce() -> R) -> R {
    let before = ON.with(|on| on.replace(true));
    let out = f();
    ON.with(|on| on.set(before));
    out
}

/// `full` (the text of catalogue `name`), or inside [`with`] the `sw` module's copy: the same
/// projection build.rs writes, made once per file and kept for the process.
pub(crate) fn as_embedded(name: &'static str, full: &'static str) -> &'static str {
    if !on() {
        return full;
    }
    let mut copies = COPIES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, text)) = copies.iter().find(|(n, _)| *n == name) {
        return text;
    }
    let text: &'static str = match projection::project(full, projection::unread(name)) {
        Some(copy) => Box::leak(copy.into_boxed_str()),
        None => full,
    };
    copies.push((name, text));
    text
}

/// True once a reader has asked for the `sw` copy of `name` (inside [`with`]).
#[cfg(test)]
fn made(name: &str) -> bool {
    let copies = COPIES.lock().unwrap_or_else(PoisonError::into_inner);
    copies.iter().any(|(n, _)| *n == name)
}

#[cfg(test)]
mod tests;
