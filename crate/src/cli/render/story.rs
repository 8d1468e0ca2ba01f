//! The sign-in story of a HAR as the terminal shows it (issue 16 §3): each flow a short
//! sequence of steps, one line each — time, a mark, the step's label and its detail (the
//! core's words), and the finding id where it broke.

use okta_medic::report::flow::Flow;

use super::{safe, Style};

/// The flows of a report, newest last; nothing when it has none.
pub fn story(flows: &[Flow], style: &Style) -> String {
    if flows.is_empty() {
        return String::new();
    }
    let plural = if flows.len() == 1 { "" } else { "s" };
    let mut out = format!(
        "\n{}\n",
        style.paint(
            "1",
            &format!("Sign-in story ({} flow{plural})", flows.len())
        )
    );
    for (i, flow) in flows.iter().enumerate() {
        let client = flow
            .client
            .as_deref()
            .map_or_else(String::new, |c| format!("client {c} on "));
        out.push_str(&format!(
            "  Flow {}: {}{}\n",
            i + 1,
            safe(&client),
            safe(&flow.host)
        ));
        for step in &flow.steps {
            let time = okta_medic::timestamp::iso8601((step.at / 1000.0).floor() as i64);
            let time = time.get(11..19).unwrap_or(&time).to_string();
            let mark = if step.ok { "ok" } else { "✗ " };
            let id = step
                .finding_id
                .as_deref()
                .filter(|_| !step.ok)
                .map_or_else(String::new, |id| format!("  [{id}]"));
            let line = format!(
                "{time} {mark} {:<16} {}{id}",
                step.label.as_deref().unwrap_or_default(),
                step.detail.as_deref().unwrap_or_default(),
            );
            out.push_str(&style.wrap("    ", "                ", &safe(&line)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use okta_medic::report::flow::{Step, StepKind};

    #[test]
    fn each_flow_is_a_line_per_step_with_the_broken_ones_marked() {
        let flows = vec![Flow {
            client: Some("0oa1".into()),
            host: "dev-1.okta.com".into(),
            steps: vec![
                Step {
                    step: StepKind::Authorize,
                    at: 1_795_773_600_000.0,
                    status: Some(302),
                    ok: true,
                    label: Some("Authorize".into()),
                    detail: Some("302".into()),
                    ..Step::default()
                },
                Step {
                    step: StepKind::Token,
                    at: 1_795_773_601_000.0,
                    status: Some(400),
                    finding_id: Some("flow.pkce_mismatch".into()),
                    label: Some("Token".into()),
                    detail: Some("400 invalid_grant — PKCE verifier doesn't match".into()),
                    ..Step::default()
                },
            ],
            serial: 0,
        }];
        let style = Style {
            color: false,
            width: None,
        };
        let text = story(&flows, &style);
        assert!(text.contains("Sign-in story (1 flow)"), "{text}");
        assert!(
            text.contains("Flow 1: client 0oa1 on dev-1.okta.com"),
            "{text}"
        );
        assert!(text.contains("10:00:00 ok Authorize"), "{text}");
        assert!(
            text.contains("10:00:01 ✗  Token            400 invalid_grant — PKCE verifier doesn't match  [flow.pkce_mismatch]"),
            "{text}"
        );
        assert_eq!(story(&[], &style), "");
    }
}
