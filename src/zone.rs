//! The local time zone, as Ruby's `Time` sees it during a Jekyll build.
//!
//! Jekyll sets `ENV["TZ"]` from `_config.yml`'s `timezone:` (an IANA name such as
//! `America/New_York`); without the key, GitHub Pages builds in UTC. Ruby then reads times
//! without a zone as local wall-clock times, prints local times with the zone's offset and
//! abbreviation (`%Z`), and turns YAML timestamps, `Time.at` and `Time.now` into local times.
//! This module answers those questions for one zone, from the system's zoneinfo files, where
//! Ruby (through the C library) reads them too.
//!
//! Not for: parsing or printing dates (`site::time`, `liquid::filters::date`).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Timelike, Utc};

/// A local time zone: UTC, or a zone from the system's tz database.
#[derive(Clone, Debug, Default)]
pub struct Zone {
    /// `None` is UTC (no lookups at all: the common case, and what every test pins).
    tz: Option<jiff::tz::TimeZone>,
}

static UTC: Zone = Zone { tz: None };

/// Names that mean UTC itself (the C library reads them from zoneinfo as UTC too).
const UTC_NAMES: &[&str] = &[
    "UTC",
    "Etc/UTC",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Zulu",
    "Etc/Zulu",
];

impl Zone {
    /// UTC: GitHub Pages' zone when `_config.yml` names none.
    pub fn utc() -> &'static Zone {
        &UTC
    }

    /// The zone `timezone:` names; `None` when the system's tz database does not have it.
    pub fn named(name: &str) -> Option<Zone> {
        if UTC_NAMES.contains(&name) {
            return Some(Zone { tz: None });
        }
        jiff::tz::TimeZone::get(name)
            .ok()
            .map(|tz| Zone { tz: Some(tz) })
    }

    pub fn is_utc(&self) -> bool {
        self.tz.is_none()
    }

    /// The zone's offset at an instant.
    pub fn offset_at<T: TimeZone>(&self, t: &DateTime<T>) -> FixedOffset {
        let seconds = match &self.tz {
            None => 0,
            Some(tz) => jiff::Timestamp::from_second(t.timestamp())
                .map(|ts| tz.to_offset(ts).seconds())
                .unwrap_or(0),
        };
        FixedOffset::east_opt(seconds).unwrap_or(FixedOffset::east_opt(0).expect("zero"))
    }

    /// The same instant as a local time (Ruby's `Time#localtime`).
    pub fn local<T: TimeZone>(&self, t: &DateTime<T>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset_at(t))
    }

    /// Now, as a local time (`Time.now`).
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.local(&Utc::now())
    }

    /// A wall-clock time read in this zone (`Time.local`, `Time.parse` without a zone). A time
    /// the clocks skip (a DST gap) moves forward by the gap, as the C library's `mktime` does;
    /// a time they pass twice is the first of the two.
    pub fn from_local(&self, naive: &NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        let Some(tz) = &self.tz else {
            return Some(naive.and_utc().fixed_offset());
        };
        use chrono::Datelike;
        let civil = jiff::civil::DateTime::new(
            i16::try_from(naive.year()).ok()?,
            naive.month() as i8,
            naive.day() as i8,
            naive.hour() as i8,
            naive.minute() as i8,
            naive.second().min(59) as i8,
            naive.nanosecond().min(999_999_999) as i32,
        )
        .ok()?;
        let ts = tz.to_ambiguous_timestamp(civil).compatible().ok()?;
        let utc = Utc
            .timestamp_opt(ts.as_second(), ts.subsec_nanosecond() as u32)
            .single()?;
        Some(self.local(&utc))
    }

    /// Whether `t` shows this zone's offset at its instant. Ruby's `Time.parse` keeps a parsed
    /// offset as a local time when the local zone has that offset then ("prefer the local
    /// timezone over the fixed offset"), so such times print the zone's abbreviation.
    pub fn is_local(&self, t: &DateTime<FixedOffset>) -> bool {
        self.offset_at(t) == *t.offset()
    }

    /// `%Z` of a time: the zone's abbreviation for a local time (`EST`, `CEST`, `UTC`),
    /// `UTC` for a UTC time, and nothing for a fixed offset.
    pub fn abbreviation(&self, t: &DateTime<FixedOffset>) -> String {
        match &self.tz {
            Some(tz) if self.is_local(t) => jiff::Timestamp::from_second(t.timestamp())
                .map(|ts| tz.to_offset_info(ts).abbreviation().to_string())
                .unwrap_or_default(),
            _ if t.offset().local_minus_utc() == 0 => "UTC".into(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn utc_is_the_default_and_needs_no_database() {
        let z = Zone::utc();
        assert!(z.is_utc() && Zone::named("Etc/UTC").unwrap().is_utc());
        let t = z.from_local(&naive(2024, 3, 10, 2, 30)).unwrap();
        assert_eq!(t.to_rfc3339(), "2024-03-10T02:30:00+00:00");
        assert_eq!(z.abbreviation(&t), "UTC");
    }

    #[test]
    fn new_york_offsets_gaps_and_abbreviations() {
        let z = Zone::named("America/New_York").expect("tzdata is installed");
        let winter = z.from_local(&naive(2024, 1, 10, 3, 0)).unwrap();
        assert_eq!(winter.to_rfc3339(), "2024-01-10T03:00:00-05:00");
        assert_eq!(z.abbreviation(&winter), "EST");
        // 02:30 does not exist on 2024-03-10: Ruby gives 03:30 EDT.
        let gap = z.from_local(&naive(2024, 3, 10, 2, 30)).unwrap();
        assert_eq!(gap.to_rfc3339(), "2024-03-10T03:30:00-04:00");
        assert_eq!(z.abbreviation(&gap), "EDT");
        // A fixed offset that is not the zone's prints no abbreviation; UTC prints UTC.
        let fixed = DateTime::parse_from_rfc3339("2024-07-10T03:00:00+02:00").unwrap();
        assert_eq!(z.abbreviation(&fixed), "");
        assert_eq!(z.local(&fixed).to_rfc3339(), "2024-07-09T21:00:00-04:00");
        let utc = DateTime::parse_from_rfc3339("2024-07-10T03:00:00Z").unwrap();
        assert_eq!(z.abbreviation(&utc), "UTC");
        assert!(Zone::named("Nowhere/Atlantis").is_none());
    }
}
