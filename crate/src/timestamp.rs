//! Time as the core sees it: epoch seconds handed in by the caller (the core has no clock),
//! NumericDate claims (RFC 7519 §2), ISO-8601 UTC rendering and human durations.

use serde_json::Value;

/// Okta's SDKs (okta-auth-js `DEFAULT_MAX_CLOCK_SKEW`) tolerate 300 s of clock skew.
pub const LEEWAY_SECONDS: i64 = 300;

/// A NumericDate: a JSON number of seconds; fractions are floored. Anything else is `None`.
pub fn numeric_date(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return Some(i);
    }
    let f = v.as_f64()?;
    // `as` saturates, so huge values cannot wrap around.
    f.is_finite().then(|| f.floor() as i64)
}

/// `2016-06-28T21:18:14Z` for any epoch second, including years before 1970 or after 9999.
pub fn iso8601(epoch: i64) -> String {
    let mut out = String::with_capacity(20);
    iso8601_into(epoch, &mut out);
    out
}

/// [`iso8601`] appended to `text` (a longer text's part needs no string of its own).
pub fn iso8601_into(epoch: i64, text: &mut String) {
    use std::fmt::Write;
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if let Ok(year @ 0..=9999) = u32::try_from(y) {
        // Most times: twenty ASCII bytes built as one array (a report writes several; `format!`
        // costs ten times as much, a `String::push` per digit five, a loop storing each digit
        // through a bounds-checked slice twice: docs/performance-log.md, "liveFold, seventh pass"
        // and "eighth pass").
        // `secs` is 0..86_400; `two` writes the two ASCII digits of a number below 100 (the
        // casts keep them).
        let secs = secs as u32;
        let two = |n: u32| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        let ([y0, y1], [y2, y3], [m0, m1], [d0, d1]) =
            (two(year / 100), two(year % 100), two(m), two(d));
        let ([h0, h1], [n0, n1], [s0, s1]) =
            (two(secs / 3600), two(secs % 3600 / 60), two(secs % 60));
        let out = [
            y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T', h0, h1, b':', n0, n1, b':', s0, s1,
            b'Z',
        ];
        text.push_str(std::str::from_utf8(&out).unwrap_or_default());
        return;
    }
    let _ = write!(
        text,
        "{}{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        if y < 0 { "-" } else { "" },
        y.unsigned_abs(),
        m,
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    );
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`, <http://howardhinnant.github.io/date_algorithms.html>).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe.saturating_add(era.saturating_mul(400)) + i64::from(m <= 2);
    (y, m, d)
}

/// A duration in the two largest units: `45 s`, `4 min 10 s`, `2 h 5 min`, `3 days 4 h`.
pub fn human(seconds: i64) -> String {
    let mut out = String::with_capacity(16);
    human_into(seconds, &mut out);
    out
}

/// [`human`] pushed onto `out`, piece by piece: a pasted token's summary says how long until it
/// expires, and two `format!` calls for it were ~1.5 % of its analysis (docs/performance-log.md,
/// "analyzeText, tenth pass"; the `format!` version is the tests' reference).
pub fn human_into(seconds: i64, out: &mut String) {
    let s = seconds.unsigned_abs();
    let (days, hours, mins, secs) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    // A unit's count and name; the second of two after a space.
    let mut unit = |n: u64, name: &str, second: bool| {
        if second {
            out.push(' ');
        }
        push_decimal(out, n);
        out.push(' ');
        out.push_str(name);
    };
    let days_name = if days == 1 { "day" } else { "days" };
    if days >= 365 {
        let years = days / 365;
        unit(years, if years == 1 { "year" } else { "years" }, false);
    } else if days > 0 {
        unit(days, days_name, false);
        if hours > 0 {
            unit(hours, "h", true);
        }
    } else if hours > 0 {
        unit(hours, "h", false);
        if mins > 0 {
            unit(mins, "min", true);
        }
    } else if mins > 0 {
        unit(mins, "min", false);
        if secs > 0 {
            unit(secs, "s", true);
        }
    } else {
        unit(secs, "s", false);
    }
}

/// `n` in decimal digits.
fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    for &d in crate::encoding::decimal_digits(n, &mut buf) {
        out.push(char::from(d));
    }
}

/// "in 4 min" / "3 days ago" / "now", relative to `now`.
pub fn relative(epoch: i64, now: i64) -> String {
    let mut out = String::with_capacity(24);
    relative_into(epoch, now, &mut out);
    out
}

/// [`relative`] pushed onto `out`.
pub fn relative_into(epoch: i64, now: i64, out: &mut String) {
    match epoch.saturating_sub(now) {
        0 => out.push_str("now"),
        d if d > 0 => {
            out.push_str("in ");
            human_into(d, out);
        }
        d => {
            human_into(d, out);
            out.push_str(" ago");
        }
    }
}

/// Parses an HTTP date in any of the three forms RFC 9110 §5.6.7 says a recipient must accept:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and C's asctime (`Sun Nov  6 08:49:37 1994`). The weekday
/// is ignored. `None` for anything else.
pub fn parse_http_date(s: &str) -> Option<i64> {
    imf_fixdate(s.as_bytes()).or_else(|| http_date_words(s))
}

/// [`parse_http_date`] by words: any of the three forms, any whitespace between the parts.
fn http_date_words(s: &str) -> Option<i64> {
    // At most six parts are read; more never match (no allocation: the live fold reads every
    // response's `Date`).
    let mut words = s.split_whitespace();
    let mut buf = [""; 6];
    let mut n = 0;
    for w in words.by_ref().take(6) {
        *buf.get_mut(n)? = w;
        n += 1;
    }
    if words.next().is_some() {
        return None;
    }
    let (day, month, year, time) = match buf.get(..n)? {
        [_, day, month, year, time, zone] if is_gmt(zone) => {
            (*day, *month, full_year(year)?, *time)
        }
        [_, dmy, time, zone] if is_gmt(zone) => {
            let mut it = dmy.splitn(3, '-');
            let (day, month, year) = (it.next()?, it.next()?, it.next()?);
            (day, month, short_year(year)?, *time)
        }
        [_, month, day, time, year] => (*day, *month, full_year(year)?, *time),
        _ => return None,
    };
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as i64 + 1;
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>());
    let (Some(Ok(h)), Some(Ok(m)), Some(Ok(sec)), None) =
        (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return None;
    };
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// The one form servers send (`Sun, 06 Nov 1994 08:49:37 GMT`, 29 bytes) read at its fixed
/// places, every digit a digit: what the general reader answers for it, without splitting it
/// into words (the live fold reads every response's `Date`; ~1,700 → ~300 instructions). Any
/// other shape, or a value out of range, goes to the general reader (`None` here).
fn imf_fixdate(b: &[u8]) -> Option<i64> {
    let b: &[u8; 29] = b.try_into().ok()?;
    let [w0, w1, w2, b',', b' ', d0, d1, b' ', m0, m1, m2, b' ', y0, y1, y2, y3, b' ', h0, h1, b':', n0, n1, b':', s0, s1, b' ', z0, z1, z2] =
        *b
    else {
        return None;
    };
    if ![w0, w1, w2, m0, m1, m2].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let zone = [z0, z1, z2];
    if !(zone.eq_ignore_ascii_case(b"GMT") || zone == *b"UTC") {
        return None;
    }
    let num = |digits: &[u8]| {
        digits.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let year = num(&[y0, y1, y2, y3]).filter(|y| *y >= 1970)?;
    let day = num(&[d0, d1]).filter(|d| (1..=31).contains(d))?;
    let (h, m, sec) = (num(&[h0, h1])?, num(&[n0, n1])?, num(&[s0, s1])?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let month = [m0, m1, m2].to_ascii_lowercase();
    let month = MONTHS.iter().position(|m| m.as_bytes() == month)? as i64 + 1;
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn is_gmt(zone: &str) -> bool {
    zone.eq_ignore_ascii_case("GMT") || zone == "UTC"
}

/// A four-digit year from 1970 (IMF-fixdate, asctime).
fn full_year(s: &str) -> Option<i64> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| *y >= 1970)
}

/// RFC 850's two-digit year. RFC 9110 reads one that looks more than 50 years ahead as the
/// past; the core has no clock, so the window is fixed at 1970–2069 (`94` → 1994, `26` → 2026).
fn short_year(s: &str) -> Option<i64> {
    let y: i64 = (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()?;
    Some(if y >= 70 { 1900 + y } else { 2000 + y })
}

/// Parses an RFC 3339 timestamp (`2026-11-27T22:59:49.123Z`, `…+01:00`), as HAR's
/// `startedDateTime` carries, to epoch milliseconds. `None` for anything else.
pub fn parse_rfc3339_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
    let day: i64 = d.next()?.parse().ok().filter(|d| (1..=31).contains(d))?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let mut t = time.splitn(3, ':');
    let h: i64 = t.next()?.parse().ok().filter(|h| (0..=23).contains(h))?;
    let m: i64 = t.next()?.parse().ok().filter(|m| (0..=59).contains(m))?;
    let sec_text = t.next()?;
    let seconds: f64 = sec_text
        .parse()
        .ok()
        .filter(|s: &f64| (0.0..61.0).contains(s))?;
    let offset_minutes = match zone {
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (oh, om) = z.get(1..)?.split_once(':')?;
            let oh: i64 = oh.parse().ok().filter(|h| (0..=23).contains(h))?;
            let om: i64 = om.parse().ok().filter(|m| (0..=59).contains(m))?;
            sign * (oh * 60 + om)
        }
    };
    let whole =
        days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 - offset_minutes * 60;
    Some(whole as f64 * 1000.0 + (seconds * 1000.0).round())
}

/// (year, month, day) → days since 1970-01-01 (inverse of `civil_from_days`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn iso8601_table() {
        let cases = [
            (0, "1970-01-01T00:00:00Z"),
            (1_467_148_694, "2016-06-28T21:18:14Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (4_113_561_866, "2100-05-09T16:04:26Z"),
            (253_402_300_800, "10000-01-01T00:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (-62_167_219_200, "0000-01-01T00:00:00Z"),
            (-62_167_219_201, "-0001-12-31T23:59:59Z"),
            (1_750_000_042, "2025-06-15T15:07:22Z"),
        ];
        for (epoch, want) in cases {
            assert_eq!(iso8601(epoch), want, "epoch {epoch}");
        }
    }

    /// The bytes written in place are what `format!` writes, across years 0–9999.
    #[test]
    fn iso8601_in_place_is_format() {
        let mut epoch = -62_167_219_200i64;
        while epoch < 253_402_300_800 {
            let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
            let (y, m, d) = civil_from_days(days);
            let want = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                secs / 3600,
                secs % 3600 / 60,
                secs % 60
            );
            assert_eq!(iso8601(epoch), want);
            epoch += 9_999_991;
        }
    }

    #[test]
    fn iso8601_is_total_at_the_extremes() {
        assert!(!iso8601(i64::MAX).is_empty());
        assert!(iso8601(i64::MIN).starts_with('-'));
    }

    #[test]
    fn human_and_relative() {
        let cases = [
            (0, "0 s"),
            (45, "45 s"),
            (250, "4 min 10 s"),
            (3600, "1 h"),
            (7500, "2 h 5 min"),
            (86_400, "1 day"),
            (3 * 86_400 + 4 * 3600, "3 days 4 h"),
            (800 * 86_400, "2 years"),
            (-120, "2 min"),
        ];
        for (secs, want) in cases {
            assert_eq!(human(secs), want, "{secs}");
        }
        assert_eq!(relative(100, 100), "now");
        assert_eq!(relative(160, 100), "in 1 min");
        assert_eq!(relative(40, 100), "1 min ago");
    }

    /// [`human`] and [`relative`] as they were, by `format!` (the reference).
    fn human_before(seconds: i64) -> String {
        let s = seconds.unsigned_abs();
        let (days, hours, mins, secs) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if days >= 365 {
            let years = days / 365;
            format!("{} {}", years, if years == 1 { "year" } else { "years" })
        } else if days > 0 {
            if hours > 0 {
                format!("{} {hours} h", plural(days, "day", "days"))
            } else {
                plural(days, "day", "days")
            }
        } else if hours > 0 {
            if mins > 0 {
                format!("{hours} h {mins} min")
            } else {
                format!("{hours} h")
            }
        } else if mins > 0 {
            if secs > 0 {
                format!("{mins} min {secs} s")
            } else {
                format!("{mins} min")
            }
        } else {
            format!("{secs} s")
        }
    }

    fn relative_before(epoch: i64, now: i64) -> String {
        match epoch.saturating_sub(now) {
            0 => "now".to_string(),
            d if d > 0 => format!("in {}", human_before(d)),
            d => format!("{} ago", human_before(d)),
        }
    }

    /// The pieces pushed are the `format!` text: every delta to three days, then steps
    /// through every unit's boundaries to the extremes, both signs, onto a non-empty string.
    #[test]
    fn pushed_durations_are_the_formatted_ones() {
        let mut deltas: Vec<i64> = (0..=3 * 86_400 + 7).collect();
        let mut d = 1i64;
        while let Some(next) = d.checked_mul(3) {
            deltas.extend([
                d - 1,
                d,
                d + 1,
                d.saturating_mul(60),
                d.saturating_mul(3600).saturating_add(59),
            ]);
            deltas.push(d.saturating_mul(86_400).saturating_add(3599));
            d = next;
        }
        deltas.extend([i64::MAX, i64::MAX - 1, 365 * 86_400, 730 * 86_400 - 1]);
        let mut checked = 0;
        for d in deltas {
            for d in [
                d,
                d.saturating_neg(),
                i64::MIN.saturating_add(d.unsigned_abs().min(5) as i64),
            ] {
                assert_eq!(human(d), human_before(d), "{d}");
                let now: i64 = 1_750_000_000;
                let epoch = now.saturating_add(d);
                let mut out = String::from("x ");
                relative_into(epoch, now, &mut out);
                assert_eq!(out, format!("x {}", relative_before(epoch, now)), "{d}");
                checked += 1;
            }
        }
        assert!(checked > 700_000, "{checked}");
    }

    #[test]
    fn http_dates() {
        let cases = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(784_111_777)),
            ("Mon, 09 Feb 2026 18:24:00 GMT", Some(1_770_661_440)),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 PST", None),
            ("Sun, 32 Nov 1994 08:49:37 GMT", None),
            ("", None),
            // RFC 850 and asctime (RFC 9110 §5.6.7: recipients must accept both).
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(784_111_777)),
            ("Monday, 09-Feb-26 18:24:00 GMT", Some(1_770_661_440)),
            ("Thursday, 01-Jan-70 00:00:00 GMT", Some(0)),
            ("Sunday, 06-Nov-94 08:49:37 PST", None),
            ("Sunday, 06-Nov-994 08:49:37 GMT", None),
            ("Sunday, 06-Nov 08:49:37 GMT", None),
            ("Sun Nov  6 08:49:37 1994", Some(784_111_777)),
            ("Mon Feb  9 18:24:00 2026", Some(1_770_661_440)),
            ("Sun Nov  6 08:49:37 94", None),
            ("Sun Nov 6 08:49 1994", None),
            ("Sun Xyz  6 08:49:37 1994", None),
            ("Sun, 06 Nov +994 08:49:37 GMT", None),
            // Read without allocating: a seventh word, a fourth or unreadable time part.
            ("Sun, 06 Nov 1994 08:49:37 GMT extra", None),
            ("  Sun,\t06 Nov 1994 08:49:37 GMT  ", Some(784_111_777)),
            ("Sun, 06 Nov 1994 08:49:37:00 GMT", None),
            ("Sun, 06 Nov 1994 08:x:37 GMT", None),
            ("Sun, 06 Nov 1994 08:49:61 GMT", None),
        ];
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        for (s, want) in cases {
            assert_eq!(parse_http_date(s), want, "{s}");
        }
    }

    /// The fixed-place reader answers what the reader by words answers, or leaves the string
    /// to it: every byte of IMF-fixdates replaced by each of a set of bytes that matter.
    #[test]
    fn imf_fixdate_is_the_reader_by_words() {
        let dates = [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Mon, 09 Feb 2026 18:24:00 gmt",
            "Thu, 01 Jan 1970 00:00:00 UTC",
            "Sat, 29 Feb 2020 23:59:60 GMT",
            "Wed, 31 Dec 9999 23:59:59 GMT",
        ];
        let bytes = b" \t,:-+0123456789aAzZNnoOvVgGmMtTuUcC\xff";
        let mut answered = 0;
        for date in dates {
            assert_eq!(
                imf_fixdate(date.as_bytes()),
                http_date_words(date),
                "{date}"
            );
            for at in 0..date.len() {
                for b in bytes {
                    let mut v = date.as_bytes().to_vec();
                    if let Some(slot) = v.get_mut(at) {
                        *slot = *b;
                    }
                    let Ok(s) = std::str::from_utf8(&v) else {
                        assert_eq!(imf_fixdate(&v), None);
                        continue;
                    };
                    let fast = imf_fixdate(s.as_bytes());
                    if fast.is_some() {
                        answered += 1;
                        assert_eq!(fast, http_date_words(s), "{s:?}");
                    }
                    assert_eq!(parse_http_date(s), http_date_words(s), "{s:?}");
                }
            }
        }
        assert!(answered > 100, "{answered}");
        for s in [
            "",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            " Sun, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(imf_fixdate(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn rfc3339_table() {
        let cases = [
            ("2026-11-27T22:59:49.123Z", Some(1_795_820_389_123.0)),
            ("1970-01-01T00:00:00Z", Some(0.0)),
            ("1970-01-01T01:00:00+01:00", Some(0.0)),
            ("1969-12-31T19:00:00.5-05:00", Some(500.0)),
            ("2026-13-01T00:00:00Z", None),
            ("2026-11-27", None),
            ("2026-11-27T22:59:49", None),
            ("garbage", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_rfc3339_ms(s), want, "{s}");
        }
    }

    #[test]
    fn numeric_date_accepts_numbers_only() {
        assert_eq!(numeric_date(&json!(5)), Some(5));
        assert_eq!(numeric_date(&json!(5.9)), Some(5));
        assert_eq!(numeric_date(&json!(-5.5)), Some(-6));
        assert_eq!(numeric_date(&json!(1e300)), Some(i64::MAX));
        assert_eq!(numeric_date(&json!("5")), None);
        assert_eq!(numeric_date(&json!(null)), None);
    }
}
