//! The seal of a report sealed as data and then shown (`analyze_text_trusting`: the
//! `facts_of_text` report, worded by `explain::show_sealed`): only what showing wrote is
//! scrubbed again. The data — evidence, request URL, rate limit, the token view's header,
//! claims, times and classification — was sealed with the facts and showing does not write
//! it; sealing it a second time found nothing and cost a third of the seal (docs/performance-log.md,
//! "analyzeText, fifth pass").

use super::{scrub, scrub_value_string, scrub_words, Clean};
use crate::report::{each_string_in, Kept, Strings, Token};

/// [`seal`](super::seal) for a report that [`seal`](super::seal) sealed before it was
/// shown: the words (summary, action, every finding's words and any parameter it kept), the
/// JWT view's claim notes and the session timeline (a pasted HAR's, worded in place) are
/// scrubbed; the rest is the sealed data as it was.
pub(crate) fn seal_shown(report: &mut crate::Report) {
    scrub(&mut report.summary);
    report.todo.iter_mut().for_each(scrub);
    let mut clean = Clean::default();
    for f in &mut report.findings {
        scrub_words(f);
        f.params
            .each_string(&mut |s| scrub_value_string(s, &mut clean));
    }
    let value = &mut |s: &mut String| scrub_value_string(s, &mut clean);
    match &mut report.token {
        // The notes are the only strings showing adds to a built JWT view.
        Some(Kept::Built(Token::Jwt(jwt))) => {
            let notes = jwt
                .notes
                .iter_mut()
                .flat_map(|n| [&mut n.header, &mut n.claims]);
            for map in notes {
                map.values_mut().for_each(|v| each_string_in(v, value));
            }
        }
        Some(t) => t.each_string(value),
        None => {}
    }
    if let Some(t) = &mut report.timeline {
        t.each_string(value);
    }
}
