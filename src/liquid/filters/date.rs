//! Dates: Liquid's `date` filter, Ruby's `strftime` (with its `-`, `_`, `0`, `^`, `#` flags
//! and widths) and a `Time.parse` good for the formats sites use (ISO 8601, Jekyll's
//! `YYYY-MM-DD HH:MM:SS +ZZZZ`, RFC 2822, "March 5, 2024", Unix seconds).
//!
//! Times without a zone are local: in the host's zone (`_config.yml`'s `timezone:`, else UTC
//! as Pages builds run; see `crate::zone`).
//!
//! Not for: Jekyll's `date_to_*` filters (in `jekyll.rs`, built on these helpers).

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};

use super::{def, FilterDef};
use crate::liquid::context::Context;
use crate::liquid::error::LResult;
use crate::liquid::value::Value;
use crate::zone::Zone;

pub const FILTERS: &[FilterDef] = &[def("date", date, 1, 1)];

fn date(input: Value, args: &[Value], ctx: &mut Context) -> LResult<Value> {
    let fmt = args.first().map(|v| v.to_s()).unwrap_or_default();
    if fmt.is_empty() {
        return Ok(input);
    }
    let zone = ctx.host().zone();
    match to_date(&input, zone) {
        Some(t) => Ok(Value::from(strftime(&t, &fmt, zone))),
        None => Ok(input),
    }
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("zero offset")
}

/// Liquid's `Utils.to_date`: `Time.at` of numbers and `Time.now` are local times, and
/// `Time.parse` reads a time without a zone as a local one.
pub fn to_date(v: &Value, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    match v {
        Value::Time(t) => Some(*t),
        Value::Int(i) => Utc.timestamp_opt(*i, 0).single().map(|t| zone.local(&t)),
        Value::Str(s) => {
            if s.is_empty() {
                return None;
            }
            let l = s.to_lowercase();
            if l == "now" || l == "today" {
                return Some(zone.now());
            }
            if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) {
                return l
                    .parse::<i64>()
                    .ok()
                    .and_then(|i| Utc.timestamp_opt(i, 0).single())
                    .map(|t| zone.local(&t));
            }
            parse_time(s, zone)
        }
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_from(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// A lenient `Time.parse` for the common formats; a time without a zone is local in `zone`.
pub fn parse_time(s: &str, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t);
    }
    for f in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%dT%H:%M:%S%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    let (body, off) = split_zone(s);
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(body, f) {
            return at(&t, off, zone);
        }
    }
    if let Some(t) = numeric_date(body, off, zone) {
        return Some(t);
    }
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(body, f) {
            return at(&d.and_time(NaiveTime::MIN), off, zone);
        }
    }
    parse_words(body, off, zone)
}

/// Wall-clock fields at a parsed offset, or local in `zone` when the text named none.
fn at(t: &NaiveDateTime, off: Option<FixedOffset>, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    match off {
        Some(off) => off.from_local_datetime(t).single(),
        None => zone.from_local(t),
    }
}

/// The text before its zone, and the zone's offset (`None`: no zone, a local time).
fn split_zone(s: &str) -> (&str, Option<FixedOffset>) {
    let t = s.trim_end();
    if let Some(b) = t
        .strip_suffix(" UTC")
        .or_else(|| t.strip_suffix(" GMT"))
        .or_else(|| t.strip_suffix('Z'))
    {
        return (b.trim_end(), Some(utc()));
    }
    if let Some(pos) = t.rfind(['+', '-']) {
        let z = &t[pos + 1..];
        let digits: String = z.chars().filter(|c| *c != ':').collect();
        if (digits.len() == 4 || digits.len() == 2)
            && digits.bytes().all(|b| b.is_ascii_digit())
            && pos > 0
            && t[..pos].ends_with([' ', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
            && t[..pos].contains(':')
        {
            let h: i32 = digits[..2].parse().unwrap_or(0);
            let m: i32 = if digits.len() == 4 {
                digits[2..].parse().unwrap_or(0)
            } else {
                0
            };
            let sign = if &t[pos..pos + 1] == "-" { -1 } else { 1 };
            if let Some(o) = FixedOffset::east_opt(sign * (h * 3600 + m * 60)) {
                return (t[..pos].trim_end(), Some(o));
            }
        }
    }
    (t, None)
}

/// `YYYY-MM-DD` with a day past the month's end (Ruby rolls over: Feb 30 is Mar 1) and
/// Ruby's `DD/MM/YYYY`.
fn numeric_date(s: &str, off: Option<FixedOffset>, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 && s.contains('/') {
        (n[2], n[1], n[0])
    } else {
        return None;
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y as i32, m as u32, 1)?;
    let date = first.checked_add_days(chrono::Days::new((d - 1) as u64))?;
    at(&date.and_time(NaiveTime::MIN), off, zone)
}

/// "March 5, 2024", "5 March 2024", "Mar 5 2024 10:00", "Tue, 5 Mar 2024".
fn parse_words(s: &str, off: Option<FixedOffset>, zone: &Zone) -> Option<DateTime<FixedOffset>> {
    let cleaned: String = s.chars().map(|c| if c == ',' { ' ' } else { c }).collect();
    let mut month = None;
    let mut nums = Vec::new();
    let mut time = NaiveTime::MIN;
    for w in cleaned.split_whitespace() {
        if let Some(m) = month_from(w) {
            if month.is_none() {
                month = Some(m);
                continue;
            }
        }
        if w.contains(':') {
            time = NaiveTime::parse_from_str(w, "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(w, "%H:%M"))
                .ok()?;
            continue;
        }
        let d: String = w
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .to_string();
        if let Ok(n) = d.parse::<u32>() {
            nums.push(n);
        }
    }
    let month = month?;
    let (day, year) = match nums.as_slice() {
        [a, b, ..] if *a > 31 => (*b, *a as i32),
        [a, b, ..] => (*a, *b as i32),
        [a] => (*a, Utc::now().year()),
        _ => return None,
    };
    let d = NaiveDate::from_ymd_opt(year, month, day)?;
    at(&d.and_time(time), off, zone)
}

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Ruby's `Time#strftime`; `zone` names local times for `%Z`.
pub fn strftime(t: &DateTime<FixedOffset>, fmt: &str, zone: &Zone) -> String {
    let mut out = String::new();
    let chars: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut flags = String::new();
        while i < chars.len() && matches!(chars[i], '-' | '_' | '0' | '^' | '#') {
            flags.push(chars[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            width.push(chars[i]);
            i += 1;
        }
        let mut colons = 0;
        while i < chars.len() && chars[i] == ':' {
            colons += 1;
            i += 1;
        }
        if i >= chars.len() {
            out.extend(&chars[start..]);
            break;
        }
        let conv = chars[i];
        i += 1;
        let width: Option<usize> = width.parse().ok();
        let num = |v: i64, def_width: usize, def_pad: char| -> String {
            pad_num(v, &flags, width.unwrap_or(def_width), def_pad)
        };
        let text = |s: String| -> String { pad_text(s, &flags, width) };
        let piece = match conv {
            'Y' => {
                let y = t.year() as i64;
                if width.is_some() {
                    num(y, 0, '0')
                } else {
                    y.to_string()
                }
            }
            'C' => num((t.year() / 100) as i64, 2, '0'),
            'y' => num((t.year() % 100) as i64, 2, '0'),
            'm' => num(t.month() as i64, 2, '0'),
            'B' => text(MONTH_NAMES[t.month0() as usize].to_string()),
            'b' | 'h' => text(MONTH_NAMES[t.month0() as usize][..3].to_string()),
            'd' => num(t.day() as i64, 2, '0'),
            'e' => num(t.day() as i64, 2, ' '),
            'j' => num(t.ordinal() as i64, 3, '0'),
            'H' => num(t.hour() as i64, 2, '0'),
            'k' => num(t.hour() as i64, 2, ' '),
            'I' => num(t.hour12().1 as i64, 2, '0'),
            'l' => num(t.hour12().1 as i64, 2, ' '),
            'P' => text(if t.hour() < 12 { "am" } else { "pm" }.to_string()),
            'p' => {
                let s = if t.hour() < 12 { "AM" } else { "PM" };
                if flags.contains('#') {
                    pad_text(s.to_lowercase(), "", width)
                } else {
                    text(s.to_string())
                }
            }
            'M' => num(t.minute() as i64, 2, '0'),
            'S' => num(t.second() as i64, 2, '0'),
            'L' => {
                let w = width.unwrap_or(3);
                let ns = format!("{:09}", t.nanosecond() % 1_000_000_000);
                let mut s = ns[..w.min(9)].to_string();
                while s.len() < w {
                    s.push('0');
                }
                s
            }
            'N' => {
                let w = width.unwrap_or(9);
                let ns = format!("{:09}", t.nanosecond() % 1_000_000_000);
                let mut s = ns[..w.min(9)].to_string();
                while s.len() < w {
                    s.push('0');
                }
                s
            }
            'z' => {
                let off = t.offset().local_minus_utc();
                let sign = if off < 0 { '-' } else { '+' };
                let off = off.abs();
                let (h, m, s) = (off / 3600, (off % 3600) / 60, off % 60);
                match colons {
                    1 => format!("{sign}{h:02}:{m:02}"),
                    2 => format!("{sign}{h:02}:{m:02}:{s:02}"),
                    _ => format!("{sign}{h:02}{m:02}"),
                }
            }
            'Z' => text(zone.abbreviation(t)),
            'A' => text(DAY_NAMES[t.weekday().num_days_from_sunday() as usize].to_string()),
            'a' => text(DAY_NAMES[t.weekday().num_days_from_sunday() as usize][..3].to_string()),
            'u' => num(t.weekday().number_from_monday() as i64, 1, '0'),
            'w' => num(t.weekday().num_days_from_sunday() as i64, 1, '0'),
            'U' => num(
                ((t.ordinal0() + 7 - t.weekday().num_days_from_sunday()) / 7) as i64,
                2,
                '0',
            ),
            'W' => num(
                ((t.ordinal0() + 7 - t.weekday().num_days_from_monday()) / 7) as i64,
                2,
                '0',
            ),
            'G' => num(t.iso_week().year() as i64, 4, '0'),
            'g' => num((t.iso_week().year() % 100) as i64, 2, '0'),
            'V' => num(t.iso_week().week() as i64, 2, '0'),
            's' => t.timestamp().to_string(),
            'n' => "\n".into(),
            't' => "\t".into(),
            '%' => "%".into(),
            'c' => text(strftime(t, "%a %b %e %H:%M:%S %Y", zone)),
            'D' | 'x' => text(strftime(t, "%m/%d/%y", zone)),
            'F' => text(strftime(t, "%Y-%m-%d", zone)),
            'T' | 'X' => text(strftime(t, "%H:%M:%S", zone)),
            'R' => text(strftime(t, "%H:%M", zone)),
            'r' => text(strftime(t, "%I:%M:%S %p", zone)),
            'v' => text(strftime(t, "%e-%^b-%4Y", zone)),
            _ => chars[start..i].iter().collect(),
        };
        out.push_str(&piece);
    }
    out
}

fn pad_num(v: i64, flags: &str, width: usize, def_pad: char) -> String {
    let digits = v.abs().to_string();
    let neg = v < 0;
    if flags.contains('-') {
        return format!("{}{}", if neg { "-" } else { "" }, digits);
    }
    let pad = if flags.contains('_') {
        ' '
    } else if flags.contains('0') {
        '0'
    } else {
        def_pad
    };
    let body_len = digits.len() + usize::from(neg);
    let fill = width.saturating_sub(body_len);
    if pad == '0' {
        format!(
            "{}{}{}",
            if neg { "-" } else { "" },
            "0".repeat(fill),
            digits
        )
    } else {
        format!(
            "{}{}{}",
            " ".repeat(fill),
            if neg { "-" } else { "" },
            digits
        )
    }
}

fn pad_text(s: String, flags: &str, width: Option<usize>) -> String {
    let s = if flags.contains('^') {
        s.to_uppercase()
    } else if flags.contains('#') {
        s.chars()
            .map(|c| {
                if c.is_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    } else {
        s
    };
    match width {
        Some(w) if w > s.chars().count() && !flags.contains('-') => {
            let pad = if flags.contains('0') { '0' } else { ' ' };
            format!("{}{}", pad.to_string().repeat(w - s.chars().count()), s)
        }
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strftime_like_ruby() {
        let t = parse_time("2024-03-05 14:07:09 +0000", Zone::utc()).unwrap();
        assert_eq!(
            strftime(&t, "%-d %B %Y, %a %e %j %I%P", Zone::utc()),
            "5 March 2024, Tue  5 065 02pm"
        );
        assert_eq!(
            strftime(&t, "%^b %-m/%y %z %:z", Zone::utc()),
            "MAR 3/24 +0000 +00:00"
        );
    }
}
