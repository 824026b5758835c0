//! Time stamps in the forms feeds, sitemaps and structured data need.

/// An RFC 3339 timestamp with the site's offset: `2025-05-19T14:30:00+01:00`.
pub(crate) fn rfc3339(date: &jiff::ZonedDateTime) -> String {
    date.timestamp()
        .display_with_offset(date.offset())
        .to_string()
}
