//! Dates the way Jekyll reads them: YAML timestamps, post file-name dates, `site.time`.
//! Only what the site model needs; formatting for Liquid (`date` filter) is the engine's job.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// Parses the YAML 1.1 timestamp forms Ruby accepts (`2024-01-10`, `2024-01-10 10:00:00`,
/// `2024-01-10T10:00:00Z`, with `+0000`/`+00:00` offsets, fractional seconds). A time without a
/// zone is in `tz` (the site's timezone; UTC here).
pub fn parse(text: &str, tz: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single();
    }
    let t2 = t.replacen('T', " ", 1);
    let t2 = t2.trim();
    let (body, zone) = split_zone(t2);
    let naive = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(body.trim(), f).ok())?;
    let off = match zone {
        None => tz,
        Some(z) => parse_offset(z)?,
    };
    off.from_local_datetime(&naive).single()
}

fn split_zone(t: &str) -> (&str, Option<&str>) {
    if let Some(b) = t.strip_suffix('Z') {
        return (b, Some("Z"));
    }
    if let Some(b) = t.strip_suffix(" UTC") {
        return (b, Some("Z"));
    }
    // the last '+' or '-' after the time part
    if let Some(sp) = t.rfind(['+', '-']) {
        if sp > 10 {
            return (&t[..sp], Some(&t[sp..]));
        }
    }
    (t, None)
}

fn parse_offset(z: &str) -> Option<FixedOffset> {
    if z == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Whether a YAML scalar looks like a timestamp Ruby's YAML would turn into a Time.
pub fn looks_like_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && text.len() <= 40
        && parse(text, FixedOffset::east_opt(0).unwrap()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn forms() {
        let utc = FixedOffset::east_opt(0).unwrap();
        assert_eq!(
            parse("2024-02-03 04:05:06 +0000", utc)
                .unwrap()
                .to_rfc3339(),
            "2024-02-03T04:05:06+00:00"
        );
        assert_eq!(
            parse("2024-01-30T12:00:00Z", utc).unwrap().to_rfc3339(),
            "2024-01-30T12:00:00+00:00"
        );
        assert_eq!(
            parse("2024-01-10", utc).unwrap().to_rfc3339(),
            "2024-01-10T00:00:00+00:00"
        );
        assert_eq!(
            parse("2024-01-10 10:00:00 -05:00", utc)
                .unwrap()
                .to_rfc3339(),
            "2024-01-10T10:00:00-05:00"
        );
        assert!(parse("not a date", utc).is_none());
    }
}
