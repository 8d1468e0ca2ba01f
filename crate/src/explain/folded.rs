//! The words a finding carries over from the findings folded into it (`cause::fold`). The
//! survivor's own words say the cause and what to do; a folded finding said the same thing,
//! so its general advice would only repeat it. What it alone knew about this very request
//! comes along: the command and the fix step naming the request's id or Okta's `errorId`
//! (the System Log lookup, "keep the errorId for support"), once, and its docs link when the
//! survivor has none. The folded ids stay listed under `folded`.

use crate::report::Finding;

pub(super) fn carry(f: &mut Finding) {
    for mut other in crate::cause::folded_facts(f) {
        let ids: Vec<String> = ["requestId", "errorId"]
            .iter()
            .filter_map(|name| other.params.text(name))
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect();
        super::word_family(&mut other);
        let other = other.words.map(|w| *w).unwrap_or_default();
        let names_this_request = |text: &str| ids.iter().any(|id| text.contains(id.as_str()));
        for c in other.commands {
            if names_this_request(&c.command)
                && !f.commands.iter().any(|have| have.command == c.command)
            {
                f.commands.push(c);
            }
        }
        for step in other.fix {
            if names_this_request(&step) && !f.fix.contains(&step) {
                f.fix.push(step);
            }
        }
        if f.docs_url.is_none() {
            f.docs_url = other.docs_url;
        }
    }
}
