//! Dates the way Jekyll reads them: YAML timestamps, post file-name dates, `site.time`.
//! Only what the site model needs; formatting for Liquid (`date` filter) is the engine's job.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use crate::zone::Zone;

/// Parses the YAML 1.1 timestamp forms Ruby accepts (`2024-01-10`, `2024-01-10 10:00:00`,
/// `2024-01-10T10:00:00Z`, with `+0000`/`+00:00` offsets, fractional seconds) as `Time.parse`
/// reads them (Jekyll's `Utils.parse_date`): a time without a zone is local in `zone`.
pub fn parse(text: &str, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return zone.from_local(&d.and_hms_opt(0, 0, 0)?);
    }
    let t2 = t.replacen('T', " ", 1);
    let t2 = t2.trim();
    let (body, zone_text) = split_zone(t2);
    let naive = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(body.trim(), f).ok())?;
    match zone_text {
        None => zone.from_local(&naive),
        Some(z) => parse_offset(z)?.from_local_datetime(&naive).single(),
    }
}

/// A plain YAML timestamp with a time part, as Ruby's YAML (Psych) makes it: one ending in `Z`
/// is a UTC time; any other is a local time, of the instant its fields name with their offset
/// (without one, the fields are read as UTC, not as local wall-clock time).
pub fn parse_yaml(text: &str, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    let t = parse(text, Zone::utc())?;
    if text.trim_end().ends_with('Z') {
        return Some(t);
    }
    Some(zone.local(&t))
}

/// A document's `date:` as Jekyll sets it: `Utils.parse_date(value.to_s)`, so a plain YAML
/// timestamp goes through Psych first and a quoted one (tagged `!str`) or a bare date is read
/// by `Time.parse` directly.
pub fn parse_front_matter(v: &serde_norway::Value, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    if let serde_norway::Value::String(s) = v {
        if let Some(t) = yaml_time(s, zone) {
            return Some(t);
        }
    }
    parse(&crate::site::reader::yaml_scalar_string(v), zone)
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
    timestamp_shape(text) && parse(text, Zone::utc()).is_some()
}

/// The cheap part of [`looks_like_timestamp`]: `YYYY-` and a plausible length.
fn timestamp_shape(text: &str) -> bool {
    let b = text.as_bytes();
    (10..=40).contains(&b.len()) && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// A plain YAML scalar that Psych reads as a Time (a timestamp with a time part), as that
/// Time ([`parse_yaml`]); `None` for any other text, which stays a string. One parse.
pub fn yaml_time(text: &str, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    if text.len() > 10 && timestamp_shape(text) {
        parse_yaml(text, zone)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn forms() {
        let utc = Zone::utc();
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

    #[test]
    fn local_zone_follows_time_parse_and_psych() {
        let ny = Zone::named("America/New_York").expect("tzdata is installed");
        let rfc = |t: Option<DateTime<FixedOffset>>| t.unwrap().to_rfc3339();
        type Reader = fn(&str, &Zone) -> Option<DateTime<FixedOffset>>;
        let cases: &[(Reader, &str, &str)] = &[
            // `Time.parse`: a time without a zone is New York wall-clock time.
            (parse, "2024-01-10", "2024-01-10T00:00:00-05:00"),
            (parse, "2024-07-10 03:00:00", "2024-07-10T03:00:00-04:00"),
            // Psych: the fields of a zoneless timestamp are UTC, shown in New York time
            // (this moves a post dated 03:00 to the day before, as Jekyll does).
            (
                parse_yaml,
                "2024-01-10 03:00:00",
                "2024-01-09T22:00:00-05:00",
            ),
            (
                parse_yaml,
                "2024-07-10 03:00:00 +02:00",
                "2024-07-09T21:00:00-04:00",
            ),
            (
                parse_yaml,
                "2024-07-10T03:00:00Z",
                "2024-07-10T03:00:00+00:00",
            ),
        ];
        for (read, text, want) in cases {
            assert_eq!(rfc(read(text, &ny)), *want, "{text}");
        }
        // A quoted timestamp (tagged `!str`) is read by `Time.parse`.
        let quoted = serde_norway::Value::Tagged(Box::new(serde_norway::value::TaggedValue {
            tag: serde_norway::value::Tag::new("str"),
            value: serde_norway::Value::String("2024-01-10 03:00:00".into()),
        }));
        assert_eq!(
            rfc(parse_front_matter(&quoted, &ny)),
            "2024-01-10T03:00:00-05:00"
        );
        let plain = serde_norway::Value::String("2024-01-10 03:00:00".into());
        assert_eq!(
            rfc(parse_front_matter(&plain, &ny)),
            "2024-01-09T22:00:00-05:00"
        );
    }
}
