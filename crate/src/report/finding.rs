//! One finding: its data (id, severity, evidence, quote, params…), read at analysis, and its
//! words (title, detail, fix, commands, docs, action, todo, why), written only by `explain`.
//! The words sit behind one box, absent until written: a finding as data is ~170 bytes, not
//! ~410, so every move, push and drop of one on the live fold's path is cheaper (docs/performance-log.md,
//! "liveFold, tenth pass"). The JSON is the same as when the words were fields
//! of their own, in the same order ([`Out`] / [`In`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{Action, Command, Evidence, Quote, ReportedBy, Severity};
use crate::params::{same, Params};

#[derive(Clone, Debug)]
pub struct Finding {
    /// Stable `domain.name` id (DESIGN.md § Finding ids); never renamed.
    pub id: Cow<'static, str>,
    pub severity: Severity,
    /// The words, once written (`None`: a fact not yet worded, what the live listener folds
    /// and stores). Read through the finding (`f.title`: [`Finding`] derefs to [`Words`], an
    /// empty one when none are written); a write through it gives the finding its box.
    pub words: Option<Box<Words>>,
    pub evidence: Vec<Evidence>,
    /// Okta's internal error id behind an OAuth error description (e.g. `user_not_assigned`).
    pub okta_cause: Option<String>,
    /// What the server (or a token) wrote, verbatim: never the title and never woven into the
    /// core's own sentences, so a hostile `error_description` can't read like our advice.
    pub quote: Option<Quote>,
    /// Who supplied the data the finding was read from, when it was not the browser itself:
    /// `page` for a response body a script in the page relayed (Chromium's opt-in hook), which
    /// the page could have written. Absent for everything else.
    pub reported_by: Option<ReportedBy>,
    /// The ids of the findings folded into this one because they said the same thing about the
    /// same request (`cause::fold`: an E0000047 body under `rate_limit.exceeded`): still
    /// searchable ([`super::Report::has`]), their evidence and quote kept here. Empty when none.
    pub folded: Vec<String>,
    /// What the wording needs, until `explain` renders title, detail, fix, commands, docs and
    /// action from it (then emptied). A finding with params and no title is a fact not yet
    /// worded: what the live listener folds and stores.
    pub params: Params,
}

/// A finding's words, written by `explain` (or by a domain module's test helpers).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Words {
    pub title: String,
    pub detail: String,
    pub fix: Vec<String>,
    pub commands: Vec<Command>,
    pub docs_url: Option<String>,
    pub action: Option<Action>,
    /// What to do now, one line (an instruction, not a diagnosis): what a card and the CLI show
    /// first.
    pub todo: Option<String>,
    /// Why, in at most two sentences, shown under `todo`; the detail, every fix step and the
    /// commands stay behind "More".
    pub why: Option<String>,
}

/// What a finding without words reads as.
static NONE: Words = Words {
    title: String::new(),
    detail: String::new(),
    fix: Vec::new(),
    commands: Vec::new(),
    docs_url: None,
    action: None,
    todo: None,
    why: None,
};

impl std::ops::Deref for Finding {
    type Target = Words;

    fn deref(&self) -> &Words {
        self.words.as_deref().unwrap_or(&NONE)
    }
}

impl std::ops::DerefMut for Finding {
    /// Writing a word gives the finding its words (empty ones first); code that only may have
    /// words to change (the redactor, the seal) goes through [`Finding::words`] instead.
    fn deref_mut(&mut self) -> &mut Words {
        self.words.get_or_insert_with(Box::default)
    }
}

/// Two findings are equal when they say the same: no words and empty words are alike. Texts
/// compared a word at a time, a core label by where it is (`params::same`): a storm's repeated
/// finding is compared with its digest group's whole (docs/performance-log.md, "liveFold,
/// fifteenth pass").
impl PartialEq for Finding {
    fn eq(&self, other: &Self) -> bool {
        let texts = |a: &[String], b: &[String]| {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        };
        let evidence = |a: &Evidence, b: &Evidence| {
            same(&a.source, &b.source) && same(&a.name, &b.name) && same(&a.value, &b.value)
        };
        let quote = |a: &Quote, b: &Quote| same(&a.label, &b.label) && same(&a.text, &b.text);
        let words = |a: &Words, b: &Words| std::ptr::eq(a, b) || a == b;
        same(&self.id, &other.id)
            && self.severity == other.severity
            && words(self, other)
            && self.evidence.len() == other.evidence.len()
            && (self.evidence.iter().zip(&other.evidence)).all(|(a, b)| evidence(a, b))
            && match (&self.okta_cause, &other.okta_cause) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && match (&self.quote, &other.quote) {
                (Some(a), Some(b)) => quote(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && self.reported_by == other.reported_by
            && texts(&self.folded, &other.folded)
            && self.params == other.params
    }
}

impl Finding {
    /// A finding as data: its id, severity and (with [`Finding::with`]) the values its wording
    /// needs; `explain` writes the words when the finding is shown.
    pub fn fact(id: impl Into<Cow<'static, str>>, severity: Severity) -> Self {
        Finding::of(id.into(), severity)
    }

    /// [`Finding::fact`]'s one copy for every type an id is given as: a literal id is no
    /// copy to make, so each of the ~300 callers would inline the whole finding (the sw
    /// module +8.8 KB, docs/performance-log.md, "liveFold, eighteenth pass").
    #[inline(never)]
    fn of(id: Cow<'static, str>, severity: Severity) -> Self {
        Finding {
            id,
            severity,
            words: None,
            evidence: Vec::new(),
            okta_cause: None,
            quote: None,
            reported_by: None,
            folded: Vec::new(),
            params: Params::default(),
        }
    }

    /// Records a value the wording needs (`None` records nothing).
    pub fn with(mut self, name: &'static str, value: impl crate::params::IntoParam) -> Self {
        self.params.set(name, value);
        self
    }

    /// Whether this finding is `id` or has `id` folded into it: how ids stay searchable.
    pub fn is(&self, id: &str) -> bool {
        self.id == id || self.folded.iter().any(|f| f == id)
    }

    /// Whether the words have been written (by the domain module or by `explain`).
    pub fn is_worded(&self) -> bool {
        !self.title.is_empty()
    }

    pub fn new(
        id: impl Into<Cow<'static, str>>,
        severity: Severity,
        title: impl Into<String>,
    ) -> Self {
        let mut f = Finding::fact(id, severity);
        let title = title.into();
        if !title.is_empty() {
            f.title = title;
        }
        f
    }

    /// The words to change, when there are any (never gives the finding a box).
    pub fn words(&mut self) -> Option<&mut Words> {
        self.words.as_deref_mut()
    }

    /// Shows `text` as a quote under `label`; empty text shows nothing.
    pub fn quote(mut self, label: impl Into<Cow<'static, str>>, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.quote = Some(Quote {
                label: label.into(),
                text,
            });
        }
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn fix(mut self, step: impl Into<String>) -> Self {
        self.fix.push(step.into());
        self
    }

    pub fn command(mut self, label: impl Into<String>, command: impl Into<String>) -> Self {
        self.commands.push(Command {
            label: label.into(),
            command: command.into(),
            target: None,
        });
        self
    }

    pub fn docs(mut self, url: impl Into<String>) -> Self {
        self.docs_url = Some(url.into());
        self
    }

    /// Every string the finding holds, its parameters' included (what the redactor seals when
    /// the finding travels inside a view); object keys untouched.
    pub fn each_string(&mut self, f: &mut dyn FnMut(&mut String)) {
        // A borrowed id is the core's own word (compiled in): nothing to seal.
        if let Cow::Owned(id) = &mut self.id {
            f(id);
        }
        if let Some(w) = self.words.as_deref_mut() {
            f(&mut w.title);
            f(&mut w.detail);
            w.fix.iter_mut().for_each(&mut *f);
            for c in &mut w.commands {
                f(&mut c.label);
                f(&mut c.command);
            }
            if let Some(d) = &mut w.docs_url {
                f(d);
            }
        }
        for e in &mut self.evidence {
            // A borrowed source or name is the core's own word (compiled in): nothing to seal.
            for s in [&mut e.source, &mut e.name] {
                if let Cow::Owned(s) = s {
                    f(s);
                }
            }
            f(&mut e.value);
        }
        if let Some(c) = &mut self.okta_cause {
            f(c);
        }
        if let Some(w) = self.words.as_deref_mut() {
            if let Some(a) = &mut w.action {
                f(&mut a.kind);
                f(&mut a.label);
                if let Some(o) = &mut a.origin {
                    f(o);
                }
            }
            if let Some(t) = &mut w.todo {
                f(t);
            }
            if let Some(w) = &mut w.why {
                f(w);
            }
        }
        if let Some(q) = &mut self.quote {
            // A borrowed label is the core's own word (compiled in): nothing to seal.
            if let Cow::Owned(label) = &mut q.label {
                f(label);
            }
            f(&mut q.text);
        }
        self.params.each_string(f);
    }

    pub fn evidence(
        mut self,
        source: impl Into<Cow<'static, str>>,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Self {
        self.evidence.push(Evidence {
            source: source.into(),
            name: name.into(),
            value: value.into(),
        });
        self
    }
}

fn none<T>(o: &Option<&T>) -> bool {
    o.is_none()
}

fn no_ids(v: &&[String]) -> bool {
    v.is_empty()
}

fn no_params(p: &&Params) -> bool {
    p.is_empty()
}

/// A finding as written: every field in the order it always had, the words where they were.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Out<'a> {
    id: &'a str,
    severity: Severity,
    title: &'a str,
    detail: &'a str,
    fix: &'a [String],
    commands: &'a [Command],
    #[serde(skip_serializing_if = "none")]
    docs_url: Option<&'a String>,
    evidence: &'a [Evidence],
    #[serde(skip_serializing_if = "none")]
    okta_cause: Option<&'a String>,
    #[serde(skip_serializing_if = "none")]
    action: Option<&'a Action>,
    #[serde(skip_serializing_if = "none")]
    todo: Option<&'a String>,
    #[serde(skip_serializing_if = "none")]
    why: Option<&'a String>,
    #[serde(skip_serializing_if = "none")]
    quote: Option<&'a Quote>,
    #[serde(skip_serializing_if = "none")]
    reported_by: Option<&'a ReportedBy>,
    #[serde(skip_serializing_if = "no_ids")]
    folded: &'a [String],
    #[serde(skip_serializing_if = "no_params")]
    params: &'a Params,
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let w: &Words = self;
        Out {
            id: &self.id,
            severity: self.severity,
            title: &w.title,
            detail: &w.detail,
            fix: &w.fix,
            commands: &w.commands,
            docs_url: w.docs_url.as_ref(),
            evidence: &self.evidence,
            okta_cause: self.okta_cause.as_ref(),
            action: w.action.as_ref(),
            todo: w.todo.as_ref(),
            why: w.why.as_ref(),
            quote: self.quote.as_ref(),
            reported_by: self.reported_by.as_ref(),
            folded: &self.folded,
            params: &self.params,
        }
        .serialize(s)
    }
}

/// A finding as read back (serde's way: tests and the CLI; the extension's stored tabs are
/// read by hand, `digest/stored.rs`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct In {
    id: String,
    severity: Severity,
    title: String,
    detail: String,
    fix: Vec<String>,
    commands: Vec<Command>,
    #[serde(default)]
    docs_url: Option<String>,
    evidence: Vec<Evidence>,
    #[serde(default)]
    okta_cause: Option<String>,
    #[serde(default)]
    action: Option<Action>,
    #[serde(default)]
    todo: Option<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    quote: Option<Quote>,
    #[serde(default)]
    reported_by: Option<ReportedBy>,
    #[serde(default)]
    folded: Vec<String>,
    #[serde(default)]
    params: Params,
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let i = In::deserialize(d)?;
        let words = Words {
            title: i.title,
            detail: i.detail,
            fix: i.fix,
            commands: i.commands,
            docs_url: i.docs_url,
            action: i.action,
            todo: i.todo,
            why: i.why,
        };
        Ok(Finding {
            id: i.id.into(),
            severity: i.severity,
            words: Words::boxed(words),
            evidence: i.evidence,
            okta_cause: i.okta_cause,
            quote: i.quote,
            reported_by: i.reported_by,
            folded: i.folded,
            params: i.params,
        })
    }
}

impl Words {
    /// `words` boxed, or none when they say nothing (a stored fact not yet worded).
    pub fn boxed(words: Words) -> Option<Box<Words>> {
        (words != NONE).then(|| Box::new(words))
    }
}

#[cfg(test)]
mod tests;
