//! The words of the `idx.*` findings: Okta's catalogued wording of the key (or the API error's
//! headline, or the key itself) as the title, never the text the response carried; our advice
//! for the key or its family (`advice`) as cause, fix steps and commands.

mod advice;

use crate::{
    command,
    idx::{catalogue, key_ok},
    jwt::clip,
    okta_error,
    report::Finding,
};

pub(super) fn word(f: &mut Finding) {
    let p = &f.params;
    let w = &mut **f.words.get_or_insert_with(Box::default);
    let key = p.text("key");
    let sent = p.flag("keySent");
    let code = p.text("code");

    let mut detail = format!(
        "Identity Engine (IDX) returned {} message{}{}",
        match p.text("class") {
            Some("error") => "an error",
            Some("warning") => "a warning",
            Some("info") => "an information",
            _ => "a",
        },
        p.text("field")
            .map(|f| format!(" on the field \"{f}\""))
            .unwrap_or_default(),
        if p.flag("textless") {
            " with no text"
        } else {
            ", quoted below"
        }
    );
    match (key, sent, code) {
        (Some(k), true, _) => detail.push_str(&format!(" (i18n key {}).", clip(k))),
        (Some(k), false, _) => detail.push_str(&format!(
            ". It came without an i18n key; its text is Okta's message {k}."
        )),
        (None, _, Some(c)) => detail.push_str(&format!(
            ". It came without an i18n key; its text is Okta's wording of {c}."
        )),
        (None, _, None) => detail.push('.'),
    }
    let advice = key.and_then(advice::advice);
    match (advice.and_then(|a| a.cause), code) {
        (_, Some(c)) => detail.push_str(&format!(
            " The key is Okta API error {c}: see the okta_error.{c} finding for its cause and fix."
        )),
        (Some(cause), None) => {
            detail.push(' ');
            detail.push_str(cause);
        }
        (None, None) => {
            detail.push_str(" Okta Medic has no entry for this key; the text is what the user saw.")
        }
    }

    // The title is Okta's catalogued wording for the key, or names the key: never the text
    // the response carried (quoted), which a hostile server or page chooses.
    let title = match (key.and_then(catalogue::text_for_key), code) {
        (Some(known), _) => known.to_string(),
        (None, Some(c)) => match okta_error::catalogue::lookup(c) {
            Some(x) => super::okta_error::headline(x),
            None => format!("Identity Engine message for Okta error {c}"),
        },
        (None, None) => match key.filter(|k| sent && key_ok(k)) {
            Some(k) => format!("Identity Engine message {k}"),
            None => "Identity Engine message".to_string(),
        },
    };

    let mut fix: Vec<String> = advice
        .map(|a| a.fix.iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    if let (None, Some(c)) = (advice, code) {
        fix.push(format!("Follow the okta_error.{c} finding's steps."));
    }
    fix.push(
        "Branch on i18n.key, never on the message: the text is translated and may change.".into(),
    );
    let commands = command::build_all(
        advice.map(|a| a.commands.clone()).unwrap_or_default(),
        &super::okta_error::request(p),
    );

    w.title = title;
    w.detail = detail;
    w.fix = fix;
    w.commands = commands;
    w.docs_url = Some("https://developer.okta.com/docs/concepts/oie-intro/".into());
}

#[cfg(test)]
mod tests;
